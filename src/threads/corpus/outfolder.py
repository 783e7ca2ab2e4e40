"""The corpus output folder: which of its files a run owns, and one run at a time.

A run owns only the files threads wrote there: the ones the last finished run listed in
``manifest.json`` (``files``), and the ones a run announced in the journal
(``.threads-corpus.journal``) before writing them, so an interrupted run's files are still
known to the next. A run replaces or removes only those. A folder holding any other file is
refused (:class:`ForeignFiles`) unless the caller forces the run, which then writes beside
those files and never removes or replaces one. A lock (``.threads-corpus.lock``, ``flock``)
lets one run at a time hold the folder; a second is refused, naming the first's process.
"""

from __future__ import annotations

import errno
import json
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from threads.errors import OutputError

LOCK_FILE = ".threads-corpus.lock"
JOURNAL_FILE = ".threads-corpus.journal"
#: The corpus's own files at the top of the folder (written by every run, or on request).
TOP_FILES = (
    "manifest.json",
    "articles.parquet",
    "articles.csv",
    "corpus.html",
    "space-model.json",
    "comment-topics.parquet",
    "corpus.db",
)
#: A temporary file of :mod:`threads._atomic` (``.NAME.threads-XXXXXXXX.tmp``).
TEMPORARY = re.compile(r"\..*\.threads-[A-Za-z0-9_]{8}\.tmp", re.S)
#: Files an earlier threads version wrote, for a manifest that does not list its files.
_LEGACY = re.compile(
    r"comments/part-[0-9a-f]{32}\.parquet|cache/[0-9a-f]{64}\.(json|sketch\.json|report)"
)
#: Foreign files named in the error (the rest are counted).
_NAMED = 3


class ForeignFiles(OutputError):
    """The output folder holds files threads did not write (a run would mix with them)."""

    def __init__(self, out: Path, names: list[str]) -> None:
        self.out = out
        #: The files, relative to ``out``, sorted.
        self.names = names
        more = f" and {len(names) - _NAMED:,} more" if len(names) > _NAMED else ""
        listed = ", ".join(map(repr, names[:_NAMED]))
        super().__init__(
            f"{out}: holds {len(names):,} file(s) threads did not write ({listed}{more}); "
            "give an empty or new folder"
        )


