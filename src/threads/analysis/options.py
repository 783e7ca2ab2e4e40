"""Every analysis parameter's range, and the check behind it, in one place.

Light to import (no numpy): the CLI's help texts quote these numbers.

Each raises :class:`~threads.errors.OptionError` naming the parameter as the library calls it,
the allowed range and the value given; the CLI swaps in its option name.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from numbers import Integral, Real
from typing import TYPE_CHECKING, Any

from threads.errors import OptionError

if TYPE_CHECKING:
    from threads.analysis.embeddings import Embedder

#: k-means and the sampling generator accept seeds from 0 to 2**32 - 1.
SEED_LIMIT = 2**32
#: Without a K, it is chosen by silhouette among these (also never above comments - 1).
AUTO_K_RANGE = (2, 8)
#: Stability compares single-start k-means runs with this many seeds.
STABILITY_SEEDS = 5
#: Fewer distinct content words than this and a comment is too short to judge on its own.
MIN_CONTENT_WORDS = 3
#: A reference (article or title) with fewer distinct content words than this is a question or
#: a headline, not an article: on 197 forum questions of 7 to 84 words (SemEval-2015) the flag
#: agreed with people no better than flagging nothing, and the report says so.
SHORT_REFERENCE_WORDS = 50
#: The corpus topic model's K, at most (``--comment-topics``).
MAX_COMMENT_TOPICS = 100


def is_whole(value: object) -> bool:
    """An integer that is not a bool."""
    return isinstance(value, Integral) and not isinstance(value, bool)


def check_seed(seed: object) -> None:
    if not is_whole(seed) or not 0 <= seed < SEED_LIMIT:  # type: ignore[operator]
        raise OptionError(
            "seed", f"must be a whole number from 0 to {SEED_LIMIT - 1}; got {seed!r}"
        )


def check_clusters(k: object, distinct_texts: int | None = None) -> None:
    """K is a whole number from 1 to the number of distinct comment texts: k-means cannot make
    more clusters than there are different points. Without ``distinct_texts`` (no discussion
    yet, as for a corpus), only the lower bound."""
    if not is_whole(k):
        raise OptionError("clusters", f"must be a whole number; got {k!r}")
    if distinct_texts is None:
        if k < 1:  # type: ignore[operator]
            raise OptionError("clusters", f"must be a whole number >= 1; got {k!r}")
        return
    if distinct_texts == 0:
        raise OptionError("clusters", f"cannot be {k}: this discussion has no comments to cluster")
    if not 1 <= k <= distinct_texts:  # type: ignore[operator]
        raise OptionError(
            "clusters",
            f"must be between 1 and {distinct_texts} for this discussion "
            f"(the number of distinct comment texts); got {k}",
        )


def check_comment_topics(k: int | None) -> None:
    """None (no corpus topic model) or a whole number of topics from 2 to the maximum."""
    if k is None:
        return
    if isinstance(k, bool) or not isinstance(k, int) or not 2 <= k <= MAX_COMMENT_TOPICS:
        raise OptionError(
            "comment_topics", f"must be a whole number from 2 to {MAX_COMMENT_TOPICS}; got {k!r}"
        )


def check_sweep(ks: Iterable[object]) -> list[int]:
    """The K of a sweep, as a list; each must be a whole number."""
    found = list(ks)
    for k in found:
        if not is_whole(k):
            raise OptionError("sweep", f"takes whole numbers of clusters; got {k!r}")
    return found  # type: ignore[return-value]


def check_threshold(value: object) -> None:
    """Similarities lie in [0, 1], so only a threshold there means anything (NaN does not)."""
    if isinstance(value, bool) or not isinstance(value, Real) or not 0.0 <= float(value) <= 1.0:
        raise OptionError("off_topic_threshold", f"must be between 0 and 1; got {value}")


def check_merge(merge: Iterable[Iterable[object]], k: int) -> list[set[int]]:
    """Topics to merge, as sets of topic numbers (before merging); groups that share a topic
    join into one. Each group names two or more of the ``k`` topics."""
    groups: list[set[int]] = []
    for group in merge:
        numbers = list(group)
        for number in numbers:
            if not is_whole(number) or not 0 <= number < k:  # type: ignore[operator]
                raise OptionError(
                    "merge",
                    f"must name topics 0 to {k - 1} (this clustering has {k}); got {number!r}",
                )
        found: set[int] = set(numbers)  # type: ignore[arg-type]
        if len(found) < 2:
            raise OptionError("merge", f"takes two or more different topics; got {numbers}")
        for other in [g for g in groups if g & found]:
            groups.remove(other)
            found |= other
        groups.append(found)
    return groups


def check_topic_names(names: Mapping[Any, object], k: int) -> dict[int, str]:
    """Topic names by number (after merging): each key one of the ``k`` topics, each name a
    string with words."""
    checked = {}
    for number, name in names.items():
        if not is_whole(number) or not 0 <= number < k:
            raise OptionError(
                "topic_names",
                f"must name topics 0 to {k - 1} (there are {k}, after any merge); got {number!r}",
            )
        if not isinstance(name, str) or not name.strip():
            raise OptionError(
                "topic_names", f"gives each topic a name (a string); got {name!r} for {number}"
            )
        checked[int(number)] = " ".join(name.split())
    return dict(sorted(checked.items()))


def check_measure(embeddings: str | None, lexical: bool) -> Embedder | None:
    """The embedder meaning is measured with (None: by words): a model named, or the bundled
    one; naming a model and asking for words contradict each other."""
    if lexical and embeddings is not None:
        raise OptionError(
            "embeddings", f"names a model ({embeddings!r}) but lexical asks for shared words"
        )
    if lexical:
        return None
    from threads.analysis.embeddings import embedder_for

    return embedder_for(embeddings)


def _merge_groups(merge: object) -> tuple[tuple[int, ...], ...]:
    """``merge`` as a tuple of tuples; which topics it may name is known once K is."""
    try:
        return tuple(tuple(group) for group in merge)  # type: ignore[attr-defined]
    except TypeError:
        raise OptionError("merge", f"takes groups of topic numbers; got {merge!r}") from None


def _name_pairs(names: object) -> tuple[tuple[int, str], ...]:
    """``topic_names`` (a mapping or pairs) as (number, name) pairs; which numbers exist is
    known once K is."""
    pairs: dict[Any, object] = dict(
        names.items() if isinstance(names, Mapping) else names or ()  # type: ignore[call-overload]
    )
    for number, name in pairs.items():
        if not is_whole(number):
            raise OptionError("topic_names", f"must name topics by number; got {number!r}")
        if not isinstance(name, str) or not name.strip():
            raise OptionError(
                "topic_names", f"gives each topic a name (a string); got {name!r} for {number}"
            )
    return tuple(sorted((int(n), str(name)) for n, name in pairs.items()))


#: The parameters only a report's page shows (the K sweep, K across seeds): no figure of the
#: JSON, the CSV or the corpus tables depends on them.
REPORT_EXTRAS = ("sweep_ks", "k_across_seeds")


@dataclass(frozen=True)
class AnalysisOptions:
    """Every parameter of one discussion's analysis, checked when made.

    What can be checked without a discussion is checked here, once (an
    :class:`~threads.errors.OptionError` naming the parameter); what depends on the
    discussion (K up to its distinct texts, the topics ``merge`` and ``topic_names`` name)
    is checked by :func:`threads.analysis.analyze`. Every command and the corpus take one;
    :meth:`to_dict` keys the corpus cache. ``topic_names`` may be given as a dict.
    """

    #: K, or None to choose it by silhouette in :data:`AUTO_K_RANGE`.
    clusters: int | None = None
    #: k-means, sampling and bootstrap seed, 0 to ``SEED_LIMIT - 1``.
    seed: int = 0
    #: Similarity below which a comment is off-topic (None: the measure's own cut).
    off_topic_threshold: float | None = None
    #: A model2vec or sentence-transformers model (None: the bundled all-MiniLM-L6-v2).
    embeddings: str | None = None
    #: Measure shared content words instead of meaning.
    lexical: bool = False
    #: Groups of topics (numbered as clustered) merged into one each.
    merge: tuple[tuple[int, ...], ...] = ()
    #: Topic names by number after merging, as (number, name) pairs in number order.
    topic_names: tuple[tuple[int, str], ...] = ()
    #: Also score each comment's whole text at once (``sentiment_whole``; slower).
    whole_sentiment: bool = False
    #: Also compare these K (silhouette, stability, off-topic share).
    sweep_ks: tuple[int, ...] = ()
    #: Also make the automatic choice of K with four more seeds (``k_by_seed``).
    k_across_seeds: bool = False

    def __post_init__(self) -> None:
        if self.clusters is not None and not is_whole(self.clusters):
            raise OptionError("clusters", f"must be a whole number; got {self.clusters!r}")
        check_seed(self.seed)
        if self.off_topic_threshold is not None:
            check_threshold(self.off_topic_threshold)
        if self.lexical and self.embeddings is not None:
            check_measure(self.embeddings, self.lexical)
        # Stored as tuples whatever sequence or mapping was given: hashable, comparable.
        object.__setattr__(self, "merge", _merge_groups(self.merge))
        object.__setattr__(self, "topic_names", _name_pairs(self.topic_names))
        object.__setattr__(self, "sweep_ks", tuple(check_sweep(self.sweep_ks)))

    def replace(self, **changes: Any) -> AnalysisOptions:
        """A copy with these parameters changed (checked again)."""
        return dataclasses.replace(self, **changes)

    def names(self) -> dict[int, str]:
        """``topic_names`` as a dict."""
        return dict(self.topic_names)

    def embedder(self) -> Embedder | None:
        """The embedder meaning is measured with (None: by words); a named model is loaded
        here, so a wrong name fails before any work."""
        return check_measure(self.embeddings, self.lexical)

    def to_dict(self) -> dict[str, Any]:
        """Every parameter, JSON-ready (lists for tuples; topic names by number)."""
        return {
            "clusters": self.clusters,
            "seed": self.seed,
            "off_topic_threshold": self.off_topic_threshold,
            "embeddings": self.embeddings,
            "lexical": self.lexical,
            "merge": [list(group) for group in self.merge],
            "topic_names": {str(n): name for n, name in self.topic_names},
            "whole_sentiment": self.whole_sentiment,
            "sweep_ks": list(self.sweep_ks),
            "k_across_seeds": self.k_across_seeds,
        }
