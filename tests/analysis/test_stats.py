"""The one bootstrap helper: resamples drawn in blocks, resampled means, percentile intervals,
shared by the findings' comparisons and ``threads agree``."""

from __future__ import annotations

import numpy as np
import pytest

from threads.analysis import stats


@pytest.mark.parametrize("draw", list(stats.Draw))
def test_blocks_draw_the_same_resamples_as_one_block(draw: stats.Draw) -> None:
    def drawn(rows: int) -> np.ndarray:
        rng = np.random.default_rng(7)
        return np.concatenate(list(stats.resample_blocks(rng, 9, 50, draw=draw, rows=rows)))

    whole = drawn(50)
    assert whole.shape == (50, 9)
    assert all((drawn(rows) == whole).all() for rows in (1, 7, 49))


def test_counts_say_how_often_each_unit_is_drawn() -> None:
    rng = np.random.default_rng(0)
    (counts,) = stats.resample_blocks(rng, 5, 20, draw=stats.Draw.COUNTS, rows=20)
    assert (counts.sum(axis=1) == 5).all() and counts.min() >= 0


@pytest.mark.parametrize("draw", list(stats.Draw))
def test_resampled_means_are_means_of_the_resamples(draw: stats.Draw) -> None:
    values = np.array([1.0, 2.0, 4.0, 8.0])
    means = stats.resampled_means(values, np.random.default_rng(1), 30, draw=draw)
    (picked,) = stats.resample_blocks(np.random.default_rng(1), 4, 30, draw=draw, rows=30)
    weights = (
        picked
        if draw is stats.Draw.COUNTS
        else np.stack([np.bincount(p, minlength=4) for p in picked])
    )
    assert means == pytest.approx(weights @ values / 4)


def test_percentile_interval_is_the_middle_95_percent() -> None:
    assert stats.percentile_interval(np.arange(1001.0)) == (25.0, 975.0)
