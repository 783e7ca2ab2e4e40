"""Worker processes: results in order, the same as one process, errors passed on."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

import threads
from threads.pipeline import make_report
from threads.workers import NO_WORKERS, Workers, config_context

from .conftest import write_thread_page


def square_and_pid(x: int, pause: float = 0.0) -> tuple[int, int]:
    time.sleep(pause)
    return x * x, os.getpid()


def fail_on_three(x: int) -> int:
    if x == 3:
        raise ValueError(f"bad job {x}")
    return x


def test_results_come_back_in_order_from_both_processes() -> None:
    # 100 jobs of 20 ms: the caller takes them from the end, the worker from the start.
    jobs = [(x, 0.02) for x in range(100)]
    with Workers(1) as workers:
        results = workers.map(square_and_pid, jobs)
    assert [square for square, _ in results] == [x * x for x in range(100)]
    pids = {pid for _, pid in results}
    assert pids - {os.getpid()}, "no job ran in a worker process"


def test_no_workers_runs_everything_here() -> None:
    results = NO_WORKERS.map(square_and_pid, [(2,), (3,)])
    assert results == [(4, os.getpid()), (9, os.getpid())]
    assert not NO_WORKERS.start(square_and_pid, [(1,)]).parallel


def test_a_failing_job_raises_in_the_caller() -> None:
    with Workers(1) as workers, pytest.raises(ValueError, match="bad job 3"):
        workers.map(fail_on_three, [(x,) for x in range(6)])


# A report in worker processes and one in this process (about 10 s with words; with the
# bundled model the worker runs it itself, the tests' memo being this process's: about 18 s
# more). CI runs both measures.
@pytest.mark.parametrize("lexical", [True, False], ids=["lexical", "minilm"])
@pytest.mark.slow
def test_report_with_workers_is_byte_identical_to_one_process(
    tmp_path: Path, lexical: bool
) -> None:
    discussion = threads.load(write_thread_page(tmp_path / "page.txt", 700))  # 2,100 comments
    with config_context(processes=1):
        parallel = make_report(
            discussion, clusters=3, lexical=lexical, out=tmp_path / "a" / "r.html"
        )
    with config_context(processes=0):
        serial = make_report(discussion, clusters=3, lexical=lexical, out=tmp_path / "b" / "r.html")
    for one, other in [(parallel.html, serial.html), (parallel.json, serial.json),
                       (parallel.csv, serial.csv)]:  # fmt: skip
        assert one.read_bytes() == other.read_bytes()
