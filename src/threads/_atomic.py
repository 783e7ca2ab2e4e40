"""Write a set of output files so that either all of them land or none does.

Each file is written to a temporary file in the target folder, then moved into place with
``os.replace`` (atomic on one file system). A failure before the moves leaves earlier outputs
untouched and removes the temporary files.
"""

from __future__ import annotations

import os
import signal
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from threads.errors import OutputError


def _file_mode() -> int:
    # mkstemp creates files readable by the owner only; reports are ordinary files.
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


_FILE_MODE = _file_mode()


def prepare_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise OutputError(f"{folder}: exists and is not a folder") from None
    except OSError as error:
        raise OutputError(f"{folder}: cannot create the output folder ({error.strerror})") from None


#: The signals a command turns into an exception (see threads.cli): held back while a file
#: is staged or the files are moved, so an interrupt never strands a temporary file or
#: leaves half of the new files beside half of the old ones.
_HELD = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)
#: A temporary file's name carries at most this many characters of the target's name, so a
#: name near the file system's limit still has room for the temporary one.
_NAME_IN_TEMPORARY = 64
#: Between the target's name and mkstemp's eight random characters: a temporary file is
#: ``.NAME.threads-XXXXXXXX.tmp``, so a cleanup can tell it from a user's ``.draft.tmp``.
TEMPORARY_MARK = ".threads-"


@contextmanager
def _signals_held() -> Iterator[None]:
    """Delay SIGINT/SIGTERM/SIGHUP to the end of the block (delivered then, if any came).

    Python runs a signal's handler in the main thread whichever thread the kernel chose,
    so blocking the signals in this thread would not hold them back once a pool or a client
    has started threads of its own: the handlers are swapped for one that notes the signal,
    and the noted signals go to the real handlers when the block ends.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    noted: list[tuple[int, FrameType | None]] = []
    previous: dict[int, Callable[[int, FrameType | None], object] | int] = {}
    for number in _HELD:
        handler = signal.getsignal(number)
        if handler is None:  # installed outside Python: cannot be put back
            continue
        previous[number] = handler
        signal.signal(number, lambda signum, frame: noted.append((signum, frame)))
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        for signum, frame in noted:
            handler = previous[signum]
            if callable(handler):
                handler(signum, frame)
            elif handler == signal.SIG_DFL:
                os.kill(os.getpid(), signum)  # its default action, now


#: Temporary files this process is writing now (``remove_in_progress`` removes them).
_IN_PROGRESS: set[str] = set()


def remove_in_progress() -> None:
    """Remove the temporary files this process is writing (a worker about to be stopped
    calls it from its signal handler, where no ``finally`` will run)."""
    for temporary in list(_IN_PROGRESS):
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass


def _check_target(path: Path) -> None:
    """``path`` can be written as a file: its folder exists (created), it is not a folder."""
    try:
        is_folder = path.is_dir()
    except OSError as error:  # a name too long for the file system, a loop of links
        raise OutputError(f"{path}: cannot write ({error.strerror or error})") from None
    if is_folder:
        raise OutputError(f"{path}: is a folder; give a file name for the report")
    prepare_folder(path.parent)


class Stage:
    """Temporary files beside their targets, for :func:`staged` (see there)."""

    def __init__(self) -> None:
        self.staged: list[tuple[str, Path]] = []
        self.current: Path | None = None  # the target being written, for the error

    def temporary(self, path: Path) -> Path:
        """A new empty temporary file in ``path``'s folder, moved to ``path`` at the end."""
        _check_target(path)
        self.current = path
        with _signals_held():
            handle, temporary = tempfile.mkstemp(
                prefix=f".{path.name[:_NAME_IN_TEMPORARY]}{TEMPORARY_MARK}",
                suffix=".tmp",
                dir=path.parent,
            )
            os.close(handle)
            self.staged.append((temporary, path))
            _IN_PROGRESS.add(temporary)
        os.chmod(temporary, _FILE_MODE)
        return Path(temporary)


@contextmanager
def staged() -> Iterator[Stage]:
    """Files written all or nothing: the block writes each into ``stage.temporary(path)``;
    when it ends without error they are moved into place in the order asked for, else
    removed (an ``OSError`` becomes a one-line ``OutputError`` naming the file)."""
    stage = Stage()
    try:
        yield stage
        with _signals_held():
            for temporary, path in stage.staged:
                stage.current = path
                os.replace(temporary, path)
                _IN_PROGRESS.discard(temporary)
            stage.staged.clear()
    except OSError as error:
        _remove(stage.staged)
        raise OutputError(f"{stage.current}: cannot write ({error.strerror or error})") from None
    except BaseException:
        _remove(stage.staged)
        raise


def write_all(files: Mapping[Path, str | bytes]) -> None:
    """Write every ``path -> text`` (str as UTF-8, bytes as they are), all or nothing."""
    with staged() as stage:
        for path, text in files.items():
            temporary = stage.temporary(path)
            if isinstance(text, bytes):
                temporary.write_bytes(text)
            else:
                with temporary.open("w", encoding="utf-8", newline="\n") as stream:
                    stream.write(text)


def _remove(staged: list[tuple[str, Path]]) -> None:
    with _signals_held():
        for temporary, _ in staged:
            if os.path.exists(temporary):
                os.unlink(temporary)
            _IN_PROGRESS.discard(temporary)
