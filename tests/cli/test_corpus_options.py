"""``threads corpus`` honours the analysis options every page command takes: --merge,
--topic-labels, --title and --whole-sentiment reach each page's figures and tables."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner, Result

from threads.cli import cli

from ..corpus.conftest import write_corpus

FAST = ["--workers", "1", "--reports", "none", "--lexical"]


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, ["corpus", *args])


def test_a_labels_file_that_does_not_exist_is_a_one_line_usage_error(tmp_path: Path) -> None:
    pages = write_corpus(tmp_path / "pages", {"a.txt": 20})
    missing = tmp_path / "none.json"
    result = run(str(pages), "--out", str(tmp_path / "out"), "--topic-labels", str(missing))
    assert result.exit_code == 2
    assert result.stderr == f"Error: {missing}: no such file\n"
    assert not (tmp_path / "out").exists()  # refused before any page is read


@pytest.mark.slow
def test_merge_and_topic_labels_reach_every_page_and_its_report(tmp_path: Path) -> None:
    pages = write_corpus(tmp_path / "pages", {"a.txt": 30, "b.txt": 40})
    names = tmp_path / "names.json"
    names.write_text(json.dumps({"0": "the merged topic"}), encoding="utf-8")
    out = tmp_path / "out"
    args = ["--clusters", "3", "--merge", "0,1", "--topic-labels", str(names)]
    result = run(str(pages), "--out", str(out), *FAST, *args, "--reports", "all")
    assert result.exit_code == 0, result.output
    articles = pq.read_table(out / "articles.parquet").to_pylist()
    assert [row["clusters"] for row in articles] == [2, 2]  # 3 topics, two merged
    assert {r["cluster"] for r in pq.read_table(out / "comments").to_pylist()} == {0, 1}
    for page in ("a.txt", "b.txt"):
        report = json.loads((out / "reports" / f"{page}.json").read_text(encoding="utf-8"))
        assert report["parameters"]["merge"] == [[0, 1]]
        named = {c["cluster_name"] for c in report["comments"] if c["cluster"] == 0}
        assert named == {"the merged topic"}


def test_a_merge_a_page_cannot_make_fails_that_page_only(tmp_path: Path) -> None:
    pages = write_corpus(tmp_path / "pages", {"a.txt": 30})
    out = tmp_path / "out"
    result = run(str(pages), "--out", str(out), *FAST, "--clusters", "2", "--merge", "1,2")
    assert result.exit_code == 1
    (row,) = pq.read_table(out / "articles.parquet").to_pylist()
    assert row["status"] == "failed"
    assert "merge must name topics 0 to 1 (this clustering has 2); got 2" in row["error"]


def test_whole_sentiment_fills_sentiment_whole(tmp_path: Path) -> None:
    pages = write_corpus(tmp_path / "pages", {"a.txt": 20})
    found = {}
    for label, extra in (("plain", []), ("whole", ["--whole-sentiment"])):
        out = tmp_path / label
        result = run(str(pages), "--out", str(out), *FAST, *extra)
        assert result.exit_code == 0, result.output
        found[label] = [r["sentiment_whole"] for r in pq.read_table(out / "comments").to_pylist()]
    assert set(found["plain"]) == {None}
    assert None not in found["whole"]


def test_title_names_pages_that_have_none(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    rows = ["id,parent_id,author,text"]
    rows += [f"{n},,Ann,North Korea defectors cross the river number {n}." for n in range(6)]
    (pages / "a.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run(str(pages), "--out", str(out), *FAST, "--title", "How to escape North Korea")
    assert result.exit_code == 0, result.output
    (row,) = pq.read_table(out / "articles.parquet").to_pylist()
    assert row["title"] == "How to escape North Korea"
