"""Report-test helpers: reports built once per module, and the checkers CI installs with npm.

The Nu HTML Checker (``vnu-jar``) and axe-core come from ``.ci/node/node_modules`` (where
``.ci/run`` installs them) or from ``$THREADS_NODE_MODULES``. Like Chromium, a missing checker
skips the test, and fails it when THREADS_REQUIRE_BROWSER=1 (CI).
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from threads.cli import cli

from ..conftest import ROOT, _unavailable

NODE_MODULES = Path(os.environ.get("THREADS_NODE_MODULES", ROOT / ".ci" / "node" / "node_modules"))


@dataclass(frozen=True)
class Checkers:
    java: str
    vnu_jar: Path
    axe_script: Path


@pytest.fixture(scope="session")
def checkers() -> Checkers:
    java = shutil.which("java")
    vnu_jar = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
    axe_script = NODE_MODULES / "axe-core" / "axe.min.js"
    if java is None:
        _unavailable("Java is not installed (the Nu HTML Checker needs it)")
    for needed in (vnu_jar, axe_script):
        if not needed.is_file():
            _unavailable(
                f"{needed} is missing: npm install --no-save --prefix .ci/node vnu-jar axe-core"
            )
    assert java is not None
    return Checkers(java, vnu_jar, axe_script)


def make_report(out: Path, source: Path, *args: str) -> Path:
    """``threads report SOURCE --out OUT ARGS``, checked to succeed."""
    result = CliRunner().invoke(cli, ["report", str(source), "--out", str(out), *args])
    assert result.exit_code == 0, result.output
    return out
