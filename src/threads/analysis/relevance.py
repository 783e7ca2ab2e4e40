"""Is each comment on the subject of its reference? A score that does not grow with length
as the TF-IDF cosine does, a threshold set by the page itself, and "too short to judge".

**Score** (``article_similarity``): the cosine between two sets of words, each word weighted
by its IDF on the page: the comment's distinct content words (English stop words removed,
each counted once however often it is repeated) and the reference's. Counting a word once
keeps repetition and long rants from raising the score, and weighting by IDF lets a rare
shared word ("Pyongyang") count for more than a common one ("people").

**Reference**, never the comment itself: the article's title and paragraphs (``article``);
the title alone when a page has no body (``title``); with no article, the words of all the
*other* comments (``discussion``, leave-one-out, as CommentIQ's conversational relevance).

**Too short**: a comment with fewer than ``MIN_CONTENT_WORDS`` distinct content words
("Agreed.", "lol so true") carries too little text to say what it is about. A reply that
short is judged together with the comment it answers (the conversation it sits in); a
top-level one is marked ``too_short`` and never flagged.

**Threshold**: a judged comment is off-topic when its score is below ``THRESHOLD_FRACTION``
of the median score of the page's judged comments: clearly below its neighbours, whatever
the article's length (a long article lowers every comment's score alike). With fewer than
``MIN_JUDGED_FOR_MEDIAN`` judged comments there is no typical comment to compare with, and
the cut is ``SMALL_PAGE_THRESHOLD`` (next to no shared words).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import scipy.sparse as sp

from threads.analysis.options import MIN_CONTENT_WORDS, THRESHOLD_FRACTION
from threads.analysis.space import TextSpace

#: Below this many judged comments a median is no "typical comment" ...
MIN_JUDGED_FOR_MEDIAN = 5
#: ... and the cut falls back to this score.
SMALL_PAGE_THRESHOLD = 0.05

ReferenceKind = Literal["article", "title", "discussion"]

#: How each reference is named in sentences, axes and headings.
REFERENCE_NAMES: dict[str, str] = {
    "article": "the article",
    "title": "the title",
    "discussion": "the rest of the discussion",
}


@dataclass(frozen=True)
class Relevance:
    """Each comment's relevance to the reference, and the rule that flagged comments."""

    score: np.ndarray  # 0..1 per comment (with its parent's words when judged with it)
    off_topic: np.ndarray  # bool: score below the threshold, and not too short
    too_short: np.ndarray  # bool: too few content words, even with the parent's; never flagged
    with_parent: np.ndarray  # bool: a short reply judged together with its parent
    threshold: float  # the score below which a judged comment is off-topic
    rule: str  # how the threshold was set, in one line
    reference_kind: ReferenceKind
    reference_words: int  # distinct content words of the article or title (0: discussion)


def _idf(space: TextSpace) -> np.ndarray:
    """scikit-learn's smoothed IDF over every document of the space (article and comments)."""
    counts = sp.vstack([space.article_counts_, space.comment_counts_]).tocsc()
    n = counts.shape[0]
    df = np.diff(counts.indptr)
    idf: np.ndarray = np.log((1.0 + n) / (1.0 + df)) + 1.0
    return idf


def _presence(counts: sp.csr_matrix) -> sp.csr_matrix:
    present = sp.csr_matrix(counts, dtype=np.float64, copy=True)
    present.data[:] = 1.0
    return present


