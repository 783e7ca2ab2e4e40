"""The comparison page's article table: which pages it shows, and what it says it shows."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest
from bs4 import BeautifulSoup

from threads.corpus import page
from threads.corpus.driver import analyze_many

from ..conftest import present
from .conftest import BINARY, write_corpus


def _table(out: Path) -> tuple[list[str], list[str], str]:
    """Pages shown as read and as failed, in the table's order; the table's sentence."""
    soup = BeautifulSoup((out / "corpus.html").read_text(encoding="utf-8"), "html.parser")
    rows = soup.select("#article-table tbody tr")
    read = [present(r.td).get_text() for r in rows if "failed" not in (r.get("class") or [])]
    failed = [present(r.td).get_text() for r in rows if "failed" in (r.get("class") or [])]
    return read, failed, " ".join(present(soup.select_one("#articles p")).get_text().split())


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = write_corpus(
        tmp_path_factory.mktemp("capped") / "pages",
        {"a.txt": 20, "b.txt": 30, "c.txt": 25, "d.txt": 40},
    )
    for name in ("x.bin", "y.bin"):
        shutil.copy(BINARY, folder / name)
    return folder


@pytest.mark.slow
def test_a_capped_table_shows_the_most_off_topic_pages_and_says_so(
    pages: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(page, "TABLE_PAGES", 2)
    monkeypatch.setattr(page, "TABLE_FAILED", 1)
    out = tmp_path / "out"
    result = analyze_many([pages], out=out, workers=1, reports="none")
    assert result.failed == 2
    rows = pq.read_table(out / "articles.parquet").to_pylist()
    assert [r["page"] for r in rows] == ["a.txt", "b.txt", "c.txt", "d.txt", "x.bin", "y.bin"]
    ranked = sorted(
        (r for r in rows if r["status"] == "ok"), key=lambda r: (-r["off_topic_share"], r["page"])
    )
    read, failed, sentence = _table(out)
    assert read == [r["page"] for r in ranked[:2]]
    assert failed == ["x.bin"]
    assert (
        "This table shows the 2 most off-topic of the 4 pages read and 1 of the 2 failed "
        "pages; sorting reorders these rows only. Every page is in articles.csv and "
        "articles.parquet."
    ) in sentence
    assert (out / "articles.csv").read_text(encoding="utf-8").count("\n") == 7  # header + 6


@pytest.mark.slow
def test_a_table_with_room_for_every_page_shows_them_all(pages: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    analyze_many([pages], out=out, workers=1, reports="none")
    read, failed, sentence = _table(out)
    assert sorted(read) == ["a.txt", "b.txt", "c.txt", "d.txt"]
    assert failed == ["x.bin", "y.bin"]
    assert "This table shows" not in sentence


def test_the_shown_pages_follow_the_tables_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(page, "TABLE_PAGES", 3)
    monkeypatch.setattr(page, "TABLE_FAILED", 0)
    ok = np.array([True, True, False, True, True])
    shares = np.array([0.1, np.nan, np.nan, 0.5, 0.1])
    names = ["e", "b", "a", "c", "d"]
    # c (0.5), then d and e (0.1, by name); b has no share and comes after them.
    assert page.shown_in_table(ok, shares, names) == {3, 4, 0}
