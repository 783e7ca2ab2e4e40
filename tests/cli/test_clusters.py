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
    last = result.stdout.splitlines()[-2]  # the last line: K across seeds
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


def test_compare_prints_the_crosstab_and_who_changed_company(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["clusters", SOURCE, "--compare", "3", "6", "--seed", "1"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    discussion = threads.load(SOURCE)
    three, six = analyze(discussion, 3, seed=1), analyze(discussion, 6, seed=1)
    assert lines[1].split() == ["K=3", *map(str, range(6)), "terms"]
    rows = lines[2:5]
    for row, topic in zip(rows, three.clusters, strict=True):
        cells = row.split()[1:7]
        expected = [
            sum(1 for x, y in zip(three.comments, six.comments, strict=True)
                if (x.cluster, y.cluster) == (topic.number, j))
            for j in range(6)
        ]  # fmt: skip
        assert [0 if c == "." else int(c) for c in cells] == expected
        assert row.endswith(", ".join(topic.terms))
    assert sum(int(c) for row in rows for c in row.split()[1:7] if c != ".") == 16
    from threads.analysis.compare import crosstab

    moved = crosstab(three, six).moved
    listed = [line.split(":")[0].strip() for line in lines if line.startswith("  #")]
    assert listed == [f"#{m.id}" for m in moved]


def test_compare_with_a_bad_k_names_the_option(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["clusters", SOURCE, "--compare", "3", "60"])
    assert result.exit_code == 2
    assert "--compare must be between 1 and 16" in result.stderr


def test_automatic_k_says_how_stable_it_is_across_seeds(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["clusters", SOURCE, "--seed", "3"])
    assert result.exit_code == 0, result.output
    analysis = analyze(threads.load(SOURCE), seed=3)
    assert [s for s, _ in analysis.k_by_seed] == [3, 4, 5, 6, 7]
    assert analysis.k_by_seed[0] == (3, analysis.parameters.clusters)
    for seed, k in analysis.k_by_seed[1:]:
        assert analyze(threads.load(SOURCE), seed=seed).parameters.clusters == k
    ks = ", ".join(str(k) for _, k in analysis.k_by_seed)
    assert f"K chosen with seeds 3-7: {ks} (K={analysis.parameters.clusters} in " in result.stdout
    given = runner.invoke(cli, ["clusters", SOURCE, "--clusters", "4"])
    assert "K chosen with seeds" not in given.stdout
