"""Where the conversation turned, and where it left the subject; similarity over stretches
of the page.

**Turns** (:func:`find_turns`): a reply *turns* when it departs both from the comment it
answers and from its thread so far: its cosine to the parent and to the mean of the
``CONTEXT`` comments above it on its reply chain are both below a fixed cut on the vectors'
similarity scale. A reply with too few words to judge never turns ("can't tell"). The cuts
and ``CONTEXT`` were chosen on TIAGE's train and dev splits (human topic-shift labels on
chit-chat) and DialSeg711, never on a test split (``benchmarks/turns.py``); so was ``GAP``
(no turn right below a turn), which lowered F1 on both and is off (1).

**Leaving the subject** (:func:`departures`): a turn from an on-topic comment to an
off-topic reply *leaves the subject* there; an off-topic top-level comment starts off it.
Below such a point, the off-topic replies reached through off-topic comments went with it
(a turn back to the subject ends it). An off-topic comment no turn led to (it stays close to
what it answers) left nothing: the page's cut scores it low, but the conversation did not
turn there.

The functions take the vectors, never build them: any L2-normalised comment vectors work
(TF-IDF rows today, sentence embeddings tomorrow), each scale with its own cut
(``TURN_CUTS``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

#: The thread so far: the mean of up to this many comments above a reply on its chain.
CONTEXT = 2
#: After a turn, the next this-many-minus-one replies down the chain cannot turn again
#: (1: no such rule; a gap of 2 or 3 lowered F1 on the development sets).
GAP = 1
#: A reply turns when its similarity to its parent and to its thread so far are both below
#: this cut, per similarity scale (``benchmarks/turns.py --choose`` on TIAGE train+dev and
#: DialSeg711: TF-IDF cosines are 0 for most unrelated turns, so any small cut does alike).
TURN_CUTS: dict[str, float] = {"tfidf": 0.05, "all-MiniLM-L6-v2": 0.2}


@dataclass(frozen=True)
class Turns:
    """Where a page's conversation turned (arrays aligned with the comments, page order)."""

    to_parent: np.ndarray  # cosine to the comment it answers (nan at top level)
    to_thread: np.ndarray  # cosine to the mean of the CONTEXT comments above it (nan: top)
    turned: np.ndarray  # bool: departs from both (never when it cannot be judged)
    cut: float  # the similarity below which a reply departs

    @property
    def departure(self) -> np.ndarray:
        """The closer of the two (a turn departs from both): nan at top level."""
        closer: np.ndarray = np.fmax(self.to_parent, self.to_thread)
        return closer


def _chain_order(parents: Sequence[int]) -> list[int]:
    """Every position, each parent before its replies (page order need not be)."""
    children: dict[int, list[int]] = {}
    for i, p in enumerate(parents):
        children.setdefault(p, []).append(i)
    order, stack = [], list(reversed(children.get(-1, [])))
    while stack:
        i = stack.pop()
        order.append(i)
        stack.extend(reversed(children.get(i, [])))
    return order


def find_turns(
    vectors: np.ndarray | sp.spmatrix,
    parents: Sequence[int],
    cut: float,
    judged: Sequence[bool] | np.ndarray | None = None,
    context: int = CONTEXT,
    gap: int = GAP,
) -> Turns:
    """Which replies turn the conversation (see the module's docstring).

    ``vectors``: one L2-normalised row per comment (dense or sparse; an all-zero row is a
    comment without words); ``parents[i]``: the row comment i answers, -1 at top level;
    ``judged[i]``: False for a comment too short to judge (it never turns).
    """
    n = len(parents)
    matrix = sp.csr_matrix(vectors, dtype=np.float64)
    judged_mask = np.ones(n, bool) if judged is None else np.asarray(judged, dtype=bool)
    # Who is in each reply's thread so far: up to ``context`` comments above it.
    rows, columns = [], []
    for i in range(n):
        above, p = 0, parents[i]
        while p >= 0 and above < context:
            rows.append(i)
            columns.append(p)
            p, above = parents[p], above + 1
    members = sp.csr_matrix((np.ones(len(rows)), (rows, columns)), shape=(n, n))
    thread = sp.csr_matrix(members @ matrix)
    norms = np.sqrt(np.asarray(thread.multiply(thread).sum(axis=1)).ravel())
    own = np.asarray(matrix.multiply(thread).sum(axis=1)).ravel()
    reply = np.array([p >= 0 for p in parents], dtype=bool)
    to_thread = np.full(n, np.nan)
    to_thread[reply] = np.divide(own, norms, out=np.zeros(n), where=norms > 0)[reply]
    to_parent = np.full(n, np.nan)
    at = np.flatnonzero(reply)
    if len(at):
        left = matrix[at]
        right = matrix[np.array([parents[int(i)] for i in at])]
        to_parent[at] = np.asarray(left.multiply(right).sum(axis=1)).ravel()
    to_parent = np.round(np.clip(to_parent, 0.0, 1.0), 6)
    to_thread = np.round(np.clip(to_thread, 0.0, 1.0), 6)
    departs = reply & judged_mask & (np.fmax(to_parent, to_thread) < cut)
    turned = np.zeros(n, bool)
    since = np.full(n, gap)  # hops since the last turn above (gap: none close)
    for i in _chain_order(parents):
        p = parents[i]
        hops = since[p] + 1 if p >= 0 else gap
        turned[i] = bool(departs[i]) and hops >= gap
        since[i] = 0 if turned[i] else min(hops, gap)
    return Turns(to_parent=to_parent, to_thread=to_thread, turned=turned, cut=cut)


def departures(
    parents: Sequence[int], turned: Sequence[bool], off_topic: Sequence[bool]
) -> list[int]:
    """For each comment, the position where the subject was left on its way (see the
    module's docstring), or -1: on-topic, or off-topic with no turn that led there."""
    left = [-1] * len(parents)
    for i in _chain_order(parents):
        if not off_topic[i]:
            continue
        p = parents[i]
        if p < 0:
            left[i] = i  # a thread that starts off the subject
        elif off_topic[p] and left[p] >= 0:
            left[i] = left[p]  # it goes on with its parent's departure
        else:
            left[i] = i if turned[i] else -1  # from the subject, or from a drift no turn began
    return left


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
    drift_point: str | None  # where the chain left the subject, if it ends away from it
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


def drift_point(
    ids: Sequence[str], turned: Sequence[bool], off_topic: Sequence[bool]
) -> str | None:
    """Where a chain (ids from its top-level comment down) left the subject for its last
    comment: :func:`departures` along the chain."""
    parents = list(range(-1, len(ids) - 1))
    at = departures(parents, turned, off_topic)[-1] if ids else -1
    return None if at < 0 else ids[at]


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
