"""What a reader of corpus.html notices: the "In brief" sentences agree with the article
table, count axes tick at whole numbers, every chart id carries its chart's name once, and
the print stylesheet lets the twelve-column table wrap instead of losing columns."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from bs4 import BeautifulSoup

from threads.analysis.across_pages import MIN_COMMENTS, across_pages
from threads.analysis.options import AnalysisOptions
from threads.corpus.driver import analyze_many

from .conftest import BINARY, write_corpus

#: The brief is about ranking pages, not the measure: words rank them in a third of the CPU.
LEXICAL = AnalysisOptions(lexical=True)
#: Pages of 3 and 6 comments are read but not ranked; the binary file fails.
SIZES = {"a.txt": 20, "b.txt": 30, "c.txt": 25, "d.txt": 40, "small.txt": 3, "six.txt": 6}


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = write_corpus(tmp_path_factory.mktemp("brief") / "pages", SIZES)
    shutil.copy(BINARY, folder / "broken.bin")
    out = folder.parent / "out"
    analyze_many([folder], out=out, workers=1, reports="none", options=LEXICAL)
    return out


def soup_of(out: Path) -> BeautifulSoup:
    return BeautifulSoup((out / "corpus.html").read_text(encoding="utf-8"), "html.parser")


def brief_lines(out: Path) -> list[str]:
    section = soup_of(out).select_one("#digest")
    assert section is not None and section.h2 is not None
    assert section.h2.get_text() == "In brief"
    return [" ".join(e.get_text().split()) for e in section.select("p, li")]


def rows(out: Path) -> list[dict[str, Any]]:
    with (out / "articles.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def said(row: dict[str, Any]) -> str:
    """A page's figures as the brief and the article table write them."""
    share, low, high = (
        float(row[k]) for k in ("off_topic_share", "off_topic_low", "off_topic_high")
    )
    return (
        f"{row['page']} ({share:.3f} of its {int(row['comments']):,} comments off-topic, "
        f"95% interval {low:.3f}–{high:.3f})"
    )


def test_the_brief_names_the_pages_the_article_table_ranks(out: Path) -> None:
    table = rows(out)
    ranked = [r for r in table if r["status"] == "ok" and int(r["comments"]) >= MIN_COMMENTS]
    assert len(ranked) == 4  # a, b, c, d; small and six have too few comments
    most = sorted(ranked, key=lambda r: (-float(r["off_topic_share"]), r["page"]))[:3]
    least = min(ranked, key=lambda r: (float(r["off_topic_share"]), -int(r["comments"]), r["page"]))
    intro, furthest, closest, gap, unjudged, topics = brief_lines(out)
    assert intro == (
        f"Of the {len(table)} pages, 4 have {MIN_COMMENTS} comments or more and are ranked by "
        "off-topic share; 2 pages with fewer are not ranked (too few comments to say)."
    )
    assert furthest == "Furthest off the subject: " + "; ".join(map(said, most)) + "."
    assert closest.startswith(f"Closest to the subject: {said(least)}")
    assert gap.startswith(
        f"The gap in off-topic share between {most[0]['page']} and {least['page']} is "
    )
    assert unjudged == "Not judged: 1 page could not be read (listed last in the table)."
    assert topics.startswith(("Topics on more than one page: ", "No recurring topic"))


def test_the_gap_says_what_its_interval_shows(out: Path) -> None:
    gap = brief_lines(out)[3]
    found = re.search(r" is (-?[\d.]+) \(95% interval (-?[\d.]+) to (-?[\d.]+)\): (.*)$", gap)
    assert found is not None, gap
    value, low, high = (float(found[i]) for i in (1, 2, 3))
    assert low <= value <= high
    clear = found[4].startswith("more than chance in which comments each page drew")
    assert clear == (low > 0)


def test_the_brief_counts_recurring_topics_as_their_table_does(out: Path) -> None:
    soup = soup_of(out)
    spread = [
        (cells[0].get_text(), cells[2].get_text())
        for cells in (tr.find_all("td") for tr in soup.select("#topic-table tbody tr"))
        if int(cells[2].get_text().replace(",", "")) >= 2
    ]
    line = brief_lines(out)[-1]
    if not spread:
        assert line == "No recurring topic spans more than one page."
    for number, pages in spread:
        assert re.search(rf"(: |; ){number} \([^)]*\) on {pages} pages", line), (number, line)


@pytest.mark.slow
def test_few_comments_everywhere_ranks_nothing(tmp_path: Path) -> None:
    folder = write_corpus(tmp_path / "pages", {"x.txt": 4, "y.txt": 6})
    analyze_many([folder], out=tmp_path / "out", workers=1, reports="none", options=LEXICAL)
    assert brief_lines(tmp_path / "out")[0] == (
        f"No page has {MIN_COMMENTS} comments or more: too few to rank the pages by drift. "
        "The article table gives each page's off-topic share with its 95% interval."
    )


