"""Shared fixtures: paths, command runners, and a headless Chromium for the browser tests.

The default run is fast: tests marked ``slow`` (2 s or more: scale, fuzzing, whole corpus
runs, subprocesses) or ``browser`` (headless Chromium) are skipped unless ``--all`` is given
or THREADS_ALL_TESTS=1 (CI sets it).
Browser tests fail when Chromium is missing and THREADS_REQUIRE_BROWSER=1 (CI sets it too).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pytest
from click.testing import CliRunner
from packaging.requirements import Requirement

from threads.analysis import embeddings
from threads.cli import cli

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus" / "unherd-how-to-escape-north-korea.txt"
#: The corpus article as a command-line argument.
SOURCE = str(CORPUS)
#: The parse fields of a comment record, in the documented order.
PARSE_FIELDS = [
    "id", "position", "author", "posted", "posted_at", "posted_iso", "reply_to", "parent_id",
    "parent_status", "parent_alternatives", "thread_id", "depth", "edited", "truncated", "votes",
    "text",
]  # fmt: skip
FIXTURES = Path(__file__).resolve().parent / "fixtures"
#: ../shared beside the checkout: the seed page, real dumps and labelled sets.
SHARED = ROOT.parent / "shared"
#: The versions the project is tested with (the Quick start installs them).
LOCK = ROOT / "requirements.lock"
#: The libraries whose arithmetic shapes the figures of a golden file.
FIGURE_LIBRARIES = ("numpy", "scipy", "scikit-learn", "vaderSentiment", "sentencex", "pandas")
SCREENSHOTS = Path(__file__).resolve().parent / "output"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--all", action="store_true", help="also run the slow and browser tests (as CI does)"
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "real_embeddings: run the bundled model on every call (no per-session memo of its output)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--all") or os.environ.get("THREADS_ALL_TESTS") == "1":
        return
    for item in items:
        for marker in ("slow", "browser"):
            if marker in item.keywords:
                item.add_marker(pytest.mark.skip(reason=f"{marker} test: run with --all"))


#: The bundled model's output for each whole call already made in this test process, by
#: (model, onnxruntime threads, the texts in order): running it is most of a test's CPU.
_ENCODED: dict[tuple[str, int, tuple[str, ...]], np.ndarray] = {}
_ENCODE = embeddings.MiniLM.encode


def _memo_encode(self: embeddings.MiniLM, texts: Sequence[str]) -> np.ndarray:
    """:meth:`MiniLM.encode`, run once per distinct call. The key is the whole call, not each
    text: the int8 model quantises a batch's activations together, so a text's vector can
    depend on the texts batched with it; a repeated call gives the same bytes."""
    key = (self.sha256, self.threads or embeddings._threads(), tuple(texts))
    if key not in _ENCODED:
        _ENCODED[key] = _ENCODE(self, texts)
    return _ENCODED[key].copy()


@pytest.fixture(scope="session", autouse=True)
def embedding_memo() -> Iterator[None]:
    """Tests reuse the bundled model's output for a call already made (the corpus article is
    analysed by dozens of tests). Session-wide, so that module and session fixtures, which
    are set up before any test's own fixtures, use it too. Worker processes a test starts
    run the model themselves."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(embeddings.MiniLM, "encode", _memo_encode)
        yield


@pytest.fixture(autouse=True)
def real_embeddings(request: pytest.FixtureRequest) -> Iterator[None]:
    """A test marked ``real_embeddings`` runs the model on every call."""
    if not request.node.get_closest_marker("real_embeddings"):
        yield
        return
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(embeddings.MiniLM, "encode", _ENCODE)
        yield


def write_thread_page(path: Path, threads: int, special: dict[int, str] | None = None) -> Path:
    """A text dump of ``threads`` threads of three comments (a comment, a reply, a reply to
    the reply): comment ids 3t+1..3t+3 for thread t. ``special`` replaces thread t's first
    comment text."""
    blocks = []
    for t in range(threads):
        a, b = f"Ann {t}", f"Bob {t}"
        body = (special or {}).get(t, f"Thread {t} opens on the North Korean border.")
        blocks += [
            f"{a}\n{a}\n1 day ago\n\n{body}",
            f"{b}\n{b}\n1 day ago\nReply to  {a}\n\nA reply in thread {t}.",
            f"{a}\n{a}\n1 day ago\nReply to  {b}\n\nAn answer in thread {t}.",
        ]
    path.write_text("A big page\n\nBy Someone\n\n" + "\n\n".join(blocks) + "\n", encoding="utf-8")
    return path


def shared_path(*parts: str) -> Path:
    """A path under ../shared; the calling test skips when ../shared is absent (a bare clone),
    and fails instead under THREADS_REQUIRE_SHARED=1 (CI, which has it)."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        reason = f"{path} is missing: this test reads ../shared beside the checkout"
        if os.environ.get("THREADS_REQUIRE_SHARED") == "1":
            pytest.fail(f"{reason} (THREADS_REQUIRE_SHARED=1)")
        pytest.skip(reason)
    return path


@cache
def unlocked_libraries() -> tuple[str, ...]:
    """``name installed (locked version)`` for each library of :data:`FIGURE_LIBRARIES` whose
    installed version is not the one ``requirements.lock`` pins for this Python."""
    pins: dict[str, str] = {}
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        if not re.match(r"[A-Za-z0-9]", line):
            continue
        requirement = Requirement(line)
        if requirement.marker is None or requirement.marker.evaluate():
            pins[requirement.name.lower()] = str(requirement.specifier).removeprefix("==")
    found = []
    for name in FIGURE_LIBRARIES:
        installed = metadata.version(name)
        if pins.get(name.lower()) != installed:
            found.append(f"{name} {installed} (locked: {pins.get(name.lower())})")
    return tuple(found)


def require_locked_versions() -> None:
    """Skip a test whose recorded figures hold for the locked versions only, when another
    version is installed (``pip install -c requirements.lock`` installs the locked ones)."""
    differ = unlocked_libraries()
    if differ:
        pytest.skip(
            "recorded for the versions in requirements.lock; installed: " + ", ".join(differ)
        )


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _unavailable(reason: str) -> None:
    if os.environ.get("THREADS_REQUIRE_BROWSER") == "1":
        pytest.fail(f"browser required (THREADS_REQUIRE_BROWSER=1) but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    executable = chromium_path()
    if executable is None:
        _unavailable("Chromium is not installed (Debian package 'chromium')")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        # launch() gives every run a fresh, empty profile (its own --user-data-dir).
        launched = playwright.chromium.launch(
            executable_path=executable,
            headless=True,
            args=[flag for flag in CHROMIUM_FLAGS if flag != "--headless"],
        )
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


_T = TypeVar("_T")


def present(value: _T | None) -> _T:
    """``value``, which the test needs to be there (a BeautifulSoup query's element, say):
    None fails the test."""
    assert value is not None
    return value


def run_json(runner: CliRunner, *args: str) -> dict[str, Any]:
    """``threads comments ARGS --format json``, checked to succeed, as a parsed document."""
    result = runner.invoke(cli, ["comments", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def run_cli(*args: str, cwd: Path | None = None, hash_seed: str = "0") -> str:
    """``threads ARGS`` in a fresh process with this hash seed; its standard output."""
    done = subprocess.run(
        [sys.executable, "-m", "threads", *args],
        cwd=cwd, capture_output=True, text=True, check=True,
        env={**os.environ, "PYTHONHASHSEED": hash_seed},
    )  # fmt: skip
    return done.stdout
