"""Property: random threads rendered in the UnHerd dump format parse back to the same thread."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import threads
from threads.inputs.textdump import DATE_LINE

ARTICLE = "A title\n\nNovember 1, 2023  5 mins\n\nThe article's only paragraph.\n\n\n"

NAMES = st.sampled_from(
    ["Ann Lee", "bob-smith", "Zoe\u0301 Ade\u0300le", "\u0645\u062d\u0645\u062f", "Mrs R", "Jim"]
)
WORDS = st.sampled_from(
    ["freedom", "Korea", "ago", "3", "years", "Reply", "to", "Jim", "\u201cquoted\u201d",
     "it\u2019s", "\U0001f609", "<b>", "{{ x }}", "=SUM(A1)", "well,", "no."]
)  # fmt: skip
LINE = st.lists(WORDS, min_size=1, max_size=8).map(" ".join)
PARAGRAPH = st.lists(LINE, min_size=1, max_size=3).map("\n".join)
BODY = st.lists(PARAGRAPH, min_size=1, max_size=3).map("\n\n".join)


@dataclass
class Node:
    author: str | None
    parent: int | None  # index into the list
    text: str


@st.composite
def threads_strategy(draw: st.DrawFn) -> list[Node]:
    """Comments in depth-first page order: each one replies to the previous comment or one
    of its ancestors, or starts a new thread."""
    n = draw(st.integers(min_value=1, max_value=25))
    nodes: list[Node] = []
    path: list[int] = []
    for i in range(n):
        depth = draw(st.integers(min_value=0, max_value=len(path)))
        parent = path[depth - 1] if depth else None
        author = draw(st.one_of(st.none(), NAMES)) if i % 5 == 4 else draw(NAMES)
        if parent is not None and nodes[parent].author is None:
            parent, depth = None, 0  # the page cannot name an anonymous parent
        nodes.append(Node(author, parent, draw(BODY)))
        path = path[:depth] + [i]
    return nodes


def render(nodes: list[Node]) -> str:
    blocks = []
    for node in nodes:
        header = [node.author, node.author] if node.author else []
        header.append("2 days ago")
        if node.parent is not None:
            header.append(f"Reply to  {nodes[node.parent].author}")
        blocks.append("\n".join(header) + "\n\n" + node.text)
    return ARTICLE + "\n\n".join(blocks) + "\n"


def body_is_unambiguous(text: str) -> bool:
    """Bodies the format cannot tell from headers are excluded (README, Known limits)."""
    for paragraph in text.split("\n\n"):
        lines = paragraph.split("\n")
        if DATE_LINE.fullmatch(lines[0].strip()):
            return False
        if len(lines) > 1 and lines[0].strip() == lines[1].strip():
            return False
    return True


def path_names_repeat(nodes: list[Node]) -> bool:
    for i, _ in enumerate(nodes):
        names: list[str | None] = []
        j: int | None = i
        while j is not None:
            names.append(nodes[j].author)
            j = nodes[j].parent
        named = [n for n in names if n]
        if len(named) != len(set(named)):
            return True
    return False


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(threads_strategy())
def test_rendered_threads_parse_back(nodes: list[Node]) -> None:
    assume(all(body_is_unambiguous(node.text) for node in nodes))
    discussion = threads.load_text(render(nodes))
    assert len(discussion) == len(nodes)
    assert [c.author for c in discussion] == [n.author for n in nodes]
    assert [c.text for c in discussion] == [n.text for n in nodes]
    for comment, node in zip(discussion, nodes, strict=True):
        if node.parent is None:
            assert comment.parent_id is None
        else:
            # Up to the format's name ambiguity: the parent found has the named author.
            assert comment.parent_id is not None
            assert discussion.get(comment.parent_id).author == nodes[node.parent].author
    if not path_names_repeat(nodes):
        expected = [None if n.parent is None else str(n.parent + 1) for n in nodes]
        assert [c.parent_id for c in discussion] == expected
        assert {c.parent_status for c in discussion} <= {"top-level", "unique"}
