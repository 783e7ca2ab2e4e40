"""Helpers for the corpus tests: small synthetic corpora, a CLI runner, a real Dask cluster."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from threads.cli import cli

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import dask_local  # noqa: E402
from synth import write_page as write_page  # noqa: E402  (the tests import it from here)

BINARY = ROOT / "tests" / "fixtures" / "hostile" / "binary.bin"
#: Comments per page of the small test corpus (heavy-tailed, like real sections).
SIZES = {"one/a.txt": 24, "one/b.txt": 60, "two/c.txt": 17, "two/deep/d.txt": 130}


def write_corpus(folder: Path, sizes: dict[str, int] | None = None, broken: bool = False) -> Path:
    """Synthetic pages under ``folder`` (seeded by their order); ``broken`` adds a binary."""
    for seed, (name, n) in enumerate(sorted((sizes or SIZES).items())):
        write_page(n, folder / name, seed=seed)
    if broken:
        shutil.copy(BINARY, folder / "two" / "broken.bin")
    return folder


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, ["corpus", *args])


def run_lexical(*args: str) -> Result:
    """``threads corpus ARGS --lexical``: for tests of the corpus machinery (walks, caching,
    faults, files), not of the drift measure. The word measure runs in a third of the CPU of
    the bundled model, whose output a worker process cannot take from the tests' memo."""
    return run(*args, "--lexical")


@pytest.fixture(scope="session")
def small_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("corpus") / "pages")


def _serial(folder: Path, corpus: Path, *measure: str) -> Path:
    out = folder / "out"
    result = run(str(corpus), "--out", str(out), "--workers", "1", "--reports", "all", *measure)
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="session")
def serial_out(tmp_path_factory: pytest.TempPathFactory, small_corpus: Path) -> Path:
    """The small corpus in this process with every report, by the word measure (--lexical):
    the tables, manifest and identity tests are about the machinery, not the measure. End to
    end, about 10 s of CPU: the tests that read it are marked slow."""
    return _serial(tmp_path_factory.mktemp("serial"), small_corpus, "--lexical")


@pytest.fixture(scope="session")
def serial_out_minilm(tmp_path_factory: pytest.TempPathFactory, small_corpus: Path) -> Path:
    """:func:`serial_out` with the default measure (the bundled model): about 22 s of CPU,
    for the slow tests that the default measure's outputs are the same whatever the engine."""
    return _serial(tmp_path_factory.mktemp("serial-minilm"), small_corpus)


def files_of(out: Path, *folders: str) -> dict[str, bytes]:
    """Every file under the given folders of ``out``, by relative path."""
    found = {}
    for folder in folders:
        for path in sorted((out / folder).rglob("*")):
            if path.is_file():
                found[path.relative_to(out).as_posix()] = path.read_bytes()
    return found


@pytest.fixture
def dask_scheduler() -> Iterator[str]:
    """A real ``dask scheduler`` and two ``dask worker`` processes on 127.0.0.1; killed after."""
    pytest.importorskip("distributed")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    address, processes = dask_local.start(2, env, memory_limit="2GiB", timeout=60)
    try:
        yield address
    finally:
        dask_local.stop(processes, timeout=10)
