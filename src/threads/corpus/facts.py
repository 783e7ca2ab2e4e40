"""What a corpus knows about a page beside its bytes: its address, title and date.

Two sources, the later winning: a saved link beside the page (``page.url`` or
``page.html.url``, ``.webloc``, ``.desktop``: the address a browser or desktop saved), and a
page list (``threads corpus --pages FILE.csv``: columns ``path``, and any of ``url``,
``title``, ``published``). The page's own content still comes first for its title and date
(these fill in what the page does not say); the address is only ever from here.
"""

from __future__ import annotations

import csv
import plistlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from threads.errors import InputError

#: Columns a page list may have (``path`` is required).
LIST_COLUMNS = ("path", "url", "title", "published")
#: A page list is at most this large.
LIST_LIMIT = 64 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class PageFacts:
    """A page's address, title and date from outside the page (None: not known)."""

    url: str | None = None
    title: str | None = None
    published: str | None = None

    def over(self, other: PageFacts) -> PageFacts:
        """These facts, with ``other``'s where these have none."""
        return PageFacts(
            self.url or other.url,
            self.title or other.title,
            self.published or other.published,
        )


def link_address(path: Path) -> str | None:
    """The address a saved link file holds (``URL=`` of a ``.url`` or ``.desktop``, the
    ``URL`` key of a ``.webloc`` property list), or None when it holds none."""
    try:
        data = path.read_bytes()[: 1 << 20]
    except OSError:
        return None
    if path.suffix.lower() == ".webloc":
        try:
            found = plistlib.loads(data)
        except Exception:  # plistlib raises several kinds for a damaged file
            return None
        url = found.get("URL") if isinstance(found, dict) else None
        return (url.strip() or None) if isinstance(url, str) else None
    text = data.decode("utf-8", "replace")
    match = re.search(r"^\s*URL\s*=\s*(\S.*?)\s*$", text, re.MULTILINE | re.IGNORECASE)
    return match.group(1) if match else None


def sidecars(links: Iterable[Path], pages: Iterable[Path]) -> list[tuple[Path, Path, str]]:
    """(link file, page, address) for each saved link that belongs to a page: ``NAME.url``
    belongs to the page ``NAME`` or, failing that, to the one page whose name without its
    extension is NAME, in the same folder."""
    by_folder: dict[Path, list[Path]] = {}
    for page in pages:
        by_folder.setdefault(page.parent, []).append(page)
    found = []
    for link in sorted(links):
        name = link.name[: -len(link.suffix)]
        near = by_folder.get(link.parent, [])
        owners = [p for p in near if p.name == name] or [p for p in near if p.stem == name]
        address = link_address(link) if len(owners) == 1 else None
        if address is not None:
            found.append((link, owners[0], address))
    return found


def read_page_list(path: Path) -> dict[Path, PageFacts]:
    """The pages a page list names (paths relative to its folder), with their facts, in the
    list's order; one error naming the file and the problem otherwise."""
    where = str(path)
    try:
        if path.stat().st_size > LIST_LIMIT:
            raise InputError(where, f"is over {LIST_LIMIT // (1024 * 1024)} MB: not a page list")
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(where, "is not UTF-8 text: not a page list") from None
    except OSError as error:
        raise InputError(where, f"cannot be read ({error.strerror or error})") from None
    csv.field_size_limit(LIST_LIMIT)
    reader = csv.DictReader(text.splitlines())
    columns = [c.strip().lower() for c in reader.fieldnames or []]
    if "path" not in columns:
        has = ", ".join(reader.fieldnames or []) or "none"
        raise InputError(where, f"a page list needs a 'path' column ({', '.join(LIST_COLUMNS)}); "
                         f"its columns: {has}")  # fmt: skip
    pages: dict[Path, PageFacts] = {}
    for number, row in enumerate(reader, start=2):
        values = _row(columns, row)
        if not values.get("path"):
            raise InputError(where, f"line {number} has no path")
        page = (path.parent / values["path"]).resolve()
        if not page.is_file():
            raise InputError(where, f"line {number} names no file: {values['path']!r}")
        if page in pages:
            raise InputError(where, f"line {number} names {values['path']!r} again")
        pages[page] = PageFacts(values.get("url"), values.get("title"), values.get("published"))
    if not pages:
        raise InputError(where, "names no pages")
    return pages


def _row(columns: list[str], row: Mapping[str | None, object]) -> dict[str, str]:
    """The row's known columns, stripped; empty cells left out."""
    cells = list(row.values())
    values = {}
    for name, cell in zip(columns, cells, strict=False):
        if name in LIST_COLUMNS and isinstance(cell, str) and cell.strip():
            values[name] = cell.strip()
    return values
