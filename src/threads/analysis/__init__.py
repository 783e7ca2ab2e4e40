"""``threads.analyze``: topics, sentiment and drift for a discussion.

One :class:`~threads.analysis.space.TextSpace` is fitted over the article and the comments;
the clusters (:mod:`~threads.analysis.topics`) and every similarity
(:mod:`~threads.analysis.drift`) use it. Sentiment comes from
:mod:`~threads.analysis.sentiment`; every discussion-level figure from
:mod:`~threads.analysis.summary`; the records are in :mod:`~threads.analysis.results`;
parameter ranges and their checks in :mod:`~threads.analysis.options`.

The names below load on first use, so ``threads.analysis.options`` (the CLI's help texts)
imports no numpy or scikit-learn.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from threads.analysis._analyze import analyze as analyze
    from threads.analysis._analyze import distinct_texts as distinct_texts
    from threads.analysis._analyze import library_versions as library_versions
    from threads.analysis._analyze import sweep as sweep
    from threads.analysis._analyze import with_k_figures as with_k_figures
    from threads.analysis.options import AnalysisOptions as AnalysisOptions
    from threads.analysis.results import ANALYSIS_FIELDS as ANALYSIS_FIELDS
    from threads.analysis.results import Analysis as Analysis
    from threads.analysis.results import ClusterSummary as ClusterSummary
    from threads.analysis.results import CommentResult as CommentResult
    from threads.analysis.results import Parameters as Parameters
    from threads.analysis.results import Summary as Summary
    from threads.analysis.space import TextSpace as TextSpace

_WHERE = {
    "analyze": "_analyze",
    "distinct_texts": "_analyze",
    "library_versions": "_analyze",
    "sweep": "_analyze",
    "with_k_figures": "_analyze",
    "AnalysisOptions": "options",
    "ANALYSIS_FIELDS": "results",
    "Analysis": "results",
    "ClusterSummary": "results",
    "CommentResult": "results",
    "Parameters": "results",
    "Summary": "results",
    "TextSpace": "space",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'threads.analysis' has no attribute {name!r}")
    return getattr(importlib.import_module(f"threads.analysis.{_WHERE[name]}"), name)
