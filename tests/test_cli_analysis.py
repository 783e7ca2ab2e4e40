"""`threads clusters`, `threads chain` and the analysis fields of `threads comments`."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

import threads
from threads.analysis import analyze
from threads.cli import cli

from .conftest import CORPUS

SOURCE = str(CORPUS)


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    return CliRunner()


def test_clusters_table_has_one_row_per_cluster(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["clusters", SOURCE, "--clusters", "4", "--seed", "2"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("4 topic clusters (as asked, seed 2); off-topic below similarity")
    expected = analyze(threads.load(CORPUS), clusters=4, seed=2)
    rows = lines[2:]
    assert len(rows) == 4
    for row, cluster in zip(rows, expected.clusters, strict=True):
        assert row.split()[:2] == [str(cluster.number), str(cluster.size)]
        assert row.endswith(", ".join(cluster.terms))
        assert f"#{cluster.representative_id}" in row
    assert "Silhouette" not in result.stdout  # K was given: no automatic choice to explain


def test_clusters_without_k_explains_the_choice(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["clusters", SOURCE])
    assert result.exit_code == 0, result.output
    assert "(chosen by silhouette, seed 0)" in result.stdout
    last = result.stdout.splitlines()[-1]
    assert last.startswith("Silhouette (cosine) behind the choice: K=2: ")
    assert [part.split(":")[0].strip() for part in last.split(": ", 1)[1].split(", ")] == [
        f"K={k}" for k in range(2, 9)
    ]


def test_sweep_prints_every_k_and_names_the_skipped(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["clusters", SOURCE, "--sweep", "14-17"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["K", "silhouette", "stability", "off-topic", "share"]
    assert [line.split()[0] for line in lines[1:4]] == ["14", "15", "16"]
    assert "Skipped K = 17: K must be between 1 and 16" in result.stdout


@pytest.mark.parametrize("sweep", ["8-2", "x", "0-3"])
def test_bad_sweep_range_is_a_usage_error(runner: CliRunner, sweep: str) -> None:
    result = runner.invoke(cli, ["clusters", SOURCE, "--sweep", sweep])
    assert result.exit_code == 2
    assert "--sweep" in result.stderr


@pytest.mark.parametrize("command", [["clusters"], ["chain", "7"], ["comments"]])
def test_bad_k_and_seed_are_usage_errors_in_every_command(runner: CliRunner, command) -> None:
    args = [*command, SOURCE]
    bad_k = runner.invoke(cli, [*args, "--clusters", "0"])
    assert bad_k.exit_code == 2
    assert "--clusters must be between 1 and 16 for this discussion" in bad_k.stderr
    bad_seed = runner.invoke(cli, [*args, "--seed", "-1"])
    assert bad_seed.exit_code == 2
    assert "--seed must be a whole number from 0 to 4294967295; got -1" in bad_seed.stderr


def test_chain_shows_figures_per_hop_and_the_drift_point(runner: CliRunner) -> None:
    analysis = analyze(threads.load(CORPUS), clusters=4)
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
    if chain.drift_point is None:
        assert not marked
    else:
        assert len(marked) == 1 and f"#{chain.drift_point} " in marked[0]
        assert f"Drift point: #{chain.drift_point}," in result.stdout


def test_comments_table_shows_the_main_figures(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["comments", SOURCE, "--clusters", "3"])
    assert result.exit_code == 0, result.output
    header = result.stdout.splitlines()[0].split()
    assert header[-5:] == ["cluster", "sentiment", "article_similarity", "off_topic", "text"]


def test_csv_carries_the_analysis_columns(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["comments", SOURCE, "--format", "csv", "--clusters", "3"])
    assert result.exit_code == 0, result.output
    header = result.stdout.splitlines()[0].split(",")
    assert header[-9:] == [
        "cluster", "cluster_terms", "sentiment", "sentiment_whole", "sentiment_label",
        "article_similarity", "parent_similarity", "root_similarity", "off_topic",
    ]  # fmt: skip


def test_no_analysis_prints_parse_fields_without_loading_analysis_libraries() -> None:
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from threads.cli import cli\n"
        f"result = CliRunner().invoke(cli, ['comments', {SOURCE!r}, '--no-analysis',"
        " '--format', 'json'])\n"
        "assert result.exit_code == 0, result.output\n"
        "print(result.stdout)\n"
        "heavy = ('sklearn', 'scipy', 'vaderSentiment', 'blingfire')\n"
        "print('LOADED', [m for m in heavy if m in sys.modules], file=sys.stderr)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "LOADED []" in out.stderr
    record = json.loads(out.stdout)["comments"][0]
    assert list(record)[-1] == "text" and "cluster" not in record


def test_import_threads_is_light() -> None:
    code = "import sys, threads; print([m for m in ('sklearn', 'pandas') if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_analysis_to_dict_is_json_and_stable(runner: CliRunner) -> None:
    discussion = threads.load(CORPUS)
    first = json.dumps(threads.analyze(discussion, seed=5).to_dict(), allow_nan=False)
    second = json.dumps(threads.analyze(discussion, seed=5).to_dict(), allow_nan=False)
    assert first == second
    data = json.loads(first)
    assert set(data) >= {"parameters", "clusters", "k_scores", "chains", "summary"}
    parameters = data["parameters"]
    assert parameters["clusters_chosen_automatically"] is True and parameters["seed"] == 5
    assert {"scikit-learn", "vaderSentiment", "blingfire"} <= set(parameters["versions"])
    assert parameters["vectorizer"]["stop_words"] == "english"
