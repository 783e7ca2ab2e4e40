"""People's on/off-topic labels, read from the files ``threads agree`` accepts.

Four shapes, detected from the path and the content:

- a filled labelling sheet (``threads sample``): a CSV with at least ``id`` and
  ``on_topic`` (1, 0, or blank for not labelled), and ``page`` when it pools several pages;
- a ``X.labels.json`` file: ``{"page": X, "comments": [{"id", "on_topic": 1|0, ...}]}``;
- a folder of them: each pairs with the page ``X.json`` beside it;
- the corpus's hand labels: ``{"article": path, "labels": {id: {"on_topic": bool}}}``.

:func:`pair` matches the labelled pages with the SOURCE files. A page is named by its
file's stem (:func:`page_name`), as the sheet's ``page`` column names it.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from threads.errors import InputError
from threads.export import FORMULA_PREFIXES
from threads.inputs.decode import read_source

if TYPE_CHECKING:
    from threads.models import Discussion

#: The suffix of a page's label file in the validity sets (``X.labels.json`` beside ``X.json``).
LABELS_SUFFIX = ".labels.json"
#: How an ``on_topic`` cell may be written in a sheet (blank: not labelled).
SHEET_VALUES = {"1": True, "0": False, "true": True, "false": False, "": None}


@dataclass(frozen=True)
class PageLabels:
    """One page's labels."""

    page: str | None  # the page's name (a file stem); None when the file does not say
    labels: dict[str, bool]  # comment id -> labelled on-topic (unlabelled ids are left out)
    source: Path | None = None  # the page file the labels were made for, when known


@dataclass(frozen=True)
class LabelFile:
    """Every page's labels from one LABELS path."""

    path: str  # as the caller named it
    pages: tuple[PageLabels, ...]

    def default_sources(self) -> list[Path]:
        """The page files named by the labels themselves (beside them, or the article)."""
        return [p.source for p in self.pages if p.source is not None]


def page_name(source: str | Path) -> str:
    """A page's name: its file's stem (``corpus/x.txt`` -> ``x``)."""
    return Path(source).stem


def page_names(sources: Sequence[str | Path]) -> list[str]:
    """Each source's page name, unique: its stem, or where two sources share a stem, their
    paths relative to the deepest folder holding both (``a/x.txt``, ``b/x.txt``)."""
    stems = [page_name(s) for s in sources]
    names = list(stems)
    for stem in {s for s in stems if stems.count(s) > 1}:
        shared = [i for i, s in enumerate(stems) if s == stem]
        paths = [Path(os.path.abspath(sources[i])) for i in shared]
        root = Path(os.path.commonpath([str(p.parent) for p in paths]))
        for i, path in zip(shared, paths, strict=True):
            names[i] = path.relative_to(root).as_posix()
    return names


def read_labels(path: str | Path) -> LabelFile:
    """Read labels from a sheet, a ``.labels.json`` file, a folder of them or the corpus
    format; :class:`InputError` names the file and what is wrong."""
    where = Path(path)
    if where.is_dir():
        files = sorted(where.glob("*" + LABELS_SUFFIX))
        if not files:
            raise InputError(str(path), f"is a folder with no *{LABELS_SUFFIX} files")
        return LabelFile(str(path), _merged(str(path), [_json_labels(f) for f in files]))
    text = read_source(where).text
    if text.lstrip().startswith(("{", "[")):
        return LabelFile(str(path), (_json_labels(where, text),))
    return LabelFile(str(path), _sheet_labels(str(path), text))


class _Object(dict[str, Any]):
    """A JSON object that remembers the keys given twice with different values."""

    def __init__(self, pairs: list[tuple[str, Any]]) -> None:
        super().__init__()
        self.twice: list[str] = []
        for key, value in pairs:
            if key in self and self[key] != value:
                self.twice.append(key)
            self[key] = value


def _json_labels(path: Path, text: str | None = None) -> PageLabels:
    source = str(path)
    try:
        data = json.loads(
            read_source(path).text if text is None else text, object_pairs_hook=_Object
        )
    except json.JSONDecodeError as error:
        raise InputError(source, f"is not valid JSON ({error.msg}, line {error.lineno})") from None
    if isinstance(data, dict) and isinstance(data.get("labels"), dict):
        # The corpus's hand labels: {"article": path, "labels": {id: {"on_topic": bool}}}.
        twice = getattr(data["labels"], "twice", [])
        if twice:
            raise InputError(source, f"comment {_some(twice, 5)}: labelled twice, differently")
        labels = {
            str(cid): _flag(entry.get("on_topic") if isinstance(entry, dict) else None, source, cid)
            for cid, entry in data["labels"].items()
        }
        article = data.get("article")
        return PageLabels(
            page_name(article) if isinstance(article, str) else None,
            labels,
            Path(article) if isinstance(article, str) else None,
        )
    if isinstance(data, dict) and isinstance(data.get("comments"), list):
        # A validity set's page labels: {"page": X, "comments": [{"id", "on_topic": 1|0}]}.
        labels = {}
        for entry in data["comments"]:
            if not isinstance(entry, dict) or "id" not in entry:
                raise InputError(source, "has a comment label without an 'id'")
            label = _flag(entry.get("on_topic"), source, entry["id"])
            if labels.get(str(entry["id"]), label) != label:
                raise InputError(source, f"comment {entry['id']}: labelled twice, differently")
            labels[str(entry["id"])] = label
        name = path.name.removesuffix(LABELS_SUFFIX) if path.name.endswith(LABELS_SUFFIX) else None
        page = data.get("page") if isinstance(data.get("page"), str) else name
        beside = path.with_name(f"{name}.json") if name else None
        return PageLabels(page, labels, beside if beside and beside.is_file() else None)
    raise InputError(
        source,
        'is not a label file: expected {"labels": {id: {"on_topic": ...}}} or '
        '{"comments": [{"id": ..., "on_topic": 1 or 0}]}',
    )


