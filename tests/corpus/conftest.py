"""Helpers for the corpus tests: small synthetic corpora, a CLI runner, a real Dask cluster."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from threads.cli import cli

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

from synth import write_page  # noqa: E402

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


@pytest.fixture(scope="session")
def small_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("corpus") / "pages")


@pytest.fixture(scope="session")
def serial_out(tmp_path_factory: pytest.TempPathFactory, small_corpus: Path) -> Path:
    out = tmp_path_factory.mktemp("serial") / "out"
    result = run(str(small_corpus), "--out", str(out), "--workers", "1", "--reports", "all")
    assert result.exit_code == 0, result.output
    return out


def files_of(out: Path, *folders: str) -> dict[str, bytes]:
    """Every file under the given folders of ``out``, by relative path."""
    found = {}
    for folder in folders:
        for path in sorted((out / folder).rglob("*")):
            if path.is_file():
                found[path.relative_to(out).as_posix()] = path.read_bytes()
    return found


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def dask_scheduler() -> Iterator[str]:
    """A real ``dask scheduler`` and two ``dask worker`` processes on 127.0.0.1; killed after."""
    pytest.importorskip("distributed")
    from distributed import Client

    bin_dir = Path(sys.executable).parent
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = {**__import__("os").environ, "PYTHONPATH": str(ROOT / "src")}
    common = ["--no-dashboard"]
    processes = [
        subprocess.Popen(
            [
                str(bin_dir / "dask"),
                "scheduler",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                *common,
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    ]
    try:
        for _ in range(2):
            processes.append(
                subprocess.Popen(
                    [
                        str(bin_dir / "dask"),
                        "worker",
                        address,
                        "--nthreads",
                        "1",
                        "--nworkers",
                        "1",
                        "--host",
                        "127.0.0.1",
                        "--memory-limit",
                        "2GiB",
                        *common,
                    ],
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
        deadline = time.monotonic() + 60
        while True:
            try:
                with Client(address, timeout=5) as client:
                    client.wait_for_workers(2, timeout=max(deadline - time.monotonic(), 1))
                break
            except (OSError, TimeoutError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        yield address
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in reversed(processes):
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
