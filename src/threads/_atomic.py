"""Write a set of output files so that either all of them land or none does.

Each file is written to a temporary file in the target folder, then moved into place with
``os.replace`` (atomic on one file system). A failure before the moves leaves earlier outputs
untouched and removes the temporary files.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

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


def write_all(files: Mapping[Path, str]) -> None:
    """Write every ``path -> text`` (UTF-8), all or nothing."""
    for path in files:
        if path.is_dir():
            raise OutputError(f"{path}: is a folder; give a file name for the report")
        prepare_folder(path.parent)
    staged: list[tuple[str, Path]] = []
    try:
        for path, text in files.items():
            handle, temporary = tempfile.mkstemp(
                prefix=f".{path.name}.", suffix=".tmp", dir=path.parent
            )
            staged.append((temporary, path))
            with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
                stream.write(text)
            os.chmod(temporary, _FILE_MODE)
        for temporary, path in staged:
            os.replace(temporary, path)
    except OSError as error:
        for temporary, _ in staged:
            if os.path.exists(temporary):
                os.unlink(temporary)
        target = error.filename or next(iter(files))
        raise OutputError(f"{target}: cannot write ({error.strerror or error})") from None
    except BaseException:
        for temporary, _ in staged:
            if os.path.exists(temporary):
                os.unlink(temporary)
        raise
