"""Analysed pages as one SQLite database, written with sqlite-utils (``--to sqlite``).

Tables: ``pages`` (primary key ``page``), ``comments`` (``page``, ``id``), ``topics``
(``page``, ``number``) and ``digressions`` (``page``, ``start_id``); each row's ``page`` is a
foreign key to ``pages``, and ``comments`` is indexed on ``page``, ``thread_id`` and
``parent_id`` (a parent and a thread are comments of the same page). Booleans are 0 and 1,
list fields JSON arrays. A corpus's database (``threads corpus --sqlite``) also has a
``failures`` table (``page``, ``error``) when some pages could not be analysed.
``datasette FILE.db`` serves it as it is. The file is written under
a temporary name and moved into place, so a failure leaves no half-written database.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Iterable
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


def write_sqlite(
    pages: Iterable[PageTables], out: Path, failures: Iterable[tuple[str, str]] = ()
) -> None:
    """Write the database of ``pages`` to ``out`` (replacing it, all or nothing).

    ``pages`` is read once, a page at a time (a corpus's comments need not all be in memory);
    ``failures`` (page, error), pages that could not be analysed, go in a ``failures`` table.
    """
    import sqlite_utils

    with staged() as stage:
        temporary = stage.temporary(out)
        db = sqlite_utils.Database(temporary)
        try:
            _fill(db, pages, list(failures))
        finally:
            db.close()


def _fill(db: Any, pages: Iterable[PageTables], failures: list[tuple[str, str]]) -> None:
    page_fk = [("page", "pages", "page")]
    db["pages"].create(_columns(PageRow), pk="page")
    db["topics"].create(_columns(TopicRow), pk=("page", "number"), foreign_keys=page_fk)
    db["digressions"].create(_columns(DigressionRow), pk=("page", "start_id"), foreign_keys=page_fk)
    comments = db["comments"]
    for tables in pages:
        db["pages"].insert(as_dict(tables.page))
        if not comments.exists() and tables.comments:
            comments.create(
                _record_columns(tables.comments), pk=("page", "id"), foreign_keys=page_fk
            )
        # alter: a column a later page has and the first did not (the records of one run
        # have the same columns; this keeps a mixed set whole)
        comments.insert_all(tables.comments, batch_size=BATCH, alter=True)
        db["topics"].insert_all((as_dict(t) for t in tables.topics), batch_size=BATCH)
        db["digressions"].insert_all((as_dict(d) for d in tables.digressions), batch_size=BATCH)
    if not comments.exists():  # no comments at all: the table and its keys still exist
        comments.create(_record_columns([]), pk=("page", "id"), foreign_keys=page_fk)
    if failures:
        db["failures"].create({"page": str, "error": str}, pk="page")
        db["failures"].insert_all(({"page": p, "error": e} for p, e in failures))
    for column in ("page", "thread_id", "parent_id"):
        comments.create_index([column])
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
