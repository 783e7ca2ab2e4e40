"""`threads clusters`: the topic table, the K choice and the sweep."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

import threads
from threads.analysis import analyze
from threads.cli import cli

from ..conftest import SOURCE


def test_clusters_table_has_one_row_per_cluster(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["clusters", SOURCE, "--clusters", "4", "--seed", "2"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("4 topic clusters (as asked, seed 2); off-topic below similarity")
    expected = analyze(threads.load(SOURCE), clusters=4, seed=2)
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