def test_across_pages_ties_and_alike_pages() -> None:
    def figures(shares: list[float], comments: list[int]) -> Any:
        n = len(shares)
        share = np.array(shares)
        return across_pages(
            [f"p{i}" for i in range(n)], np.ones(n, bool), np.array(comments), share,
            share, share, [1, 3, 2],
        )  # fmt: skip

    tied = figures([0.0, 0.5, 0.0, 0.2], [10, 40, 90, 12])
    # p0 shares the closest page's 0.0: it is not also named "furthest off the subject"
    assert [p.page for p in tied.most] == ["p1", "p3"]
    assert tied.least is not None and tied.least.page == "p2"  # most comments of the 0.0 pair
    assert tied.tied_least == 1
    assert tied.recurring == (1, 2)
    assert tied.difference is not None and tied.difference.value == 0.5
    alike = figures([0.1, 0.1], [20, 30])
    assert alike.least is None and alike.difference is None
    one = figures([0.3, 0.1], [20, 3])
    assert one.ranked == 1 and one.few_comments == 1 and one.least is None


def chart_ids(out: Path) -> dict[str, list[str]]:
    """Each chart's name and the ids inside its drawing."""
    soup = soup_of(out)
    return {
        str(figure["id"]): [str(e["id"]) for e in figure.select("svg [id]")]
        for figure in soup.select("figure[id]")
    }


def test_every_chart_id_carries_its_charts_name_once(out: Path) -> None:
    found = chart_ids(out)
    assert {"drift-by-size", "drift-by-depth"} <= set(found)
    for name, ids in found.items():
        assert ids, name
        assert all(i.startswith(f"{name}-") for i in ids), name
        assert not [i for i in ids if i.startswith(f"{name}-{name}-")], name
    html = (out / "corpus.html").read_text(encoding="utf-8")
    every = re.findall(r'\sid="([^"]+)"', html)
    assert len(every) == len(set(every))


def tick_labels(out: Path, chart: str, axis: str) -> list[str]:
    figure = soup_of(out).select_one(f"figure#{chart}")
    assert figure is not None
    ticks = figure.select(f'g[id^="{chart}-{axis}tick_"] text')
    return [t.get_text().strip() for t in ticks if t.get_text().strip()]


@pytest.mark.parametrize(
    ("chart", "axis"),
    [("drift-by-size", "x"), ("drift-by-depth", "x"), ("recurring-topics", "x")],
)
def test_count_axes_tick_at_whole_numbers(out: Path, chart: str, axis: str) -> None:
    labels = tick_labels(out, chart, axis)
    assert labels, chart
    assert all(re.fullmatch(r"\d{1,3}(,\d{3})*", label) for label in labels), labels


def test_print_lets_the_wide_table_wrap(out: Path) -> None:
    css = soup_of(out).style
    assert css is not None
    text = css.get_text()
    printed = text[text.index("@media print") :]
    assert "table, table.wide { min-width:0;" in printed
    # The comparison page's own width for the table holds on screens only.
    assert re.search(r"@media screen \{ table\.wide \{ min-width:900px; \} \}", text)
    assert not re.search(r"(^|\n)table\.wide \{ min-width:900px", text)


def test_the_brief_compares_only_pages_that_differ() -> None:
    from threads.corpus.page import brief

    def lines(shares: list[float], comments: list[int]) -> list[str]:
        n = len(shares)
        share = np.array(shares)
        figures = across_pages(
            [f"p{i}" for i in range(n)], np.ones(n, bool), np.array(comments), share,
            share, share, [],
        )  # fmt: skip
        view = brief(figures, [], {})
        return ["".join(piece.text for piece in line) for line in view.lines]

    assert lines([0.1, 0.1], [20, 30]) == ["Every ranked page has the same off-topic share, 0.100."]
    assert lines([0.3, 0.1], [20, 3]) == [
        "The one page ranked: p0 (0.300 of its 20 comments off-topic, 95% interval 0.300–0.300)."
    ]
    differ = lines([0.3, 0.1], [20, 30])
    assert differ[0].startswith("Furthest off the subject: p0 (0.300")
    assert differ[1].startswith("Closest to the subject: p1 (0.100")


def test_the_brief_says_one_unranked_page_in_the_singular() -> None:
    from threads.corpus.page import brief

    share = np.array([0.5, 0.2, 0.0])
    figures = across_pages(
        ["p0", "p1", "p2"], np.ones(3, bool), np.array([40, 30, 3]), share, share, share, []
    )
    text = "".join(piece.text for piece in brief(figures, [], {}).intro)
    assert "1 page with fewer is not ranked (too few comments to say)." in text
