"""`threads sample`: a blind labelling sheet, stratified by flag and depth, same bytes per seed."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

import threads
from threads.analysis import agreement
from threads.cli import cli
from threads.sample import SHEET_COLUMNS, allocation

from ..conftest import CORPUS, SOURCE, run_cli


def read_sheet(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_sheet_columns_and_stratification(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "sheet.csv"
    result = runner.invoke(cli, ["sample", SOURCE, "--n", "9", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [str(out), str(tmp_path / "sheet.jsonl")]
    rows = read_sheet(out)
    assert out.read_text(encoding="utf-8").splitlines()[0] == ",".join(SHEET_COLUMNS)
    assert SHEET_COLUMNS == ("page", "id", "title", "parent_text", "text", "on_topic", "note")
    assert len(rows) == 9
    assert {r["on_topic"] for r in rows} == {""} and {r["note"] for r in rows} == {""}
    assert {r["page"] for r in rows} == {"unherd-how-to-escape-north-korea"}

    # Expected strata, computed here from the analysis: (flagged, reply) -> comments.
    discussion = threads.load(CORPUS)
    analysis = threads.analyze(discussion, clusters=agreement.CLUSTERS)
    stratum = {
        c.id: (r.off_topic, c.parent_id is not None)
        for c, r in zip(discussion.comments, analysis.comments, strict=True)
    }
    keys = [(False, False), (False, True), (True, False), (True, True)]
    sizes = [list(stratum.values()).count(k) for k in keys]
    drawn = Counter(stratum[r["id"]] for r in rows)
    assert [drawn[k] for k in keys] == allocation(sizes, 9)
    assert all(drawn[k] >= 1 for k, size in zip(keys, sizes, strict=True) if size)
    for row in rows:
        comment = discussion.get(row["id"])
        parent = discussion.parent(comment.id)
        assert row["text"] == comment.text
        assert row["parent_text"] == (parent.text if parent else "")
        assert row["title"] == discussion.article.title
    assert [r["id"] for r in rows] == sorted((r["id"] for r in rows), key=int)  # page order

    lines = (tmp_path / "sheet.jsonl").read_text(encoding="utf-8").splitlines()
    tasks = [json.loads(line) for line in lines]
    assert [t["text"] for t in tasks] == [r["text"] for r in rows]
    assert [list(t) for t in tasks] == [list(SHEET_COLUMNS)] * 9


def test_allocation_is_proportional_with_one_per_stratum() -> None:
    assert allocation([7, 0, 1, 8], 8) == [3, 0, 1, 4]
    assert allocation([7, 0, 1, 8], 100) == [7, 0, 1, 8]
    assert allocation([7, 0, 1, 8], 2) == [1, 0, 0, 1]
    assert sum(allocation([50, 30, 15, 5], 20)) == 20


def test_all_comments_when_fewer_than_n(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "all.csv"
    assert runner.invoke(cli, ["sample", SOURCE, "--n", "500", "--out", str(out)]).exit_code == 0
    assert [r["id"] for r in read_sheet(out)] == [str(i) for i in range(1, 17)]


# Three fresh processes each (about 10 s of CPU with words, 11 s more with the bundled model):
# CI runs both measures.
@pytest.mark.parametrize(
    "measure",
    [pytest.param(("--lexical",), id="lexical"), pytest.param((), id="minilm")],
)
@pytest.mark.slow
def test_same_bytes_for_the_same_seed_whatever_the_hash_seed(
    tmp_path: Path, measure: tuple[str, ...]
) -> None:
    a, b, c = tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "c.csv"
    args = ("sample", SOURCE, "--n", "6", *measure, "--out")
    run_cli(*args, str(a), "--seed", "3", hash_seed="1")
    run_cli(*args, str(b), "--seed", "3", hash_seed="2")
    run_cli(*args, str(c), "--seed", "4", hash_seed="1")
    assert a.read_bytes() == b.read_bytes()
    assert a.with_suffix(".jsonl").read_bytes() == b.with_suffix(".jsonl").read_bytes()
    assert a.read_bytes() != c.read_bytes()


def test_pooled_pages_and_formula_cells(runner: CliRunner, tmp_path: Path) -> None:
    page = {
        "article": {"title": "=HYPERLINK(x)", "paragraphs": ["Trains run late in the city."]},
        "comments": [
            {"id": "a", "text": "=1+1 trains", "parent_id": None},
            {"id": "b", "text": "The trains are late again.", "parent_id": "a"},
        ],
    }
    one, two = tmp_path / "one.json", tmp_path / "two.json"
    for path in (one, two):
        path.write_text(json.dumps(page), encoding="utf-8")
    out = tmp_path / "pooled.csv"
    result = runner.invoke(cli, ["sample", str(one), str(two), "--n", "4", "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = read_sheet(out)
    assert [(r["page"], r["id"]) for r in rows] == [
        ("one", "a"), ("one", "b"), ("two", "a"), ("two", "b"),
    ]  # fmt: skip
    assert rows[0]["text"] == "'=1+1 trains" and rows[0]["title"] == "'=HYPERLINK(x)"
    assert rows[1]["parent_text"] == "'=1+1 trains"
    assert (
        json.loads(out.with_suffix(".jsonl").read_text().splitlines()[0])["text"] == "=1+1 trains"
    )


def test_bad_n_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["sample", SOURCE, "--n", "0", "--out", str(tmp_path / "s.csv")])
    assert result.exit_code == 2
    assert "Invalid value for --n: must be at least 1; got 0" in result.stderr
    assert not list(tmp_path.iterdir())


def test_pages_that_share_a_stem_are_named_by_their_paths(
    runner: CliRunner, tmp_path: Path
) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "x.txt").write_bytes(CORPUS.read_bytes())
    out = tmp_path / "sheet.csv"
    sources = [str(tmp_path / "a" / "x.txt"), str(tmp_path / "b" / "x.txt")]
    result = runner.invoke(cli, ["sample", *sources, "--n", "6", "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = read_sheet(out)
    assert {r["page"] for r in rows} == {"a/x.txt", "b/x.txt"}
    for row in rows:
        row["on_topic"] = "1"
    rows[0]["on_topic"] = "0"
    filled = io.StringIO()
    writer = csv.DictWriter(filled, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    out.write_text(filled.getvalue(), encoding="utf-8")
    agreed = runner.invoke(cli, ["agree", str(out), *sources, "--format", "json"])
    assert agreed.exit_code == 0, agreed.output
    assert sorted(json.loads(agreed.stdout)["by_page"]) == ["a/x.txt", "b/x.txt"]
