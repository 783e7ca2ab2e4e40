"""The comparison step (:func:`threads.analysis.comparison_space.compare`) on hand-made
page sketches."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from threads.analysis import comparison_space
from threads.analysis.comparison_space import ComparisonSpace, compare
from threads.analysis.sketch import N_FEATURES

THEMES = {"a": range(0, 10), "b": range(1000, 1010)}


def _cluster(theme: str, size: int, shift: int) -> dict[str, Any]:
    features = list(THEMES[theme])
    counts = [size + (i + shift) % 3 for i in range(len(features))]
    return {"number": 0, "size": size, "terms": [f"{theme}{i}" for i in range(5)],
            "counts": [features, counts]}  # fmt: skip


def _sketches(pages: int) -> list[tuple[str, dict[str, Any]]]:
    """Pages with one cluster of each theme; page i has i + 1 comments on theme a."""
    found = []
    for i in range(pages):
        a, b = _cluster("a", i + 1, i), _cluster("b", 2, i)
        found.append(
            (
                f"p{i:03d}",
                {
                    "documents": a["size"] + b["size"],
                    "df": [[], []],
                    "article": [list(THEMES["a"]), [1] * 10],
                    "all": [sorted([*THEMES["a"], *THEMES["b"]]), [1] * 20],
                    "clusters": [a, b],
                },
            )
        )
    return found


def _space() -> ComparisonSpace:
    df = np.zeros(N_FEATURES, dtype=np.int64)
    df[list(THEMES["a"])] = 50
    df[list(THEMES["b"])] = 50
    return ComparisonSpace(100, df)


@pytest.mark.parametrize("sample", [10_000, 12], ids=["every-cluster", "sampled"])
def test_recurring_topics_keep_the_themes_apart_and_count_every_cluster(
    monkeypatch: pytest.MonkeyPatch, sample: int
) -> None:
    monkeypatch.setattr(comparison_space, "RECURRING_SAMPLE", sample)
    sketches = _sketches(40)
    figures, topics = compare(_space(), lambda: iter(sketches), seed=0)

    assert sorted(figures) == [name for name, _ in sketches]
    for topic in topics:  # a topic holds clusters of one theme only
        assert len({term[0] for term in topic.terms}) == 1
    assert sum(t.clusters for t in topics) == 80
    assert sum(t.comments for t in topics) == sum(range(1, 41)) + 2 * 40
    assert [t.number for t in topics] == list(range(len(topics)))
    assert [t.comments for t in topics] == sorted((t.comments for t in topics), reverse=True)
    for topic in topics:
        assert len(topic.top_pages) == min(topic.pages, comparison_space.TOP_PAGES)
    for found in figures.values():
        assert len(found.recurring) == 2  # one topic per theme
        assert found.article_similarity == pytest.approx(0.707107, abs=1e-3)
        assert found.corpus_similarity == pytest.approx(1.0)


def test_a_topics_pages_are_those_with_most_comments_in_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(comparison_space, "RECURRING_TOPICS", 2)
    sketches = _sketches(30)
    _, topics = compare(_space(), lambda: iter(sketches), seed=0)
    theme_a = next(t for t in topics if t.terms[0] == "a0")
    assert theme_a.pages == 30
    assert theme_a.top_pages == tuple(f"p{i:03d}" for i in range(29, 19, -1))


def test_the_sampled_fit_is_the_same_on_every_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(comparison_space, "RECURRING_SAMPLE", 12)
    sketches = _sketches(40)
    first = compare(_space(), lambda: iter(sketches), seed=3)
    again = compare(_space(), lambda: iter(sketches), seed=3)
    assert first == again


def test_a_known_cluster_count_saves_the_sample_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(comparison_space, "RECURRING_SAMPLE", 12)
    sketches = _sketches(40)
    passes: list[str] = []

    def reading(label: str) -> comparison_space.Sketches:
        def read() -> Iterator[tuple[str, dict[str, Any]]]:
            passes.append(label)
            return iter(sketches)

        return read

    unknown = compare(_space(), reading("unknown"), seed=3)
    known = compare(_space(), reading("known"), seed=3, clusters=80)
    wrong = compare(_space(), reading("wrong"), seed=3, clusters=79)
    assert known == unknown == wrong
    assert passes.count("unknown") == 3  # centres, the sample, the figures
    assert passes.count("known") == 2  # the sample read with the centres
    assert passes.count("wrong") == 4  # a count that is not the sketches' is not trusted
