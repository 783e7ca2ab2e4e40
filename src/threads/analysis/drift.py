"""How far comments and reply chains strayed from the article's subject.

A comment is off-topic when its similarity to the article falls below a threshold. By
default the threshold is ``OFF_TOPIC_FRACTION`` of the median similarity of the article's own
paragraphs to the article: the article shows how much on-subject text of paragraph length
shares with it, and a comment keeping less than a tenth of that has left the subject.
A chain's drift point is the first comment from which the chain stays off-topic.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from numbers import Real

import numpy as np

from threads.errors import OptionError

OFF_TOPIC_FRACTION = 0.1


def default_threshold(reference_similarities: np.ndarray) -> float:
    if len(reference_similarities) == 0:
        return 0.0
    return round(float(OFF_TOPIC_FRACTION * np.median(reference_similarities)), 6)


def check_threshold(value: float) -> None:
    """Similarities lie in [0, 1], so only a threshold there means anything (NaN does not)."""
    if isinstance(value, bool) or not isinstance(value, Real) or not 0.0 <= value <= 1.0:
        raise OptionError(f"--off-topic-threshold must be between 0 and 1; got {value}")


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


def drift_point(ids: Sequence[str], off_topic: Sequence[bool]) -> str | None:
    """The first id from which every later comment of the chain is off-topic."""
    start = None
    for index in range(len(ids) - 1, -1, -1):
        if not off_topic[index]:
            break
        start = index
    return None if start is None else ids[start]


def means_by(keys: Sequence[int], values: Sequence[float]) -> dict[int, float]:
    groups: dict[int, list[float]] = {}
    for key, value in zip(keys, values, strict=True):
        groups.setdefault(key, []).append(value)
    return {key: round(float(np.mean(v)), 6) for key, v in sorted(groups.items())}


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