def judge(
    space: TextSpace,
    parents: Sequence[int | None],
    has_paragraphs: bool,
    threshold: float | None = None,
) -> Relevance:
    """Score every comment of a fitted space against its reference and flag the off-topic.

    ``parents[i]`` is the row of the comment that comment ``i`` answers (None at top level);
    ``threshold`` (0..1) replaces the page's own cut.
    """
    comments = _presence(space.comment_counts_)
    n = comments.shape[0]
    idf = _idf(space) if comments.shape[1] else np.zeros(0)
    squared = idf**2
    words = np.diff(comments.indptr)
    with_parent = np.array(
        [words[i] < MIN_CONTENT_WORDS and p is not None for i, p in enumerate(parents)], dtype=bool
    )
    judged = comments.tolil(copy=True)
    for i in np.flatnonzero(with_parent).tolist():
        row = comments[i] + comments[parents[i]]
        row.data[:] = 1.0
        judged[i] = row
    judged = sp.csr_matrix(judged)
    too_short = np.diff(judged.indptr) < MIN_CONTENT_WORDS
    judged_norms = np.sqrt(np.asarray(judged @ squared).ravel()) if n else np.zeros(0)

    article = np.asarray(space.article_counts_.sum(axis=0)).ravel() > 0
    kind: ReferenceKind
    if article.any():
        kind = "article" if has_paragraphs else "title"
        reference = article.astype(np.float64)
        norm = float(np.sqrt(reference @ squared))
        shared = np.asarray(judged @ (reference * squared)).ravel()
        score = np.divide(shared, judged_norms * norm, out=np.zeros(n), where=judged_norms > 0)
    else:
        kind = "discussion"
        score = _leave_one_out(comments, judged, squared, parents, with_parent, judged_norms)
    score = np.round(np.clip(score, 0.0, 1.0), 6)

    base = score[~too_short]
    if threshold is not None:
        cut, rule = float(threshold), "given"
    elif len(base) >= MIN_JUDGED_FOR_MEDIAN:
        cut = round(float(THRESHOLD_FRACTION * np.median(base)), 6)
        rule = (
            f"{THRESHOLD_FRACTION} x the median score of the {len(base)} comments on the page "
            f"with {MIN_CONTENT_WORDS} or more content words"
        )
    else:
        cut = SMALL_PAGE_THRESHOLD
        rule = f"fixed (fewer than {MIN_JUDGED_FOR_MEDIAN} comments long enough to judge)"
    return Relevance(
        score=score,
        off_topic=(score < cut) & ~too_short,
        too_short=too_short,
        with_parent=with_parent,
        threshold=cut,
        rule=rule,
        reference_kind=kind,
        reference_words=int(article.sum()),
    )


def _leave_one_out(
    comments: sp.csr_matrix,
    judged: sp.csr_matrix,
    squared: np.ndarray,
    parents: Sequence[int | None],
    with_parent: np.ndarray,
    judged_norms: np.ndarray,
) -> np.ndarray:
    """Each comment against the words of every other comment (never its own; for a short
    reply judged with its parent, neither of theirs).

    A word is in comment i's reference when some comment other than i uses it, so only the
    words i alone uses drop out: both sums below come from the page's document frequencies.
    """
    n = comments.shape[0]
    frequency = np.asarray(comments.sum(axis=0)).ravel()
    everywhere = float(squared[frequency > 0].sum())
    shared = np.asarray(comments @ (squared * (frequency > 1))).ravel()
    alone = np.asarray(comments @ (squared * (frequency == 1))).ravel()
    norms = np.sqrt(np.maximum(everywhere - alone, 0.0))
    for i in np.flatnonzero(with_parent).tolist():  # short replies: leave the parent out too
        own = comments[i] + comments[parents[i]]
        columns, uses = own.indices, own.data
        left = frequency[columns] - uses
        words = judged[i].indices
        shared[i] = float(squared[words][(frequency[words] - _uses(own, words)) > 0].sum())
        norms[i] = np.sqrt(max(everywhere - float(squared[columns][left == 0].sum()), 0.0))
    both = judged_norms * norms
    score: np.ndarray = np.divide(shared, both, out=np.zeros(n), where=both > 0)
    return score


def _uses(row: sp.csr_matrix, columns: np.ndarray) -> np.ndarray:
    """How many of the excluded comments use each of ``columns`` (0 where none)."""
    lookup = dict(zip(row.indices.tolist(), row.data.tolist(), strict=True))
    return np.array([lookup.get(int(c), 0.0) for c in columns])
