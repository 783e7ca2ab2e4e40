"""A writable home for matplotlib's settings and font cache, found before it is imported.

When the user's config or cache folder cannot be written (``HOME=/nonexistent``, a
read-only home), matplotlib warns on stderr and builds its font cache afresh in a new
temporary folder on every run (it removes that folder at exit, which threads' quick exit
skips). threads then points MPLCONFIGDIR at one folder of its own per user under the
temporary folder, created once and reused: no warning, one font cache.
"""

from __future__ import annotations

import os
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


def own_folder() -> Path:
    """threads' folder for matplotlib: ``<temp>/threads-matplotlib-<uid>``."""
    user = os.getuid() if hasattr(os, "getuid") else os.environ.get("USERNAME", "user")
    return Path(tempfile.gettempdir(), f"threads-matplotlib-{user}")


def ensure_matplotlib_home() -> None:
    """Set MPLCONFIGDIR to :func:`own_folder` when matplotlib's own folders are unusable."""
    if os.environ.get("MPLCONFIGDIR"):
        return
    folders = _default_folders()
    if folders and all(_writable(folder) for folder in folders):
        return
    folder = own_folder()
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        owner_ok = not hasattr(os, "getuid") or folder.stat().st_uid == os.getuid()
    except OSError:
        return  # matplotlib falls back on a temporary folder of its own
    if owner_ok and not folder.is_symlink() and os.access(folder, os.W_OK):
        os.environ["MPLCONFIGDIR"] = str(folder)
