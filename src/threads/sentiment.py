"""Comment sentiment with VADER, averaged over sentences as VADER's authors recommend.

The whole-text compound score saturates towards +-1 on long comments, so each comment is
split into sentences (blingfire, whose model ships inside its wheel: no download), each
sentence is scored, and the compound scores are averaged. The whole-text score is kept too.
Long discussions are scored in chunks on all cores; results are identical either way.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
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
    workers = workers or min(os.cpu_count() or 1, 8)
    if len(texts) < PARALLEL_FROM or workers < 2:
        return _score_chunk(texts)
    size = -(-len(texts) // (workers * 4))
    chunks = [texts[i : i + size] for i in range(0, len(texts), size)]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        results: list[SentimentScore] = []
        for chunk_scores in pool.map(_score_chunk, chunks):
            results.extend(chunk_scores)
    return results
