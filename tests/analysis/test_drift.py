"""Drift: the off-topic threshold, drift points, summaries, and the vector space's settings."""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
import pytest

import threads
from threads.analysis import analyze, drift, options
from threads.analysis.space import TextSpace, normalise_quotes

from ..conftest import CORPUS


@pytest.fixture(scope="module")
def discussion() -> threads.Discussion:
    return threads.load(CORPUS)


@pytest.mark.parametrize("value", [-0.01, 1.01, math.nan, "0.5", True])
def test_threshold_outside_0_1_is_an_option_error(
    discussion: threads.Discussion, value: object
) -> None:
    with pytest.raises(threads.OptionError, match="^off_topic_threshold must be between 0 and 1"):
        analyze(discussion, off_topic_threshold=value)


def test_threshold_is_inclusive_of_its_ends() -> None:
    options.check_threshold(0.0)
    options.check_threshold(1.0)


def test_position_bins_cover_the_page_once() -> None:
    values = [float(i) for i in range(23)]
    bins = drift.position_bins(values)
    assert len(bins) == 10
    assert bins[0]["from_position"] == 1 and bins[-1]["to_position"] == 23
    for before, after in zip(bins, bins[1:], strict=False):
        assert after["from_position"] == before["to_position"] + 1
    first = values[: int(bins[0]["to_position"])]  # a whole number typed as float
    assert bins[0]["mean_similarity"] == pytest.approx(np.mean(first))
    assert len(drift.position_bins([0.1, 0.2, 0.3])) == 3  # fewer comments than bins


def test_summary_by_position_and_sentiment_change(discussion: threads.Discussion) -> None:
    result = analyze(discussion, clusters=4)
    summary = result.summary
    similarity = [r.article_similarity for r in result.comments]
    assert summary.similarity_by_position == drift.position_bins(similarity)
    by_id = {r.id: r.sentiment for r in result.comments}
    changes = [by_id[c.id] - by_id[c.parent_id] for c in discussion if c.parent_id is not None]
    assert summary.sentiment_change_parent_to_reply == pytest.approx(np.mean(changes), abs=1e-6)
    on = [r.sentiment for r in result.comments if not r.off_topic]
    assert summary.sentiment_on_topic == pytest.approx(np.mean(on), abs=1e-6)


def test_empty_discussion_has_every_summary_key(discussion: threads.Discussion) -> None:
    empty = analyze(threads.load_text("A title\n\nOne paragraph about North Korea.\n"))
    full = analyze(discussion, clusters=3)
    assert list(empty.summary.to_dict()) == list(full.summary.to_dict())
    assert empty.summary.off_topic_share_comments is None
    json.dumps(empty.to_dict(), allow_nan=False)


def test_typographic_quotes_are_one_token() -> None:
    assert normalise_quotes("don\u2019t \u201cKim\u201d \u2018x\u2019") == "don't \"Kim\" 'x'"


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"min_df": -1}, "min_df must be a count >= 0 or a fraction; got -1"),
        ({"max_df": 1.5}, "max_df as a fraction of documents must be between 0 and 1; got 1.5"),
        ({"min_df": "2"}, "min_df must be a number; got '2'"),
        ({"min_df": 5, "max_df": 2}, r"min_df \(5\) asks for more documents than max_df=2 allows"),
        ({"max_features": 0}, "max_features must be a whole number >= 1 or None; got 0"),
        ({"ngram_range": (2, 1)}, r"ngram_range must be \(low, high\) with 1 <= low <= high"),
        ({"ngram_range": 2}, r"ngram_range must be \(low, high\)"),
    ],
)
def test_bad_vectorizer_settings_are_option_errors(
    discussion: threads.Discussion, settings: dict[str, Any], message: str
) -> None:
    with pytest.raises(threads.OptionError, match=message):
        analyze(discussion, clusters=2, space=TextSpace(**settings))


def test_settings_that_prune_every_term_are_an_analysis_error(
    discussion: threads.Discussion,
) -> None:
    with pytest.raises(threads.AnalysisError, match="leave no terms in this discussion"):
        analyze(discussion, clusters=2, space=TextSpace(min_df=30))


def test_tuned_settings_are_recorded_and_used(discussion: threads.Discussion) -> None:
    space = TextSpace(min_df=2, max_df=0.5, ngram_range=(1, 2))
    result = analyze(discussion, clusters=3, space=space, lexical=True)
    settings = result.parameters.vectorizer
    assert (settings["min_df"], settings["max_df"], settings["ngram_range"]) == (2, 0.5, [1, 2])
    # Used, not only recorded: min_df=2 prunes most of the 710 default terms, and word pairs
    # ("crossed border") are terms.
    assert result.parameters.vocabulary_size == len(space.vocabulary_) == 180
    assert "crossed border" in space.vocabulary_
