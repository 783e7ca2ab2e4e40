"""Worker processes: results in order, the same as one process, errors passed on."""

from __future__ import annotations

import os

import pytest

from threads.workers import NO_WORKERS, Workers


def square_and_pid(x: int) -> tuple[int, int]:
    return x * x, os.getpid()


def fail_on_three(x: int) -> int:
    if x == 3:
        raise ValueError(f"bad job {x}")
    return x


def test_results_come_back_in_order_from_both_processes() -> None:
    jobs = [(x,) for x in range(200)]
    with Workers(1) as workers:
        results = workers.map(square_and_pid, jobs)
    assert [square for square, _ in results] == [x * x for x in range(200)]
    pids = {pid for _, pid in results}
    assert pids - {os.getpid()}, "no job ran in a worker process"


def test_no_workers_runs_everything_here() -> None:
    results = NO_WORKERS.map(square_and_pid, [(2,), (3,)])
    assert results == [(4, os.getpid()), (9, os.getpid())]
    assert not NO_WORKERS.start(square_and_pid, [(1,)]).parallel


def test_a_failing_job_raises_in_the_caller() -> None:
    with Workers(1) as workers, pytest.raises(ValueError, match="bad job 3"):
        workers.map(fail_on_three, [(x,) for x in range(6)])
