"""Comments from any other source: a CSV or JSON file of comment records.

Columns (CSV) or keys (JSON): ``id``, ``text`` (required), ``parent_id``, ``author``,
optional ``posted``, ``position`` (page order; file order when absent) and
``announced_total``; other columns are ignored; other names for them are mapped (see
:mod:`threads.inputs.columns`). JSON may be a list of records, JSON lines (one record a
line), or an object with ``comments`` and optional ``article`` (``title``, ``published``,
``author``, ``paragraphs``), ``announced_total`` and ``saved_at``. Everything threads writes
reads back to the same comments: the JSON of ``threads comments --format json`` (its source,
input kind, parent statuses and repairs are kept), its JSON lines and CSV (formula
apostrophes and ``\\u0000`` undone), and the report's JSON and CSV.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from threads.errors import InputError
from threads.inputs.columns import ALIASES, ColumnMap, column_map
from threads.inputs.csvfile import EXPECTED, csv_records
from threads.inputs.textdump import parse_article_lines
from threads.models import Article, InputFormat, ParsedPage, RawComment, Repair

STATUSES: frozenset[str] = frozenset(
    {"top-level", "unique", "ambiguous", "off-path", "orphan", "exact"}
)
# "12.0": how spreadsheets and pandas write a whole-number id in a column with blanks.
WHOLE_FLOAT = re.compile(r"^[+-]?\d+\.0+$")


# Integers longer than this stay digit strings: int() refuses over 4,300 digits.
MAX_INT_DIGITS = 4000
# A count (votes, announced total) or a position beyond this is no plain count: counts are
# dropped, positions are ranked instead (their order kept exactly).
MAX_COUNT = 10**18
_INTEGER = re.compile(r"[+-]?\d+")


def _json_int(digits: str) -> int | str:
    """JSON integers: as int, or kept as their digits when too long for int()."""
    return int(digits) if len(digits) <= MAX_INT_DIGITS else digits


def _id(value: Any) -> str | None:
    """An id given as a number (1, 1.0) or as a string ("1") is the same id."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):  # a JSON number with a fraction or exponent
        if value.is_finite() and value == value.to_integral_value() and value.adjusted() < 100:
            return format(value.to_integral_value(), "f")
        return str(value)
    text = str(value).strip()
    if WHOLE_FLOAT.match(text):
        return text.split(".")[0].lstrip("+")
    return text or None


