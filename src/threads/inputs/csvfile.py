"""CSV comment tables: rows as records, whatever the delimiter, and threads' own CSV read back.

Rows become dicts of strings keyed by lower-case column names (csv never guesses types:
"007" stays "007"); which column holds what is :mod:`threads.inputs.columns`' to say.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from typing import Any

from threads.errors import InputError
from threads.inputs.columns import ALIASES, column_map

EXPECTED = "a text column (and id, parent_id, author, posted, position)"

#: Columns threads reads; a table naming one of them twice is ambiguous, so refused.
READ_COLUMNS = frozenset(
    {
        "id", "text", "parent_id", "author", "posted", "posted_at", "position", "votes",
        "edited", "truncated", "reply_to", "parent_status", "parent_alternatives",
        "announced_total",
    }
)  # fmt: skip
#: Cell separators a comment table may use: the one that splits the header into columns
#: naming ``id`` and ``text`` wins (comma when none does).
DELIMITERS = (",", "\t", ";", "|")


def _column_name(name: str) -> str:
    return name.strip().lstrip("\ufeff").strip().lower()


#: Column names that mark a header row as a comment table's.
KNOWN_COLUMNS = READ_COLUMNS | {alias for names in ALIASES.values() for alias in names}


def csv_delimiter(header_line: str) -> str | None:
    """The delimiter that makes ``header_line`` a comment table's header, if one does: the
    one splitting it into the most cells that name known columns (two at least)."""
    best, most = None, 1
    for delimiter in DELIMITERS:
        cells = next(csv.reader([header_line], delimiter=delimiter), [])
        known = len({_column_name(c) for c in cells} & KNOWN_COLUMNS)
        if known > most:
            best, most = delimiter, known
    return best


def csv_records(
    text: str, source: str, warnings: list[str], chosen: Mapping[str, str]
) -> list[dict[str, Any]]:
    """Rows as dicts of strings (csv never guesses types: "007" stays "007"), keys lower-case.

    Leading blank lines and stray BOMs before the header are skipped; the delimiter is the
    one the header uses (comma, tab, semicolon or bar). A row with more cells than the header
    keeps them when ``text`` is the last column (an unquoted comma in the text; a warning
    says so), and is an error otherwise; a quote that opens a cell and never closes is an
    error naming its line. Cells of any size are read.
    """
    body = text.lstrip("\ufeff\n\r\t ")
    skipped = text[: len(text) - len(body)].count("\n")  # lines before the header
    header_line = body.split("\n", 1)[0]
    delimiter = csv_delimiter(header_line) or ","
    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, len(text) + 1))
    try:
        reader = csv.reader(io.StringIO(body), delimiter=delimiter)
        header = next(reader, [])
        columns = [_column_name(c) for c in header]
        # A table without text says so before any row is read.
        mapping = column_map(columns, source, chosen)
        for name in READ_COLUMNS:
            where = [str(i + 1) for i, c in enumerate(columns) if c == name]
            if len(where) > 1:
                raise InputError(
                    source,
                    f"CSV has column {name!r} {len(where)} times (columns "
                    f"{', '.join(where)}); keep one",
                )
        text_last = mapping.renames.get(columns[-1], columns[-1]) == "text"
        own = OWN_CSV_COLUMNS <= set(columns)
        records = []
        joined: list[int] = []  # lines whose extra cells went back into the text
        row_start = reader.line_num + 1
        last_start, last_spans = row_start, False
        for row in reader:
            line = row_start + skipped
            if len(row) > len(columns):
                if not text_last:
                    raise InputError(
                        source,
                        f"line {line} has {len(row)} cells but the header has "
                        f"{len(columns)} columns (an unquoted {delimiter!r} in a cell?)",
                    )
                row = [*row[: len(columns) - 1], delimiter.join(row[len(columns) - 1 :])]
                joined.append(line)
            if row:
                # CSV has no null: an empty cell is taken as one (JSON keeps "" and null
                # apart). A missing cell (a row shorter than the header) is null too.
                record = {k: v or None for k, v in zip(columns, row, strict=False)}
                records.append(_unescaped(record) if own else record)
            last_start, last_spans = row_start, reader.line_num > row_start
            row_start = reader.line_num + 1
        # Only the last row can have run to the end of the file inside a quote.
        if records and last_spans and _unclosed_quote(body, last_start, delimiter):
            raise InputError(
                source,
                f"line {last_start + skipped}: a quoted cell opens and never closes "
                '(unbalanced "); it would swallow the rest of the file',
            )
        if joined:
            warnings.append(
                f"{source}: {len(joined)} rows (first at line {joined[0]}) have more cells "
                f"than the header; the extra cells were joined back into the text with "
                f"{delimiter!r}"
            )
        return records
    except csv.Error as error:
        raise InputError(source, f"is not valid CSV ({error})") from None
    finally:
        csv.field_size_limit(limit)


#: Columns only threads' own CSV has: its cells are read back as they were before writing.
OWN_CSV_COLUMNS = frozenset({"position", "parent_status", "parent_alternatives", "depth"})
_FORMULA_ESCAPED = re.compile("^'+[=+\\-@\t\r]")


def _unescaped(record: dict[str, Any]) -> dict[str, Any]:
    """A row of threads' own CSV as the record it was written from: the apostrophe put before
    a formula-like cell and the ``\\u0000`` written for NUL undone (see threads.export)."""
    for key, value in record.items():
        if value is None:
            continue
        if value[:1] == "'" and _FORMULA_ESCAPED.match(value):
            value = value[1:]
        if "\\u0000" in value:
            value = value.replace("\\u0000", "\x00")
        record[key] = value
    return record


def _unclosed_quote(body: str, line: int, delimiter: str) -> bool:
    """True when the row starting at ``line`` (1-based) of ``body`` runs to the end of the
    text inside a quoted cell. Checked only for rows spanning lines; a strict reader over the
    rest of the text says it ended in a quote."""
    offset = 0
    for _ in range(line - 1):
        offset = body.index("\n", offset) + 1
    try:
        for _ in csv.reader(io.StringIO(body[offset:]), delimiter=delimiter, strict=True):
            return False  # the row closed (the rest is read by the main reader)
    except csv.Error as error:
        return "unexpected end of data" in str(error)
    return False
