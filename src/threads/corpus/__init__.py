"""``threads.corpus``: many pages at once, compared.

::

    from threads.corpus import analyze_many
    result = analyze_many(["pages/"], out="corpus-out/")
    result.articles            # pandas DataFrame, one row per page
    result.comments.to_table() # pyarrow Dataset of every comment (lazy)

``analyze_page(path, root, options, out)`` (options: an
:class:`~threads.analysis.options.AnalysisOptions`) is the per-page task, for callers who map it
over the pages with an engine of their own. A page's figures never depend on the other
pages, the engine, the worker count or the order pages finish in.
"""

from __future__ import annotations

from threads.corpus.driver import CorpusResult, analyze_many
from threads.corpus.ledger import Progress
from threads.corpus.options import Reading, ReportSelection
from threads.corpus.task import PageResult, analyze_page

__all__ = [
    "CorpusResult",
    "Reading",
    "PageResult",
    "Progress",
    "ReportSelection",
    "analyze_many",
    "analyze_page",
]
