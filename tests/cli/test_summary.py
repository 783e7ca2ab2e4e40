"""``threads summary``: the digest as text or JSON, and ``--title``."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from threads.cli import cli

from ..conftest import SOURCE


def test_summary_text_leads_with_thread_one(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["summary", SOURCE])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "stayed on the subject of the article" in lines[0]
    assert lines[1].startswith("- #1 Jim Veenbaas: 7 comments, 4 off-topic")
    assert any(line.startswith("- #11 Tony Price") for line in lines)
    assert any(line.startswith("- 5 lone comments (no replies), 0 off-topic") for line in lines)


def test_summary_names_the_turns_away_from_the_subject(runner: CliRunner) -> None:
    # Shared words, at a cut at which the flags equal the corpus hand labels.
    result = runner.invoke(cli, ["summary", SOURCE, "--lexical", "--off-topic-threshold", "0.037"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[1].startswith("- #1 Jim Veenbaas: 7 comments, 6 off-topic")
    assert "It left the subject at #4 (Mark Goodhand, 4 comments" in lines[1]
    assert any("#15" in line and "Wokes" in line for line in lines)
    assert any("no clear difference in sentiment" in line for line in lines)


def test_summary_json_has_threads_and_digressions(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["summary", SOURCE, "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["ranked_threads"][0] == "1"
    assert [d["ids"] for d in data["digressions"]][0] == ["1", "3"]
    assert len(data["threads"]) == 8
    args = ["summary", SOURCE, "--format", "json", "--lexical", "--off-topic-threshold", "0.037"]
    cut = runner.invoke(cli, args)
    found = json.loads(cut.stdout)
    assert [d["ids"] for d in found["digressions"]][0] == ["4", "5", "6", "7"]


def test_title_fills_in_a_missing_title(runner: CliRunner, tmp_path: Path) -> None:
    page = tmp_path / "page.csv"
    page.write_text("id,parent_id,text\n1,,North Korea\n2,1,Defectors\n", encoding="utf-8")
    result = runner.invoke(cli, ["summary", str(page), "--format", "json", "--title", "Escape"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["title"] == "Escape"
    plain = runner.invoke(cli, ["summary", str(page), "--format", "json"])
    assert json.loads(plain.stdout)["title"] is None
