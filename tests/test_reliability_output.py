"""Outputs and conditions around them: never over an input, never an element id from the
input colliding with the report's own, unreadable streams refused early."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bs4 import BeautifulSoup

import threads
from threads.report.conversation import anchor_for


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "threads", *args], capture_output=True, text=True, cwd=cwd,
        timeout=120,
    )  # fmt: skip


def comments_csv(path: Path, ids: list[str]) -> Path:
    rows = ["id,parent_id,author,text"]
    rows += [f"{i},,Ann {n},A comment about North Korea number {n}." for n, i in enumerate(ids)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_report_never_overwrites_its_input(tmp_path: Path) -> None:
    data = comments_csv(tmp_path / "data.csv", ["1", "2", "3"])
    before = data.read_bytes()
    for out in ("data.html", "data"):
        done = run("report", str(data), "--out", str(tmp_path / out))
        assert done.returncode == 1
        assert done.stderr == (
            f"Error: {data}: is the input file; give the report another name "
            "(it writes .html, .json and .csv side by side)\n"
        )
    assert data.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.csv"]


def test_comment_ids_never_collide_with_the_reports_own_ids(tmp_path: Path) -> None:
    own = ["chain-paths", "c-p2", "conversation", "topic-0", "page-1", "method", "drift"]
    ids = own + ["hain-paths", "-p2", "onversation", "1", "01", "x y", "1~2"]
    data = comments_csv(tmp_path / "ids.csv", ids)
    done = run("report", str(data), "--out", str(tmp_path / "r.html"), "--clusters", "2")
    assert done.returncode == 0, done.stderr
    soup = BeautifulSoup((tmp_path / "r.html").read_text(encoding="utf-8"), "html.parser")
    element_ids = [tag["id"] for tag in soup.find_all(id=True)]
    assert len(element_ids) == len(set(element_ids)), "an id is given twice"
    discussion = threads.load(data)
    for comment in discussion:
        assert soup.find(id=anchor_for(comment)).name == "li"  # each comment's own element
    records = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["comments"]
    assert [r["id"] for r in records] == ids


def test_an_endless_stream_is_refused_at_once() -> None:
    done = run("comments", "/dev/zero", "--no-analysis")
    assert done.returncode == 1
    assert done.stderr == "Error: /dev/zero: looks like a binary file, not a comment page\n"
