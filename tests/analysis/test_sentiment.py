"""Sentence-averaged VADER: labels, empty text, one analyzer, and parallel scoring."""

from __future__ import annotations

import pytest
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

import threads
from threads.analysis import sentiment
from threads.workers import config_context, pool_for

from ..conftest import CORPUS


def test_by_hand_for_a_two_sentence_comment() -> None:
    vader = SentimentIntensityAnalyzer()
    text = "What truly extraordinary people. This is a horrible, cruel regime."
    expected = (
        vader.polarity_scores("What truly extraordinary people.")["compound"]
        + vader.polarity_scores("This is a horrible, cruel regime.")["compound"]
    ) / 2
    score = sentiment.score_text(text)
    assert score.sentences == 2
    assert score.sentence_mean == pytest.approx(expected)
    assert score.whole == pytest.approx(vader.polarity_scores(text)["compound"])


@pytest.mark.parametrize("text", ["", "   \n\n  "])
def test_empty_text_is_neutral_zero(text: str) -> None:
    score = sentiment.score_text(text)
    assert (score.sentence_mean, score.whole, score.sentences) == (0.0, 0.0, 0)
    assert score.label == "neutral"


@pytest.mark.parametrize(
    ("compound", "label"),
    [(0.05, "positive"), (0.0499, "neutral"), (-0.0499, "neutral"), (-0.05, "negative")],
)
def test_label_thresholds(compound: float, label: str) -> None:
    assert sentiment.label_for(compound) == label


def test_one_analyzer_per_process(monkeypatch: pytest.MonkeyPatch) -> None:
    import vaderSentiment.vaderSentiment as vader

    made: list[object] = []

    class Counted(vader.SentimentIntensityAnalyzer):  # type: ignore[misc]
        def __init__(self) -> None:
            made.append(self)
            super().__init__()

    monkeypatch.setattr(vader, "SentimentIntensityAnalyzer", Counted)
    sentiment._analyzer.cache_clear()
    try:
        for text in ["Great!", "Awful. Terrible.", "Fine, I suppose."]:
            sentiment.score_text(text)
        assert len(made) == 1  # the lexicon is loaded once, not once per text
    finally:
        sentiment._analyzer.cache_clear()


def test_parallel_scoring_gives_identical_results(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [c.text for c in threads.load(CORPUS).comments] * 3 + ["", "Great!"]
    with config_context(processes=0):
        serial = sentiment.score_texts(texts)
    monkeypatch.setattr(sentiment, "PARALLEL_FROM", 10)
    with config_context(processes=1), pool_for(len(texts)):
        scoring = sentiment.Scoring(texts)
        assert scoring.parallel  # the chunks really went to a worker process
        parallel = scoring.result()
    assert parallel == serial
    assert len(parallel) == len(texts)
