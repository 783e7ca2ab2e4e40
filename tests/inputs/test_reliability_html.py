"""Saved wpDiscuz HTML: markup that reshapes the tree, empty thread lists, characters the
parser once used internally, XML prologs and deep nesting. Each comment keeps its own text."""

from __future__ import annotations

import time
import warnings
from typing import Any

import pytest
from click.testing import CliRunner

import threads
from threads.cli import cli

from .markup import comment_html, nested, page, records

TEXTS = ["First comment.", "Second comment.", "Third comment."]


def html_of(items: list[dict[str, Any]]) -> str:
    return page("".join(comment_html(item) for item in items))


def shape(discussion: threads.Discussion) -> list[tuple[str, str | None, str]]:
    return [(c.id, c.parent_id, c.text) for c in discussion.comments]


@pytest.mark.parametrize(
    "unclosed",
    [
        "<table><tr><td>a cell",
        "<div>an open div",
        "<ul><li><blockquote><table><tr><td>a cell",
        "<table><tr><td><div><ul><li>all of them",
    ],
)  # fmt: skip
def test_unclosed_markup_in_a_body_keeps_every_text_its_own(unclosed: str) -> None:
    items = records(TEXTS, [None, "1", None])
    items[0]["raw_html"] = f"<p>{TEXTS[0]}</p>{unclosed}"
    items[1]["edited"] = "Last edited 1 hour ago by Name 2"
    items[2]["votes"] = 12
    discussion = threads.load_text(page(nested(items)))
    inner = unclosed.rsplit(">", 1)[1]
    assert shape(discussion) == [
        ("1", None, f"{TEXTS[0]}\n\n{inner}"), ("2", "1", TEXTS[1]), ("3", None, TEXTS[2]),
    ]  # fmt: skip
    assert discussion.get("2").edited == "Last edited 1 hour ago by Name 2"
    assert discussion.get("1").edited is None
    assert discussion.get("3").votes == 12


def test_empty_first_thread_list_is_passed_over() -> None:
    html = html_of(records(TEXTS)).replace(
        '<div class="wpd-thread-list">',
        '<div class="wpd-thread-list"></div><div class="wpd-thread-list">',
    )
    assert shape(threads.load_text(html)) == [(str(i), None, t) for i, t in enumerate(TEXTS, 1)]


@pytest.mark.parametrize("char", ["\u2028", "\u2029"])
def test_line_and_paragraph_separators_come_out_exactly(char: str) -> None:
    items = records([f"one{char}two", "three"])
    items[1]["raw_html"] = f"<p>a{char}b<br>c</p><p>d</p>"
    assert [c.text for c in threads.load_text(html_of(items))] == [
        f"one{char}two",
        f"a{char}b\nc\n\nd",
    ]


@pytest.mark.parametrize(
    "prolog",
    [
        '<?xml version="1.0" encoding="utf-8"?>\n',
        '<?xml version="1.0"?><!DOCTYPE html [<!ENTITY n "x">]>',
    ],
)
def test_xhtml_prolog_prints_no_library_warning(tmp_path: Any, prolog: str) -> None:
    path = tmp_path / "page.html"
    path.write_text(
        prolog + html_of(records(TEXTS)).replace("<!DOCTYPE html>", ""), encoding="utf-8"
    )
    result = CliRunner().invoke(cli, ["comments", str(path), "--no-analysis"])
    assert result.exit_code == 0
    assert result.stderr == ""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(threads.load(path)) == 3


@pytest.mark.slow
def test_deeply_nested_body_is_near_linear() -> None:
    items = records(["x", TEXTS[1]])
    levels = 20_000
    items[0]["raw_html"] = "<div>" * levels + "deep" + "</div>" * levels
    started = time.perf_counter()
    discussion = threads.load_text(html_of(items))
    elapsed = time.perf_counter() - started
    assert [c.text for c in discussion] == ["deep", TEXTS[1]]
    assert elapsed < 8  # quadratic took 22 s
