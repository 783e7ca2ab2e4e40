"""Every analysis parameter's range, and the check behind it, in one place.

Light to import (no numpy): the CLI's help texts quote these numbers.

Each raises :class:`~threads.errors.OptionError` naming the parameter as the library calls it,
the allowed range and the value given; the CLI swaps in its option name.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
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


def is_whole(value: object) -> bool:
    """An integer that is not a bool."""
    return isinstance(value, Integral) and not isinstance(value, bool)


def check_seed(seed: object) -> None:
    if not is_whole(seed) or not 0 <= seed < SEED_LIMIT:  # type: ignore[operator]
        raise OptionError(
            "seed", f"must be a whole number from 0 to {SEED_LIMIT - 1}; got {seed!r}"
        )


def check_clusters(k: object, distinct_texts: int) -> None:
    """K is a whole number from 1 to the number of distinct comment texts: k-means cannot make
    more clusters than there are different points."""
    if not is_whole(k):
        raise OptionError("clusters", f"must be a whole number; got {k!r}")
    if distinct_texts == 0:
        raise OptionError("clusters", f"cannot be {k}: this discussion has no comments to cluster")
    if not 1 <= k <= distinct_texts:  # type: ignore[operator]
        raise OptionError(
            "clusters",
            f"must be between 1 and {distinct_texts} for this discussion "
            f"(the number of distinct comment texts); got {k}",
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
