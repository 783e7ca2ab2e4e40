"""Seeded bootstrap intervals: the one resampling helper, and the findings' comparisons.

Every bootstrap interval the tool prints (the findings here, ``threads agree`` in
:mod:`threads.analysis.agreement`) comes from :func:`resample_blocks`, a percentile 95%
interval (:func:`percentile_interval`) of ``RESAMPLES`` resamples drawn by a seeded
``numpy.random.Generator``, so the same input and seed give the same interval.

Every comparison is a :class:`Comparison`: the two group sizes, the two means, their
difference and the interval of that difference, seeded with the analysis seed. Paired
figures (a reply against the comment it answers) resample the pairs, not the two sides apart.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

#: Every figure is rounded to this many decimals, so outputs are byte-identical across runs.
ROUND = 6
#: Bootstrap resamples per interval (every interval the tool prints).
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
    return (rounded(found.low), rounded(found.high))


def rounded(value: float) -> float:
    return round(float(value), ROUND)


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


class Draw(enum.Enum):
    """How a bootstrap resample of ``n`` units is drawn. Both are the ordinary bootstrap, but
    they consume the random stream differently, so the same seed gives other resamples: each
    caller keeps the draw its recorded figures were made with."""

    #: Which unit each of the ``n`` draws picks: ``rng.integers(0, n, (rows, n))``.
    INDICES = "indices"
    #: How often each unit is picked: ``rng.multinomial(n, [1/n] * n, rows)``.
    COUNTS = "counts"


def resample_blocks(
    rng: np.random.Generator, units: int, resamples: int, *, draw: Draw, rows: int
) -> Iterator[np.ndarray]:
    """``resamples`` bootstrap resamples of ``units`` units (``units`` > 0), one row each,
    in blocks of at most ``rows`` rows to bound memory. Blocks draw the same resamples in the
    same order as one block would; a statistic over a block can still differ in its last bit
    from the same statistic over one block (matrix products), so callers keep their blocking.
    """
    for start in range(0, resamples, rows):
        size = min(rows, resamples - start)
        if draw is Draw.INDICES:
            yield rng.integers(0, units, size=(size, units))
        else:
            yield rng.multinomial(units, np.full(units, 1 / units), size=size)


def resampled_means(
    values: np.ndarray,
    rng: np.random.Generator,
    resamples: int = RESAMPLES,
    *,
    draw: Draw = Draw.INDICES,
    rows: int | None = None,
) -> np.ndarray:
    """The mean of ``values`` in each of ``resamples`` bootstrap resamples (blocks of
    ``rows`` resamples; by default as many as keep a block of indices under ``BLOCK``)."""
    n = len(values)
    blocks = resample_blocks(rng, n, resamples, draw=draw, rows=rows or max(1, BLOCK // n))
    if draw is Draw.INDICES:
        return np.concatenate([values[picked].mean(axis=1) for picked in blocks])
    return np.concatenate([counts @ values / n for counts in blocks])


def percentile_interval(draws: np.ndarray) -> tuple[float, float]:
    """The ``CONFIDENCE`` percentile interval of the resampled ``draws``, rounded."""
    tail = (1 - CONFIDENCE) / 2 * 100
    low, high = np.percentile(draws, [tail, 100 - tail])
    return rounded(low), rounded(high)


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
    means_a = resampled_means(a, rng, resamples)
    means_b = resampled_means(b, rng, resamples)
    low, high = percentile_interval(means_a - means_b)
    return Comparison(
        first_size=len(a),
        second_size=len(b),
        first_mean=rounded(a.mean()),
        second_mean=rounded(b.mean()),
        difference=rounded(a.mean() - b.mean()),
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
    low, high = percentile_interval(resampled_means(differences, rng, resamples))
    return Comparison(
        first_size=len(a),
        second_size=len(b),
        first_mean=rounded(a.mean()),
        second_mean=rounded(b.mean()),
        difference=rounded(differences.mean()),
        low=low,
        high=high,
        paired=True,
        resamples=resamples,
    )
