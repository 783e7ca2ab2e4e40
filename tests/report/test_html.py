"""The report's HTML structure, read with BeautifulSoup: what a reader would find on the page."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag
from click.testing import CliRunner

import threads
from threads.cli import cli

from ..conftest import CORPUS, FIXTURES, present, require_locked_versions, run_cli

GOLDEN = FIXTURES / "golden" / "corpus-report-k4.txt"


def make_report(tmp_path: Path, *args: str, source: Path = CORPUS) -> Path:
    out = tmp_path / "report.html"
    result = CliRunner().invoke(cli, ["report", str(source), "--out", str(out), *args])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def corpus_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_report(tmp_path_factory.mktemp("report"), "--clusters", "4")


@pytest.fixture(scope="module")
def soup(corpus_report: Path) -> BeautifulSoup:
    return BeautifulSoup(corpus_report.read_text(encoding="utf-8"), "lxml")


def test_every_comment_once_in_the_tree_with_correct_nesting(soup: BeautifulSoup) -> None:
    items = soup.select(".tree li")
    assert [li["id"] for li in items] == [f"c{i}" for i in range(1, 17)]

    def parent_of(li: Tag) -> str | None:
        enclosing = li.find_parent("li")
        return None if enclosing is None else str(enclosing["id"])[1:]

    parents = {li["id"][1:]: parent_of(li) for li in items}
    # The tree itself is asserted at parse level (tests/inputs/test_textdump.py).
    assert parents == {c.id: c.parent_id for c in threads.load(CORPUS)}
    assert len(soup.select("details.thread")) == len(threads.load(CORPUS).roots())


def test_comment_shows_author_date_figures_and_ambiguity(soup: BeautifulSoup) -> None:
    seven = present(soup.select_one("#c7"))
    text = seven.get_text(" ", strip=True)
    assert "Bret Larson" in text and "10 months ago" in text
    assert "could also answer #1" in text
    assert "sentiment" in text and "similarity 0.0" in text and "topic" in text
    anonymous = present(soup.select_one("#c15")).get_text(" ", strip=True)
    assert "(no name)" in anonymous


def test_cluster_table_has_k_rows_and_working_links(soup: BeautifulSoup) -> None:
    rows = soup.select("#cluster-table tbody tr")
    assert len(rows) == 4
    ids = {tag["id"] for tag in soup.select("[id]")}
    for link in soup.select("a[href^='#']"):
        assert link["href"][1:] in ids, link["href"]


def test_chart_points_link_to_comment_anchors(soup: BeautifulSoup) -> None:
    svg = present(soup.select_one("#similarity-position svg"))
    hrefs = {a.get("xlink:href") or a.get("href") for a in svg.find_all("a")}
    assert {f"#c{i}" for i in range(1, 17)} <= hrefs


def test_charts_have_captions_and_tables(soup: BeautifulSoup) -> None:
    figures = soup.select("figure")
    assert len(figures) >= 6
    for figure in figures:
        assert present(figure.figcaption).get_text(strip=True)
        assert figure.select("table tbody tr"), figure["id"]
        assert present(figure.svg)["aria-labelledby"] == f"{figure['id']}-caption"


def test_each_topic_opens_to_every_comment_it_holds(
    soup: BeautifulSoup, corpus_report: Path
) -> None:
    document = json.loads(corpus_report.with_suffix(".json").read_text(encoding="utf-8"))
    records = {c["id"]: c for c in document["comments"]}
    seen: list[str] = []
    for row in soup.select("#cluster-table tbody tr"):
        number = str(row["id"]).removeprefix("topic-")
        lists = present(soup.select_one(f"#topic-{number}-members"))
        # The row's comment count links to its list.
        assert row.select_one(f"a[href='#topic-{number}-members']") is not None
        members = [str(present(li.a)["href"]).removeprefix("#c") for li in lists.select("li")]
        assert all(records[m]["cluster"] == int(number) for m in members)
        off = sum(records[m]["off_topic"] for m in members)
        summary = present(lists.summary).get_text(" ", strip=True)
        assert summary.endswith(f"{len(members)} comments, {off} of {len(members)} off the subject")
        for li in lists.select("li"):
            flagged = li.select_one(".tag.off") is not None
            assert flagged == records[str(present(li.a)["href"]).removeprefix("#c")]["off_topic"]
        seen += members
    assert sorted(seen, key=int) == [c["id"] for c in document["comments"]]


def test_headings_in_order_and_article_facts(soup: BeautifulSoup) -> None:
    headings = [h.get_text(strip=True) for h in soup.select("main h2")]
    assert headings == [
        "In brief", "1. The article", "2. How the discussion drifted", "3. Topics", "4. Sentiment",
        "5. The conversation", "6. Method",
    ]  # fmt: skip
    article = present(soup.select_one("#article")).get_text(" ", strip=True)
    assert "Ian Birrell" in article and "November 21, 2023" in article
    counts = {
        present(div.dt).get_text(strip=True): present(div.dd).get_text(strip=True)
        for div in soup.select(".counts div")
    }
    assert counts == {
        "Comments": "16", "Threads": "8", "Commenters": "11", "Anonymous comments": "2",
        "Deepest reply": "3",
    }  # fmt: skip


def test_no_external_resources(corpus_report: Path) -> None:
    html = corpus_report.read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "lxml")
    for tag in soup.find_all(["script", "img", "link", "iframe"]):
        for attribute in ("src", "href"):
            value = tag.get(attribute)
            assert value is None or str(value).startswith(("#", "data:")), value
    assert "http://" not in html.replace("http://www.w3.org", "")
    assert "https://" not in html


def test_json_and_csv_beside_the_report(corpus_report: Path) -> None:
    data = json.loads(corpus_report.with_suffix(".json").read_text(encoding="utf-8"))
    assert len(data["comments"]) == 16
    assert len(data["clusters"]) == 4
    csv_lines = corpus_report.with_suffix(".csv").read_text(encoding="utf-8")
    assert csv_lines.startswith("id,position,author")


@pytest.mark.slow
def test_same_options_give_byte_identical_files(tmp_path: Path) -> None:
    # Two fresh processes with different hash seeds: set or dict order cannot leak in.
    for seed in ("1", "2"):
        run_cli("report", str(CORPUS), "--clusters", "4", "--out", f"{seed}/r.html",
                cwd=tmp_path, hash_seed=seed)  # fmt: skip
    for suffix in (".html", ".json", ".csv"):
        first = (tmp_path / "1" / "r").with_suffix(suffix).read_bytes()
        assert first == (tmp_path / "2" / "r").with_suffix(suffix).read_bytes()


def page_text(html: str) -> str:
    """The report as a reader sees it: visible text, without chart drawings."""
    soup = BeautifulSoup(html, "lxml")
    for svg in soup.find_all("svg"):
        svg.decompose()
    for tag in soup.find_all(["style", "script"]):
        tag.decompose()
    for table in soup.select("#method table"):  # library versions differ between machines
        table.decompose()
    lines = (line.strip() for line in soup.get_text("\n").splitlines())
    return "\n".join(line for line in lines if line) + "\n"


def test_golden_corpus_report(corpus_report: Path) -> None:
    """A change to what the report says must be deliberate: regenerate with
    THREADS_UPDATE_GOLDEN=1 pytest tests/report/test_html.py and review the diff.

    The figures are those of the locked library versions (other versions may break k-means
    ties another way); whatever BLAS kernel runs them (tests/report/test_blas_kernels.py)."""
    require_locked_versions()
    text = page_text(corpus_report.read_text(encoding="utf-8"))
    # The source path and library versions vary by machine; the golden copy fixes them.
    text = text.replace(str(CORPUS), "corpus/unherd-how-to-escape-north-korea.txt")
    regenerate = "THREADS_UPDATE_GOLDEN=1 pytest tests/report/test_html.py"
    if os.environ.get("THREADS_UPDATE_GOLDEN") == "1":
        GOLDEN.write_text(text, encoding="utf-8")
        pytest.fail(f"{GOLDEN.name} rewritten: review `git diff`, then rerun without the variable")
    if not GOLDEN.exists():
        pytest.fail(f"{GOLDEN} is missing; generate it with {regenerate} and commit it")
    expected = GOLDEN.read_text(encoding="utf-8")
    assert text == expected, f"report text changed; if that was meant: {regenerate}"


@pytest.mark.slow
def test_k3_and_k5_reports_sit_side_by_side_and_differ_only_where_k_matters(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    for k in ("3", "5"):
        result = runner.invoke(cli, ["report", str(CORPUS), "--clusters", k])
        assert result.exit_code == 0, result.output
        assert (
            result.stdout.splitlines()[0] == f"reports/unherd-how-to-escape-north-korea-k{k}.html"
        )
        # Nothing to warn about on this page (progress on a terminal, and none off it, is
        # tests/cli/test_report.py's to check).
        assert result.stderr == ""
    pages = {
        k: BeautifulSoup(
            (tmp_path / f"reports/unherd-how-to-escape-north-korea-k{k}.html").read_text(), "lxml"
        )
        for k in ("3", "5")
    }
    three, five = pages["3"], pages["5"]
    assert len(three.select("#cluster-table tbody tr")) == 3
    assert len(five.select("#cluster-table tbody tr")) == 5
    # The article, the counts and the off-topic verdicts do not depend on K.
    assert (
        present(three.select_one("#article")).get_text()
        == present(five.select_one("#article")).get_text()
    )
    assert three.select(".findings li")[0].get_text() == five.select(".findings li")[0].get_text()

    def tree(soup: BeautifulSoup) -> list[tuple[str, str, bool]]:
        return [
            (
                str(li["id"]),
                "\n".join(p.get_text() for p in li.select(":scope > p")),
                "off-topic" in li.get_attribute_list("class"),
            )
            for li in soup.select(".tree li")
        ]

    assert tree(three) == tree(five)
    topics3 = [present(li.select_one(":scope > .f")).get_text() for li in three.select(".tree li")]
    topics5 = [present(li.select_one(":scope > .f")).get_text() for li in five.select(".tree li")]
    assert topics3 != topics5  # the topic assignments are what changed


@pytest.mark.slow
def test_quiet_prints_nothing(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["report", str(CORPUS), "--out", str(tmp_path / "r.html"), "--quiet"]
    )
    assert result.exit_code == 0 and result.stdout == "" and result.stderr == ""
