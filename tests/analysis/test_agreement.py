"""The agreement figures of ``threads agree``: scikit-learn's where they fit, a hand-computed
kappa, and bootstrap intervals that are seeded and resample the right unit."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

import threads
from threads.analysis import agreement
from threads.analysis.agreement import LabelledComment

from ..conftest import CORPUS


def comments(
    on: list[bool], flagged: list[bool], scores: list[float], page: str = "p"
) -> list[LabelledComment]:
    return [
        LabelledComment(page, str(i), o, f, s, False, 5, "a few words of text")
        for i, (o, f, s) in enumerate(zip(on, flagged, scores, strict=True))
    ]


def test_kappa_and_accuracy_by_hand() -> None:
    # label off-topic: 0 0 1 1 1; flagged: 0 1 1 1 0
    # agree on 3 of 5 (0.6); chance = 3/5 * 3/5 + 2/5 * 2/5 = 0.52; kappa = 0.08 / 0.48
    found = agreement.agreement(
        comments([True, True, False, False, False], [False, True, True, True, False], [0.0] * 5)
    )
    assert found.kappa.value == pytest.approx(1 / 6, abs=1e-6)
    assert found.accuracy.value == 0.6
    assert found.accuracy_flag_nothing.value == 0.4
    c = found.confusion
    assert (c.flagged_off, c.kept_off, c.flagged_on, c.kept_on) == (2, 1, 1, 1)


def test_auc_is_sklearns_on_the_same_vectors_ties_included() -> None:
    rng = np.random.default_rng(3)
    on = (rng.random(40) < 0.5).tolist()
    scores = np.round(rng.random(40), 1).tolist()  # many ties
    found = agreement.agreement(comments(on, [False] * 40, scores))
    assert found.auc.value == round(float(roc_auc_score(on, scores)), 6)


def test_resampled_auc_equals_sklearn_with_the_same_weights() -> None:
    rng = np.random.default_rng(4)
    on = rng.random(30) < 0.4
    scores = np.round(rng.random(30), 1)
    weights = rng.integers(0, 3, size=(6, 30)).astype(float)
    expected = [roc_auc_score(on, scores, sample_weight=w) for w in weights]
    assert agreement._weighted_auc(weights, on, scores) == pytest.approx(expected)


def test_undefined_figures_are_none() -> None:
    found = agreement.agreement(comments([True] * 4, [False] * 4, [0.1, 0.2, 0.3, 0.4]))
    assert found.auc == agreement.Figure(None, None, None)
    assert found.kappa.value is None  # one class, constant flag: chance agreement is certain
    assert found.accuracy.value == 1.0


def test_intervals_are_seeded_and_hold_the_value() -> None:
    rng = np.random.default_rng(5)
    on = (rng.random(60) < 0.5).tolist()
    scores = rng.random(60).tolist()
    flagged = [s < 0.3 for s in scores]
    first = agreement.agreement(comments(on, flagged, scores), seed=1)
    assert first == agreement.agreement(comments(on, flagged, scores), seed=1)
    assert first != agreement.agreement(comments(on, flagged, scores), seed=2)
    for figure in (first.auc, first.accuracy, first.accuracy_flag_nothing, first.kappa):
        assert figure.low is not None and figure.high is not None and figure.value is not None
        assert figure.low <= figure.value <= figure.high


def test_pages_are_resampled_when_there_are_several() -> None:
    one = comments([True, False] * 5, [False, True] * 5, [0.5, 0.1] * 5, page="a")
    two = comments([True, False] * 5, [True, False] * 5, [0.1, 0.5] * 5, page="b")
    pooled = agreement.agreement(one + two)
    assert pooled.resampled == "pages" and pooled.pages == 2
    assert agreement.agreement(one).resampled == "comments"
    # Two pages, perfect and inverted: a resample holds both, or one of them twice.
    assert (pooled.kappa.low, pooled.kappa.high) == (-1.0, 1.0)
    report = agreement.report([(one, 0.2), (two, 0.2)])
    assert report.mean_page_auc.value == 0.5 and report.pages_with_both == 2
    assert [page for page, _ in report.by_page] == ["a", "b"]
    assert [c.page for c in report.disagreements] == ["b"] * 10


def test_length_groups_edges() -> None:
    assert [agreement.length_group(n) for n in (0, 10, 11, 30, 31)] == [
        "<= 10 words", "<= 10 words", "11-30 words", "11-30 words", "> 30 words",
    ]  # fmt: skip


@pytest.mark.slow
def test_one_cluster_gives_the_same_scores_and_flags() -> None:
    # agree analyses with agreement.CLUSTERS to skip the K search; the figures must not move.
    discussion = threads.load(CORPUS)
    auto = threads.analyze(discussion)
    quick = threads.analyze(discussion, clusters=agreement.CLUSTERS)
    assert [(r.article_similarity, r.off_topic) for r in auto.comments] == [
        (r.article_similarity, r.off_topic) for r in quick.comments
    ]


def _length_set(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """400 comments where people call short comments off the subject more often."""
    rng = np.random.default_rng(seed)
    words = rng.integers(2, 200, size=400)
    on = rng.random(400) < 1 / (1 + np.exp(-(np.log(words) - 3.0)))
    return on, words


def test_a_score_that_is_pure_length_gains_nothing_over_length() -> None:
    on, words = _length_set(0)
    control = agreement.length_control(on, words.astype(float), words, seed=0)
    assert control.auc_length_alone is not None and control.auc_length_alone > 0.7
    assert control.gain_over_length is not None and abs(control.gain_over_length) < 0.01
    # inside quartiles of length, the ranking by length is far weaker than overall
    overall = roc_auc_score(on, words)
    assert control.bands == 4
    assert control.auc_within_length is not None and control.auc_within_length < overall - 0.05


def test_a_score_that_knows_the_label_gains_over_length() -> None:
    on, words = _length_set(1)
    score = on + np.random.default_rng(2).normal(0, 0.8, size=len(on))
    control = agreement.length_control(on, score, words, seed=0)
    assert control.gain_over_length is not None and control.gain_over_length > 0.1
    assert control.auc_within_length == pytest.approx(
        np.average(
            [roc_auc_score(on[b], score[b]) for b in _quartile_masks(words)],
            weights=[int(b.sum()) for b in _quartile_masks(words)],
        ),
        abs=1e-6,
    )


def _quartile_masks(words: np.ndarray) -> list[np.ndarray]:
    q1, q2, q3 = np.quantile(words, [0.25, 0.5, 0.75])
    return [words <= q1, (words > q1) & (words <= q2), (words > q2) & (words <= q3), words > q3]


def test_length_control_is_seeded_and_undefined_with_one_class() -> None:
    on, words = _length_set(3)
    score = words + np.random.default_rng(4).normal(0, 50, size=len(on))
    assert agreement.length_control(on, score, words, 0) == agreement.length_control(
        on, score, words, 0
    )
    one = agreement.length_control(np.ones(5, bool), np.arange(5.0), np.arange(5), 0)
    assert (one.auc_within_length, one.gain_over_length) == (None, None)
