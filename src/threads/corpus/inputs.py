"""The pages of a corpus: from the paths given to one sorted list named relative to a root.

A PATH is a page, a folder (every file under it but hidden files, documentation and
``threads agree`` label files: see ``not_a_page``), or a list file: a text file whose every
non-blank line names an existing file or folder (relative lines are read from the list
file's folder). A file named by itself, or on a list, is always read. The corpus root is
the deepest folder holding every page; pages are named by their POSIX path relative to
it, so the same pages read through another path give the same names and the same outputs.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from threads.errors import InputError
from threads.inputs.labels import LABELS_SUFFIX

#: A list file is at most this large (a page is usually larger).
LIST_FILE_LIMIT = 4 * 1024 * 1024
#: Files a folder walk leaves out as documentation: these names (any extension) and these
#: extensions (a page is a text dump, HTML, CSV or JSON).
DOCUMENTATION_NAMES = frozenset({"readme", "license", "licence", "copying", "changelog"})
DOCUMENTATION_SUFFIXES = frozenset({".md", ".markdown", ".rst"})


@dataclass(frozen=True, slots=True)
class InputPage:
    """One page of the corpus (an archive has many: slots, and the path as text)."""

    path: str  # absolute
    page: str  # relative to the corpus root, POSIX form
    sha256: str  # of its bytes
    size: int  # bytes
    named: bool  # given by itself on the command line (gets a report unless --reports none)


@dataclass(frozen=True)
class SkippedFile:
    """A file under a folder PATH that is not read as a page."""

    path: Path  # absolute
    reason: str  # "documentation" or "labels"


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
    """Why a folder walk leaves ``path`` out ("documentation", "labels"), or None."""
    name = path.name.lower()
    if (
        name.endswith(LABELS_SUFFIX)
        and (path.parent / (path.name[: -len(LABELS_SUFFIX)] + ".json")).is_file()
    ):
        return "labels"
    if path.suffix.lower() in DOCUMENTATION_SUFFIXES or name.split(".")[0] in DOCUMENTATION_NAMES:
        return "documentation"
    return None


def _name(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def collect(paths: Sequence[str | Path]) -> Inputs:
    """Every page the paths name, hashed, in page order."""
    if not paths:
        raise InputError("corpus", "no PATH given (a page, a folder of pages or a list file)")
    found: dict[Path, bool] = {}
    skipped: dict[Path, str] = {}
    for given in paths:
        for path, named in _expand(Path(given), set()):
            reason = None if named else not_a_page(path)
            if reason is None:
                found[path] = found.get(path, False) or named
            else:
                skipped[path] = reason
    skipped = {path: reason for path, reason in skipped.items() if path not in found}
    if not found:
        what = f" (only documentation or label files: {len(skipped):,})" if skipped else ""
        raise InputError(", ".join(map(str, paths)), f"holds no pages{what}")
    root = Path(os.path.commonpath([str(p.parent) for p in found]))
    pages = []
    for path, named in found.items():
        digest, size = _hash(path)
        pages.append(InputPage(str(path), path.relative_to(root).as_posix(), digest, size, named))
    return Inputs(
        root,
        tuple(sorted(pages, key=lambda p: p.page)),
        tuple(SkippedFile(path, skipped[path]) for path in sorted(skipped)),
    )


def _expand(path: Path, seen: set[Path]) -> Iterable[tuple[Path, bool]]:
    if not path.exists():
        raise InputError(str(path), "no such file or folder")
    resolved = path.resolve()
    if resolved.is_dir():
        for folder, dirs, files in os.walk(resolved):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                if not name.startswith("."):
                    yield Path(folder) / name, False
        return
    listed = _list_lines(resolved)
    if listed is None:
        yield resolved, True
        return
    if resolved in seen:
        raise InputError(str(path), "lists itself (directly or through another list)")
    for line in listed:
        yield from _expand(resolved.parent / line, seen | {resolved})


def _list_lines(path: Path) -> list[str] | None:
    """The lines of a list file, or None when the file is a page."""
    try:
        if path.stat().st_size > LIST_FILE_LIMIT:
            return None
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return None
    except OSError as error:
        raise InputError(str(path), f"cannot read ({error.strerror})") from None
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines or len(lines) > 1_000_000:
        return None
    base = path.parent
    if all(len(line) < 4096 and (base / line).exists() for line in lines):
        return lines
    return None


def _hash(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    try:
        with path.open("rb") as stream:
            while chunk := stream.read(1 << 20):
                digest.update(chunk)
                size += len(chunk)
    except OSError as error:
        raise InputError(str(path), f"cannot read ({error.strerror})") from None
    return digest.hexdigest(), size
