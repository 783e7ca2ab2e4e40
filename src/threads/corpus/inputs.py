"""The pages of a corpus: from the paths given to one sorted list named relative to a root.

A PATH is a page, a folder (every file under it but hidden files, documentation,
``threads agree`` label files, saved links such as ``.url`` sidecars and JSON files that
hold no comments: see ``not_a_page``), or a list file: a text file whose every non-blank
line names an existing file or folder (relative lines are read from the list file's
folder). A file named by itself, or on a list, is always read. The corpus root is the
deepest folder holding every page; pages are named by their POSIX path relative to it, so
the same pages read through another path give the same names and the same outputs.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from threads.corpus.facts import PageFacts, read_page_list, sidecars
from threads.errors import InputError
from threads.inputs.labels import LABELS_SUFFIX
from threads.inputs.tabular import is_comment_document

#: A list file is at most this large (a page is usually larger).
LIST_FILE_LIMIT = 4 * 1024 * 1024
#: Files a folder walk leaves out as documentation: these names (any extension) and these
#: extensions (a page is a text dump, HTML, CSV or JSON).
DOCUMENTATION_NAMES = frozenset({"readme", "license", "licence", "copying", "changelog"})
DOCUMENTATION_SUFFIXES = frozenset({".md", ".markdown", ".rst"})
#: Link files a browser or a desktop saves beside a page (the page's address, not a page).
LINK_SUFFIXES = frozenset({".url", ".webloc", ".desktop"})
#: A walked ``.json`` file larger than this is read as a page without looking inside first.
JSON_LOOK_LIMIT = 64 * 1024 * 1024
#: Why a walked JSON file is left out: it parses, and holds no comments threads can read
#: (an ``expected.json``, a config): as a page it would only fail.
NOT_COMMENTS = "JSON without comments"
#: How the reason of a link file whose address a page takes starts.
LINK_USED = "the address of"
#: The reasons of files a walk leaves out on purpose (the rest are problems).
LEFT_OUT = ("documentation", "labels", "link file", NOT_COMMENTS)


@dataclass(frozen=True, slots=True)
class InputPage:
    """One page of the corpus (an archive has many: slots, and the path as text)."""

    path: str  # absolute
    page: str  # relative to the corpus root, POSIX form
    sha256: str  # of its bytes
    size: int  # bytes
    named: bool  # given by itself on the command line (gets a report unless --reports none)
    facts: PageFacts = PageFacts()  # its address, title, date from a link file or page list


@dataclass(frozen=True)
class SkippedFile:
    """A file under a folder PATH that is not read as a page."""

    path: Path  # absolute
    reason: str  # "documentation", "labels", "not a regular file (...)", "cannot read (...)"


@dataclass(frozen=True)
class Inputs:
    root: Path  # absolute: the deepest folder holding every page
    pages: tuple[InputPage, ...]  # sorted by ``page``
    skipped: tuple[SkippedFile, ...] = ()  # sorted by path

    def skipped_names(self) -> list[tuple[str, str]]:
        """Each skipped file as (its path relative to the root where it is under it, the
        reason)."""
        return [(_name(s.path, self.root), s.reason) for s in self.skipped]


def not_a_page(path: Path) -> str | None:
    """Why a folder walk leaves ``path`` out (one of ``LEFT_OUT``), or None."""
    name = path.name.lower()
    if (
        name.endswith(LABELS_SUFFIX)
        and (path.parent / (path.name[: -len(LABELS_SUFFIX)] + ".json")).is_file()
    ):
        return "labels"
    if path.suffix.lower() in DOCUMENTATION_SUFFIXES or name.split(".")[0] in DOCUMENTATION_NAMES:
        return "documentation"
    if path.suffix.lower() in LINK_SUFFIXES:
        return "link file"
    if path.suffix.lower() == ".json" and _json_without_comments(path):
        return NOT_COMMENTS
    return None


def _json_without_comments(path: Path) -> bool:
    """True when the file is JSON that is not a comment document (see
    :func:`threads.inputs.tabular.is_comment_document`); a file that cannot be read or is
    not JSON is read as a page, whose error then says what is wrong."""
    try:
        if path.stat().st_size > JSON_LOOK_LIMIT:
            return False
        data = json.loads(path.read_bytes())
    except (OSError, ValueError, RecursionError):
        return False
    return not is_comment_document(data)


def _name(path: Path, root: Path) -> str:
    try:
        return shown(path.relative_to(root).as_posix())
    except ValueError:
        return shown(str(path))


def shown(name: str) -> str:
    """A file name as text: bytes that are not UTF-8 (kept by Python as lone surrogates,
    which no UTF-8 output can hold) as ``\\xNN``, the rest as it is."""
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def collect(paths: Sequence[str | Path], page_list: str | Path | None = None) -> Inputs:
    """Every page the paths and the ``page_list`` (a CSV: see :mod:`threads.corpus.facts`)
    name, hashed, in page order; what a folder walk leaves out (documentation, label files,
    FIFOs and other special files, what cannot be read) is listed in ``skipped``. A saved
    link beside a page, and the page list, give its address, title and date."""
    if not paths and page_list is None:
        raise InputError("corpus", "no PATH given (a page, a folder of pages or a list file)")
    found: dict[Path, bool] = {}
    skipped: dict[Path, str] = {}
    listed = read_page_list(Path(page_list)) if page_list is not None else {}
    for path in listed:
        found[path] = True
    for given in paths:
        for path, named, problem in _expand(Path(given), set()):
            reason = problem or (None if named else not_a_page(path))
            if reason is None:
                found[path] = found.get(path, False) or named
            else:
                skipped[path] = reason
    links = [path for path, reason in skipped.items() if reason == "link file"]
    facts: dict[Path, PageFacts] = {}
    for link, page, address in sidecars(links, found):
        facts[page] = PageFacts(url=address)
        skipped[link] = f"{LINK_USED} {_name(page, link.parent)}"
    for path, from_list in listed.items():
        facts[path] = from_list.over(facts.get(path, PageFacts()))
    pages = []
    for path, named in list(found.items()):
        try:
            digest, size = _hash(path)
        except OSError as error:
            skipped[path] = f"{UNREADABLE} ({error.strerror or error})"
            del found[path]
            continue
        pages.append((path, named, digest, size))
    skipped = {path: reason for path, reason in skipped.items() if path not in found}
    if not found:
        kinds = (
            "documentation, label, link or other non-comment files"
            if all(r in LEFT_OUT for r in skipped.values())
            else "files that are not pages, or cannot be read"
        )
        what = f" (only {kinds}: {len(skipped):,})" if skipped else ""
        raise InputError(", ".join(shown(str(p)) for p in paths), f"holds no pages{what}")
    root = Path(os.path.commonpath([str(p.parent) for p in found]))
    return Inputs(
        root,
        tuple(
            sorted(
                (
                    InputPage(
                        str(path),
                        shown(path.relative_to(root).as_posix()),
                        digest,
                        size,
                        named,
                        facts.get(path, PageFacts()),
                    )
                    for path, named, digest, size in pages
                ),
                key=lambda p: p.page,
            )
        ),
        tuple(SkippedFile(path, skipped[path]) for path in sorted(skipped)),
    )


#: How the reason of a file or folder that could not be read starts (pages may be missing:
#: the run fails at the end, naming them).
UNREADABLE = "cannot read"


def _expand(path: Path, seen: set[Path]) -> Iterable[tuple[Path, bool, str | None]]:
    """(file, named by itself, why it is not read or None) for each file ``path`` names."""
    if not path.exists():
        raise InputError(shown(str(path)), "no such file or folder")
    resolved = path.resolve()
    if resolved.is_dir():
        yield from _walk(resolved)
        return
    special = _special(resolved)
    if special is not None:
        raise InputError(shown(str(path)), f"is {special}, not a page or a list file")
    listed = _list_lines(resolved)
    if listed is None:
        yield resolved, True, None
        return
    if resolved in seen:
        raise InputError(shown(str(path)), "lists itself (directly or through another list)")
    for line in listed:
        yield from _expand(resolved.parent / line, seen | {resolved})


def _walk(folder: Path) -> Iterable[tuple[Path, bool, str | None]]:
    """Every file under ``folder`` but hidden ones; links to folders are not followed (no
    loops), FIFOs, sockets and devices are never opened, unreadable folders are listed."""
    unread: list[tuple[Path, str]] = []

    def failed(error: OSError) -> None:
        unread.append((Path(error.filename), f"{UNREADABLE} ({error.strerror or error})"))

    for where, dirs, files in os.walk(folder, onerror=failed):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                path = Path(where) / name
                yield path, False, _special(path)
        yield from ((path, False, reason) for path, reason in unread)
        unread.clear()
    yield from ((path, False, reason) for path, reason in unread)


def _special(path: Path) -> str | None:
    """What ``path`` is when it is not a regular file (its link followed), else None."""
    try:
        mode = path.stat().st_mode
    except OSError as error:
        if error.errno in (errno.ENOENT, errno.ELOOP):
            return "a link that leads to no file"
        return f"{UNREADABLE} ({error.strerror or error})"
    if stat.S_ISREG(mode):
        return None
    kinds = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder"))
    kind = next((name for test, name in kinds if test(mode)), "a device")
    return f"not a regular file ({kind})"


def _list_lines(path: Path) -> list[str] | None:
    """The lines of a list file, or None when the file is a page."""
    try:
        if path.stat().st_size > LIST_FILE_LIMIT:
            return None
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return None
    except OSError as error:
        raise InputError(shown(str(path)), f"cannot read ({error.strerror})") from None
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines or len(lines) > 1_000_000:
        return None
    base = path.parent
    missing = [i for i, line in enumerate(lines) if len(line) >= 4096 or not _exists(base / line)]
    if not missing:
        return lines
    if all(_LIST_LINE.fullmatch(line) for line in lines):
        first = missing[0]
        raise InputError(
            shown(str(path)),
            f"looks like a list of pages, but line {first + 1} names no file or folder: "
            f"{shown(lines[first])!r}",
        )
    return None


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except OSError:  # a name too long for the file system
        return False


#: A line of a list file: a path ending in a file extension or a slash, without the
#: markup, quotes, runs of spaces or tabs of a page's text.
_LIST_LINE = re.compile(r"[^\s<>{}\"]+(?: [^\s<>{}\"]+)*(?:\.[A-Za-z0-9]{1,8}|/)")


def _hash(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size
