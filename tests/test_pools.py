"""The one process-pool helper: workers of either start method run tasks in child processes,
leave Ctrl-C to their parent, take SIGTERM as told, and die with their parent."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.test_reliability_signals import alive, wait_until
from threads.pools import StartMethod, available_cores, one_thread, process_pool, thread_pools

ROOT = Path(__file__).resolve().parents[1]
METHODS: list[StartMethod] = ["fork", "spawn"]
#: prctl's option reading the signal the kernel sends when the parent dies (linux/prctl.h).
PR_GET_PDEATHSIG = 2


def square_and_pid(x: int) -> tuple[int, int]:
    return x * x, os.getpid()


def on_term(signum: int, frame: Any) -> None:
    os._exit(128 + signum)


def worker_setup(*_: object) -> tuple[bool, str, int]:
    """In a worker: whether Ctrl-C is ignored, its SIGTERM handler's name, and the signal the
    kernel sends it when its parent dies (0: none; Linux only, else 0)."""
    term = signal.getsignal(signal.SIGTERM)
    death = 0
    if sys.platform.startswith("linux"):
        import ctypes

        found = ctypes.c_int()
        ctypes.CDLL(None, use_errno=True).prctl(PR_GET_PDEATHSIG, ctypes.byref(found), 0, 0, 0)
        death = found.value
    name = getattr(term, "__name__", None) or str(term)
    return signal.getsignal(signal.SIGINT) == signal.SIG_IGN, name, death


@pytest.mark.parametrize("method", METHODS)
def test_a_pool_runs_a_task_in_a_child_process(method: StartMethod) -> None:
    pool = process_pool(1, method)
    try:
        square, pid = pool.submit(square_and_pid, 7).result(timeout=60)
    finally:
        pool.shutdown(wait=True)
    assert square == 49
    assert pid != os.getpid()


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("handler", [None, on_term], ids=["default", "on_term"])
def test_workers_leave_ctrl_c_to_the_parent_and_take_sigterm_as_told(
    method: StartMethod, handler: Any
) -> None:
    # The parent's own SIGTERM handler (as the CLI installs one) is never the worker's: a
    # forked worker inherits it and must drop it.
    previous = signal.signal(signal.SIGTERM, lambda signum, frame: None)
    try:
        pool = process_pool(1, method, on_term=handler)
        try:
            ignores_ctrl_c, term, death = pool.submit(worker_setup).result(timeout=60)
        finally:
            pool.shutdown(wait=True)
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert ignores_ctrl_c
    assert term == ("on_term" if handler else str(signal.SIG_DFL))
    if sys.platform.startswith("linux"):
        assert death == signal.SIGKILL


#: A parent that starts one worker, prints the worker's pid, then waits to be killed.
PARENT = """
import os, sys, time
from threads.pools import process_pool
pool = process_pool(1, sys.argv[1])
print(pool.submit(os.getpid).result(), flush=True)
time.sleep(60)
"""


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux's /proc")
@pytest.mark.parametrize("method", METHODS)
def test_a_worker_dies_with_its_parent_killed_outright(method: StartMethod) -> None:
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT, method],
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert parent.stdout is not None
        worker = int(parent.stdout.readline())
        assert worker != parent.pid and alive(worker)
        parent.send_signal(signal.SIGKILL)
        parent.wait(10)
        assert wait_until(lambda: not alive(worker), 10), f"worker {worker} outlived its parent"
    finally:
        parent.kill()
        parent.wait()
        if parent.stdout is not None:
            parent.stdout.close()


def test_one_thread_limits_the_pools_it_looked_up_once() -> None:
    assert thread_pools() is thread_pools()
    with one_thread():
        assert {pool["num_threads"] for pool in thread_pools().info()} == {1}


@pytest.mark.skipif(not hasattr(os, "sched_getaffinity"), reason="needs CPU affinity")
def test_every_pool_counts_the_cores_this_process_may_use(monkeypatch: pytest.MonkeyPatch) -> None:
    # Under ``taskset -c 0`` (or a one-CPU container) on a many-core machine: no worker
    # process, and one embedding thread, as on a one-core machine.
    from threads.analysis import embeddings
    from threads.workers import Workers

    monkeypatch.setattr(os, "cpu_count", lambda: 16)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0})
    assert available_cores() == 1
    assert Workers().processes == 0
    assert embeddings._threads() == 1
