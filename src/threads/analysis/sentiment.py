"""Comment sentiment with VADER, averaged over sentences as VADER's authors recommend.

The whole-text compound score saturates towards +-1 on long comments, so each comment is
split into sentences (sentencex: rule-based, wheels for every platform, no download), each
sentence is scored, and the compound scores are averaged. The whole-text score is kept too.
Long discussions are scored in chunks on all cores; results are identical either way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from threads.workers import NO_WORKERS, PARALLEL_FROM, Progress, active, pool_for

SentimentLabel = Literal["positive", "negative", "neutral"]

#: The sentence splitter, as the report's Method section names it.
SPLITTER = "sentencex"
#: VADER's recommended thresholds on the compound score.
POSITIVE_AT = 0.05
NEGATIVE_AT = -0.05


@dataclass(frozen=True)
class SentimentScore:
    """VADER's reading of one comment (unrounded)."""

    sentence_mean: float  # mean compound score of its sentences, -1..1 (0.0 when empty)
    whole: float | None  # compound score of the whole text at once, -1..1 (None: not asked)
    sentences: int  # how many sentences sentencex found

    @property
    def label(self) -> SentimentLabel:
        return label_for(self.sentence_mean)


def label_for(compound: float) -> SentimentLabel:
    if compound >= POSITIVE_AT:
        return "positive"
    if compound <= NEGATIVE_AT:
        return "negative"
    return "neutral"


@lru_cache(maxsize=1)
def _analyzer():  # type: ignore[no-untyped-def]
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()  # loads its lexicon once per process


def split_sentences(text: str) -> list[str]:
    """English sentences of the text, its lines and paragraphs joined first."""
    from sentencex import segment

    flat = " ".join(text.split())
    if not flat:
        return []
    return [s.strip() for s in segment("en", flat) if s.strip()]


def score_text(text: str, whole: bool = True) -> SentimentScore:
    """VADER per sentence, averaged; ``whole`` also scores the text at once (VADER again on
    every text of more than one sentence: about half the cost again), else ``whole`` is None.
    """
    analyzer = _analyzer()
    sentences = split_sentences(text)
    if not sentences:
        return SentimentScore(0.0, 0.0 if whole else None, 0)
    compounds = [analyzer.polarity_scores(s)["compound"] for s in sentences]
    at_once: float | None = None
    if whole:
        one = len(sentences) == 1
        at_once = compounds[0] if one else analyzer.polarity_scores(text)["compound"]
    return SentimentScore(sum(compounds) / len(compounds), at_once, len(sentences))


def _score_chunk(texts: Sequence[str], whole: bool) -> list[SentimentScore]:
    return [score_text(t, whole) for t in texts]


def score_texts(texts: Sequence[str], whole: bool = False) -> list[SentimentScore]:
    """Score every text; long lists go to worker processes (same results)."""
    with pool_for(len(texts)):
        return Scoring(texts, whole).result()


class Scoring:
    """Sentiment scores of many texts, computed by worker processes while the caller works.

    Scoring is the biggest cost of an analysis. From ``PARALLEL_FROM`` texts on,
    ``Scoring(texts)`` hands chunks of them to the :func:`~threads.workers.active` workers at
    once; the caller computes vectors and clusters meanwhile (``parallel`` says to keep to one
    core), then :meth:`result` scores the chunks no worker has started and collects all in
    order.
    """

    def __init__(self, texts: Sequence[str], whole: bool = False) -> None:
        workers = active() if len(texts) >= PARALLEL_FROM else NO_WORKERS
        # Many small chunks, so the last ones are shared out evenly at the end.
        size = max(1, -(-len(texts) // ((workers.processes + 1) * 16)))
        chunks = [(texts[i : i + size], whole) for i in range(0, len(texts), size)]
        self._sizes = [len(chunk) for chunk, _ in chunks]
        self._batch = workers.start(_score_chunk, chunks)

    @property
    def parallel(self) -> bool:
        """True while workers are scoring on the other cores."""
        return self._batch.parallel

    #: The stage name ``progress`` is called with.
    STAGE = "scoring sentiment"

    def result(self, progress: Progress | None = None) -> list[SentimentScore]:
        """Every text's score, in order; ``progress(STAGE, texts scored, texts)`` as each
        chunk completes."""
        total, scored = sum(self._sizes), 0

        def done(chunk: int) -> None:
            nonlocal scored
            scored += self._sizes[chunk]
            if progress is not None:
                progress(self.STAGE, scored, total)

        return [score for chunk in self._batch.results(done) for score in chunk]
