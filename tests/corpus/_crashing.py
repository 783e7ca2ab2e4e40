"""Tasks that kill their worker process, importable by a spawned worker (for the fault tests)."""

from __future__ import annotations

import os
from collections.abc import Sequence

from threads.corpus import task

#: A page whose name holds this kills the worker analysing it.
POISON = "poison"


def doubled(batch: Sequence[object]) -> list[object]:
    """Each job twice over; a job equal to POISON ends the process at once."""
    if POISON in batch:
        os._exit(9)
    return [2 * job for job in batch]  # type: ignore[operator]


def run_batch(jobs: Sequence[task.PageJob]) -> list[task.PageResult]:
    """``task.run_batch``, but a poison page kills its worker as a crash in a library would."""
    if any(POISON in job.page for job in jobs):
        os._exit(9)
    return task.run_batch(jobs)
