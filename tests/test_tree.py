"""Reply-tree rules: name resolution for text dumps, repairs for id-based inputs, traversals."""

from __future__ import annotations

import pytest

import threads
from threads.models import RawComment
from threads.tree import resolve_ids, resolve_names


def named(*rows: tuple[str | None, str | None]) -> list[RawComment]:
    """(author, reply_to) rows in page order."""
    return [
        RawComment(id=str(i), position=i, text=f"text {i}", author=a, reply_to=r)
        for i, (a, r) in enumerate(rows, start=1)
    ]


def placement(comments: list[threads.Comment]) -> list[tuple[str | None, str, tuple[str, ...]]]:
    return [(c.parent_id, c.parent_status, c.parent_alternatives) for c in comments]


def test_deepest_candidate_on_the_path_wins_and_is_ambiguous() -> None:
    comments = resolve_names(named(("A", None), ("B", "A"), ("A", "B"), ("C", "A")))
    assert placement(comments) == [
        (None, "top-level", ()),
        ("1", "unique", ()),
        ("2", "unique", ()),
        ("3", "ambiguous", ("1",)),
    ]
    assert [c.depth for c in comments] == [0, 1, 2, 3]


def test_name_not_on_path_takes_nearest_earlier_comment_off_path() -> None:
    rows = named(("A", None), ("B", "A"), ("C", None), ("B", None), ("D", "B"), ("E", "A"))
    comments = resolve_names(rows)
    # D replies to B: B (4) is on the current path, so unique.
    assert comments[4].parent_id == "4"
    # E replies to A, who is not on the path (4 -> 5); the only A is comment 1: off-path.
    assert (comments[5].parent_id, comments[5].parent_status, comments[5].depth) == (
        "1",
        "off-path",
        1,
    )


def test_off_path_reply_re_roots_the_current_path() -> None:
    rows = named(("A", None), ("B", "A"), ("C", None), ("D", "B"), ("E", "A"))
    comments = resolve_names(rows)
    assert comments[3].parent_status == "off-path" and comments[3].parent_id == "2"
    # After D joined A's thread under B, A is on the path again: unique.
    assert (comments[4].parent_id, comments[4].parent_status) == ("1", "unique")


def test_unknown_or_missing_name_is_an_orphan_keeping_reply_to() -> None:
    comments = resolve_names(named(("A", None), ("B", "Nobody"), ("C", "")))
    assert placement(comments)[1:] == [(None, "orphan", ()), (None, "orphan", ())]
    assert [c.reply_to for c in comments] == [None, "Nobody", ""]


def test_names_match_ignoring_case_space_and_unicode_form() -> None:
    comments = resolve_names(named(("Zoe\u0301  Smith", None), ("B", "zo\u00e9 smith")))
    assert comments[1].parent_id == "1"


def test_reply_naming_its_own_author_attaches_to_their_earlier_comment() -> None:
    comments = resolve_names(named(("A", None), ("A", "A")))
    assert (comments[1].parent_id, comments[1].parent_status) == ("1", "unique")


def test_alternatives_are_capped_nearest_first() -> None:
    rows = [("A", None)] + [("B" if i % 2 else "A", "A" if i % 2 else "B") for i in range(1, 40)]
    comments = resolve_names(named(*rows))
    last_a_reply = comments[-1]
    assert last_a_reply.parent_status == "ambiguous"
    assert len(last_a_reply.parent_alternatives) == 10
    ids = [int(a) for a in last_a_reply.parent_alternatives]
    assert ids == sorted(ids, reverse=True)


@pytest.mark.slow
def test_chain_100000_deep_builds_and_traverses_without_recursion() -> None:
    # 100 times Python's default recursion limit: any recursive step would fail here.
    n = 100_000
    rows = [("P0", None)] + [(f"P{i}", f"P{i - 1}") for i in range(1, n)]
    comments = resolve_names(named(*rows))
    assert comments[-1].depth == n - 1
    discussion = threads.Discussion("mem", "text", threads.Article(), tuple(comments))
    assert len(discussion.path_to(str(n))) == n
    assert sum(1 for _ in discussion.walk()) == n
    assert [len(chain) for chain in discussion.chains()] == [n]


def exact(*rows: tuple[str, str | None]) -> list[RawComment]:
    return [
        RawComment(id=i, position=n, text=f"t{n}", parent_ref=p)
        for n, (i, p) in enumerate(rows, start=1)
    ]


def test_exact_parents_and_depths() -> None:
    comments, repairs = resolve_ids(exact(("10", None), ("11", "10"), ("12", "11"), ("13", "10")))
    assert placement(comments) == [
        (None, "top-level", ()),
        ("10", "exact", ()),
        ("11", "exact", ()),
        ("10", "exact", ()),
    ]
    assert [c.depth for c in comments] == [0, 1, 2, 1]
    assert repairs == []


def test_repairs_missing_parent_self_reply_cycle_duplicate() -> None:
    rows = exact(
        ("1", None), ("2", "99"), ("3", "3"), ("4", "5"), ("5", "4"), ("1", "1"), ("6", "1"),
    )  # fmt: skip
    comments, repairs = resolve_ids(rows)
    assert [c.id for c in comments] == ["1", "2", "3", "4", "5", "1~2", "6"]
    by_id = {c.id: c for c in comments}
    assert (by_id["2"].parent_id, by_id["2"].parent_status) == (None, "orphan")
    assert (by_id["3"].parent_id, by_id["3"].parent_status) == (None, "top-level")
    assert (by_id["4"].parent_id, by_id["5"].parent_id) == (None, "4")
    assert (by_id["1~2"].parent_id, by_id["6"].parent_id) == ("1", "1")
    assert [str(r) for r in repairs] == [
        "comment 1~2: duplicate id '1'; kept as '1~2'",
        "comment 2: parent '99' is not in the input; made top-level (orphan)",
        "comment 3: names itself as parent; made top-level",
        "comment 4: reply cycle (4, 5); made top-level",
    ]


def test_traversals_on_the_corpus() -> None:
    discussion = threads.load("corpus/unherd-how-to-escape-north-korea.txt")
    assert [c.id for c in discussion.roots()] == ["1", "8", "9", "10", "11", "13", "15", "16"]
    assert [c.id for c in discussion.children("4")] == ["5", "6"]
    assert [c.id for c in discussion.walk("1")] == ["1", "2", "3", "4", "5", "6", "7"]
    assert [[c.id for c in chain] for chain in discussion.chains()][:4] == [
        ["1", "2"],
        ["1", "3"],
        ["1", "4", "5"],
        ["1", "4", "6", "7"],
    ]
    assert sum(1 for _ in discussion.chains()) == 11
    assert discussion.root_of("7").id == "1"
    frame = discussion.to_frame()
    assert frame["parent_id"].isna().tolist()[:4] == [True, False, False, False]
    assert list(frame["parent_id"][1:4]) == ["1", "1", "1"]
    assert frame.loc["7", "parent_status"] == "ambiguous"
