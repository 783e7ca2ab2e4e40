"""The shape of the cli package: light to start, no module too long to read."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import threads

SRC = Path(threads.__file__).resolve().parent


def test_the_comments_command_loads_no_numerical_library() -> None:
    """`threads comments --no-analysis` stays fast: its modules import no numpy, scikit-learn
    or matplotlib (the analysis loads them when a command runs it)."""
    code = (
        "import sys\n"
        "from threads.cli.main import cli\n"
        "cli.get_command(None, 'comments')\n"
        "heavy = {'numpy', 'sklearn', 'matplotlib', 'scipy', 'pyarrow'} & set(sys.modules)\n"
        "print(sorted(heavy))\n"
    )
    found = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert found.strip() == "[]"


def test_no_module_of_cli_or_corpus_is_over_500_lines() -> None:
    for folder in ("cli", "corpus"):
        for path in sorted((SRC / folder).glob("*.py")):
            lines = len(path.read_text(encoding="utf-8").splitlines())
            assert lines <= 500, f"{path.relative_to(SRC)}: {lines} lines"
