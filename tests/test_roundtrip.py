"""Everything threads writes reads back as the same comments: same ids, parents, threads and
texts (and the same records wherever the format carries them)."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import threads
from threads.cli import cli

from .conftest import FIXTURES, SOURCE

#: Texts that stress every writer: formula-like starts (CSV escapes them), apostrophes before
#: them, quotes, commas, line breaks, a NUL, a tab, right-to-left text.
TEXTS = [
    "=SUM(A1:A9) is not a formula here",
    "-1 for this, a reply",
    "'=already escaped by hand",
    "''+two apostrophes",
    '@bob said "no", twice,\nthen left',
    "a NUL \x00 inside",
    "\ttab first",
    "+44 20 7946 0000",
    "مرحبا, plain text\n\nsecond paragraph",
    "'just an apostrophe",
]


def hostile_page(folder: Path) -> Path:
    """A JSON page of TEXTS as a reply chain with a second thread; ids with ``~`` in them."""
    comments = []
    for number, text in enumerate(TEXTS, start=1):
        parent = None if number in (1, 6) else str(number - 1)
        comments.append(
            {
                "id": f"c~{number}",
                "parent_id": None if parent is None else f"c~{parent}",
                "author": "=Ann" if number % 2 else None,
                "posted": "June 2, 2023 9:41 am",
                "text": text,
            }
        )
    path = folder / "page.json"
    path.write_text(json.dumps({"article": {"title": "T"}, "comments": comments}), "utf-8")
    return path


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.stderr
    return result.stdout


def shape(records: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    keys = ("id", "parent_id", "thread_id", "depth", "author", "posted_iso", "text")
    return [tuple(r[k] for k in keys) for r in records]


def read_back(path: Path) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = json.loads(
        run("comments", str(path), "--format", "json", "--no-analysis")
    )["comments"]
    return records


@pytest.fixture(params=["corpus", "hostile"])
def page(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    return Path(SOURCE) if request.param == "corpus" else hostile_page(tmp_path)


def original(page: Path) -> list[dict[str, Any]]:
    return threads.load(page).records()


@pytest.mark.parametrize("kind", ["json", "jsonl", "csv"])
def test_comments_formats_read_back(page: Path, tmp_path: Path, kind: str) -> None:
    saved = tmp_path / f"saved.{kind}"
    saved.write_text(run("comments", str(page), "--format", kind, "--no-analysis"), "utf-8")
    again = read_back(saved)
    assert shape(again) == shape(original(page))
    # ... and what was read writes the same file again (a fixed point).
    resaved = run("comments", str(saved), "--format", kind, "--no-analysis")
    if kind == "json":
        document = json.loads(resaved)
        assert document["comments"] == json.loads(saved.read_text("utf-8"))["comments"]
    else:
        assert resaved == saved.read_text("utf-8")


@pytest.mark.parametrize("kind", ["jsonl", "csv"])
def test_analysed_records_read_back(tmp_path: Path, kind: str) -> None:
    saved = tmp_path / f"saved.{kind}"
    saved.write_text(run("comments", SOURCE, "--format", kind), "utf-8")
    assert shape(read_back(saved)) == shape(original(Path(SOURCE)))


@pytest.mark.slow
def test_report_json_and_csv_read_back(page: Path, tmp_path: Path) -> None:
    html = tmp_path / "out" / "report.html"
    run("report", str(page), "--out", str(html), "--quiet")
    expected = shape(original(page))
    for data in (html.with_suffix(".json"), html.with_suffix(".csv")):
        assert shape(read_back(data)) == expected, data.name


def test_csv_booleans_are_true_and_false_and_read_back(tmp_path: Path) -> None:
    saved = tmp_path / "c.csv"
    saved.write_text(run("comments", SOURCE, "--format", "csv"), "utf-8")
    lines = saved.read_text("utf-8").splitlines()
    header = lines[0].split(",")
    flag = header.index("off_topic")
    rows = list(csv.reader(lines[1:]))
    assert {row[flag] for row in rows} == {"true", "false"}
    assert sum(row[flag] == "true" for row in rows) == 6
    assert {row[header.index("truncated")] for row in rows} == {"false"}


def test_nul_is_kept_escaped_in_json_and_csv(tmp_path: Path) -> None:
    page = hostile_page(tmp_path)
    as_json = run("comments", str(page), "--format", "jsonl", "--no-analysis")
    as_csv = run("comments", str(page), "--format", "csv", "--no-analysis")
    for printed in (as_json, as_csv):
        assert "\x00" not in printed and "a NUL \\u0000 inside" in printed
    assert [r["text"] for r in read_back(page)][5] == "a NUL \x00 inside"


def test_json_lines_of_one_comment_and_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "one.jsonl"
    path.write_text('{"id": 7, "text": "alone"}\n', "utf-8")
    assert [(r["id"], r["text"]) for r in read_back(path)] == [("7", "alone")]
    path.write_text('{"id": 1, "text": "a"}\n\n{"id": 2, "parent_id": 1, "text": "b"}\n', "utf-8")
    assert [(r["id"], r["parent_id"]) for r in read_back(path)] == [("1", None), ("2", "1")]


def test_broken_json_lines_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": 1, "text": "a"}\n{"id": 2, "text": "b"\n', "utf-8")
    result = CliRunner().invoke(cli, ["comments", str(path)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {path}: is not valid JSON lines (line 2, column")


def test_html_page_reads_back_through_every_format(tmp_path: Path) -> None:
    page = FIXTURES / "html" / "unherd-north-korea.html"
    for kind in ("json", "jsonl", "csv"):
        saved = tmp_path / f"saved.{kind}"
        saved.write_text(run("comments", str(page), "--format", kind, "--no-analysis"), "utf-8")
        assert shape(read_back(saved)) == shape(original(page)), kind


def test_corpus_parquet_comment_table_reads_back(page: Path, tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    from threads.corpus.tables import comment_table

    records = threads.analyze(threads.load(page)).records()
    part = tmp_path / "part-0.parquet"
    pq.write_table(comment_table("a/page", records), part)
    again = read_back(part)
    assert shape(again) == shape(original(page))
    assert (
        json.loads(run("comments", str(part), "--format", "json", "--no-analysis"))["input_format"]
        == "parquet"
    )


def test_a_parquet_table_of_several_pages_is_refused(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from threads.corpus.tables import comment_table

    records = threads.analyze(threads.load(SOURCE)).records()
    both = pa.concat_tables([comment_table("a", records), comment_table("b", records)])
    path = tmp_path / "all.parquet"
    pq.write_table(both, path)
    result = CliRunner().invoke(cli, ["comments", str(path)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {path}: holds the comments of 2 pages (a, b); threads reads one page: give one "
        "part file (comments/part-*.parquet)\n"
    )
