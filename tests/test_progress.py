"""The progress callback of ``make_report``: every long stage, in order, up to its total."""

from __future__ import annotations

from pathlib import Path

import pytest

import threads
from threads.pipeline import make_report

from .conftest import SOURCE


@pytest.mark.slow
def test_the_callback_hears_each_stage_in_order_up_to_its_total(tmp_path: Path) -> None:
    calls: list[tuple[str, int, int]] = []
    discussion = threads.load(SOURCE)
    make_report(
        discussion, clusters=3, out=tmp_path / "r.html", progress=lambda *c: calls.append(c)
    )
    stages = [stage for stage, _, _ in calls]
    order = list(dict.fromkeys(stages))
    assert order == ["scoring sentiment", "drawing charts", "writing files"]
    assert stages == sorted(stages, key=order.index)  # no stage comes back
    for stage in order:
        counts = [(done, total) for s, done, total in calls if s == stage]
        assert counts[0][0] == 0 and counts[-1][0] == counts[-1][1]  # from 0 to the total
        assert [d for d, _ in counts] == sorted(d for d, _ in counts)
    assert calls[-1] == ("writing files", 1, 1)
    assert ("scoring sentiment", len(discussion), len(discussion)) in calls
