"""Topic clusters: the scikit-learn style model, numbering, labels and bad K or seeds."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

import threads
from threads.analysis import analyze, options, sweep, topics
from threads.analysis.space import TextSpace

from ..conftest import CORPUS


@pytest.fixture(scope="module")
def discussion() -> threads.Discussion:
    return threads.load(CORPUS)


@pytest.fixture(scope="module")
def vectors(discussion: threads.Discussion) -> sp.csr_matrix:
    article = [p for p in (discussion.article.title, *discussion.article.paragraphs) if p]
    return TextSpace().fit(article, [c.text for c in discussion.comments]).comment_vectors_


def test_model_keeps_its_parameters_and_learns_underscored_values(vectors: sp.csr_matrix) -> None:
    model = topics.TopicModel()
    assert (model.n_clusters, model.random_state) == (None, 0)  # a fixed seed by default
    assert not hasattr(model, "labels_")
    assert model.fit(vectors) is model
    assert model.n_clusters is None  # fit never rewrites a parameter
    assert model.n_clusters_ == int(model.labels_.max()) + 1
    assert [s.k for s in model.k_scores_] == list(range(2, 9))
    best = max(model.k_scores_, key=lambda s: s.silhouette)
    assert model.n_clusters_ == best.k


def test_analysis_uses_the_model_labels(
    discussion: threads.Discussion, vectors: sp.csr_matrix
) -> None:
    model = topics.TopicModel(5, random_state=3).fit(vectors)
    result = analyze(discussion, clusters=5, seed=3)
    assert [r.cluster for r in result.comments] == model.labels_.tolist()
    assert model.k_scores_ == []


def test_refitting_with_the_same_seed_gives_the_same_labels(vectors: sp.csr_matrix) -> None:
    first = topics.TopicModel(6, random_state=11).fit(vectors).labels_
    second = topics.TopicModel(6, random_state=11).fit(vectors).labels_
    assert first.tolist() == second.tolist()


def test_numbering_is_largest_first_ties_by_earliest_comment() -> None:
    raw = np.array([7, 3, 3, 9, 9, 7, 5])
    # sizes: 7 -> 2, 3 -> 2, 9 -> 2, 5 -> 1; the three of size 2 first appear at 0, 1, 3
    assert topics.ordered(raw).tolist() == [0, 1, 1, 2, 2, 0, 3]


def test_class_tfidf_terms_match_the_formula() -> None:
    counts = sp.csr_matrix(
        np.array(
            [
                [3, 0, 1, 0],  # cluster 0
                [1, 0, 1, 0],  # cluster 0
                [0, 2, 1, 4],  # cluster 1
            ]
        )
    )
    labels = np.array([0, 0, 1])
    vocabulary = ["korea", "canada", "people", "freedom"]
    per_class = np.array([[4, 0, 2, 0], [0, 2, 1, 4]], dtype=float)
    tf = per_class / per_class.sum(axis=1, keepdims=True)
    idf = np.log(1 + (per_class.sum() / 2) / per_class.sum(axis=0))
    weights = tf * idf
    expected = [
        [vocabulary[i] for i in np.argsort(-row, kind="stable") if row[i] > 0] for row in weights
    ]
    assert topics.class_tfidf_terms(counts, labels, vocabulary, 2) == expected
    assert expected[0][0] == "korea" and expected[1][0] == "freedom"


@pytest.mark.parametrize("seed", [-1, 2**32, 1.5, "3", True])
def test_bad_seed_is_an_option_error_quoting_it(
    discussion: threads.Discussion, seed: object
) -> None:
    with pytest.raises(
        threads.OptionError, match=r"^seed must be a whole number from 0 to 4294967295; got"
    ):
        analyze(discussion, clusters=3, seed=seed)


def test_largest_seed_works_for_stability_too(discussion: threads.Discussion) -> None:
    rows = sweep(discussion, [3], seed=2**32 - 1)
    assert rows[0].stability is not None


@pytest.mark.parametrize("k", [2.5, "3", True, None])
def test_k_must_be_a_whole_number(k: object) -> None:
    with pytest.raises(ValueError, match="^clusters must be a whole number") as caught:
        options.check_clusters(k, 16)
    assert isinstance(caught.value, threads.OptionError)  # the ValueError that names it
    assert caught.value.param == "clusters"


def test_sweep_skips_k_that_cannot_be_formed_and_keeps_order(
    discussion: threads.Discussion,
) -> None:
    rows = sweep(discussion, [5, 0, 17, 2])
    assert [row.k for row in rows] == [5, 2]
    with pytest.raises(threads.OptionError, match="^sweep takes whole numbers"):
        sweep(discussion, [2.5])  # type: ignore[list-item]


def test_k_one_has_no_silhouette_or_stability(discussion: threads.Discussion) -> None:
    (row,) = sweep(discussion, [1])
    assert row.silhouette is None and row.stability is None
    result = analyze(discussion, clusters=1)
    assert [c.size for c in result.clusters] == [16]
    assert result.clusters[0].share_comments == 1.0


def test_adjusted_rand_is_sklearns_to_the_last_bit() -> None:
    from sklearn.metrics import adjusted_rand_score

    rng = np.random.default_rng(7)
    for n, k in [(2, 2), (16, 3), (50, 8), (400, 5), (2000, 8)]:
        for _ in range(20):
            a, b = rng.integers(0, k, size=n), rng.integers(0, k, size=n)
            assert topics.adjusted_rand(a, b) == adjusted_rand_score(a, b)
        same = rng.integers(0, k, size=n)
        renamed = (same + 1) % k  # the same partition under other numbers: 1.0
        assert topics.adjusted_rand(same, renamed) == adjusted_rand_score(same, renamed)
