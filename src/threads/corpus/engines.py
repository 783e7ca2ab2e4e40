"""Where the page tasks run: this process, local worker processes, or a Dask cluster.

Every engine maps one task function over batches of jobs and yields each batch's results
as it finishes, in any order; the driver never depends on that order. Local workers are
started with the ``spawn`` method (never ``fork``: a forked copy of a process that has used
OpenMP can hang). A task uses one process and one BLAS thread, so a worker never starts
pools of its own.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import CancelledError, Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import Any, Protocol, TypeVar

from threads.analysis import library_versions
from threads.errors import OptionError, ThreadsError
from threads.pools import available_cores, process_pool

J = TypeVar("J")
R = TypeVar("R")

#: Pages up to this many bytes are batched together into tasks of about this size
#: (~1,000 comments), so a task's overhead stays small next to its work.
BATCH_BYTES = 300_000
#: Never more pages than this in one batch (progress would be too coarse).
BATCH_PAGES = 64


class Engine(Protocol):
    """Runs ``function(batch)`` for every batch; yields (batch, result) as each finishes.

    An engine with workers of its own starts the tasks when ``map_unordered`` is called,
    so the caller can do other work before it reads the results; ``abort`` stops them.
    """

    name: str
    workers: int

    def map_unordered(
        self, function: Callable[[Sequence[J]], R], batches: Sequence[Sequence[J]]
    ) -> Iterator[tuple[Sequence[J], R]]: ...

    def restart(self) -> None:
        """Replace workers lost to a crash (after ``WorkersLost``)."""

    def abort(self) -> None: ...

    def close(self) -> None: ...


def batches_of(jobs: Sequence[J], size: Callable[[J], int]) -> list[list[J]]:
    """Largest first; large pages alone, small ones together up to BATCH_BYTES."""
    ordered = sorted(jobs, key=lambda job: -size(job))
    batches: list[list[J]] = []
    current: list[J] = []
    weight = 0
    for job in ordered:
        if size(job) >= BATCH_BYTES:
            batches.append([job])
            continue
        if current and (weight + size(job) > BATCH_BYTES or len(current) >= BATCH_PAGES):
            batches.append(current)
            current, weight = [], 0
        current.append(job)
        weight += size(job)
    if current:
        batches.append(current)
    return batches


class InProcess:
    """Every task in the calling process, one after the other (``--workers 1``)."""

    name = "this process"
    workers = 1

    def map_unordered(
        self, function: Callable[[Sequence[J]], R], batches: Sequence[Sequence[J]]
    ) -> Iterator[tuple[Sequence[J], R]]:
        for batch in batches:
            yield batch, function(batch)

    def restart(self) -> None:
        pass

    def abort(self) -> None:
        pass

    def close(self) -> None:
        pass


def _stop_on_term(signum: int, frame: object) -> None:
    """A worker's SIGTERM: the pool would catch an exception and go on with the next task,
    so leave now, without the temporary file of the part being written."""
    from threads._atomic import remove_in_progress

    remove_in_progress()
    os._exit(128 + signum)


class WorkersLost(ThreadsError):
    """Worker processes died (killed, or out of memory) while running these batches."""

    def __init__(self, batches: Sequence[Sequence[Any]]) -> None:
        super().__init__(
            f"a worker process died (killed, or out of memory) during {len(batches)} task(s)"
        )
        self.batches = list(batches)


class LocalProcesses:
    """``workers`` spawned worker processes on this machine."""

    name = "local processes"

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        # Spawned, never forked: a forked copy of a process that has used OpenMP can hang.
        return process_pool(self.workers, "spawn", on_term=_stop_on_term)

    def map_unordered(
        self, function: Callable[[Sequence[J]], R], batches: Sequence[Sequence[J]]
    ) -> Iterator[tuple[Sequence[J], R]]:
        pending = {self._pool.submit(function, batch): batch for batch in batches}
        return self._finished(pending)

    def _finished(self, pending: dict[Future[R], Sequence[J]]) -> Iterator[tuple[Sequence[J], R]]:
        lost: list[Sequence[J]] = []
        try:
            # One waiter over every task (wait() in a loop would scan all of them per task
            # done: quadratic in the tasks, seconds of driver time at 100,000 pages).
            for future in as_completed(pending):
                batch = pending.pop(future)
                try:
                    result = future.result()
                except BrokenProcessPool:
                    lost.append(batch)  # every task not finished when a worker died
                    continue
                yield batch, result
        except BaseException:  # Ctrl-C: stop the workers now, not after their current page
            self.abort()
            raise
        finally:
            for future in pending:
                future.cancel()
        if lost:
            raise WorkersLost(lost)

    def restart(self) -> None:
        """New workers in place of a pool one of whose workers died."""
        self.abort()
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._pool = self._new_pool()

    def abort(self) -> None:
        processes = list(getattr(self._pool, "_processes", {}).values())
        for process in processes:
            process.terminate()
        for process in processes:
            process.join()

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


def isolating(
    engine: Engine,
    function: Callable[[Sequence[J]], R],
    batches: Sequence[Sequence[J]],
    lost: Callable[[J], R],
) -> Iterator[tuple[Sequence[J], R]]:
    """``engine.map_unordered`` (the tasks start now), surviving workers that die: the
    jobs of the tasks lost are run again one at a time, each alone, and a job whose worker
    dies again gives ``lost(job)`` (one job's result, as ``function([job])`` returns it)."""
    first = engine.map_unordered(function, batches)

    def results() -> Iterator[tuple[Sequence[J], R]]:
        retry: list[J] = []
        try:
            yield from first
        except WorkersLost as error:
            retry = [job for batch in error.batches for job in batch]
            engine.restart()
        for job in retry:
            try:
                yield from engine.map_unordered(function, [[job]])
            except WorkersLost:
                engine.restart()
                yield [job], lost(job)

    return results()


class DaskCluster:
    """Tasks on the workers of a ``dask.distributed`` cluster (``client``)."""

    name = "dask"

    def __init__(self, client: Any) -> None:
        self.client = client
        self._submitted: list[dict[str, tuple[Any, Sequence[Any]]]] = []
        check_versions(client)
        self.workers = len(client.scheduler_info().get("workers", {}))

    def map_unordered(
        self, function: Callable[[Sequence[J]], R], batches: Sequence[Sequence[J]]
    ) -> Iterator[tuple[Sequence[J], R]]:
        # Largest first: Dask runs tasks of equal priority roughly in submission order.
        futures = {}
        for rank, batch in enumerate(batches):
            future = self.client.submit(function, batch, pure=False, priority=-rank)
            futures[future.key] = (future, batch)
        self._submitted.append(futures)
        return self._finished(futures)

    def _finished(
        self, futures: dict[str, tuple[Any, Sequence[J]]]
    ) -> Iterator[tuple[Sequence[J], Any]]:
        from distributed import KilledWorker, as_completed

        lost: list[Sequence[J]] = []
        try:
            running = [f for f, _ in futures.values()]
            for future in as_completed(running, loop=self.client.loop):  # type: ignore[no-untyped-call]
                _, batch = futures.pop(future.key)
                try:
                    result = future.result()
                except KilledWorker:  # Dask gave up after the task killed several workers
                    lost.append(batch)
                    continue
                yield batch, result
        except (OSError, TimeoutError, CancelledError):
            # Which error Dask raises (CommClosedError, FutureCancelledError, ...) depends on
            # timing, so the message names the event, not the class.
            raise ThreadsError(
                f"dask scheduler {self.address}: the connection was lost; "
                "pages already done are kept: run again to finish"
            ) from None
        finally:
            for future, _ in futures.values():
                future.cancel()
        if lost:
            raise WorkersLost(lost)

    @property
    def address(self) -> str:
        return str(getattr(self.client, "scheduler", None) and self.client.scheduler.address)

    def restart(self) -> None:
        pass  # Dask replaces a worker that died

    def abort(self) -> None:
        for futures in self._submitted:
            for future, _ in futures.values():
                future.cancel()

    def close(self) -> None:
        pass


def check_versions(client: Any) -> None:
    """Refuse a cluster whose workers run other versions of the libraries behind the
    figures (threads, numpy, scikit-learn, VADER...) than this process, or of Dask's own."""
    try:
        client.get_versions(check=True)
    except ValueError as error:
        raise ThreadsError(f"dask cluster: mismatched versions ({_first_line(error)})") from None
    here = library_versions()
    found = client.run(library_versions)
    if not found:
        raise ThreadsError("dask cluster: no workers connected")
    for worker, versions in sorted(found.items()):
        for package, version in here.items():
            if versions.get(package) != version:
                raise ThreadsError(
                    f"dask worker {worker}: {package} {versions.get(package)} "
                    f"but {version} here; install the same versions everywhere"
                )


def _first_line(error: BaseException) -> str:
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return "; ".join(lines[:3])


def make_engine(
    client: Any = None, workers: int | None = None, scheduler: str | None = None
) -> tuple[Engine, Any]:
    """The engine asked for, and a client to close afterwards (one we opened), or None."""
    if workers is not None and (isinstance(workers, bool) or workers < 1):
        raise OptionError("workers", f"must be a whole number >= 1; got {workers!r}")
    if scheduler is not None and client is None:
        client = connect(scheduler)
        try:
            return DaskCluster(client), client
        except BaseException:
            client.close()
            raise
    if client is not None:
        return DaskCluster(client), None
    if workers == 1:  # asked for: no worker to start, and no isolation from a crashing page
        return InProcess(), None
    # The default always has worker processes, one core or many: a page that crashes its
    # worker is isolated and the run goes on.
    return LocalProcesses(workers or available_cores()), None


def automatic(batches: int) -> Engine:
    """Without --workers: a worker process per core, no more than there are batches, so
    that a page that crashes Python is isolated; none when there is nothing to run."""
    if batches == 0:
        return InProcess()
    return LocalProcesses(min(available_cores(), batches))


def too_few_workers(engine: Engine, batches: int) -> bool:
    """Whether an automatic engine made for fewer batches should give way to a larger one."""
    if batches == 0:
        return False
    return isinstance(engine, InProcess) or engine.workers < min(available_cores(), batches)


#: Seconds to wait for a Dask scheduler to answer (connection and handshake).
CONNECT_SECONDS = 10.0


def connect(scheduler: str) -> Any:
    """A client of the Dask scheduler at ``scheduler``, or one error naming the address.

    Dask's own timeout covers the TCP connection, not its handshake: a port that accepts
    and never answers would hold the run for minutes. The client is made in a thread given
    CONNECT_SECONDS in all.
    """
    import threading

    try:
        from distributed import Client
    except ImportError:
        raise OptionError("scheduler", "needs Dask: pip install 'threads[dask]'") from None
    made: list[Any] = []
    failed: list[BaseException] = []

    def make() -> None:
        try:
            made.append(Client(scheduler, timeout=CONNECT_SECONDS, set_as_default=False))  # type: ignore[no-untyped-call]
        except BaseException as error:  # reported by the caller below
            failed.append(error)

    thread = threading.Thread(target=make, name="threads-dask-connect", daemon=True)
    thread.start()
    thread.join(CONNECT_SECONDS + 1)
    if made:
        return made[0]
    if failed and not isinstance(failed[0], (OSError, TimeoutError, ValueError)):
        raise failed[0]
    reason = (
        _first_line(failed[0]) or type(failed[0]).__name__
        if failed
        else f"no answer within {CONNECT_SECONDS:g} s"
    )
    raise ThreadsError(f"{scheduler}: cannot connect to the Dask scheduler ({reason})")


#: The loggers a lost or unanswering scheduler makes write (tracebacks included): the run
#: says it in one error instead.
_DASK_LOGGERS = ("distributed", "tornado", "asyncio")


@contextmanager
def quiet_dask_logs() -> Iterator[None]:
    """Silence Dask's own logging for a client threads opened (not for a caller's)."""
    import logging

    try:
        import distributed  # noqa: F401 - its loggers exist (with their own levels) from here
    except ImportError:
        pass  # connect() says what to install

    names = [*_DASK_LOGGERS, *logging.root.manager.loggerDict]
    loggers = [
        logging.getLogger(n) for n in dict.fromkeys(names) if n.split(".")[0] in _DASK_LOGGERS
    ]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)