class OutputFolder:
    """The output folder of one run, locked from :meth:`open` to :meth:`close`."""

    def __init__(self, out: Path, force: bool = False) -> None:
        self.out = out
        self.force = force
        self.owned: set[str] = set()  # relative POSIX names threads wrote here
        self.foreign: set[str] = set()  # the other files (only with ``force``)
        self._lock: int | None = None

    def open(self) -> OutputFolder:
        """Create and lock the folder, learn what threads owns there, refuse other files
        (unless forced), and remove the temporary files of an interrupted run."""
        try:
            for folder in (self.out, self.out / "comments", self.out / "cache"):
                folder.mkdir(parents=True, exist_ok=True)
        except FileExistsError:
            raise OutputError(f"{self.out}: exists and is not a folder") from None
        except OSError as error:
            raise OutputError(
                f"{self.out}: cannot create the output folder ({error.strerror})"
            ) from None
        self._take_lock()
        try:
            self.owned = self._listed()
            files = set(self._files())
            temporaries = {name for name in files if TEMPORARY.fullmatch(name.rsplit("/", 1)[-1])}
            others = files - self.owned - temporaries - {LOCK_FILE, JOURNAL_FILE}
            if others and not self.force:
                raise ForeignFiles(self.out, sorted(others))
            self.foreign = others
            for name in temporaries:
                (self.out / name).unlink(missing_ok=True)
        except BaseException:
            self.close()
            raise
        return self

    def close(self) -> None:
        if self._lock is not None:
            # Removed while held: a run that opened it meanwhile sees it gone and retries.
            (self.out / LOCK_FILE).unlink(missing_ok=True)
            os.close(self._lock)
            self._lock = None

    def claim(self, names: Iterable[str]) -> None:
        """Record in the journal that this run is about to write ``names`` (relative), so
        an interrupted run's files are known as threads' own to the next run."""
        new = [name for name in names if name not in self.owned]
        if not new:
            return
        record(self.out, new)
        self.owned.update(new)

    def is_foreign(self, name: str) -> bool:
        """A file threads did not write is at ``name`` (relative): never replace it."""
        return name in self.foreign

    def finish(self, kept: set[str]) -> None:
        """After the manifest listing ``kept`` is in place: remove every other file threads
        owns here, then empty the journal (its names are in the manifest or gone)."""
        for name in sorted(self.owned - kept):
            path = self.out / name
            try:
                path.unlink()
            except FileNotFoundError:
                pass
            except OSError as error:
                if error.errno not in (errno.ENAMETOOLONG, errno.EISDIR):  # never written
                    raise OutputError(f"{path}: cannot remove ({error.strerror})") from None
        (self.out / JOURNAL_FILE).unlink(missing_ok=True)
        self.owned = set(kept)

    def _take_lock(self) -> None:
        import fcntl

        path = self.out / LOCK_FILE
        while True:
            try:
                handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError as error:
                raise OutputError(f"{path}: cannot create the lock ({error.strerror})") from None
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                holder = os.pread(handle, 64, 0).decode("ascii", "replace").strip() or "unknown"
                os.close(handle)
                raise OutputError(
                    f"{path}: another threads corpus run (process {holder}) is writing to "
                    f"{self.out}; wait for it to end"
                ) from None
            try:
                same = os.stat(path).st_ino == os.fstat(handle).st_ino
            except FileNotFoundError:
                same = False
            if same:
                break
            os.close(handle)  # the holder removed it as this run opened it: take the new one
        os.ftruncate(handle, 0)
        os.pwrite(handle, f"{os.getpid()}\n".encode("ascii"), 0)
        self._lock = handle

    def _listed(self) -> set[str]:
        """The files the last manifest and the journal name."""
        owned: set[str] = set()
        manifest = self.out / "manifest.json"
        if manifest.is_file():
            try:
                document = json.loads(manifest.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                document = None  # not threads' own: left to the foreign files check
            if isinstance(document, dict) and isinstance(document.get("digest"), str):
                owned.add("manifest.json")
                files = document.get("files")
                if isinstance(files, list):
                    owned.update(name for name in files if isinstance(name, str))
                else:  # written before manifests listed their files
                    owned.update(self._legacy(document))
        journal = self.out / JOURNAL_FILE
        if journal.is_file():
            for line in journal.read_text(encoding="utf-8", errors="replace").splitlines():
                try:
                    name = json.loads(line)
                except ValueError:
                    continue  # the last line of a run killed mid-write
                if isinstance(name, str):
                    owned.add(name)
        return {name for name in owned if _inside(name)}

    def _legacy(self, document: dict[str, object]) -> set[str]:
        names = set(TOP_FILES)
        names.update(name for name in self._files() if _LEGACY.fullmatch(name))
        inputs = document.get("inputs")
        for entry in inputs if isinstance(inputs, list) else []:
            page = entry.get("page") if isinstance(entry, dict) else None
            if isinstance(page, str):
                names.update(f"reports/{page}{suffix}" for suffix in (".html", ".json", ".csv"))
        return names

    def _files(self) -> Iterable[str]:
        """Every file under the folder (links not followed), relative, POSIX form."""
        for folder, dirs, files in os.walk(self.out):
            base = Path(folder).relative_to(self.out)
            for name in [*files, *(d for d in dirs if os.path.islink(os.path.join(folder, d)))]:
                yield (base / name).as_posix()


def check_out_outside(out: Path, paths: Sequence[str | Path]) -> None:
    """Refuse an output folder equal to, or inside, a folder read for pages: its outputs
    would be read as pages by the next run, and its pages taken for old outputs."""
    where = out.resolve()
    for given in paths:
        folder = Path(given).resolve()
        if folder.is_dir() and (where == folder or folder in where.parents):
            raise OutputError(
                f"{out}: the output folder is {'the' if where == folder else 'inside the'} "
                f"input folder {given}; give an output folder outside it"
            )


def record(out: Path, names: Iterable[str]) -> None:
    """Append ``names`` (relative to ``out``) to its journal of files threads writes there
    (one append per call: lines from several processes do not interleave)."""
    text = "".join(json.dumps(name, ensure_ascii=False) + "\n" for name in names)
    path = out / JOURNAL_FILE
    try:
        out.mkdir(parents=True, exist_ok=True)
        handle = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(handle, text.encode("utf-8"))
            os.fsync(handle)
        finally:
            os.close(handle)
    except OSError as error:
        raise OutputError(f"{path}: cannot write ({error.strerror})") from None


def _inside(name: str) -> bool:
    """A listed name that stays inside the folder (a manifest is not trusted further)."""
    parts = name.split("/")
    return bool(name) and not name.startswith("/") and ".." not in parts and "" not in parts
