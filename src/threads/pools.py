"""Process and thread pools: the one way threads starts worker processes, and the one
lookup of the BLAS and OpenMP thread pools it limits.

:func:`process_pool` makes the worker processes of both pools threads runs: a report's
forked workers (:mod:`threads.workers`) and a corpus run's spawned ones
(:mod:`threads.corpus.engines`); each caller chooses its start method and says why. Every
worker leaves Ctrl-C to its parent and dies with it, however the parent dies.

:func:`one_thread` keeps the numeric libraries' thread pools to one thread for a block.
"""

from __future__ import annotations

import functools
import importlib
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from contextlib import AbstractContextManager
from typing import Any, Literal

#: How a pool starts its workers (see :func:`process_pool`).
StartMethod = Literal["fork", "spawn"]
#: A signal handler, as ``signal.signal`` takes it: ``handler(signum, frame)``.
Handler = Callable[[int, Any], None]

#: How often a worker checks that its parent is still there (where PR_SET_PDEATHSIG is not).
PARENT_CHECK_SECONDS = 0.5
#: prctl's option asking the kernel for a signal when the parent dies (linux/prctl.h).
_PR_SET_PDEATHSIG = 1


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity, which a container or ``taskset``
    may narrow below the machine's count), at least 1: the one count every pool sizes by."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return os.cpu_count() or 1


def process_pool(
    processes: int, method: StartMethod, on_term: Handler | None = None
) -> ProcessPoolExecutor:
    """``processes`` worker processes started with ``method``, each set up by
    :func:`_worker_start`: Ctrl-C ignored, SIGTERM handled by ``on_term`` (a module-level
    function, so a spawned worker can import it; None: the default, end the worker), and
    dying with this process."""
    return ProcessPoolExecutor(
        processes,
        mp_context=multiprocessing.get_context(method),
        initializer=_worker_start,
        initargs=(os.getpid(), on_term),
    )


def _worker_start(parent: int, on_term: Handler | None) -> None:
    """Run first in each worker: it must never outlive the command that started it.

    The parent stops its workers when it ends normally or by a signal it handles (SIGINT,
    SIGTERM, SIGHUP unwind its ``with`` blocks). Killed outright (SIGKILL), it cannot: then
    :func:`die_with_parent` ends the worker. Interrupts are the parent's to handle.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole process group
    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is not None and callable(signal.getsignal(number)):
            signal.signal(number, signal.SIG_DFL)  # the parent's handler, inherited by a fork
    if on_term is not None:
        signal.signal(signal.SIGTERM, on_term)
    die_with_parent(parent)


def die_with_parent(parent: int) -> None:
    """End this process when ``parent`` (its parent) dies, however it dies: the kernel's
    PR_SET_PDEATHSIG on Linux, else a watcher thread. Call first in a worker."""
    if not _die_with_parent():
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # the parent died before the watch began
        os._exit(1)


def _die_with_parent() -> bool:
    """Ask the kernel to SIGKILL this process when its parent dies (Linux only)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        prctl = libc.prctl
    except (OSError, AttributeError):
        return False
    return bool(prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0)


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(1)


#: The libraries whose BLAS and OpenMP pools :func:`one_thread` limits, imported before the
#: pools are looked up: threadpoolctl finds only the libraries already loaded.
NUMERIC_LIBRARIES = ("numpy", "scipy.linalg", "sklearn.cluster")


@functools.cache
def thread_pools() -> Any:
    """The BLAS and OpenMP pools of :data:`NUMERIC_LIBRARIES`, looked up once per process:
    ``threadpool_limits`` looks them up on every call (about 3 ms), which was 6% of a small
    page's work, and every small page asks for one thread."""
    from threadpoolctl import ThreadpoolController

    for name in NUMERIC_LIBRARIES:
        importlib.import_module(name)
    return ThreadpoolController()


def one_thread() -> AbstractContextManager[Any]:
    """A block in which the BLAS and OpenMP pools use one thread."""
    limit: AbstractContextManager[Any] = thread_pools().limit(limits=1)
    return limit
