"""Is each comment on the subject of its reference? A score on a fixed scale, a fixed cut
chosen on development data, and "can't tell" where the score cannot decide.

**Score** (``article_similarity``), by meaning (the default): the cosine between the
comment's sentence embedding and the reference's (:mod:`threads.analysis.embeddings`). By
words (``lexical``): the cosine between two sets of words, each weighted by its IDF on the
page: the comment's distinct content words and the reference's (counting a word once keeps
repetition from raising the score; IDF lets "Pyongyang" count for more than "people").

**Reference**, never the comment itself: the article's title and paragraphs (``article``);
the title alone when a page has no body (``title``); with no article, every *other*
comment (``discussion``, leave-one-out, as CommentIQ's conversational relevance). By
meaning, a long article is embedded in passages of whole paragraphs and its vector is their
mean, so the subject is the whole article, not its first 256 tokens.

**Cut**: fixed on the measure's own scale, chosen on the SemEval-2015 development split
(``MEANING_CUT``, ``WORDS_CUT``), never from the page itself: a page where most comments
left the subject says so.

**Can't tell** (``judgement`` "cant_tell"), counted apart and never flagged: a comment with
fewer than ``MIN_CONTENT_WORDS`` distinct content words even with the comment it answers
(a short reply is judged together with its parent, the conversation it sits in); a score
inside the band around the cut (``MEANING_BAND``); every comment of a page whose reference
is too thin (a title or article of fewer than ``MIN_CONTENT_WORDS`` content words, or fewer
than ``MIN_DISCUSSION`` comments to compare a comment with).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import scipy.sparse as sp

from threads.analysis.options import MIN_CONTENT_WORDS
from threads.analysis.space import TextSpace

#: By meaning, a comment is off the subject below this cosine to the reference: chosen on
#: the 197 SemEval-2015 development pages (kappa with the crowd's labels 0.37, flat from
#: 0.19 to 0.24), for the bundled all-MiniLM-L6-v2.
MEANING_CUT = 0.2
#: Scores this close to the cut (either side) are "can't tell": on the development pages 5%
#: of comments, and the flag agrees with people on 74.4% of the rest (73.3% with no band).
MEANING_BAND = 0.02
#: By words, a comment is off the subject when it shares no content word with the reference
#: (every positive score is at least this, rounded to six decimals): on the development
#: pages the cut that agreed best with people.
WORDS_CUT = 0.000001
#: Without an article, a comment is compared with the others: fewer than this many comments
#: on the page and there is too little to compare with.
MIN_DISCUSSION = 4
#: An article is embedded in passages of whole paragraphs of about this many words (the
#: model reads 256 tokens, about 190 words; longer paragraphs are cut there).
PASSAGE_WORDS = 150

ReferenceKind = Literal["article", "title", "discussion"]
Judgement = Literal["on", "off", "cant_tell"]

#: How each reference is named in sentences, axes and headings.
REFERENCE_NAMES: dict[str, str] = {
    "article": "the article",
    "title": "the title",
    "discussion": "the rest of the discussion",
}


@dataclass(frozen=True)
class Relevance:
    """Each comment's relevance to the reference, and the rule that judged comments."""

    score: np.ndarray  # per comment, 0..1 (with its parent's text when judged with it)
    judgement: tuple[Judgement, ...]  # "on", "off" or "cant_tell" per comment
    too_short: np.ndarray  # bool: too few content words, even with the parent's
    with_parent: np.ndarray  # bool: a short reply judged together with its parent
    threshold: float  # the score below which a judged comment is off-topic
    band: tuple[float, float]  # scores in [low, high) are "can't tell" (low == high: none)
    rule: str  # how the threshold was set, in one line
    reference_kind: ReferenceKind
    reference_words: int  # distinct content words of the article or title (0: discussion)
    reference_thin: bool  # the reference is too thin to judge against: every comment "can't tell"

    @property
    def off_topic(self) -> np.ndarray:
        return np.array([j == "off" for j in self.judgement], dtype=bool)

    @property
    def cant_tell(self) -> np.ndarray:
        return np.array([j == "cant_tell" for j in self.judgement], dtype=bool)


