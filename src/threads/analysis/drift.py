"""Where reply chains left the subject, given each comment's off-topic flag
(:mod:`threads.analysis.relevance`): a chain's drift point is the first comment from which
the chain stays off-topic; and similarity over stretches of the page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class ChainPaths:
    """What every chain of a page reads its hops from: each comment's parent (by position in
    page order) and figures. A chain is held as its leaf: the chains of a long reply chain
    with a side reply at each step add up to the square of the comments."""

    parents: tuple[int, ...]  # the parent's position, -1 for a top-level comment
    ids: tuple[str, ...]
    article_similarities: tuple[float, ...]
    parent_similarities: tuple[float | None, ...]

    def path(self, leaf: int) -> list[int]:
        """Positions from the top-level comment down to ``leaf``."""
        found = []
        while leaf >= 0:
            found.append(leaf)
            leaf = self.parents[leaf]
        found.reverse()
        return found


@dataclass(frozen=True)
class ChainDrift:
    """One root-to-leaf reply chain and where it left the subject (its hops are read from
    the page's :class:`ChainPaths` when asked for, not stored per chain)."""

    leaf: int  # the leaf's position in page order
    length: int  # comments in the chain
    drift_point: str | None  # first comment from which the chain stays off-topic
    paths: ChainPaths = field(repr=False, compare=False)

    @property
    def ids(self) -> tuple[str, ...]:
        """Comment ids from the top-level comment down to the leaf."""
        return tuple(self.paths.ids[i] for i in self.paths.path(self.leaf))

    @property
    def article_similarities(self) -> tuple[float, ...]:
        """Each hop's similarity to the article."""
        return tuple(self.paths.article_similarities[i] for i in self.paths.path(self.leaf))

    @property
    def parent_similarities(self) -> tuple[float | None, ...]:
        """Each hop's similarity to its parent."""
        return tuple(self.paths.parent_similarities[i] for i in self.paths.path(self.leaf))

    def to_dict(self) -> dict[str, object]:
        return {
            "ids": list(self.ids),
            "article_similarities": list(self.article_similarities),
            "parent_similarities": list(self.parent_similarities),
            "drift_point": self.drift_point,
        }

    def leaf_record(self) -> dict[str, object]:
        """The chain in the report's JSON: its leaf, length and drift point. The ids between
        follow from the comments' ``parent_id`` (listing them would make the JSON grow with
        the square of the comments: a long chain with a side reply at each step)."""
        return {
            "leaf": self.paths.ids[self.leaf],
            "length": self.length,
            "drift_point": self.drift_point,
        }


def drift_point(ids: Sequence[str], off_topic: Sequence[bool]) -> str | None:
    """The first id from which every later comment of the chain is off-topic."""
    start = None
    for index in range(len(ids) - 1, -1, -1):
        if not off_topic[index]:
            break
        start = index
    return None if start is None else ids[start]


def position_bins(similarities: Sequence[float], bins: int = 10) -> list[dict[str, float]]:
    """Mean similarity over consecutive stretches of the page (tenths, or fewer if short)."""
    n = len(similarities)
    if n == 0:
        return []
    edges = np.linspace(0, n, min(bins, n) + 1).round().astype(int)
    return [
        {
            "from_position": int(lo) + 1,
            "to_position": int(hi),
            "mean_similarity": round(float(np.mean(similarities[lo:hi])), 6),
        }
        for lo, hi in zip(edges[:-1], edges[1:], strict=True)
        if hi > lo
    ]
