"""Text dumps: header lines with any Unicode space, names of any length, titles that look
like JSON, absurd numbers, Word's manual line breaks. Every comment keeps its exact text and
parent."""

from __future__ import annotations

import time
import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner

import threads
from threads.cli import cli

# Unicode spaces a header line may carry where a plain space is expected.
SPACES = ["\u00a0", "\u2007", "\u202f", "\u3000", "\t", "  ", " \u00a0 "]

TEXTS = ["First comment.", "A reply to Ann.", "A reply to Bob.", "Another thread."]


def page(space: str = " ", name_b: str = "Bob Smith") -> str:
    """Four comments: Ann, Bob replying to Ann, Cy (with a role line) replying to Bob (his
    comment edited), then Dee. ``space`` stands for every space inside a header line."""

    def sp(line: str) -> str:
        return line.replace(" ", space)

    return (
        "A title\n\nThe article body.\n\n"
        f"Subscribe\nNotify{space}of\n\n{sp('4 Comments')}\n{sp('Most Voted')}\n\n"
        f"Ann\nAnn\n{sp('2 days ago')}\n\n{TEXTS[0]}\n\n"
        f"{sp(name_b)}\n{sp(name_b)}\n{sp('3 days ago')}\n{sp('Reply to  Ann')}\n\n{TEXTS[1]}\n\n"
        f"Cy\nAuthor\nCy\n{sp('an hour ago')}\n{sp('Reply to  ' + name_b)}\n\n{TEXTS[2]}\n\n"
        f"{sp('Last edited 1 hour ago by Cy')}\n"
        f"Dee\nDee\n{sp('right now')}\n\n{TEXTS[3]}\n"
    )


def shape(discussion: threads.Discussion) -> list[tuple[str, str | None, str]]:
    return [(c.id, c.parent_id, c.text) for c in discussion.comments]


EXPECTED = [
    ("1", None, TEXTS[0]),
    ("2", "1", TEXTS[1]),
    ("3", "2", TEXTS[2]),
    ("4", None, TEXTS[3]),
]


@pytest.mark.parametrize("space", SPACES, ids=[f"U+{ord(s[0]):04X}x{len(s)}" for s in SPACES])
def test_any_unicode_space_in_every_header_line(space: str) -> None:
    discussion = threads.load_text(page(space))
    assert shape(discussion) == EXPECTED
    assert discussion.announced_total == 4
    assert discussion.get("3").edited is not None
    assert discussion.get("2").reply_to is not None


def test_no_break_space_in_reply_label_keeps_the_reply_its_own() -> None:
    text = "T\n\nAnn\nAnn\n1 day ago\n\nOne.\n\nBob\nBob\n1 day ago\nReply\u00a0to  Ann\n\nTwo.\n"
    discussion = threads.load_text(text)
    assert shape(discussion) == [("1", None, "One."), ("2", "1", "Two.")]


@pytest.mark.parametrize("length", [101, 250, 100_000])
def test_names_of_any_length(length: int) -> None:
    name = ("Long Name " * (length // 10 + 1))[:length].strip() + "x"
    discussion = threads.load_text(page(name_b=name))
    assert shape(discussion) == EXPECTED
    assert discussion.get("2").author == name


@pytest.mark.parametrize("title", ["[1] Why the border matters", "{Video} The escape", "[]", "{}"])
def test_title_that_opens_like_json_is_a_text_page(title: str, tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_text(title + "\n\n" + page().split("\n\n", 1)[1], encoding="utf-8")
    discussion = threads.load(path)
    assert discussion.input_format == "text"
    assert shape(discussion) == EXPECTED


def test_huge_comment_counter_is_no_count_and_no_crash() -> None:
    text = page().replace("\n4 Comments\n", "\n" + "9" * 5000 + " Comments\n")
    discussion = threads.load_text(text)
    assert shape(discussion) == EXPECTED
    assert discussion.announced_total is None


def test_word_manual_line_breaks_are_text_and_kept(tmp_path: Path) -> None:
    body = "\x0b".join(f"line {i}" for i in range(200))
    path = tmp_path / "vt.txt"
    path.write_text(page().replace(TEXTS[0], body), encoding="utf-8")
    discussion = threads.load(path)
    assert discussion.get("1").text == body  # U+000B kept as written
    assert shape(discussion)[1:] == EXPECTED[1:]
    assert not discussion.warnings


def test_cli_reads_space_variant_page_without_warnings(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_text(page("\u00a0"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["comments", str(path), "--format", "csv", "--no-analysis"])
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert all(text in result.stdout for text in TEXTS)


@pytest.mark.parametrize(
    "texts",
    [
        ["这是一个关于朝鲜的评论。我很同意！", "边境的情况非常复杂。", "我不同意。太片面了。"],
        ["यह एक वाक्य है। मैं सहमत हूँ।", "सीमा की स्थिति जटिल है।", "मैं असहमत हूँ।"],
    ],
    ids=["chinese", "hindi"],
)
def test_non_latin_discussion_prints_no_library_warning(tmp_path: Path, texts: list[str]) -> None:
    blocks = [f"用户{i}\n用户{i}\n1 day ago\n\n{text}" for i, text in enumerate(texts)]
    path = tmp_path / "page.txt"
    path.write_text(texts[0] + "\n\n" + texts[1] + "\n\n" + "\n\n".join(blocks) + "\n", "utf-8")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = CliRunner().invoke(cli, ["report", str(path), "--out", str(tmp_path / "r.html")])
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert [str(w.message) for w in caught] == []  # a warning would reach stderr outside pytest


def test_off_path_replies_alternating_between_two_deep_chains_are_fast() -> None:
    """Each reply names the tip of the other chain (not on the current path): off-path every
    time. Re-rooting the path cost O(depth) per reply (6,000 comments: 104 s)."""
    n = 6000
    blocks, tips = [], {0: "X 0", 1: "Y 1"}
    for i in range(n):
        name = f"{'XY'[i % 2]} {i}"
        reply = f"\nReply to  {tips[i % 2]}" if i >= 2 else ""
        blocks.append(f"{name}\n{name}\n1 day ago{reply}\n\nComment {i}.")
        tips[i % 2] = name
    started = time.perf_counter()
    discussion = threads.load_text("A title\n\n" + "\n\n".join(blocks) + "\n")
    elapsed = time.perf_counter() - started
    assert len(discussion) == n
    assert all(c.parent_status == "off-path" for c in discussion.comments[2:])
    assert discussion.comments[-1].depth == n // 2 - 1
    assert elapsed < 2  # 5 s here before, 0.15 s after
