"""`threads author NAME`: one commenter's comments whole, their threads and figures."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import threads
from threads.analysis import analyze
from threads.analysis.authors import author_summary
from threads.cli import cli

from ..conftest import SOURCE


def test_author_lists_whole_texts_threads_and_replies(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["author", "Jim Veenbaas", SOURCE, "--clusters", "3"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Jim Veenbaas: 2 comments in 1 thread; off-topic ")
    assert lines[1] == "Answered: Mark Goodhand"
    assert "#1 in thread 1 (top-level #1), depth 0" in result.stdout
    assert "  replies: #2 Julian Farrows, #3 Charles Stanhope, #4 Mark Goodhand" in lines
    assert "  replying to #4 Mark Goodhand" in lines
    whole = threads.load(SOURCE).get("1").text
    assert len(whole) > 60 and "    " + whole in lines  # not cut at 60 characters


@pytest.mark.slow
def test_names_match_as_the_tree_does(runner: CliRunner) -> None:
    plain = runner.invoke(cli, ["author", "Jim Veenbaas", SOURCE, "--format", "json"])
    loose = runner.invoke(cli, ["author", " JIM   veenbaas", SOURCE, "--format", "json"])
    assert plain.exit_code == loose.exit_code == 0, loose.output
    assert plain.stdout == loose.stdout


def test_json_figures_come_from_the_analysis(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["author", "Jim Veenbaas", SOURCE, "--format", "json"])
    data = json.loads(result.stdout)
    expected = author_summary(analyze(threads.load(SOURCE)), "Jim Veenbaas")
    assert data == json.loads(json.dumps(expected.to_dict()))
    assert [c["id"] for c in data["comments"]] == ["1", "6"]
    assert data["comments"][1]["answers"] == {"id": "4", "author": "Mark Goodhand"}
    assert data["off_topic_share"] == 1.0  # by meaning both of his comments left the subject


def test_jsonl_is_one_comment_per_line(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["author", "Jim Veenbaas", SOURCE, "--format", "jsonl"])
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["author"], r["id"]) for r in rows] == [("Jim Veenbaas", "1"), ("Jim Veenbaas", "6")]


def test_unknown_name_is_one_line_listing_close_names(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["author", "Jim Venbas", SOURCE])
    assert result.exit_code == 1
    assert result.stderr == "Error: no comment by 'Jim Venbas'; close names: Jim Veenbaas\n"
