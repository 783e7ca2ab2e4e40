"""The corpus as one SQLite database (``threads corpus --sqlite``): ``OUT/corpus.db``.

The same tables as ``threads export --to sqlite`` (:mod:`threads.export.sqlite`), one page
at a time from the run's cache: each page's rows of ``pages``, ``topics`` and
``digressions`` from its cache entry, its comments from its comment part. Pages that could
not be analysed are in a ``failures`` table with their error.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import pyarrow.parquet as pq

from threads.corpus.cache import read_cache
from threads.corpus.ledger import Ledger
from threads.corpus.task import PageJob, cache_path, comments_path
from threads.errors import OutputError
from threads.export.sqlite import write_sqlite
from threads.export.tables import PageTables, rows_from_json

#: The database's name in the output folder.
CORPUS_DB = "corpus.db"


def write_database(out: Path, jobs: Sequence[PageJob], ledger: Ledger) -> None:
    """Write ``OUT/corpus.db`` from the pages the run read (all or nothing)."""
    failures = [
        (jobs[i].page, str(row.get("error") or "failed"))
        for i, row in sorted(ledger.failed_rows.items())
    ]
    write_sqlite(_pages(out, jobs, ledger), out / CORPUS_DB, failures)


def _pages(out: Path, jobs: Sequence[PageJob], ledger: Ledger) -> Iterator[PageTables]:
    for i, job in enumerate(jobs):
        if not ledger.ok[i]:
            continue
        entry = read_cache(out, job.key)
        try:
            if entry is None:
                raise ValueError("no entry")
            comments = pq.read_table(comments_path(out, job.key)).to_pylist()
            yield rows_from_json(entry["tables"], comments)
        except (OSError, ValueError):
            # Removed or damaged since the page was checked: the next run redoes it.
            cache_path(out, job.key).unlink(missing_ok=True)
            raise OutputError(
                f"{cache_path(out, job.key)}: the cached rows of {job.page} cannot be read; "
                "its cache entry is removed: run again to redo the page"
            ) from None
