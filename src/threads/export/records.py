"""Comment records out: JSON, JSON lines and CSV (standard library only, so fast to load).

CSV cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``,
tab or carriage return) get a leading apostrophe, as OWASP recommends; that is the only
change made to any text. List fields are written as JSON arrays in CSV, booleans as ``true`` and
``false`` (as in JSON), a NUL character as the six characters ``\u0000`` (a raw NUL breaks
most CSV readers).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from threads.analysis.results import Analysis
    from threads.models import Discussion

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
TABLE_TEXT_WIDTH = 60
#: How a NUL character in a text is written in CSV (the reader turns it back).
NUL_IN_CSV = "\\u0000"


def document(
    discussion_dict: Mapping[str, Any], comments: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    """The object ``threads comments --format json`` prints."""
    return {**discussion_dict, "comments": list(comments)}


def discussion_header(discussion: Discussion) -> dict[str, Any]:
    """Everything about the discussion except the comment records."""
    return {
        "source": discussion.source,
        "input_format": discussion.input_format,
        "announced_total": discussion.announced_total,
        "saved_at": discussion.saved_at,
        "article": discussion.article.to_dict(),
        "repairs": [
            {"comment_id": r.comment_id, "problem": r.problem, "action": r.action}
            for r in discussion.repairs
        ],
    }


def to_json(data: Mapping[str, Any], compact: bool = False) -> str:
    """Deterministic JSON (keys keep the documented record order). ``compact`` drops the
    indentation: the report's data file is for programs, and at 100,000 comments indentation
    makes it half as large again and slower to write."""
    if compact:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False) + "\n"
    return json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def to_jsonl(records: Sequence[Mapping[str, Any]]) -> str:
    """One compact JSON object per line (``--format jsonl``), for ``jq`` and line tools."""
    return "".join(
        json.dumps(record, ensure_ascii=False, separators=(",", ":"), allow_nan=False) + "\n"
        for record in records
    )


def escape_formula(value: Any) -> Any:
    """A cell a spreadsheet would run as a formula, with an apostrophe before it; so that
    reading back is exact, one that already starts with apostrophes before such a character
    gets one more (the reader removes one: threads.inputs.tabular)."""
    if isinstance(value, str) and value.lstrip("'").startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def to_csv(records: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> str:
    """CSV with a header row, written as pandas' ``to_csv(index=False)`` wrote it (the
    report's CSV stays byte for byte the same): minimal quoting, ``\\n`` line ends, None as an
    empty cell, and a numeric column holding a None written as floats (``3.0``)."""
    cells = [_csv_cells([record[name] for record in records]) for name in columns]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(zip(*cells, strict=True) if cells else [[] for _ in records])
    return out.getvalue()


def _csv_cells(values: list[Any]) -> list[Any]:
    """One column's CSV cells: lists as JSON arrays, formula-like texts defused."""
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, int | float) and not isinstance(v, bool) for v in present):
        # pandas stores a numeric column with a gap, or with any float, as floats
        if len(present) < len(values) or any(isinstance(v, float) for v in present):
            return ["" if v is None else repr(float(v)) for v in values]
        return [str(v) for v in values]
    as_json: dict[tuple[Any, ...], str] = {}  # list values repeat (a cluster's terms)
    cells = []
    for value in values:
        if value is None:
            value = ""
        elif isinstance(value, bool):  # as JSON writes them: what databases and DuckDB read
            value = "true" if value else "false"
        elif isinstance(value, list | tuple):
            key = tuple(value)
            if key not in as_json:
                as_json[key] = json.dumps(value, ensure_ascii=False)
            value = as_json[key]
        elif isinstance(value, str) and "\x00" in value:
            value = value.replace("\x00", NUL_IN_CSV)
        cells.append(escape_formula(value))
    return cells


def shorten(text: str | None, width: int = TABLE_TEXT_WIDTH) -> str:
    flat = " ".join((text or "").split())
    return flat if len(flat) <= width else flat[: width - 1] + "\u2026"


def chain_records(analysis: Analysis, comment_id: str) -> dict[str, Any]:
    """``threads chain ID --format json``: the records of the path from the top-level
    comment down to ID, the records of the replies under ID, and the drift point."""
    discussion = analysis.discussion
    records = analysis.records()
    path = [records[discussion.index_of(c.id)] for c in discussion.path_to(comment_id)]
    under = list(discussion.walk(comment_id))[1:]
    return {
        "comment_id": comment_id,
        "drift_point": analysis.drift_point_of_path(comment_id),
        "path": path,
        "replies": [records[discussion.index_of(c.id)] for c in under],
    }


def chain_lines_records(chain: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The chain as flat records for ``--format jsonl``: each with ``part`` (``path`` or
    ``reply``) and ``drift_point`` (true for the drift point) first."""
    return [
        {"part": part, "drift_point": record["id"] == chain["drift_point"], **record}
        for part, key in (("path", "path"), ("reply", "replies"))
        for record in chain[key]
    ]