def _merged(source: str, pages: list[PageLabels]) -> tuple[PageLabels, ...]:
    """One entry per page: files that label the same page are merged, and a comment they
    label both ways is an error naming it."""
    by_page: dict[str | None, PageLabels] = {}
    for page in pages:
        known = by_page.get(page.page)
        if known is None:
            by_page[page.page] = page
            continue
        both = sorted(
            i for i in page.labels if known.labels.get(i, page.labels[i]) != page.labels[i]
        )
        if both:
            raise InputError(
                source, f"comment {_some(both, 5)} of {page.page}: labelled twice, differently"
            )
        by_page[page.page] = PageLabels(
            page.page, {**known.labels, **page.labels}, known.source or page.source
        )
    return tuple(by_page.values())


def _flag(value: Any, source: str, comment_id: object) -> bool:
    if isinstance(value, bool) or value in (0, 1):
        return bool(value)
    raise InputError(source, f"comment {comment_id}: on_topic must be 1, 0, true or false")


def _unescape(cell: str) -> str:
    """Undo the sheet's formula escaping (``'=x`` was written for ``=x``)."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_PREFIXES) else cell


def _sheet_labels(source: str, text: str) -> tuple[PageLabels, ...]:
    # The csv module refuses a cell over 131,072 characters unless told; a comment can be
    # far longer (a page is at most 1 GiB, which this limit covers).
    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, 2**31 - 1))
    try:
        return _sheet_rows(source, text)
    except csv.Error as error:
        raise InputError(source, f"is not a readable CSV sheet ({error})") from None
    finally:
        csv.field_size_limit(limit)


def _sheet_rows(source: str, text: str) -> tuple[PageLabels, ...]:
    rows = csv.DictReader(io.StringIO(text))
    columns = [c.strip() for c in rows.fieldnames or ()]
    missing = [c for c in ("id", "on_topic") if c not in columns]
    if missing:
        raise InputError(
            source, f"has no {' or '.join(missing)} column (a labelling sheet needs id, on_topic)"
        )
    rows.fieldnames = columns
    pages: dict[str | None, dict[str, bool]] = {}
    for line, row in enumerate(rows, start=2):
        value = (row.get("on_topic") or "").strip().lower()
        if value not in SHEET_VALUES:
            raise InputError(
                source, f"line {line}: on_topic must be 1, 0 or blank; got {row['on_topic']!r}"
            )
        label = SHEET_VALUES[value]
        if label is None:
            continue
        page = _unescape(row["page"].strip()) if "page" in columns and row.get("page") else None
        comment_id = _unescape((row.get("id") or "").strip())
        known = pages.setdefault(page, {})
        if known.get(comment_id, label) != label:
            raise InputError(source, f"line {line}: comment {comment_id} is labelled both ways")
        known[comment_id] = label
    return tuple(PageLabels(page, labels) for page, labels in pages.items())


def pair(labels: LabelFile, sources: Sequence[str]) -> list[tuple[str, PageLabels]]:
    """Each SOURCE with its page's labels, in the order given.

    One source and one labelled page pair whatever their names; otherwise pages pair by
    name. Labels for a page that is not among the sources are an error naming it; a source
    without labels is left out.
    """
    names = page_names(sources)
    doubled = sorted({n for n in names if names.count(n) > 1})
    if doubled:
        raise InputError(labels.path, f"several SOURCEs are the page {', '.join(doubled)}")
    if len(sources) == 1 and len(labels.pages) == 1:
        labelled = labels.pages[0].page
        if labelled is not None and labelled not in (names[0], page_name(sources[0])):
            raise InputError(
                labels.path,
                f"has labels for page {labelled}, not for the SOURCE {names[0]}",
            )
        return [(sources[0], labels.pages[0])]
    if any(p.page is None for p in labels.pages):
        raise InputError(
            labels.path, "has no page column; with several SOURCEs each label must name its page"
        )
    by_name = {p.page: p for p in labels.pages}
    unknown = sorted(str(p) for p in by_name if p not in names)
    if unknown:
        raise InputError(
            labels.path, f"has labels for pages not among the SOURCEs: {_some(unknown, 5)}"
        )
    return [(s, by_name[n]) for s, n in zip(sources, names, strict=True) if n in by_name]


def check_ids(labels_path: str, page: PageLabels, discussion: Discussion) -> None:
    """Refuse labels for comments the page does not have, naming them (and the valid ids)."""
    unknown = [cid for cid in page.labels if cid not in discussion]
    if unknown:
        raise InputError(
            labels_path,
            f"labels for unknown comment ids on {page_name(discussion.source)}: "
            f"{_some(unknown, 10)} "
            f"({discussion.describe_ids()})",
        )


def _some(items: list[str], count: int) -> str:
    """The first ``count`` items, and how many more."""
    more = len(items) - count
    return ", ".join(items[:count]) + (f" and {more} more" if more > 0 else "")


def labels_for(path: str | Path, discussion: Discussion) -> PageLabels:
    """The labels in ``path`` for this one page, checked against its ids."""
    found = read_labels(path)
    pairs = pair(found, [discussion.source])
    if not pairs:
        raise InputError(found.path, f"has no labels for {page_name(discussion.source)}")
    check_ids(found.path, pairs[0][1], discussion)
    return pairs[0][1]
