"""Where reply chains left the subject, given each comment's off-topic flag
(:mod:`threads.analysis.relevance`): a chain's drift point is the first comment from which
the chain stays off-topic; and similarity over stretches of the page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class ChainDrift:
    """One root-to-leaf reply chain and where it left the subject."""

    ids: tuple[str, ...]  # comment ids from the top-level comment down to the leaf
    article_similarities: tuple[float, ...]  # each hop's similarity to the article
    parent_similarities: tuple[float | None, ...]  # each hop's similarity to its parent
    drift_point: str | None  # first comment from which the chain stays off-topic

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
        return {"leaf": self.ids[-1], "length": len(self.ids), "drift_point": self.drift_point}


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
