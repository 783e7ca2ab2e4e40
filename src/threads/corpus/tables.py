"""The corpus tables: one explicit Arrow schema per table, and all-or-nothing writers.

The comment table is a folder of Parquet files, one per page (``comments/``), each written
to a temporary file and renamed into place, so a reader (or an interrupted run) never sees
half a file. Its columns are the page's relative path first, then the comment record exactly
as the one-page JSON holds it.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from threads._atomic import write_all
from threads.analysis.results import ANALYSIS_FIELDS
from threads.models import COMMENT_COLUMNS

#: The Arrow type of every per-comment column. A new record field needs one line here
#: (``comment_schema`` fails, naming it, when one is missing).
COMMENT_TYPES: dict[str, pa.DataType] = {
    "page": pa.string(),
    "id": pa.string(),
    "position": pa.int32(),
    "author": pa.string(),
    "posted": pa.string(),
    "posted_at": pa.string(),
    "posted_iso": pa.string(),
    "reply_to": pa.string(),
    "parent_id": pa.string(),
    "parent_status": pa.string(),
    "parent_alternatives": pa.list_(pa.string()),
    "thread_id": pa.string(),
    "depth": pa.int32(),
    "edited": pa.string(),
    "truncated": pa.bool_(),
    "votes": pa.int64(),
    "text": pa.string(),
    "cluster": pa.int32(),
    "cluster_terms": pa.list_(pa.string()),
    "sentiment": pa.float64(),
    "sentiment_whole": pa.float64(),
    "sentiment_label": pa.string(),
    "article_similarity": pa.float64(),
    "parent_similarity": pa.float64(),
    "root_similarity": pa.float64(),
    "thread_similarity": pa.float64(),
    "turned": pa.bool_(),
    "off_topic": pa.bool_(),
    "judgement": pa.string(),
    "too_short": pa.bool_(),
    "judged_with_parent": pa.bool_(),
}

#: The article table: one row per page, in the corpus's page order.
ARTICLE_TYPES: dict[str, pa.DataType] = {
    "page": pa.string(),
    "status": pa.string(),
    "error": pa.string(),
    "title": pa.string(),
    "published": pa.string(),
    "url": pa.string(),
    "input_format": pa.string(),
    "comments": pa.int64(),
    "announced_total": pa.int64(),
    "threads": pa.int64(),
    "max_depth": pa.int64(),
    "clusters": pa.int64(),
    "off_topic_share": pa.float64(),
    "off_topic_low": pa.float64(),
    "off_topic_high": pa.float64(),
    "largest_digression_id": pa.string(),
    "largest_digression_comments": pa.int64(),
    "top_terms": pa.string(),
    "sentiment_mean": pa.float64(),
    "space_article_similarity": pa.float64(),
    "space_corpus_similarity": pa.float64(),
    "recurring_topics": pa.string(),
    "report": pa.string(),
}


def comment_schema(columns: Sequence[str] | None = None) -> pa.Schema:
    """``page`` then every record column, each with its declared type."""
    names = ["page", *([*COMMENT_COLUMNS, *ANALYSIS_FIELDS] if columns is None else columns)]
    missing = [name for name in names if name not in COMMENT_TYPES]
    if missing:
        raise TypeError(f"no Arrow type declared for comment column(s) {', '.join(missing)}")
    return pa.schema([pa.field(name, COMMENT_TYPES[name]) for name in names])


ARTICLE_SCHEMA = pa.schema([pa.field(name, kind) for name, kind in ARTICLE_TYPES.items()])


def comment_table(page: str, records: Sequence[Mapping[str, Any]]) -> pa.Table:
    """One page's comment records as a table of the comment schema."""
    schema = comment_schema()
    columns: dict[str, list[Any]] = {"page": [page] * len(records)}
    for name in schema.names[1:]:
        columns[name] = [record[name] for record in records]
    return pa.Table.from_pydict(columns, schema=schema)


class ArticleTableWriter:
    """``articles.parquet`` and ``articles.csv`` written a batch of rows at a time (so the
    rows of a large corpus are never all in memory), into files the caller has staged.

    The Parquet schema carries the corpus digest in its metadata; the CSV, which has no
    other place for it, a ``corpus_digest`` column.
    """

    #: Rows per batch (and per Parquet row group): a few MB of rows at a time.
    BATCH = 1024

    def __init__(self, parquet: Path, csv: Path, digest: str) -> None:
        self._digest = digest
        self._parquet = pq.ParquetWriter(
            parquet,
            ARTICLE_SCHEMA.with_metadata({"threads_corpus_digest": digest}),
            compression="zstd",
        )
        self._csv = pacsv.CSVWriter(
            csv,
            ARTICLE_SCHEMA.append(pa.field("corpus_digest", pa.string())),
            write_options=pacsv.WriteOptions(quoting_style="needed"),
        )
        self._rows: list[Mapping[str, Any]] = []

    def add(self, row: Mapping[str, Any]) -> None:
        self._rows.append(row)
        if len(self._rows) >= self.BATCH:
            self._flush()

    def close(self) -> None:
        self._flush()
        self._parquet.close()
        self._csv.close()

    def _flush(self) -> None:
        if not self._rows:
            return
        table = pa.Table.from_pylist([dict(row) for row in self._rows], schema=ARTICLE_SCHEMA)
        self._parquet.write_table(table)
        digests = pa.array([self._digest] * table.num_rows, pa.string())
        self._csv.write_table(table.append_column("corpus_digest", digests))
        self._rows = []


def parquet_bytes(table: pa.Table) -> bytes:
    """Parquet with no timestamps: the same table gives the same bytes."""
    sink = io.BytesIO()
    pq.write_table(table, sink, compression="zstd")
    return sink.getvalue()


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` all or nothing (:func:`threads._atomic.write_all`)."""
    write_all({path: data})
