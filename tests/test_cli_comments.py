"""`threads comments` and `threads chain` as a user runs them."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from threads.cli import cli

ROOT = Path(__file__).resolve().parent.parent
CORPUS = str(ROOT / "corpus" / "unherd-how-to-escape-north-korea.txt")

PARSE_FIELDS = [
    "id", "position", "author", "posted", "posted_at", "reply_to", "parent_id", "parent_status",
    "parent_alternatives", "depth", "edited", "truncated", "votes", "text",
]  # fmt: skip


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def run_json(runner: CliRunner, *args: str) -> dict:
    result = runner.invoke(cli, ["comments", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_json_document_shape_and_parents(runner: CliRunner) -> None:
    data = run_json(runner, CORPUS)
    assert data["source"] == CORPUS
    assert data["input_format"] == "text"
    assert (
        data["article"]["title"] == "How to escape North Korea Defectors are often left traumatised"
    )
    assert data["article"]["published"] == "November 21, 2023"
    assert data["article"]["author"] == "Ian Birrell"
    assert len(data["article"]["paragraphs"]) == 17
    comments = data["comments"]
    assert len(comments) == 16
    for record in comments:
        assert list(record)[: len(PARSE_FIELDS)] == PARSE_FIELDS
    parents = {c["id"]: c["parent_id"] for c in comments}
    assert parents == {
        "1": None, "2": "1", "3": "1", "4": "1", "5": "4", "6": "4", "7": "6", "8": None,
        "9": None, "10": None, "11": None, "12": "11", "13": None, "14": "13", "15": None,
        "16": None,
    }  # fmt: skip
    seven = comments[6]
    assert (seven["parent_status"], seven["parent_alternatives"]) == ("ambiguous", ["1"])
    assert [c["author"] for c in comments if c["author"] is None] == [None, None]
    assert comments[13]["id"] == "14" and comments[13]["author"] is None
    assert comments[13]["reply_to"] == "Michael Layman"
    assert comments[0]["position"] == 1 and comments[0]["depth"] == 0
    assert comments[6]["depth"] == 3


def test_json_texts_equal_the_file(runner: CliRunner) -> None:
    raw = Path(CORPUS).read_text(encoding="utf-8")
    comments = run_json(runner, CORPUS)["comments"]
    assert all(c["text"] in raw for c in comments)
    assert "\n\n" in comments[3]["text"]  # Mark Goodhand's three paragraphs


def test_default_source_is_the_corpus_article(runner: CliRunner, monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    data = run_json(runner)
    assert data["source"] == "corpus/unherd-how-to-escape-north-korea.txt"
    assert len(data["comments"]) == 16


def test_no_source_outside_the_repository_is_a_clear_error(
    runner: CliRunner, tmp_path, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["comments"])
    assert result.exit_code == 1
    assert "no SOURCE given and no corpus article" in result.stderr


def test_missing_file_is_one_line_exit_1(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["comments", "missing.txt"])
    assert result.exit_code == 1
    assert result.stderr == "Error: missing.txt: no such file\n"


def test_directory_as_source(runner: CliRunner, tmp_path) -> None:
    result = runner.invoke(cli, ["comments", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr == f"Error: {tmp_path}: is a directory, not a file\n"


def test_bad_format_option_is_exit_2(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["comments", CORPUS, "--format", "xml"])
    assert result.exit_code == 2
    assert "'xml' is not one of 'table', 'json', 'csv'" in result.stderr


def test_csv_has_every_comment_and_exact_text(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["comments", CORPUS, "--format", "csv"])
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 16
    assert rows[6]["parent_id"] == "6" and rows[6]["parent_alternatives"] == '["1"]'
    assert rows[3]["text"] == run_json(runner, CORPUS)["comments"][3]["text"]


def test_table_lists_every_comment(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["comments", CORPUS])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 17  # header + 16
    assert "Bret Larson" in lines[7] and "ambiguous" in lines[7]


def test_chain_shows_path_marks_ambiguity(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["chain", "7", CORPUS])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Chain from the top-level comment #1 down to #7:"
    hops = [line for line in lines if "#" in line and "(depth" in line]
    assert [h.split("#")[1].split()[0] for h in hops] == ["1", "4", "6", "7"]
    assert "ambiguous parent: also #1" in hops[-1]
    assert lines[-1] == "No replies under #7."


def test_chain_lists_replies_as_indented_tree(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["chain", "4", CORPUS])
    lines = result.stdout.splitlines()
    index = lines.index("Replies under #4 (3):")
    replies = lines[index + 1 :]
    assert [r.split("#")[1].split()[0] for r in replies] == ["5", "6", "7"]
    assert replies[2].startswith("    #7")  # two levels under #4


def test_chain_unknown_id_names_valid_range(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["chain", "99", CORPUS])
    assert result.exit_code == 1
    assert result.stderr == "Error: no comment '99'; valid ids are 1 to 16\n"


def test_version_and_module_entry() -> None:
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-m", "threads", "--version"], capture_output=True, text=True, check=True
    )
    assert out.stdout.startswith("threads, version ")
