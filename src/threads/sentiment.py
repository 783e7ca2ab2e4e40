"""Comment sentiment with VADER, averaged over sentences as VADER's authors recommend.

The whole-text compound score saturates towards +-1 on long comments, so each comment is
split into sentences (blingfire, whose model ships inside its wheel: no download), each
sentence is scored, and the compound scores are averaged. The whole-text score is kept too.
Long discussions are scored in chunks on all cores; results are identical either way.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

SentimentLabel = Literal["positive", "negative", "neutral"]

#: VADER's recommended thresholds on the compound score.
POSITIVE_AT = 0.05
NEGATIVE_AT = -0.05
#: Above this many comments, scoring is spread over processes.
PARALLEL_FROM = 2000


@dataclass(frozen=True)
class SentimentScore:
    """VADER's reading of one comment (unrounded)."""

    sentence_mean: float  # mean compound score of its sentences, -1..1 (0.0 when empty)
    whole: float  # compound score of the whole text at once, -1..1
    sentences: int  # how many sentences blingfire found

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
    from blingfire import text_to_sentences

    flat = " ".join(text.split())
    if not flat:
        return []
    return [s for s in text_to_sentences(flat).split("\n") if s.strip()]


def score_text(text: str) -> SentimentScore:
    analyzer = _analyzer()
    sentences = split_sentences(text)
    if not sentences:
        return SentimentScore(0.0, 0.0, 0)
    compounds = [analyzer.polarity_scores(s)["compound"] for s in sentences]
    whole = compounds[0] if len(sentences) == 1 else analyzer.polarity_scores(text)["compound"]
    return SentimentScore(sum(compounds) / len(compounds), whole, len(sentences))


def _score_chunk(texts: Sequence[str]) -> list[SentimentScore]:
    return [score_text(t) for t in texts]


def score_texts(texts: Sequence[str], workers: int | None = None) -> list[SentimentScore]:
    """Score every text; uses several processes for long lists (same results)."""
    with Scoring(texts, workers) as scoring:
        return scoring.result()


class Scoring:
    """Sentiment scores of many texts, computed in worker processes while the caller works.

    Scoring is the biggest cost of an analysis. ``Scoring(texts)`` starts one worker process
    per spare core at once (for ``PARALLEL_FROM`` texts or more); the caller computes vectors
    and clusters on its own core meanwhile (``parallel`` says to keep to one core), then
    :meth:`result` scores the chunks no worker has started yet and collects all in order.
    Use it as a context manager: leaving the block stops the workers, also when the caller
    fails. Start it before scikit-learn runs: forking while OpenMP threads run is unsafe.
    """

    def __init__(self, texts: Sequence[str], workers: int | None = None) -> None:
        self.texts = texts
        if workers is None:
            workers = min((os.cpu_count() or 1) - 1, 8)  # the caller's process is one more
        self._pool: ProcessPoolExecutor | None = None
        self._chunks: list[Sequence[str]] = []
        self._futures: list[Future[list[SentimentScore]]] = []
        if len(texts) >= PARALLEL_FROM and workers >= 1:
            # Many small chunks, so the last ones are shared out evenly at the end.
            size = -(-len(texts) // ((workers + 1) * 16))
            self._chunks = [texts[i : i + size] for i in range(0, len(texts), size)]
            self._pool = ProcessPoolExecutor(max_workers=workers)
            self._futures = [self._pool.submit(_score_chunk, chunk) for chunk in self._chunks]

    @property
    def parallel(self) -> bool:
        """True while workers are scoring on the other cores."""
        return self._pool is not None

    def result(self) -> list[SentimentScore]:
        if self._pool is None:
            return _score_chunk(self.texts)
        # From the end backwards, while the workers go forwards: every chunk no worker has
        # started is scored here instead.
        local = {}
        for i in reversed(range(len(self._futures))):
            if self._futures[i].cancel():
                local[i] = _score_chunk(self._chunks[i])
        results: list[SentimentScore] = []
        for i, future in enumerate(self._futures):
            results.extend(local[i] if i in local else future.result())
        return results

    def __enter__(self) -> Scoring:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
