"""Comments from any other source: a CSV or JSON file of comment records.

Columns (CSV) or keys (JSON): ``id``, ``text`` (required), ``parent_id``, ``author``,
optional ``posted``, ``position`` (page order; file order when absent) and
``announced_total``; other columns are ignored. JSON may be a list of records, or an object
with ``comments`` and optional ``article`` (``title``, ``published``, ``author``,
``paragraphs``) and ``announced_total``. The JSON that ``threads comments --format json``
prints is valid input and reads back to the same output: its source, input kind, parent
statuses and repairs are kept.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
from collections.abc import Mapping
from typing import Any

from threads.errors import InputError
from threads.inputs.textdump import parse_article_lines
from threads.models import Article, InputFormat, ParsedPage, RawComment, Repair

EXPECTED = "columns id and text (optional: parent_id, author, posted, position)"
STATUSES: frozenset[str] = frozenset(
    {"top-level", "unique", "ambiguous", "off-path", "orphan", "exact"}
)
# "12.0": how spreadsheets and pandas write a whole-number id in a column with blanks.
WHOLE_FLOAT = re.compile(r"^[+-]?\d+\.0+$")


def _id(value: Any) -> str | None:
    """An id given as a number (1, 1.0) or as a string ("1") is the same id."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    if WHOLE_FLOAT.match(text):
        return text.split(".")[0].lstrip("+")
    return text or None


def _count(value: Any) -> int | None:
    """A whole number given as a number or a string ("40", "40.0"); None for anything else."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    text = str(value).strip().replace(",", "")
    try:
        return int(text)
    except ValueError:
        pass
    try:
        number = float(text)
    except ValueError:
        return None
    return int(number) if number.is_integer() else None


def _optional_text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value)
    return text if text.strip() else None


def article_from_text(text: str) -> Article:
    """An article given as plain text: title, optional date line, paragraphs, bio."""
    return parse_article_lines(text.split("\n"))


def parse_tabular(text: str, input_format: InputFormat, source: str) -> ParsedPage:
    if input_format == "csv":
        return _from_records(_csv_records(text, source), source, "csv")
    return _from_json(text, source)


def _csv_records(text: str, source: str) -> list[dict[str, Any]]:
    """Rows as dicts of strings (csv never guesses types: "007" stays "007"), keys lower-case."""
    reader = csv.DictReader(io.StringIO(text))
    try:
        columns = {c.strip().lower() for c in reader.fieldnames or [] if c}
        missing = sorted({"id", "text"} - columns)
        if missing:
            raise InputError(source, f"CSV lacks column {', '.join(missing)}; expected {EXPECTED}")
        # CSV has no null: an empty cell is taken as one (JSON keeps "" and null apart).
        # Cells beyond the header (a row with too many commas) are keyed None: dropped.
        return [{k: v or None for k, v in row.items() if k is not None} for row in reader]
    except csv.Error as error:
        raise InputError(source, f"is not valid CSV ({error})") from None


def _from_json(text: str, source: str) -> ParsedPage:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(
            source, f"is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
        ) from None
    if isinstance(data, list):
        return _from_records(data, source, "json")
    if not isinstance(data, dict) or not isinstance(data.get("comments"), list):
        raise InputError(
            source, f"JSON must be a list of comments or an object with 'comments'; {EXPECTED}"
        )
    article = _article(data.get("article"), source)
    page = _from_records(data["comments"], source, "json", article)
    # threads' own export: keep where the comments came from, for an exact round trip.
    original = data.get("input_format")
    kind: InputFormat = original if original in ("text", "html", "csv", "json") else "json"
    total = _count(data.get("announced_total"))
    page = dataclasses.replace(
        page,
        input_format=kind,
        announced_total=total if total is not None else page.announced_total,
        source=data["source"] if isinstance(data.get("source"), str) else None,
    )
    return _with_stated_repairs(page, _repairs(data.get("repairs")))


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
    records: list[Any], source: str, kind: InputFormat, article: Article | None = None
) -> ParsedPage:
    comments = []
    totals = []
    for number, found in enumerate(records, start=1):
        if not isinstance(found, Mapping):
            raise InputError(source, f"comment {number} is not an object; expected {EXPECTED}")
        record = {str(key).strip().lower(): value for key, value in found.items()}
        totals.append(_count(record.get("announced_total")))
        comment_id = _id(record.get("id"))
        if comment_id is None:
            raise InputError(source, f"comment {number} has no id; expected {EXPECTED}")
        if "text" not in record:
            raise InputError(source, f"comment {comment_id} has no text; expected {EXPECTED}")
        comments.append(_comment(record, comment_id, number, source))
    if any(c.position != i for i, c in enumerate(comments, start=1)):
        comments.sort(key=lambda c: c.position)  # stable: ties keep file order
    ids = {c.id for c in comments}
    if "0" not in ids:  # many platforms write parent 0 for "no parent"
        comments = [c if c.parent_ref != "0" else _replace_parent(c, None) for c in comments]
    total = next((t for t in totals if t is not None), None)  # a column repeats the count
    return ParsedPage(kind, article or Article(), tuple(comments), announced_total=total)


def _comment(record: Mapping[str, Any], comment_id: str, number: int, source: str) -> RawComment:
    given = record.get("position")
    position = number if given is None or str(given).strip() == "" else _count(given)
    if position is None:
        raise InputError(source, f"comment {comment_id} has position {given!r}, not a whole number")
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
