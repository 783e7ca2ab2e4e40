"""Hostile and broken input: clear errors, no crash, nothing lost, nothing executed.

Each fixture in tests/fixtures/hostile/ has one expected outcome below. Inputs too big to keep
in the repository (20 MB comment, 100,000 comments, a 100,000-deep chain) are generated.
"""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path
from typing import Literal

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import threads
from threads import report as report_module
from threads.cli import cli
from threads.inputs.decode import decode

from .conftest import FIXTURES

HOSTILE = FIXTURES / "hostile"

# fixture -> ("error", exact stderr) or ("ok", comment count, expected warning or None)
OUTCOMES: dict[str, tuple[Literal["error"], str] | tuple[Literal["ok"], int, str | None]] = {
    "empty.txt": ("error", "is empty"),
    "whitespace-only.txt": ("error", "is empty"),
    "binary.bin": ("error", "looks like a binary file, not a comment page"),
    "nul-bytes.txt": ("ok", 1, "1 NUL bytes were removed"),
    "invalid-utf8.txt": ("ok", 1, "not valid UTF-8 (first bad byte at offset 31)"),
    "utf16-bom.txt": ("ok", 1, None),
    "utf8-bom-crlf.txt": ("ok", 1, None),
    "rtl-and-combining-names.txt": ("ok", 2, None),
    "reply-to-own-name.txt": ("ok", 3, None),
    "cut-off-in-header.txt": ("ok", 2, None),
    "no-comments.txt": ("ok", 0, None),
    "stop-words-emoji-punctuation.txt": ("ok", 3, None),
    "identical-comments.txt": ("ok", 4, None),
    "script-injection.txt": ("ok", 6, None),
    "unclosed-tags.html": ("ok", 1, None),
}


def test_every_fixture_has_an_expected_outcome() -> None:
    assert sorted(p.name for p in HOSTILE.iterdir()) == sorted(OUTCOMES)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("name", sorted(OUTCOMES))
def test_hostile_fixture_outcome(name: str, tmp_path: Path) -> None:
    path = HOSTILE / name
    expected = OUTCOMES[name]
    code, out, err = run("comments", str(path), "--format", "json", "--no-analysis")
    if expected[0] == "error":
        assert code == 1
        assert err == f"Error: {path}: {expected[1]}\n"
        code, _, err = run("report", str(path), "--out", str(tmp_path / "r.html"))
        assert code == 1 and "\n" not in err.rstrip("\n")
        assert list(tmp_path.iterdir()) == []  # no report, no temporary file
        return
    _, count, warning = expected
    assert code == 0, err
    assert len(json.loads(out)["comments"]) == count
    if warning:
        assert f"warning: {path}: {warning}" in err
    # Analysed (the report's analysis without its K panel and charts): every text comes out.
    code, out, err = run("comments", str(path), "--format", "json")
    assert code == 0, err
    texts = [c.text for c in threads.load(path)]
    assert [c["text"] for c in json.loads(out)["comments"]] == texts


@pytest.mark.slow  # a report per fixture: about 1 s of CPU each
@pytest.mark.parametrize("name", sorted(n for n, o in OUTCOMES.items() if o[0] == "ok"))
def test_hostile_fixture_report_keeps_every_comment(name: str, tmp_path: Path) -> None:
    expected = OUTCOMES[name]
    assert expected[0] == "ok"
    assert_nothing_lost(HOSTILE / name, tmp_path, expected[1])


def assert_nothing_lost(path: Path, tmp_path: Path, count: int) -> None:
    """The JSON, the CSV and the report tree hold every comment, texts intact."""
    discussion = threads.load(path)
    out = tmp_path / "report.html"
    code, _, err = run("report", str(path), "--out", str(out), "--quiet")
    assert code == 0, err
    data = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert [c["text"] for c in data["comments"]] == [c.text for c in discussion]
    rows = list(csv.DictReader(io.StringIO(out.with_suffix(".csv").read_text(encoding="utf-8"))))
    assert [unescape_formula(r["text"]) for r in rows] == [c.text for c in discussion]
    soup = BeautifulSoup(out.read_text(encoding="utf-8"), "lxml")
    tree = soup.select(".tree li")
    assert len(tree) == len(rows) == len(data["comments"]) == count
    for li, comment in zip(tree, discussion, strict=True):
        body = "\n\n".join("\n".join(p.get_text("\n").split("\n")) for p in li.select(":scope > p"))
        assert body == comment.text


def unescape_formula(cell: str) -> str:
    """Undo the CSV export's one documented change: a leading ' before =, +, -, @."""
    return cell[1:] if cell[:1] == "'" and cell[1:2] in ("=", "+", "-", "@", "\t", "\r") else cell