def passages(title: str, paragraphs: Sequence[str]) -> list[str]:
    """The article as the model reads it: title and paragraphs joined, in order, into
    passages of whole paragraphs of at most about ``PASSAGE_WORDS`` words."""
    found: list[str] = []
    current: list[str] = []
    words = 0
    for part in [p for p in (title, *paragraphs) if p.strip()]:
        size = len(part.split())
        if current and words + size > PASSAGE_WORDS:
            found.append("\n".join(current))
            current, words = [], 0
        current.append(part)
        words += size
    if current:
        found.append("\n".join(current))
    return found


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
    vectors: tuple[np.ndarray, np.ndarray] | None = None,
    model: str | None = None,
) -> Relevance:
    """Score every comment of a fitted space against its reference and judge it.

    ``parents[i]`` is the row of the comment that comment ``i`` answers (None at top level).
    ``vectors`` (comment rows, article passage rows; unit length) score by meaning, None by
    words; ``model`` names the embedding model when it is not the bundled one (its cut was
    chosen for the bundled model). ``threshold`` (0..1) replaces the cut, with no band.
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

    article = np.asarray(space.article_counts_.sum(axis=0)).ravel() > 0
    kind: ReferenceKind = (
        ("article" if has_paragraphs else "title") if article.any() else "discussion"
    )
    if vectors is not None:
        score = _by_meaning(vectors, parents, with_parent, kind)
    else:
        score = _by_words(comments, judged, squared, parents, with_parent, article, kind)
    score = np.round(np.clip(score, 0.0, 1.0), 6)

    reference_words = int(article.sum())
    thin = reference_words < MIN_CONTENT_WORDS if kind != "discussion" else n < MIN_DISCUSSION
    if threshold is not None:
        cut, half, rule = float(threshold), 0.0, "given"
    elif vectors is None:
        cut, half = WORDS_CUT, 0.0
        rule = "shares no content word with the reference (chosen on SemEval-2015 dev)"
    else:
        cut, half = MEANING_CUT, MEANING_BAND
        rule = (
            f"cosine below {MEANING_CUT}, {MEANING_CUT - MEANING_BAND:g} to "
            f"{MEANING_CUT + MEANING_BAND:g} can't tell (chosen on SemEval-2015 dev"
            + (
                f" for all-MiniLM-L6-v2; {model}'s scale may differ: give a threshold)"
                if model
                else ")"
            )
        )
    low, high = round(cut - half, 6), round(cut + half, 6)
    judgement: list[Judgement] = []
    for i in range(n):
        if thin or too_short[i] or low <= score[i] < high:
            judgement.append("cant_tell")
        else:
            judgement.append("off" if score[i] < low else "on")
    return Relevance(
        score=score,
        judgement=tuple(judgement),
        too_short=too_short,
        with_parent=with_parent,
        threshold=round(cut, 6),
        band=(low, high),
        rule=rule,
        reference_kind=kind,
        reference_words=reference_words,
        reference_thin=bool(thin and n > 0),
    )


def _by_meaning(
    vectors: tuple[np.ndarray, np.ndarray],
    parents: Sequence[int | None],
    with_parent: np.ndarray,
    kind: ReferenceKind,
) -> np.ndarray:
    """Cosines of comment embeddings to the reference's: the mean of the article's passage
    vectors, or (leave-one-out) the sum of every other comment's, leaving out the parent
    too for a short reply judged with it."""
    rows, passages_ = vectors
    rows = rows.astype(np.float64)
    n = rows.shape[0]
    judged = rows.copy()
    for i in np.flatnonzero(with_parent).tolist():
        judged[i] = rows[i] + rows[parents[i]]
    judged = _unit(judged)
    if kind != "discussion":
        reference = _unit(passages_.astype(np.float64).mean(axis=0, keepdims=True))[0]
        score: np.ndarray = judged @ reference
        return score
    total = rows.sum(axis=0)
    others = total[None, :] - rows
    for i in np.flatnonzero(with_parent).tolist():
        others[i] -= rows[parents[i]]
    score = np.einsum("ij,ij->i", judged, _unit(others)) if n else np.zeros(0)
    return score


def _unit(rows: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    out: np.ndarray = np.divide(rows, norms, out=np.zeros_like(rows), where=norms > 0)
    return out


def _by_words(
    comments: sp.csr_matrix,
    judged: sp.csr_matrix,
    squared: np.ndarray,
    parents: Sequence[int | None],
    with_parent: np.ndarray,
    article: np.ndarray,
    kind: ReferenceKind,
) -> np.ndarray:
    """The IDF-weighted cosine between sets of words (see the module docstring)."""
    n = comments.shape[0]
    judged_norms = np.sqrt(np.asarray(judged @ squared).ravel()) if n else np.zeros(0)
    if kind == "discussion":
        return _leave_one_out(comments, judged, squared, parents, with_parent, judged_norms)
    reference = article.astype(np.float64)
    norm = float(np.sqrt(reference @ squared))
    shared = np.asarray(judged @ (reference * squared)).ravel()
    score: np.ndarray = np.divide(
        shared, judged_norms * norm, out=np.zeros(n), where=judged_norms > 0
    )
    return score


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