def _whole(value: Any) -> Decimal | None:
    """The exact whole number a value gives (40, "40", "40.0", "1,000", 4e1); else None.
    Decimal keeps numbers of any size exact (no float rounding, no int() digit limit)."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    text = str(value).strip().replace(",", "")
    if WHOLE_FLOAT.match(text):
        text = text.split(".")[0]
    if not _INTEGER.fullmatch(text) and len(text) > 100:
        return None  # no exponent notation of absurd size
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    if not number.is_finite() or number != number.to_integral_value():
        return None
    return number


def _count(value: Any) -> int | None:
    """A whole number given as a number or a string ("40", "40.0"); None for anything else,
    and for a count too big to be one."""
    number = _whole(value)
    return int(number) if number is not None and abs(number) < MAX_COUNT else None


def _optional_text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value)
    return text if text.strip() else None


def article_from_text(text: str) -> Article:
    """An article given as plain text: title, optional date line, paragraphs, bio."""
    return parse_article_lines(text.split("\n"))


def parse_tabular(
    text: str,
    input_format: InputFormat,
    source: str,
    columns: Mapping[str, str] | None = None,
) -> ParsedPage:
    """A CSV or JSON comment file; ``columns`` ({threads column: file column}, checked by
    :func:`threads.inputs.columns.check_columns`) chooses columns by name."""
    chosen = dict(columns or {})
    if input_format == "csv":
        notes: list[str] = []
        records = csv_records(text, source, notes, chosen)
        page = _from_records(records, source, "csv", chosen=chosen)
        return dataclasses.replace(page, warnings=(*notes, *page.warnings))
    return _from_json(text, source, chosen)


def _from_json(text: str, source: str, chosen: Mapping[str, str]) -> ParsedPage:
    try:
        # Numbers stay exact: long integers as digits, fractions as Decimal (never float).
        data = json.loads(text, parse_int=_json_int, parse_float=Decimal)
    except json.JSONDecodeError as error:
        if error.msg != "Extra data" or not is_json_lines(text):
            raise InputError(
                source,
                f"is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})",
            ) from None
        data = _json_lines(text, source)
    data, notes = _clean_strings(data, source) if _ESCAPES.search(text) else (data, ())
    page = _from_json_data(data, source, chosen)
    return dataclasses.replace(page, warnings=(*notes, *page.warnings))


def is_json_lines(text: str) -> bool:
    """True when the first line of ``text`` is a whole JSON object and another follows (the
    JSON lines ``threads comments --format jsonl`` prints: one comment a line)."""
    lines = text.lstrip().split("\n", 2)
    if len(lines) < 2 or not lines[0].rstrip().endswith("}"):
        return False
    try:
        first = json.loads(lines[0])
    except (ValueError, RecursionError):
        return False
    return isinstance(first, dict) and "\n".join(lines[1:]).lstrip().startswith("{")


def _json_lines(text: str, source: str) -> list[Any]:
    """Every line a JSON object (blank lines skipped); an error names the first bad line."""
    records = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line, parse_int=_json_int, parse_float=Decimal)
        except json.JSONDecodeError as error:
            raise InputError(
                source,
                f"is not valid JSON lines (line {number}, column {error.colno}: {error.msg})",
            ) from None
        if not isinstance(record, dict):
            raise InputError(source, f"line {number} is not a JSON object; expected {EXPECTED}")
        records.append(record)
    return records


# JSON escapes that decode to what no output can hold: a lone UTF-16 surrogate (a string
# cut inside an emoji) or NUL.
_ESCAPES = re.compile(r"\\u(?:[dD][89a-fA-F]|0000)")
_UNWRITABLE = re.compile("[\ud800-\udfff\x00]")


def _clean_strings(data: Any, source: str) -> tuple[Any, tuple[str, ...]]:
    """Replace lone surrogates with U+FFFD in every string (keys too), so every output
    writes. NULs in a comment's ``text`` are kept (JSON writes them escaped, CSV as
    ``\\u0000``, the HTML report shows U+2400); elsewhere (names, keys, the source, which
    may become a file name) they are removed. A warning says how many of each. Iterative:
    nesting depth is no limit here."""
    counts = {"surrogate": 0, "kept": 0, "removed": 0}

    def cleaned(value: Any, keep_nul: bool = False) -> Any:
        if not isinstance(value, str) or not _UNWRITABLE.search(value):
            return value
        nuls = value.count("\x00")
        if nuls and not keep_nul:
            value = value.replace("\x00", "")
        counts["kept" if keep_nul else "removed"] += nuls
        fixed, n = re.subn("[\ud800-\udfff]", "\ufffd", value)
        counts["surrogate"] += n
        return fixed

    root: list[Any] = [data]
    stack: list[Any] = [root]
    while stack:
        container = stack.pop()
        if isinstance(container, list):
            for index, item in enumerate(container):
                container[index] = cleaned(item)
                if isinstance(item, list | dict):
                    stack.append(item)
        else:
            for key in list(container):
                value = container.pop(key)
                name = cleaned(key)
                is_text = isinstance(name, str) and name.strip().lower() == "text"
                container[name] = cleaned(value, keep_nul=is_text)
                if isinstance(value, list | dict):
                    stack.append(value)
    notes = []
    if counts["surrogate"]:
        notes.append(
            f"{source}: {counts['surrogate']} lone surrogate escapes (a string cut inside an "
            "emoji?) were replaced with \ufffd"
        )
    if counts["kept"]:
        notes.append(
            f"{source}: {counts['kept']} NUL characters (\\u0000) in comment texts, kept (JSON "
            "writes them escaped, CSV as \\u0000, the HTML report shows \u2400)"
        )
    if counts["removed"]:
        notes.append(
            f"{source}: {counts['removed']} NUL characters (\\u0000) outside comment texts "
            "were removed"
        )
    return root[0], tuple(notes)


def is_comment_document(data: Any, chosen: Mapping[str, str] | None = None) -> bool:
    """Whether parsed JSON is what threads reads as comments: a list of records, an object
    with a ``comments`` list (threads' own JSON), or one record (JSON lines of one line)."""
    if isinstance(data, list):
        return True
    if not isinstance(data, dict):
        return False
    if "comments" in data:
        return isinstance(data["comments"], list)
    return _is_record(data, chosen or {})


def _from_json_data(data: Any, source: str, chosen: Mapping[str, str]) -> ParsedPage:
    if not is_comment_document(data, chosen):
        raise InputError(
            source, f"JSON must be a list of comments or an object with 'comments'; {EXPECTED}"
        )
    if isinstance(data, list):
        return _from_records(data, source, "json", chosen=chosen)
    if "comments" not in data:
        return _from_records([data], source, "json", chosen=chosen)  # JSON lines of one line
    article = _article(data.get("article"), source)
    page = _from_records(data["comments"], source, "json", article, chosen)
    # threads' own export: keep where the comments came from, for an exact round trip.
    original = data.get("input_format")
    kind: InputFormat = original if original in ("text", "html", "csv", "json") else "json"
    total = _count(data.get("announced_total"))
    page = dataclasses.replace(
        page,
        input_format=kind,
        announced_total=total if total is not None else page.announced_total,
        source=data["source"] if isinstance(data.get("source"), str) else None,
        saved_at=_saved_at(data.get("saved_at")),
    )
    return _with_stated_repairs(page, _repairs(data.get("repairs")))


def records_page(
    records: list[Any], source: str, kind: InputFormat, columns: Mapping[str, str] | None
) -> ParsedPage:
    """A page of comment records already read (the corpus's Parquet table)."""
    return _from_records(records, source, kind, chosen=columns)


def _is_record(data: Mapping[str, Any], chosen: Mapping[str, str]) -> bool:
    """True when an object is one comment record (it has a text key), not a document."""
    texts = {"text", *ALIASES["text"], chosen.get("text")}
    return any(str(key).strip().lower() in texts for key in data)


def _saved_at(value: Any) -> str | None:
    """The document's ``saved_at`` when it is a whole date (else it is not used)."""
    from threads.inputs.dates import parse_absolute

    moment = parse_absolute(value) if isinstance(value, str) else None
    return None if moment is None else moment.isoformat()


def _repairs(value: Any) -> tuple[Repair, ...]:
    """The repairs an export lists (entries of another shape are ignored)."""
    if not isinstance(value, list):
        return ()
    keys = ("comment_id", "problem", "action")
    return tuple(
        Repair(*(str(item[k]) for k in keys))
        for item in value
        if isinstance(item, Mapping) and all(isinstance(item.get(k), str | int) for k in keys)
    )


def _with_stated_repairs(page: ParsedPage, repairs: tuple[Repair, ...]) -> ParsedPage:
    """Carry the export's repairs, so reading the export lists them again.

    The export shows the tree after repair (a duplicate already renamed, an orphan already
    top-level), so the repairs cannot be found again; they describe the original input.
    """
    return dataclasses.replace(page, repairs=repairs) if repairs else page


def _article(value: Any, source: str) -> Article:
    if value is None:
        return Article()
    if not isinstance(value, Mapping):
        raise InputError(source, "'article' must be an object with title, author, paragraphs")
    paragraphs = value.get("paragraphs") or []
    if isinstance(paragraphs, str):
        paragraphs = [p for p in paragraphs.split("\n\n") if p.strip()]
    return Article(
        title=_optional_text(value.get("title")),
        published=_optional_text(value.get("published")),
        author=_optional_text(value.get("author")),
        paragraphs=tuple(str(p) for p in paragraphs),
        caption=_optional_text(value.get("caption")),
        bio=_optional_text(value.get("bio")),
    )


def _from_records(
    records: list[Any],
    source: str,
    kind: InputFormat,
    article: Article | None = None,
    chosen: Mapping[str, str] | None = None,
) -> ParsedPage:
    comments = []
    totals = []
    keys = []
    for number, found in enumerate(records, start=1):
        if not isinstance(found, Mapping):
            raise InputError(source, f"comment {number} is not an object; expected {EXPECTED}")
    lowered = [{str(k).strip().lower(): v for k, v in found.items()} for found in records]
    mapping = _column_map(lowered, source, chosen or {}) if records else ColumnMap({}, False, ())
    for number, found in enumerate(lowered, start=1):
        record = mapping.apply(found)
        totals.append(_count(record.get("announced_total")))
        comment_id = str(number) if mapping.numbered else _id(record.get("id"))
        if comment_id is None:
            raise InputError(source, f"comment {number} has no id; expected {EXPECTED}")
        if "text" not in record:
            raise InputError(source, f"comment {comment_id} has no text; expected {EXPECTED}")
        key = _position(record, comment_id, number, source)
        keys.append(key)
        position = int(key) if abs(key) < MAX_COUNT else 0
        comments.append(_comment(record, comment_id, position))
    warnings: tuple[str, ...] = mapping.notes
    if any(abs(key) >= MAX_COUNT for key in keys):
        # Positions too big to keep: rank them (exactly, ties in file order) as 1..n.
        order = sorted(range(len(comments)), key=keys.__getitem__)
        comments = [
            dataclasses.replace(comments[i], position=rank) for rank, i in enumerate(order, 1)
        ]
        warnings += (
            f"{source}: positions of {MAX_COUNT:,} or more; comments were numbered 1 to "
            f"{len(comments)} in the order of their positions",
        )
    elif any(c.position != i for i, c in enumerate(comments, start=1)):
        comments.sort(key=lambda c: c.position)  # stable: ties keep file order
    ids = {c.id for c in comments}
    if "0" not in ids:  # many platforms write parent 0 for "no parent"
        comments = [c if c.parent_ref != "0" else _replace_parent(c, None) for c in comments]
    total = next((t for t in totals if t is not None), None)  # a column repeats the count
    return ParsedPage(
        kind, article or Article(), tuple(comments), announced_total=total, warnings=warnings
    )


def _column_map(
    records: list[dict[str, Any]], source: str, chosen: Mapping[str, str]
) -> ColumnMap:
    """The column map of a file: its columns are the keys its records use, first seen first."""
    names: dict[str, None] = {}
    for record in records:
        if len(names) > 10_000:
            break  # keys are columns, not data: enough to know them
        names.update(dict.fromkeys(record))
    return column_map(list(names), source, chosen)


def _position(record: Mapping[str, Any], comment_id: str, number: int, source: str) -> Decimal:
    """The comment's page position, exact at any size (file order when absent)."""
    given = record.get("position")
    if given is None or str(given).strip() == "":
        return Decimal(number)
    position = _whole(given)
    if position is None:
        shown = given if len(str(given)) <= 40 else f"{str(given)[:40]}..."
        raise InputError(source, f"comment {comment_id} has position {shown!r}, not a whole number")
    return position


def _comment(record: Mapping[str, Any], comment_id: str, position: int) -> RawComment:
    status = record.get("parent_status")
    alternatives = record.get("parent_alternatives")
    if isinstance(alternatives, str):  # a CSV cell holds the JSON list
        try:
            alternatives = json.loads(alternatives or "[]")
        except json.JSONDecodeError:
            alternatives = []
    votes = record.get("votes")
    truncated = record.get("truncated")
    reply_to = record.get("reply_to")
    return RawComment(
        posted_iso=_optional_text(record.get("posted_iso")),
        id=comment_id,
        position=position,
        text="" if record.get("text") is None else str(record.get("text")),
        author=_optional_text(record.get("author")),
        posted=_optional_text(record.get("posted")),
        posted_at=_optional_text(record.get("posted_at")),
        reply_to=None if reply_to is None else str(reply_to),
        parent_ref=_id(record.get("parent_id")),
        edited=_optional_text(record.get("edited")),
        truncated=truncated is True or str(truncated).lower() == "true",
        votes=_count(votes),
        stated_status=status if status in STATUSES else None,
        stated_alternatives=tuple(a for a in (_id(x) for x in alternatives or []) if a is not None)
        if isinstance(alternatives, list)
        else (),
    )


def _replace_parent(comment: RawComment, parent: str | None) -> RawComment:
    return dataclasses.replace(comment, parent_ref=parent)
