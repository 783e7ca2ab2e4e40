"""Engines: batching (largest first, small pages together), and a cluster whose workers
run other library versions is refused with one line."""

from __future__ import annotations

from typing import Any

import pytest

from threads.corpus import _page_api, engines
from threads.errors import ThreadsError


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
            "tcp://127.0.0.1:4001": _page_api.library_versions(),
            "tcp://127.0.0.1:4002": self.versions,
        }

    def scheduler_info(self) -> dict[str, Any]:
        return {"workers": {"a": {}, "b": {}}}


def test_a_worker_with_other_library_versions_is_refused() -> None:
    other = {**_page_api.library_versions(), "scikit-learn": "0.1"}
    with pytest.raises(ThreadsError) as caught:
        engines.DaskCluster(FakeClient(other))
    message = str(caught.value)
    assert message.startswith("dask worker tcp://127.0.0.1:4002: scikit-learn 0.1 but ")
    assert "\n" not in message


def test_matching_workers_are_accepted() -> None:
    engine = engines.DaskCluster(FakeClient(_page_api.library_versions()))
    assert engine.workers == 2
