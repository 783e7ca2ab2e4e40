"""Figures across the pages of a corpus: what the comparison page says "in brief", and the
interval of each page's off-topic share that the article table shows.

Which pages drifted most and least among those with enough comments to say so, how far
apart those two are (Newcombe's 95% interval of the difference of their off-topic shares,
built from the two Wilson intervals the article table shows), which recurring topics span
several pages, and how many pages could not be judged. Computed from the numbers each page's
row holds (comments, off-topic share and its Wilson interval), never from the page text, so
the sentences agree with the article table.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from threads.analysis import stats

if TYPE_CHECKING:
    from threads.analysis.results import Summary

#: Pages with fewer comments are not ranked: a share of 1 in 4 says little about a page.
MIN_COMMENTS = 10
#: Pages named as the most off-topic.
MOST_NAMED = 3


def off_topic_interval(summary: Summary) -> tuple[float | None, float | None]:
    """The Wilson 95% interval of a page's off-topic share over every comment (can't-tell
    ones too), or (None, None) for a page without comments: unlike a bootstrap it does not
    say "0 to 0%" for none of 5 comments."""
    return stats.wilson(summary.off_topic_comments, summary.comments) or (None, None)


@dataclass(frozen=True)
class RankedPage:
    """A page with enough comments to rank, as its row gives it."""

    position: int  # in the corpus's page order
    page: str
    comments: int
    share: float  # off-topic share of its comments
    low: float  # the row's 95% interval of the share
    high: float


@dataclass(frozen=True)
class Difference:
    """The most off-topic page's share minus the least's, with its 95% interval."""

    value: float
    low: float
    high: float

    @property
    def clear(self) -> bool:
        """The whole interval is above 0: the gap is more than chance in which comments
        a page drew."""
        return self.low > 0


@dataclass(frozen=True)
class AcrossPages:
    """The corpus in brief (see the module docstring)."""

    pages: int  # in the corpus
    failed: int  # could not be read
    no_comments: int  # read, with no comments: no share
    few_comments: int  # read, with a share but fewer than MIN_COMMENTS comments: not ranked
    ranked: int  # pages with MIN_COMMENTS comments or more
    most: tuple[RankedPage, ...]  # up to MOST_NAMED, most off-topic first (the table's order)
    least: RankedPage | None  # least off-topic of the ranked (most comments among ties);
    # None when fewer than 2 are ranked or all have one share
    tied_least: int  # other ranked pages with the least page's share
    difference: Difference | None  # most[0] minus least (None with fewer than 2 ranked)
    recurring: tuple[int, ...]  # positions, in the topics given, of those on 2 pages or more


def across_pages(
    pages: Sequence[str],
    ok: np.ndarray,
    comments: np.ndarray,
    share: np.ndarray,
    low: np.ndarray,
    high: np.ndarray,
    topic_pages: Sequence[int],
) -> AcrossPages:
    """The figures of :class:`AcrossPages` from the per-page arrays (page order; NaN share:
    none; ``low`` and ``high``: the share's Wilson 95% interval) and the number of pages of
    each recurring topic."""
    judged = ok & ~np.isnan(share)
    enough = judged & (comments >= MIN_COMMENTS)
    ranked = [
        RankedPage(i, pages[i], int(comments[i]), float(share[i]),
                   float(low[i]), float(high[i]))
        for i in map(int, np.flatnonzero(enough))
    ]  # fmt: skip
    most = sorted(ranked, key=lambda p: (-p.share, p.page))[:MOST_NAMED]
    least = min(ranked, key=lambda p: (p.share, -p.comments, p.page)) if ranked else None
    if least is not None and least.share == most[0].share:
        least = None  # one page, or every ranked page alike: nothing to compare
    elif least is not None:
        # A page as close to the subject as the closest is not also "furthest off" it.
        most = [p for p in most if p.share > least.share]
    return AcrossPages(
        pages=len(pages),
        failed=int((~ok).sum()),
        no_comments=int((ok & ~judged).sum()),
        few_comments=int((judged & ~enough).sum()),
        ranked=len(ranked),
        most=tuple(most),
        least=least,
        tied_least=sum(p.share == least.share for p in ranked) - 1 if least else 0,
        difference=_difference(most[0], least) if least else None,
        recurring=tuple(i for i, n in enumerate(topic_pages) if n >= 2),
    )


def _difference(a: RankedPage, b: RankedPage) -> Difference:
    """``a.share - b.share`` and Newcombe's hybrid score interval (his method 10, 1998): the
    two Wilson intervals combined, so it stays within -1..1 and, unlike a resampled one, has
    width when a page has no comment off-topic."""
    gap = a.share - b.share
    low = gap - math.hypot(a.share - a.low, b.high - b.share)
    high = gap + math.hypot(a.high - a.share, b.share - b.low)
    return Difference(round(gap, 6), round(low, 6), round(high, 6))
