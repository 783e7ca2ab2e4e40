"""A writable home for matplotlib's settings and font cache, found before it is imported.

When the user's config or cache folder cannot be written (``HOME=/nonexistent``, a
read-only home), matplotlib warns on stderr and builds its font cache afresh in a new
temporary folder on every run (it removes that folder at exit, which threads' quick exit
skips). threads then points MPLCONFIGDIR at a temporary folder of its own for the run and
removes it when the run ends, the quick exit included: no warning, nothing left behind. The
font cache is rebuilt each such run (about 0.4 s).
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path


def _writable(folder: Path) -> bool:
    """Whether matplotlib can use (or create) this folder; nothing is created here."""
    for existing in (folder, *folder.parents):
        try:
            if existing.exists():
                return existing.is_dir() and os.access(existing, os.W_OK | os.X_OK)
        except OSError:
            return False
    return False


def _default_folders() -> list[Path]:
    """Where matplotlib would keep its settings and cache (its own rules; Linux and others)."""
    try:
        home = Path.home()
    except (RuntimeError, KeyError):
        return []
    if sys.platform.startswith(("linux", "freebsd")):
        config = os.environ.get("XDG_CONFIG_HOME") or str(home / ".config")
        cache = os.environ.get("XDG_CACHE_HOME") or str(home / ".cache")
        return [Path(config, "matplotlib"), Path(cache, "matplotlib")]
    if sys.platform == "win32":
        return []  # %LOCALAPPDATA%: matplotlib's own choice
    return [home / ".matplotlib"]


_made: tuple[int, Path] | None = None  # (process that made it, folder) for this run


def ensure_matplotlib_home() -> None:
    """Point MPLCONFIGDIR at a folder of this run's own when matplotlib's folders are unusable.

    The folder is removed when the run ends (:func:`remove_matplotlib_home`, also at exit);
    worker processes inherit it through the environment and never remove it.
    """
    global _made
    if os.environ.get("MPLCONFIGDIR"):
        return
    folders = _default_folders()
    if folders and all(_writable(folder) for folder in folders):
        return
    try:
        folder = Path(tempfile.mkdtemp(prefix="threads-matplotlib-"))  # mode 0700, ours
    except OSError:
        return  # matplotlib falls back on a temporary folder of its own
    os.environ["MPLCONFIGDIR"] = str(folder)
    _made = (os.getpid(), folder)
    atexit.register(remove_matplotlib_home)


def remove_matplotlib_home() -> None:
    """Remove the folder :func:`ensure_matplotlib_home` made, in the process that made it."""
    global _made
    if _made is None or _made[0] != os.getpid():
        return
    folder = _made[1]
    _made = None
    shutil.rmtree(folder, ignore_errors=True)
