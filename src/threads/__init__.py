"""threads: how a news article's comment section drifted away from the article.

Library API (usable from a notebook)::

    import threads
    discussion = threads.load("corpus/unherd-how-to-escape-north-korea.txt")
    discussion.to_frame()
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from threads.analysis.options import AnalysisOptions
from threads.errors import (
    AnalysisError,
    InputError,
    OptionError,
    OutputError,
    ThreadsError,
    UnknownCommentError,
)
from threads.inputs import load, load_text
from threads.models import Article, Comment, Discussion, RawComment, Repair

if TYPE_CHECKING:
    from threads.analysis import Analysis
    from threads.report.files import ReportFiles

__version__ = "0.1.0"


def analyze(
    discussion: Discussion, options: AnalysisOptions | None = None, **parameters: Any
) -> Analysis:
    """Topic clusters, sentiment and drift (see :func:`threads.analysis.analyze`):
    ``threads.analyze(discussion, clusters=4)`` or with an :class:`AnalysisOptions`.

    Imported on first use, so ``import threads`` stays light.
    """
    from threads.analysis import analyze as run

    return run(discussion, options, **parameters)


def make_report(
    discussion: Discussion,
    options: AnalysisOptions | None = None,
    out: str | Path | None = None,
    **parameters: Any,
) -> ReportFiles:
    """Analyse and write the HTML report with its JSON and CSV (see
    :func:`threads.pipeline.make_report`); ``parameters`` as for :func:`analyze`."""
    from threads.pipeline import make_report as run

    options = (options or AnalysisOptions()).replace(**parameters)
    return run(discussion, options, Path(out) if out else None)


__all__ = [
    "AnalysisError",
    "AnalysisOptions",
    "Article",
    "Comment",
    "Discussion",
    "InputError",
    "OptionError",
    "OutputError",
    "RawComment",
    "Repair",
    "ThreadsError",
    "UnknownCommentError",
    "__version__",
    "analyze",
    "load",
    "load_text",
    "make_report",
]
