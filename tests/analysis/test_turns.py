"""Turns: a reply that departs from what it answers and from its thread so far, and where a
chain left the subject (drift.find_turns, drift.departures) on hand-made vectors and pages."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp

import threads
from threads.analysis import analyze, drift

# Four unit vectors: a, a', b (orthogonal to a), b' (close to b).
A = np.array([1.0, 0.0, 0.0])
A2 = np.array([0.8, 0.6, 0.0])
B = np.array([0.0, 0.0, 1.0])
B2 = np.array([0.0, 0.6, 0.8])


def test_a_reply_turns_when_it_departs_from_parent_and_thread() -> None:
    vectors = np.array([A, A2, B, B2])
    turns = drift.find_turns(vectors, [-1, 0, 1, 2], cut=0.5, gap=1)
    assert np.isnan(turns.to_parent[0]) and np.isnan(turns.to_thread[0])
    assert turns.to_parent.tolist()[1:] == [0.8, 0.0, 0.8]
    # the thread so far of #3 is the mean of A2 and B (its CONTEXT = 2 comments above it)
    thread = (A2 + B) / np.linalg.norm(A2 + B)
    assert turns.to_thread[3] == pytest.approx(round(float(B2 @ thread), 6))
    assert turns.turned.tolist() == [False, False, True, False]


def test_sparse_and_dense_vectors_give_the_same_turns() -> None:
    vectors = np.array([A, A2, B, B2])
    dense = drift.find_turns(vectors, [-1, 0, 1, 2], cut=0.5)
    sparse = drift.find_turns(sp.csr_matrix(vectors), [-1, 0, 1, 2], cut=0.5)
    assert np.array_equal(dense.turned, sparse.turned)
    assert np.allclose(dense.to_thread, sparse.to_thread, equal_nan=True)


def test_close_to_the_thread_is_no_turn_even_far_from_the_parent() -> None:
    # #2 answers #1 (about b) but returns to what #0 said: near its thread, so no turn.
    vectors = np.array([A, B, A])
    turns = drift.find_turns(vectors, [-1, 0, 1], cut=0.5, gap=1)
    assert turns.to_parent[2] == 0.0 and turns.to_thread[2] > 0.5
    assert turns.turned.tolist() == [False, True, False]


def test_no_turn_right_below_a_turn_nor_where_it_cannot_be_judged() -> None:
    vectors = np.array([A, B, A, B])  # every reply departs from its parent
    chain = [-1, 0, 1, 2]
    assert drift.find_turns(vectors, chain, cut=0.9, gap=1).turned.tolist() == [
        False, True, True, True,
    ]  # fmt: skip
    assert drift.find_turns(vectors, chain, cut=0.9, gap=2).turned.tolist() == [
        False, True, False, True,
    ]  # fmt: skip
    judged = [True, False, True, True]
    assert drift.find_turns(vectors, chain, cut=0.9, gap=2, judged=judged).turned.tolist() == [
        False, False, True, False,
    ]  # fmt: skip


def test_the_gap_is_counted_down_each_branch_in_any_page_order() -> None:
    # Page order puts a reply before its parent: row 0 answers row 2.
    vectors = np.array([A, B, B])
    turns = drift.find_turns(vectors, [2, -1, 1], cut=0.5, gap=2)
    assert turns.turned.tolist() == [True, False, False]


@pytest.mark.parametrize(
    ("turned", "off", "expected"),
    [
        ([False, True, False, False], [False, True, True, False], [-1, 1, 1, -1]),  # left at 1
        ([False, False, False, True], [False, True, True, False], [-1, -1, -1, -1]),  # no turn
        ([False, False, True, False], [False, True, True, True], [-1, -1, 2, 2]),  # turned at 2
        ([False, True, True, False], [False, True, True, True], [-1, 1, 1, 1]),  # goes on at 2
        ([False, False, False, False], [True, True, False, True], [0, 0, -1, -1]),  # top-level
    ],
)
def test_departures_are_turns_away_from_the_subject(
    turned: list[bool], off: list[bool], expected: list[int]
) -> None:
    assert drift.departures([-1, 0, 1, 2], turned, off) == expected
    ids = ["a", "b", "c", "d"]
    assert drift.drift_point(ids, turned, off) == (None if expected[-1] < 0 else ids[expected[-1]])


#: (id, parent id, text): a thread on defectors where #3 turns to football; #6 is off alone.
PAGE = [
    ("1", None, "Defectors risk their lives crossing the river into China."),
    ("2", "1", "Brokers in China hide defectors before Thailand."),
    ("3", "2", "Football scores tonight: the league table changed, goals everywhere."),
    ("4", "3", "Football league goals tonight were great, scores again."),
    ("5", "1", "Defectors reach South Korea after Thailand, brokers paid."),
    ("6", None, "Recipes for sourdough bread need flour, water and patience."),
]
ARTICLE = (
    "Defectors from North Korea cross the Yalu river into China, where brokers hide them "
    "before the long journey to Thailand and on to South Korea."
)


def _page(tmp_path: Path) -> threads.Discussion:
    page = tmp_path / "page.json"
    comments = [{"id": i, "parent_id": p, "text": t} for i, p, t in PAGE]
    article = {"title": "North Korea defectors", "paragraphs": [ARTICLE]}
    page.write_text(json.dumps({"article": article, "comments": comments}), encoding="utf-8")
    return threads.load(page)


def test_a_page_leaves_the_subject_where_the_reply_turns(tmp_path: Path) -> None:
    result = analyze(_page(tmp_path), clusters=1, off_topic_threshold=0.1)
    assert [r.id for r in result.comments if r.turned] == ["3"]
    assert [r.id for r in result.comments if r.off_topic] == ["3", "4", "6"]
    found = [(d.start_id, d.parent_id, d.ids) for d in result.digest.digressions]
    assert found == [("3", "2", ("3", "4")), ("6", None, ("6",))]
    leaves = {result.discussion.comments[c.leaf].id: c.drift_point for c in result.chains}
    assert leaves == {"4": "3", "5": None, "6": "6"}
    assert result.drift_point_of_path("4") == "3"
    assert result.result("4").thread_similarity is not None
    assert result.result("1").thread_similarity is None
