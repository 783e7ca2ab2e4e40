"""Engines: batching (largest first, small pages together), and a cluster whose workers
run other library versions is refused with one line."""

from __future__ import annotations

import signal
import sys
from pathlib import Path
from typing import Any

import pytest

from threads.analysis import AnalysisOptions, library_versions
from threads.corpus import engines
from threads.errors import ThreadsError

#: The word measure: these tests are about which engine runs the pages, not the measure.
WORDS = AnalysisOptions(lexical=True)


def test_large_pages_go_first_and_alone_small_ones_together() -> None:
    sizes = [10_000, 5_000_000, 20_000, 400_000, 30_000] + [1_000] * 300
    batches = engines.batches_of(sizes, lambda s: s)
    assert batches[0] == [5_000_000] and batches[1] == [400_000]
    assert batches[2][:3] == [30_000, 20_000, 10_000]
    assert sorted(s for b in batches for s in b) == sorted(sizes)
    assert all(len(b) <= engines.BATCH_PAGES for b in batches)
    assert all(sum(b) <= engines.BATCH_BYTES for b in batches[2:])


class FakeClient:
    def __init__(self, versions: dict[str, str]) -> None:
        self.versions = versions

    def get_versions(self, check: bool = False) -> dict[str, Any]:
        return {}

    def run(self, function: Any) -> dict[str, dict[str, str]]:
        return {
            "tcp://127.0.0.1:4001": library_versions(),
            "tcp://127.0.0.1:4002": self.versions,
        }

    def scheduler_info(self) -> dict[str, Any]:
        return {"workers": {"a": {}, "b": {}}}


def test_a_worker_with_other_library_versions_is_refused() -> None:
    other = {**library_versions(), "scikit-learn": "0.1"}
    with pytest.raises(ThreadsError) as caught:
        engines.DaskCluster(FakeClient(other))
    message = str(caught.value)
    assert message.startswith("dask worker tcp://127.0.0.1:4002: scikit-learn 0.1 but ")
    assert "\n" not in message


def test_matching_workers_are_accepted() -> None:
    engine = engines.DaskCluster(FakeClient(library_versions()))
    assert engine.workers == 2


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The worker counts of the local pools the corpus starts; each runs in this process
    all the same (the tests are about the choice)."""
    counts: list[int] = []

    class Recorded(engines.InProcess):
        def __init__(self, workers: int) -> None:
            self.workers = workers
            counts.append(workers)

    monkeypatch.setattr(engines, "LocalProcesses", Recorded)
    return counts


@pytest.mark.slow
def test_reports_of_cached_pages_still_run_on_every_core(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, started: list[int]
) -> None:
    from threads.corpus import driver

    from .conftest import write_corpus

    pages = write_corpus(tmp_path / "pages", {"a.txt": 20, "b.txt": 25, "c.txt": 30})
    out = tmp_path / "out"
    driver.analyze_many([pages], out=out, workers=1, reports="none", options=WORDS)
    monkeypatch.setattr(engines, "available_cores", lambda: 2)
    monkeypatch.setattr(engines, "BATCH_BYTES", 1)  # one report per task
    driver.analyze_many([pages], out=out, reports="all", options=WORDS)
    assert started == [2]  # no page to redo: no workers; three reports: two workers
    assert sorted(p.name for p in (out / "reports").glob("*.html")) == [
        "a.txt.html",
        "b.txt.html",
        "c.txt.html",
    ]


@pytest.mark.slow
def test_the_default_analyses_pages_in_a_worker_process_even_on_one_core(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, started: list[int]
) -> None:
    from threads.corpus import driver

    from .conftest import write_corpus

    pages = write_corpus(tmp_path / "pages", {"a.txt": 20, "b.txt": 25})
    monkeypatch.setattr(engines, "available_cores", lambda: 1)
    driver.analyze_many([pages], out=tmp_path / "out", reports="none", options=WORDS)
    assert started == [1]  # a page that crashes Python ends a worker, not the run
    driver.analyze_many([pages], out=tmp_path / "again", workers=1, reports="none", options=WORDS)
    assert started == [1]  # asked for: in this process


@pytest.mark.slow  # a spawned worker imports the whole analysis: about 4 s of CPU
def test_local_workers_leave_ctrl_c_to_the_driver_clean_up_on_sigterm_and_die_with_it() -> None:
    # The workers' start is the pools' one (tests/test_pools.py kills a parent outright).
    from tests.test_pools import worker_setup

    engine = engines.LocalProcesses(1)
    try:
        [(_, found)] = list(engine.map_unordered(worker_setup, [[0]]))
    finally:
        engine.close()
    ignores_ctrl_c, term, death = found
    assert ignores_ctrl_c
    assert term == "_stop_on_term"
    if sys.platform.startswith("linux"):
        assert death == signal.SIGKILL