def test_csv_cells_that_look_like_formulas_are_escaped(tmp_path: Path) -> None:
    code, out, _ = run("comments", str(HOSTILE / "script-injection.txt"), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[4]["author"] == '\'=HYPERLINK("http://evil")'
    assert rows[4]["text"].startswith("'=1+2\n+cmd")
    assert all(not r[k].startswith(("=", "+", "-", "@")) for r in rows for k in r)


def test_identical_comments_reject_k_above_distinct_texts() -> None:
    code, _, err = run("clusters", str(HOSTILE / "identical-comments.txt"), "--clusters", "2")
    assert code == 2
    assert "--clusters must be between 1 and 1 for this discussion" in err


def test_reply_naming_its_own_author() -> None:
    discussion = threads.load(HOSTILE / "reply-to-own-name.txt")
    assert [(c.parent_id, c.parent_status) for c in discussion] == [
        (None, "top-level"),
        ("1", "unique"),
        (None, "orphan"),  # Bob has not commented before: nobody to reply to
    ]


@pytest.mark.slow
def test_twenty_megabyte_comment(tmp_path: Path) -> None:
    body = ("North Korea defectors " * 10 + "\n") * 91_000
    path = tmp_path / "big.txt"
    path.write_text("Ann Lee\nAnn Lee\n1 day ago\n\n" + body, encoding="utf-8")
    assert path.stat().st_size > 20_000_000
    discussion = threads.load(path)
    assert len(discussion) == 1 and discussion.get("1").text == body.strip()


def synthetic_page(n: int, deep: bool = False) -> str:
    blocks = []
    for i in range(n):
        name = f"User {i if deep else i % 997}"
        reply = ""
        if deep and i:
            reply = f"Reply to  User {i - 1}\n"
        elif not deep and i % 3:
            reply = f"Reply to  User {(i - 1) % 997}\n"
        blocks.append(f"{name}\n{name}\n1 day ago\n{reply}\nComment {i} about things.")
    return "\n\n".join(blocks) + "\n"


@pytest.mark.slow
def test_page_of_100000_comments_keeps_every_one(tmp_path: Path) -> None:
    path = tmp_path / "many.txt"
    path.write_text(synthetic_page(100_000), encoding="utf-8")
    code, out, err = run("comments", str(path), "--format", "csv", "--no-analysis")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 100_000
    assert rows[-1]["text"] == "Comment 99999 about things."


@pytest.mark.slow
def test_reply_chain_100000_deep(tmp_path: Path) -> None:
    path = tmp_path / "deep.txt"
    path.write_text(synthetic_page(100_000, deep=True), encoding="utf-8")
    discussion = threads.load(path)
    assert discussion.get("100000").depth == 99_999
    assert discussion.root_of("100000").id == "1"
    assert sum(1 for _ in discussion.walk()) == 100_000


def test_output_folder_is_created(tmp_path: Path) -> None:
    out = tmp_path / "new" / "nested" / "r.html"
    code, stdout, _ = run("report", str(HOSTILE / "nul-bytes.txt"), "--out", str(out))
    assert code == 0 and stdout.splitlines()[0] == str(out)
    assert out.exists() and out.with_suffix(".json").exists() and out.with_suffix(".csv").exists()


def test_output_path_that_is_a_folder(tmp_path: Path) -> None:
    code, _, err = run("report", str(HOSTILE / "nul-bytes.txt"), "--out", str(tmp_path))
    assert code == 1
    assert err.endswith(f"Error: {tmp_path}: is a folder; give a file name for the report\n")


def test_output_folder_that_cannot_be_made(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    code, _, err = run("report", str(HOSTILE / "nul-bytes.txt"), "--out", str(blocker / "r.html"))
    assert code == 1
    assert err.endswith(f"Error: {blocker}: exists and is not a folder\n")


def test_failed_render_leaves_the_earlier_report_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "r.html"
    source = str(HOSTILE / "rtl-and-combining-names.txt")
    assert run("report", source, "--out", str(out))[0] == 0
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}

    def broken_render(context: report_module.ReportContext) -> str:
        raise RuntimeError("disk on fire halfway through the template")

    monkeypatch.setattr(report_module, "render_html", broken_render)
    code, _, err = run("report", source, "--out", str(out))
    assert code == 1
    assert "internal error (RuntimeError: disk on fire halfway through the template)" in err
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_failed_write_leaves_no_temporary_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "r.html"
    calls = {"n": 0}
    real_replace = os.replace

    def failing_replace(src: str, dst: str) -> None:
        calls["n"] += 1
        if calls["n"] == 1:
            raise OSError(28, "No space left on device", str(dst))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing_replace)
    code, _, err = run("report", str(HOSTILE / "nul-bytes.txt"), "--out", str(out))
    assert code == 1
    assert "cannot write (No space left on device)" in err
    assert list(tmp_path.iterdir()) == []


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_raise_nothing_but_threads_errors(data: bytes) -> None:
    try:
        decoded = decode(data, "fuzz")
        threads.load_text(decoded.text, source="fuzz")
    except threads.ThreadsError:
        pass


LINES = st.sampled_from(
    ["Ann", "Ann", "Bob", "1 day ago", "right now", "Reply to  Ann", "Reply to", "",
     "Last edited 1 day ago by Ann", "Subscribe", "12 Comments", "text", "<div>", "{", "id,text"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(LINES, max_size=40).map("\n".join))
def test_header_like_line_soup_parses_or_fails_cleanly(text: str) -> None:
    try:
        discussion = threads.load_text(text or " ", source="fuzz")
    except threads.ThreadsError:
        return
    ids = {c.id for c in discussion}
    assert all(c.parent_id is None or c.parent_id in ids for c in discussion)
