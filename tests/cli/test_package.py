"""The shape of the package: the cli light to start, no module too long to read, and the
analysis independent of the corpus."""

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


def test_analysis_imports_nothing_from_the_corpus() -> None:
    """The corpus runs on the analysis, never the other way: every statistic, across pages
    too, is computed in analysis/ (and the pools it shares with the corpus are threads')."""
    import ast

    for path in sorted((SRC / "analysis").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [f"{node.module}.{alias.name}" for alias in node.names]
            else:
                continue
            found = [n for n in names if n.startswith("threads.corpus")]
            assert not found, f"{path.relative_to(SRC)}:{node.lineno} imports {found[0]}"
