"""The report's commenters table: most active first, each linking to their comments."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

import threads
from threads.analysis import analyze
from threads.analysis.authors import commenters

from ..conftest import CORPUS, present, run_cli


def test_commenters_are_counted_once_each_most_active_first() -> None:
    found = commenters(analyze(threads.load(CORPUS), clusters=4))
    top = [(c.name, c.comment_ids, c.replies_received, c.off_topic) for c in found[:3]]
    assert top == [
        ("Jim Veenbaas", ("1", "6"), 4, 2),  # #1 has replies #2-#4, #6 has #7; both off
        ("Bret Larson", ("5", "7"), 0, 1),
        ("Benedict Waterson", ("9", "12"), 0, 1),
    ]
    named = [c for c in threads.load(CORPUS) if c.author]
    assert sum(len(c.comment_ids) for c in found) == len(named)  # the two anonymous left out


@pytest.mark.slow
def test_report_table_links_every_commenters_comments(tmp_path: Path) -> None:
    run_cli("report", str(CORPUS), "--clusters", "4", "--out", "r.html", cwd=tmp_path)
    soup = BeautifulSoup((tmp_path / "r.html").read_text(encoding="utf-8"), "html.parser")
    table = present(present(soup.find(id="commenters")).find_next("table"))
    rows = present(table.find("tbody")).find_all("tr")
    first = rows[0]
    assert present(first.th).get_text(strip=True) == "Jim Veenbaas"
    assert [a["href"] for a in first.find_all("a")] == ["#c1", "#c6"]
    assert len(rows) == len({c.author for c in threads.load(CORPUS) if c.author})
    for link in table.find_all("a"):
        assert soup.find(id=link["href"][1:]) is not None  # every link lands on a comment
