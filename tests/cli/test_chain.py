"""`threads chain ID`: the path down to a comment, hop by hop, and the replies under it."""

from __future__ import annotations

import json

from click.testing import CliRunner

import threads
from threads.analysis import analyze
from threads.cli import cli

from ..conftest import SOURCE


def test_chain_shows_path_marks_ambiguity(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["chain", "7", SOURCE])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Chain from the top-level comment #1 down to #7:"
    hops = [line for line in lines if "#" in line and "(depth" in line]
    assert [h.split("#")[1].split()[0] for h in hops] == ["1", "4", "6", "7"]
    assert "ambiguous parent: also #1" in hops[-1]
    assert lines[-1] == "No replies under #7."


def test_chain_lists_replies_as_indented_tree(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["chain", "4", SOURCE])
    lines = result.stdout.splitlines()
    index = lines.index("Replies under #4 (3):")
    replies = lines[index + 1 :]
    assert [r.split("#")[1].split()[0] for r in replies] == ["5", "6", "7"]
    assert replies[2].startswith("    #7")  # two levels under #4


def test_chain_unknown_id_names_valid_range(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["chain", "99", SOURCE])
    assert result.exit_code == 1
    assert result.stderr == "Error: no comment '99'; valid ids are 1 to 16\n"


def test_chain_shows_figures_per_hop_and_the_drift_point(runner: CliRunner) -> None:
    analysis = analyze(threads.load(SOURCE), clusters=4)
    results = {r.id: r for r in analysis.comments}
    result = runner.invoke(cli, ["chain", "7", SOURCE, "--clusters", "4"])
    assert result.exit_code == 0, result.output
    hops = [line for line in result.stdout.splitlines() if "(depth" in line]
    for hop, comment_id in zip(hops, ["1", "4", "6", "7"], strict=True):
        figures = results[comment_id]
        assert f"article {figures.article_similarity:.2f}" in hop
        assert f"sentiment {figures.sentiment:+.2f}" in hop
        assert f"topic {figures.cluster}" in hop
        if figures.parent_similarity is not None:
            assert f"parent {figures.parent_similarity:.2f}" in hop
        assert ("OFF-TOPIC" in hop) == figures.off_topic
    (chain,) = [c for c in analysis.chains if c.ids[-1] == "7"]
    marked = [hop for hop in hops if hop.endswith("<- drift point")]
    # #6 and #7 are off the subject but stay close to what they answer: no turn, so no drift
    # point is marked (the next test has a chain that turned away, and its mark).
    assert chain.drift_point is None and not marked


def test_chain_marks_where_the_conversation_turned_away(runner: CliRunner) -> None:
    # A cut at which the flags equal the corpus hand labels: #4 turns from #1 to Canada.
    args = ["chain", "7", SOURCE, "--clusters", "4", "--lexical", "--off-topic-threshold", "0.037"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    hops = [line for line in result.stdout.splitlines() if "(depth" in line]
    assert [("TURN" in hop, hop.endswith("<- drift point")) for hop in hops] == [
        (False, False), (True, True), (False, False), (True, False),
    ]  # fmt: skip
    assert "thread 0.04" in hops[-1] and "parent 0.00" in hops[-1]
    assert (
        "Drift point: #4, where the conversation turned away from the article's subject; "
        "it stays off-topic down to #7."
    ) in result.stdout
    quiet = runner.invoke(
        cli, ["chain", "2", SOURCE, "--lexical", "--off-topic-threshold", "0.037"]
    )
    assert "No drift point: #2 is off-topic, but the chain never turned away" in quiet.stdout


def test_full_prints_whole_texts(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["chain", "4", SOURCE, "--full"])
    assert result.exit_code == 0, result.output
    text = threads.load(SOURCE).get("4").text
    assert "\u2026" not in result.stdout
    for paragraph in text.split("\n\n"):
        assert "      " + paragraph in result.stdout  # under its line, indented


def test_json_is_the_path_replies_and_drift_point(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["chain", "4", SOURCE, "--format", "json", "--clusters", "4"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    records = {r["id"]: r for r in analyze(threads.load(SOURCE), clusters=4).records()}
    assert [r["id"] for r in data["path"]] == ["1", "4"]
    assert [r["id"] for r in data["replies"]] == ["5", "6", "7"]
    assert data["path"][1] == json.loads(json.dumps(records["4"]))
    assert data["comment_id"] == "4" and "drift_point" in data
    lines = runner.invoke(cli, ["chain", "4", SOURCE, "--format", "jsonl", "--clusters", "4"])
    rows = [json.loads(line) for line in lines.stdout.splitlines()]
    assert [(r["part"], r["id"]) for r in rows] == [
        ("path", "1"), ("path", "4"), ("reply", "5"), ("reply", "6"), ("reply", "7"),
    ]  # fmt: skip
