"""Two clusterings of one discussion side by side (``threads clusters --compare 3 6``).

The K_a x K_b crosstab counts the comments in each pair of topics; a comment "changed
company" when the K_b topic it is in mostly comes from another K_a topic than its own (its
neighbours at K_b are not its neighbours at K_a). Both clusterings use the same seed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from threads.analysis.options import AnalysisOptions
from threads.errors import OptionError

if TYPE_CHECKING:
    from threads.analysis.results import Analysis, ClusterSummary
    from threads.models import Discussion


@dataclass(frozen=True)
class Moved:
    """A comment whose K_b topic's majority K_a topic is not its own K_a topic."""

    id: str
    topic_a: int  # its topic at K_a
    topic_b: int  # its topic at K_b
    majority_a: int  # the K_a topic most of topic_b's comments have (ties: lowest number)


@dataclass(frozen=True)
class Crosstab:
    """Comments per (K_a topic, K_b topic), and the comments that changed company."""

    topics_a: tuple[ClusterSummary, ...]  # rows: the K_a topics with their terms
    topics_b: tuple[ClusterSummary, ...]  # columns
    counts: tuple[tuple[int, ...], ...]  # counts[i][j]: comments in a-topic i and b-topic j
    moved: tuple[Moved, ...]  # page order


def crosstab(a: Analysis, b: Analysis) -> Crosstab:
    """Cross two analyses of the same discussion."""
    pairs = [(x.cluster, y.cluster) for x, y in zip(a.comments, b.comments, strict=True)]
    counts = Counter(pairs)
    majority = {
        j.number: min(
            (i.number for i in a.clusters),
            key=lambda i, j=j.number: (-counts[(i, j)], i),  # type: ignore[misc]
        )
        for j in b.clusters
    }
    moved = tuple(
        Moved(x.id, x.cluster, y.cluster, majority[y.cluster])
        for x, y in zip(a.comments, b.comments, strict=True)
        if majority[y.cluster] != x.cluster
    )
    return Crosstab(
        topics_a=a.clusters,
        topics_b=b.clusters,
        counts=tuple(tuple(counts[(i.number, j.number)] for j in b.clusters) for i in a.clusters),
        moved=moved,
    )


def compare(
    discussion: Discussion, k_a: int, k_b: int, options: AnalysisOptions | None = None
) -> Crosstab:
    """Analyse with ``k_a`` and with ``k_b`` clusters (the same ``options`` otherwise: seed
    and measure) and cross the two."""
    from threads.analysis import analyze

    options = options or AnalysisOptions()
    analyses = []
    for k in (k_a, k_b):
        try:
            analyses.append(analyze(discussion, options, clusters=k))
        except OptionError as error:
            if error.param != "clusters":
                raise
            raise OptionError("compare", error.problem) from None
    return crosstab(*analyses)
