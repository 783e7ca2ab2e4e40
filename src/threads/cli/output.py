"""Standard output for the commands: a guard that turns a closed or full stdout into a
one-line error, an exit that skips the interpreter's teardown, and the printing of text
views."""

from __future__ import annotations

import errno
import io
import os
import shutil
import sys
from collections.abc import Iterable
from typing import Any

import click

from threads.cli.options import PIPE_CLOSED
from threads.errors import OutputError
from threads.terminal import visible


def terminal_width() -> int:
    return shutil.get_terminal_size().columns


def echo_lines(lines: Iterable[str]) -> None:
    """Print a text view's lines, control characters from the input shown escaped."""
    for line in lines:
        click.echo(visible(line))


class StandardOutput(io.TextIOBase):
    """Standard output that fails as a ThreadsError (one line, exit 1) when it cannot be
    written: closed (``>&-``) or full (``> /dev/full``). A reader that went away still raises
    BrokenPipeError (exit 141)."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self.failed = False

    def _fail(self, error: OSError) -> OutputError:
        self.failed = True
        return OutputError(f"cannot write to standard output ({error.strerror or error})")

    def _call(self, target: Any, method: str, *args: Any) -> Any:
        if target is None:
            raise self._fail(OSError(errno.EBADF, os.strerror(errno.EBADF)))
        try:
            return getattr(target, method)(*args)
        except BrokenPipeError:
            raise
        except OSError as error:
            raise self._fail(error) from None

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        return int(self._call(self._stream, "write", text))

    def flush(self) -> None:
        if self._stream is not None:
            self._call(self._stream, "flush")

    @property
    def buffer(self) -> _BinaryOutput:
        """The bytes beneath (click writes bytes there), failing the same way."""
        return _BinaryOutput(self)

    def isatty(self) -> bool:
        return self._stream is not None and bool(self._stream.isatty())

    def fileno(self) -> int:
        if self._stream is None:
            raise io.UnsupportedOperation("standard output is closed")
        return int(self._stream.fileno())

    def writable(self) -> bool:
        return True

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return str(getattr(self._stream, "encoding", None) or "utf-8")

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        return getattr(self._stream, "errors", None)

    def discard(self) -> None:
        """Drop what is buffered (after a failure, so the exit does not fail again)."""
        buffer = getattr(self._stream, "buffer", None)
        raw = getattr(buffer, "raw", None)
        if raw is not None:
            try:
                os.dup2(os.open(os.devnull, os.O_WRONLY), raw.fileno())
            except OSError:
                pass


class _BinaryOutput(io.RawIOBase):
    def __init__(self, text: StandardOutput) -> None:
        self._text = text

    def write(self, data: Any) -> int:
        self._text.flush()  # the text written before these bytes goes first
        target = getattr(self._text._stream, "buffer", None)
        return int(self._text._call(target, "write", data))

    def flush(self) -> None:
        target = getattr(self._text._stream, "buffer", None)
        if target is not None:
            self._text._call(target, "flush")

    def writable(self) -> bool:
        return True


def guard_standard_output() -> None:
    """Standard output as :class:`StandardOutput`, in an encoding that can show any text.

    On a terminal the terminal's encoding is kept and a character it cannot show is written
    as its escape (``\\u0141``); anywhere else (a file, a pipe) the text is UTF-8, like the
    files threads writes, whatever the locale or PYTHONIOENCODING say.
    """
    stream = sys.stdout
    if stream is not None and hasattr(stream, "reconfigure"):
        try:
            if stream.isatty():
                stream.reconfigure(errors="backslashreplace")
            else:
                stream.reconfigure(encoding="utf-8", errors="strict")
        except (OSError, ValueError):  # closed underneath us: the guard reports it
            pass
    sys.stdout = StandardOutput(stream)
    if sys.stderr is not None and hasattr(sys.stderr, "reconfigure"):
        try:
            sys.stderr.reconfigure(errors="backslashreplace")
        except (OSError, ValueError):
            pass


def exit_now(code: int | str | None) -> None:
    """Flush the standard streams and end the process without the interpreter's teardown.

    Freeing the ~1,500 library modules a report loads takes 0.3-0.5 s, longer than the
    corpus report's own work. Nothing else is pending: threads closes and renames every file
    it writes before it returns, and its worker pools are shut down by then.
    """
    if isinstance(code, str):
        print(code, file=sys.stderr)
        code = 1
    stdout = sys.stdout
    if isinstance(stdout, StandardOutput) and stdout.failed:
        stdout.discard()  # already reported
    for stream in (sys.stdout, sys.stderr):
        if stream is None:
            continue
        try:
            stream.flush()
        except BrokenPipeError:  # the reader went away
            code = code or PIPE_CLOSED
        except ValueError:  # stream closed
            code = code or 1
        except OutputError as error:  # standard output closed or full, found only now
            if not code:
                _say(f"Error: {error}")
                code = 1
        except OSError:
            code = code or 1
    # atexit does not run on os._exit; the module is loaded only if a chart was drawn
    mplhome = sys.modules.get("threads.report._mplhome")
    if mplhome is not None:
        mplhome.remove_matplotlib_home()
    os._exit(code or 0)


def _say(line: str) -> None:
    try:
        print(line, file=sys.stderr, flush=True)
    except (OSError, ValueError, AttributeError):
        pass
