"""The report's digest: in brief before the article, one badge per digression, the JSON keys."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from threads.cli import cli

from ..conftest import CORPUS, present


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("digest") / "report.html"
    # A cut at which the flags equal the corpus hand labels: the digest has turns to name.
    args = ["report", str(CORPUS), "--out", str(out), "--lexical", "--off-topic-threshold", "0.037"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def soup(report: Path) -> BeautifulSoup:
    return BeautifulSoup(report.read_text(encoding="utf-8"), "lxml")


def test_digest_comes_before_the_article_and_links_comments(soup: BeautifulSoup) -> None:
    sections = [s["id"] for s in soup.select("main > section")]
    assert sections[:2] == ["digest", "article"]
    lines = [li.get_text("", strip=True) for li in soup.select("#digest li")]
    assert lines[0].startswith("#1Jim Veenbaas: 7 comments, 6 off-topic")
    assert any(line.startswith("#11Tony Price") for line in lines)
    assert "#15" in lines[-1] and "Wokes" in lines[-1]
    hrefs = {a["href"] for a in soup.select("#digest a")}
    assert {"#c1", "#c4", "#c3", "#c11", "#c15"} <= hrefs


def test_one_drift_badge_per_digression(soup: BeautifulSoup, report: Path) -> None:
    data = json.loads(report.with_suffix(".json").read_text(encoding="utf-8"))
    badges = [
        li["id"]
        for li in soup.select(".tree li")
        if "drift starts here" in present(li.select_one(":scope > .f")).get_text()
    ]
    assert badges == ["c3", "c4", "c11", "c15"]
    assert sorted(d["start_id"] for d in data["digressions"]) == sorted(b[1:] for b in badges)


def test_json_gains_threads_and_digressions_after_the_existing_keys(report: Path) -> None:
    data = json.loads(report.with_suffix(".json").read_text(encoding="utf-8"))
    keys = list(data)
    assert keys.index("chains") < keys.index("threads") < keys.index("digressions")
    first = next(t for t in data["threads"] if t["root_id"] == "1")
    assert (first["comments"], first["off_topic"]) == (7, 6)
    assert (first["digression_start"], first["digression_ids"]) == ("4", ["4", "5", "6", "7"])
    assert [d["start_id"] for d in data["digressions"]] == ["4", "11", "3", "15"]
    # Two digressions of one comment each: tied.
    assert [d["tied"] for d in data["digressions"]] == [False, False, True, True]
    assert data["summary"]["sentiment_off_vs_on"]["clear"] is False
