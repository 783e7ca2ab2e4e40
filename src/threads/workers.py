"""Worker processes shared by the slow steps of one report: sentiment scoring and charts.

How many there are is configuration (:func:`config_context`), decided once per job by
:func:`pool_for`; the steps that use them ask for the :func:`active` ones.

Workers are forked copies of the caller, so they need no imports and work from scripts
without a ``__main__`` guard. A forked child must not use OpenMP once the parent has, so jobs
here are pure Python (VADER, matplotlib), never scikit-learn. The caller works alongside them:
when it asks for a batch's results, it does every job no worker has started yet itself, from
the end backwards while the workers go forwards. Results are the same as doing every job in
one process, in order. Workers pay off on long discussions only: the parent's first writes
to pages it now shares with a child cost about as much as a small report's charts.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from threads.errors import OptionError
from threads.pools import available_cores, process_pool

T = TypeVar("T")

#: A caller's progress callback: ``progress(stage, done, total)`` as work completes
#: ("scoring sentiment", 4000, 10000). The library never prints; the CLI draws a bar.
Progress = Callable[[str, int, int], None]

#: Never more worker processes than this, however many cores there are.
MAX_PROCESSES = 8
#: From this many comments on, worker processes pay for themselves; below, one process is
#: faster (see the module docstring).
PARALLEL_FROM = 2000


class Workers:
    """Worker processes, started at once (``processes=None``: one per spare core).

    With ``processes=0`` every job runs in the caller's process. Use as a context manager:
    leaving the block stops the workers, also when the caller fails.
    """

    def __init__(self, processes: int | None = None) -> None:
        if processes is None:
            processes = min(available_cores() - 1, MAX_PROCESSES)
        if "fork" not in multiprocessing.get_all_start_methods():  # Windows
            processes = 0
        self.processes = max(processes, 0)
        self._pool: ProcessPoolExecutor | None = None
        if self.processes:
            # Forked: a worker needs no imports and the caller no ``__main__`` guard (see
            # the module docstring for why the jobs never use OpenMP).
            self._pool = process_pool(self.processes, "fork")
            self._pool.submit(int)  # forks the workers now, before the caller's OpenMP starts

    def start(self, function: Callable[..., T], jobs: Sequence[tuple[Any, ...]]) -> Batch[T]:
        """Hand ``function(*job)`` for each job to the workers; collect with ``results()``."""
        return Batch(self._pool, function, jobs)

    def map(self, function: Callable[..., T], jobs: Sequence[tuple[Any, ...]]) -> list[T]:
        return self.start(function, jobs).results()

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)


class Batch(Generic[T]):
    """Jobs handed to the workers (``Workers.start``)."""

    def __init__(
        self,
        pool: ProcessPoolExecutor | None,
        function: Callable[..., T],
        jobs: Sequence[tuple[Any, ...]],
    ) -> None:
        self._function = function
        self._jobs = list(jobs)
        self._futures: list[Future[T]] = (
            [pool.submit(function, *job) for job in self._jobs] if pool is not None else []
        )

    @property
    def parallel(self) -> bool:
        """True when worker processes are doing (some of) the jobs."""
        return bool(self._futures)

    def results(self, done: Callable[[int], None] | None = None) -> list[T]:
        """Every job's result, in order; the jobs no worker has started are done here.
        ``done(i)`` is called as job i completes (in the order they complete)."""
        finished = done or (lambda _: None)
        if not self._futures:
            found = []
            for i, job in enumerate(self._jobs):
                found.append(self._function(*job))
                finished(i)
            return found
        local: dict[int, T] = {}
        for i in reversed(range(len(self._futures))):
            if self._futures[i].cancel():
                local[i] = self._function(*self._jobs[i])
                finished(i)
        remote = {f: i for i, f in enumerate(self._futures) if i not in local}
        for future in as_completed(remote):
            future.result()  # a worker's error surfaces here, as before
            finished(remote[future])
        return [local[i] if i in local else f.result() for i, f in enumerate(self._futures)]


#: Every job in the caller's process.
NO_WORKERS = Workers(0)

#: ``processes`` in :func:`config_context`: decide by the size of the job.
AUTO = None


@dataclass(frozen=True)
class Config:
    """How threads runs its slow steps (see :func:`config_context`)."""

    #: Worker processes to start for a job: ``AUTO`` (one per spare core from
    #: ``PARALLEL_FROM`` comments on, none below), or a number (0: everything in this process).
    processes: int | None = AUTO


_DEFAULT = Config()
_config: ContextVar[Config] = ContextVar("threads_config", default=_DEFAULT)  # noqa: B039 (frozen)
_active: ContextVar[Workers | None] = ContextVar("threads_workers", default=None)


def get_config() -> Config:
    return _config.get()


@contextmanager
def config_context(*, processes: int | None = AUTO) -> Iterator[Config]:
    """Run the block with this execution strategy, as scikit-learn's ``config_context``
    does::

        with threads.workers.config_context(processes=0):   # everything in this process
            threads.make_report(discussion)
    """
    if processes is not None and (isinstance(processes, bool) or not isinstance(processes, int)):
        raise OptionError("processes", f"must be a whole number >= 0 or AUTO; got {processes!r}")
    token = _config.set(Config(processes=None if processes is None else max(processes, 0)))
    try:
        yield _config.get()
    finally:
        _config.reset(token)


def processes_for(comments: int) -> int | None:
    """Worker processes for a job of this many comments (None: one per spare core).

    Never any inside a daemonic process (a worker of a process pool, a Dask worker): it may
    not start children, and its engine already spreads the work.
    """
    if multiprocessing.current_process().daemon:
        return 0
    chosen = get_config().processes
    if chosen is not AUTO:
        return chosen
    return None if comments >= PARALLEL_FROM else 0


@contextmanager
def pool_for(comments: int) -> Iterator[Workers]:
    """The worker processes of the job now running: the ones a caller up the stack opened
    (so one report starts them once for its analysis and its charts), else new ones chosen by
    :func:`processes_for`, stopped when the block ends."""
    current = _active.get()
    if current is not None:
        yield current
        return
    with Workers(processes_for(comments)) as workers:
        token = _active.set(workers)
        try:
            yield workers
        finally:
            _active.reset(token)


def active() -> Workers:
    """The workers of the job now running (:func:`pool_for`), or none: jobs run here."""
    return _active.get() or NO_WORKERS
