"""What threads writes for other tools.

* :mod:`threads.export.records`: comment records as JSON, JSON lines and CSV (``threads
  comments``, the report's data files);
* :mod:`threads.export.sqlite`: a SQLite database datasette serves as it is (``threads export
  --to sqlite``);
* :mod:`threads.export.convokit`: a ConvoKit corpus folder (``threads export --to convokit``).

The database and the corpus are built from the same typed rows (:mod:`threads.export.tables`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal, get_args

from threads.errors import OptionError
from threads.export.records import (
    FORMULA_PREFIXES,
    NUL_IN_CSV,
    TABLE_TEXT_WIDTH,
    _csv_cells,
    chain_lines_records,
    chain_records,
    discussion_header,
    document,
    escape_formula,
    shorten,
    to_csv,
    to_json,
    to_jsonl,
)

if TYPE_CHECKING:
    from threads.analysis import Analysis

#: What ``threads export --to`` writes.
ExportFormat = Literal["sqlite", "convokit"]
EXPORT_FORMATS: tuple[ExportFormat, ...] = get_args(ExportFormat)


def write_export(
    analyses: Sequence[tuple[str, Analysis]], to: ExportFormat, out: str | Path
) -> Path:
    """Write the analysed pages (page name, analysis) as ``to``: a SQLite database file or
    a ConvoKit corpus folder at ``out``. Returns the path written."""
    from threads.export.tables import page_names, page_tables

    if to not in EXPORT_FORMATS:
        raise OptionError("to", f"must be one of {', '.join(EXPORT_FORMATS)}; got {to!r}")
    names = page_names([name for name, _ in analyses])
    tables = [page_tables(a, name) for name, (_, a) in zip(names, analyses, strict=True)]
    path = Path(out)
    if to == "sqlite":
        from threads.export.sqlite import write_sqlite

        write_sqlite(tables, path)
    else:
        from threads.export.convokit import write_convokit

        write_convokit(tables, path)
    return path


__all__ = [
    "EXPORT_FORMATS",
    "ExportFormat",
    "write_export",
    "FORMULA_PREFIXES",
    "NUL_IN_CSV",
    "TABLE_TEXT_WIDTH",
    "_csv_cells",
    "chain_lines_records",
    "chain_records",
    "discussion_header",
    "document",
    "escape_formula",
    "shorten",
    "to_csv",
    "to_json",
    "to_jsonl",
]
