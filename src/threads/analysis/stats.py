"""Seeded bootstrap intervals for the comparisons the findings make.

Every comparison is a :class:`Comparison`: the two group sizes, the two means, their
difference and a percentile 95% interval of that difference from ``RESAMPLES`` bootstrap
resamples drawn by ``numpy.random.default_rng(seed)`` with the analysis seed, so the same
input and seed give the same interval. Paired figures (a reply against the comment it
answers) resample the pairs, not the two sides apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

#: Bootstrap resamples per interval.
RESAMPLES = 2000
#: Fewer comments (or pairs) than this in a group: no comparison (one value gives no spread).
MIN_GROUP = 2
#: The interval's coverage: the 2.5th to the 97.5th percentile of the resampled differences.
CONFIDENCE = 0.95


def wilson(successes: int, trials: int) -> tuple[float, float] | None:
    """The Wilson score 95% interval of a proportion (None for no trials): unlike the normal
    approximation it stays inside 0..1 and says "0 to 66%" for 2 of 2, not "100 to 100%"."""
    if trials <= 0:
        return None
    from scipy.stats import binomtest

    found = binomtest(successes, trials).proportion_ci(CONFIDENCE, method="wilson")
    return (_r(found.low), _r(found.high))


def _r(value: float) -> float:
    return round(float(value), 6)


@dataclass(frozen=True)
class Comparison:
    """A difference of means (``first`` minus ``second``) with its bootstrap 95% interval.

    For a paired comparison both sizes are the number of pairs and ``difference`` is the mean
    of the per-pair differences.
    """

    first_size: int  # comments (or pairs) in the first group
    second_size: int  # comments (or pairs) in the second group
    first_mean: float
    second_mean: float
    difference: float  # first_mean - second_mean (paired: mean of the differences)
    low: float  # 2.5th percentile of the resampled differences
    high: float  # 97.5th percentile
    paired: bool
    resamples: int = RESAMPLES

    @property
    def clear(self) -> bool:
        """True when the interval leaves out zero: the data show a difference of that sign."""
        return not self.low <= 0.0 <= self.high

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "clear": self.clear}


#: Resampled indices drawn at once, at most: 2,000 resamples of 100,000 replies would be 1.6 GB
#: of indices; drawn in blocks of rows, the generator gives the same numbers in the same order.
BLOCK = 1_000_000


def _resampled_means(values: np.ndarray, rng: np.random.Generator, resamples: int) -> np.ndarray:
    """The means of ``resamples`` bootstrap resamples of ``values``, in bounded memory."""
    n = len(values)
    rows = max(1, BLOCK // n)
    means = np.empty(resamples)
    for start in range(0, resamples, rows):
        stop = min(resamples, start + rows)
        means[start:stop] = values[rng.integers(0, n, size=(stop - start, n))].mean(axis=1)
    return means


def _interval(resampled: np.ndarray) -> tuple[float, float]:
    tail = (1 - CONFIDENCE) / 2 * 100
    low, high = np.percentile(resampled, [tail, 100 - tail])
    return _r(low), _r(high)


def compare_groups(
    first: Sequence[float], second: Sequence[float], seed: int, resamples: int = RESAMPLES
) -> Comparison | None:
    """Mean of ``first`` minus mean of ``second``, each group resampled on its own.

    None when a group has fewer than ``MIN_GROUP`` values.
    """
    a, b = np.asarray(first, dtype=float), np.asarray(second, dtype=float)
    if min(len(a), len(b)) < MIN_GROUP:
        return None
    rng = np.random.default_rng(seed)
    means_a = _resampled_means(a, rng, resamples)
    means_b = _resampled_means(b, rng, resamples)
    low, high = _interval(means_a - means_b)
    return Comparison(
        first_size=len(a),
        second_size=len(b),
        first_mean=_r(a.mean()),
        second_mean=_r(b.mean()),
        difference=_r(a.mean() - b.mean()),
        low=low,
        high=high,
        paired=False,
        resamples=resamples,
    )


def compare_pairs(
    first: Sequence[float], second: Sequence[float], seed: int, resamples: int = RESAMPLES
) -> Comparison | None:
    """Mean of ``first[i] - second[i]`` over the pairs, the pairs resampled together.

    None when there are fewer than ``MIN_GROUP`` pairs.
    """
    a, b = np.asarray(first, dtype=float), np.asarray(second, dtype=float)
    if len(a) != len(b):
        raise ValueError(f"paired groups must have the same size; got {len(a)} and {len(b)}")
    if len(a) < MIN_GROUP:
        return None
    differences = a - b
    rng = np.random.default_rng(seed)
    resampled = _resampled_means(differences, rng, resamples)
    low, high = _interval(resampled)
    return Comparison(
        first_size=len(a),
        second_size=len(b),
        first_mean=_r(a.mean()),
        second_mean=_r(b.mean()),
        difference=_r(differences.mean()),
        low=low,
        high=high,
        paired=True,
        resamples=resamples,
    )
