"""Analysed pages as one SQLite database, written with sqlite-utils (``--to sqlite``).

Tables: ``pages`` (primary key ``page``), ``comments`` (``page``, ``id``), ``topics``
(``page``, ``number``) and ``digressions`` (``page``, ``start_id``); each row's ``page`` is a
foreign key to ``pages``, and ``comments`` is indexed on ``page``, ``thread_id`` and
``parent_id`` (a parent and a thread are comments of the same page). Booleans are 0 and 1,
list fields JSON arrays. ``datasette FILE.db`` serves it as it is. The file is written under
a temporary name and moved into place, so a failure leaves no half-written database.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from threads._atomic import staged
from threads.export.tables import (
    DigressionRow,
    PageRow,
    PageTables,
    TopicRow,
    as_dict,
)

#: Rows inserted per statement batch.
BATCH = 1000


def write_sqlite(pages: Sequence[PageTables], out: Path) -> None:
    """Write the database of ``pages`` to ``out`` (replacing it, all or nothing)."""
    import sqlite_utils

    with staged() as stage:
        temporary = stage.temporary(out)
        db = sqlite_utils.Database(temporary)
        try:
            _fill(db, pages)
        finally:
            db.close()


def _fill(db: Any, pages: Sequence[PageTables]) -> None:
    page_fk = [("page", "pages", "page")]
    db["pages"].create(_columns(PageRow), pk="page")
    db["pages"].insert_all((as_dict(p.page) for p in pages), batch_size=BATCH)
    records = [record for p in pages for record in p.comments]
    db["comments"].create(_record_columns(records), pk=("page", "id"), foreign_keys=page_fk)
    db["comments"].insert_all(records, batch_size=BATCH)
    db["topics"].create(_columns(TopicRow), pk=("page", "number"), foreign_keys=page_fk)
    db["topics"].insert_all((as_dict(t) for p in pages for t in p.topics), batch_size=BATCH)
    db["digressions"].create(_columns(DigressionRow), pk=("page", "start_id"), foreign_keys=page_fk)
    db["digressions"].insert_all(
        (as_dict(d) for p in pages for d in p.digressions), batch_size=BATCH
    )
    for column in ("page", "thread_id", "parent_id"):
        db["comments"].create_index([column])
    db["topics"].create_index(["page"])
    db["digressions"].create_index(["page"])


_SQL_TYPES: dict[Any, type] = {str: str, int: int, float: float, bool: int, list: str}


def _columns(row_type: type) -> dict[str, type]:
    """Column types from a row dataclass's annotations (``X | None`` is X; lists are JSON)."""
    hints = typing.get_type_hints(row_type)
    columns = {}
    for f in dataclasses.fields(row_type):
        kinds = [k for k in typing.get_args(hints[f.name]) if k is not type(None)]
        kind = typing.get_origin(hints[f.name]) or hints[f.name]
        if kinds and kind not in (list,):
            kind = typing.get_origin(kinds[0]) or kinds[0]
        columns[f.name] = _SQL_TYPES.get(kind, str)
    return columns


def _record_columns(records: Iterable[dict[str, Any]]) -> dict[str, type]:
    """Comment columns in record order, typed by the record's declared fields (a column of
    nulls keeps its type), else by their first non-null value (text if none)."""
    from threads.analysis.results import CommentResult
    from threads.models import Comment

    declared = {**_columns(Comment), **_columns(CommentResult)}
    columns: dict[str, type] = {}
    typed: set[str] = set()
    for record in records:
        for name, value in record.items():
            if name in declared:
                columns.setdefault(name, declared[name])
                continue
            columns.setdefault(name, str)
            if name not in typed and value is not None:
                columns[name] = _SQL_TYPES.get(type(value), str)
                typed.add(name)
    return columns or {"page": str, "id": str}  # no comments: the keys still exist
