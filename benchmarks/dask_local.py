"""A real Dask cluster on 127.0.0.1 (a ``dask scheduler`` and ``dask worker`` processes), for
the corpus benchmark and the corpus tests alike."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start(
    workers: int, env: Mapping[str, str], memory_limit: str = "0", timeout: float = 90
) -> tuple[str, list[subprocess.Popen[bytes]]]:
    """The scheduler's address and the processes (scheduler first), once ``workers``
    single-thread workers have joined; everything started is stopped if they do not."""
    from distributed import Client

    binary = str(Path(sys.executable).parent / "dask")
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"

    def spawn(*args: str) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [binary, *args], env=dict(env), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )

    procs = [spawn("scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard")]
    try:
        for _ in range(workers):
            procs.append(
                spawn("worker", address, "--nthreads", "1", "--nworkers", "1", "--host",
                      "127.0.0.1", "--no-dashboard", "--memory-limit", memory_limit)
            )  # fmt: skip
        deadline = time.monotonic() + timeout
        while True:
            try:
                with Client(address, timeout=5) as client:  # type: ignore[no-untyped-call]
                    client.wait_for_workers(workers, timeout=max(deadline - time.monotonic(), 1))
                return address, procs
            except (OSError, TimeoutError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
    except BaseException:
        stop(procs)
        raise


def stop(procs: list[subprocess.Popen[bytes]], timeout: float = 15) -> None:
    """Terminate the workers, then the scheduler; kill what does not stop in ``timeout``."""
    for proc in reversed(procs):
        proc.terminate()
    for proc in reversed(procs):
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
