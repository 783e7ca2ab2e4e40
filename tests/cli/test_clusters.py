"""`threads clusters`: the topic table, the K choice and the sweep."""

from __future__ import annotations

from pathlib import Path

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


@pytest.mark.slow
def test_clusters_without_k_explains_the_choice(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["clusters", SOURCE])
    assert result.exit_code == 0, result.output
    assert "(chosen by silhouette, seed 0)" in result.stdout
    last = result.stdout.splitlines()[-2]  # the last line: K across seeds
    assert last.startswith("Silhouette (cosine) behind the choice: K=2: ")
    assert [part.split(":")[0].strip() for part in last.split(": ", 1)[1].split(", ")] == [
        f"K={k}" for k in range(2, 9)
    ]


@pytest.mark.slow
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
    three = analyze(discussion, clusters=3, seed=1)
    six = analyze(discussion, clusters=6, seed=1)
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


@pytest.mark.slow
def test_automatic_k_says_how_stable_it_is_across_seeds(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["clusters", SOURCE, "--seed", "3"])
    assert result.exit_code == 0, result.output
    analysis = analyze(threads.load(SOURCE), seed=3, k_across_seeds=True)
    assert [s for s, _ in analysis.k_by_seed] == [3, 4, 5, 6, 7]
    assert analysis.k_by_seed[0] == (3, analysis.parameters.clusters)
    for seed, k in analysis.k_by_seed[1:]:
        assert analyze(threads.load(SOURCE), seed=seed).parameters.clusters == k
    ks = ", ".join(str(k) for _, k in analysis.k_by_seed)
    assert f"K chosen with seeds 3-7: {ks} (K={analysis.parameters.clusters} in " in result.stdout
    given = runner.invoke(cli, ["clusters", SOURCE, "--clusters", "4"])
    assert "K chosen with seeds" not in given.stdout


@pytest.mark.slow
def test_the_check_across_seeds_changes_no_figure_and_is_off_by_default() -> None:
    discussion = threads.load(SOURCE)
    plain = analyze(discussion)
    checked = analyze(discussion, k_across_seeds=True)
    assert plain.k_by_seed == ()
    assert len(checked.k_by_seed) == 5
    assert plain.records() == checked.records()
    assert plain.summary.to_dict() == checked.summary.to_dict()


def _names(tmp_path: Path, content: str) -> str:
    path = tmp_path / "names.json"
    path.write_text(content, encoding="utf-8")
    return str(path)


def test_topic_labels_name_topics_in_the_table(runner: CliRunner, tmp_path: Path) -> None:
    names = _names(tmp_path, '{"0": "the film", "3": "Canada"}')
    result = runner.invoke(cli, ["clusters", SOURCE, "-k", "6", "--topic-labels", names])
    assert result.exit_code == 0, result.output
    rows = result.stdout.splitlines()[2:8]
    assert "#10  \u201cthe film\u201d: china, country" in rows[0]
    assert "\u201cCanada\u201d: government, badly" in rows[3]
    assert "\u201c" not in rows[1]


def test_merge_renumbers_and_says_so(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["clusters", SOURCE, "-k", "6", "--merge", "2,3"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "seed 0; topics 2+3 merged, leaving 5)" in lines[0]
    assert [line.split()[:2] for line in lines[2:7]] == [
        ["0", "6"], ["1", "4"], ["2", "3"], ["3", "2"], ["4", "1"]
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("args", "content", "code", "message"),
    [
        (["--merge", "2,9"], None, 2,
         "Error: --merge must name topics 0 to 5 (this clustering has 6); got 9"),
        (["--merge", "2,x"], None, 2,
         "Error: Invalid value for --merge: expected topic numbers separated by commas, "
         "such as 2,3; got '2,x'"),
        ([], '{"9": "x"}', 2,
         "Error: --topic-labels must name topics 0 to 5 (there are 6, after any merge); got 9"),
        ([], "[1]", 2, "must be a JSON object such as {\"0\": \"the film\", \"3\": \"Canada\"}; "
         "got an array"),
        ([], '{"a": "x"}', 2, "got the key 'a' (keys are topic numbers)"),
        ([], '{"1": 2}', 2, "got 2 for topic 1 (names are strings)"),
    ],
)  # fmt: skip
def test_bad_merges_and_labels_are_one_line_errors(
    runner: CliRunner, tmp_path: Path, args: list[str], content: str | None, code: int, message: str
) -> None:
    if content is not None:
        args = [*args, "--topic-labels", _names(tmp_path, content)]
    result = runner.invoke(cli, ["clusters", SOURCE, "-k", "6", *args])
    assert result.exit_code == code
    error = result.stderr.splitlines()[-1]
    assert error.startswith("Error: ") and error.endswith(message)


def test_a_missing_labels_file_names_it(runner: CliRunner, tmp_path: Path) -> None:
    missing = str(tmp_path / "none.json")
    result = runner.invoke(cli, ["clusters", SOURCE, "--topic-labels", missing])
    assert result.exit_code == 2  # a bad option, like a value out of range
    assert result.stderr == f"Error: {missing}: no such file\n"


@pytest.mark.slow
def test_names_reach_the_report_json_csv_and_findings(runner: CliRunner, tmp_path: Path) -> None:
    import csv
    import json

    names = _names(tmp_path, '{"0": "the film", "3": "Canada", "5": "grammar"}')
    out = tmp_path / "r.html"
    args = ["report", SOURCE, "-k", "6", "--topic-labels", names, "--out", str(out), "-q"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "3 \u201c<bdi>Canada</bdi>\u201d <span aria-hidden" in html  # the topic table
    assert "topic 3 \u201cCanada\u201d: government, badly, bowl" in html  # the findings
    document = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert [c.get("name") for c in document["clusters"]] == [
        "the film", None, None, "Canada", None, "grammar",
    ]  # fmt: skip
    assert document["comments"][0]["cluster_name"] in ("the film", "Canada", "grammar", None)
    rows = list(csv.DictReader(out.with_suffix(".csv").read_text(encoding="utf-8").splitlines()))
    by_cluster = {row["cluster"]: row["cluster_name"] for row in rows}
    assert by_cluster["0"] == "the film" and by_cluster["3"] == "Canada" and by_cluster["1"] == ""


def test_members_lists_every_comment_once_under_its_topic(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["clusters", SOURCE, "-k", "4", "--members"])
    assert result.exit_code == 0, result.output
    analysis = analyze(threads.load(SOURCE), clusters=4)
    listed: dict[str, int] = {}
    topic = -1
    for line in result.stdout.splitlines():
        if line.startswith("topic ") and line.endswith("off the subject"):
            topic = int(line.split()[1])
            size = sum(1 for c in analysis.comments if c.cluster == topic)
            off = sum(1 for c in analysis.comments if c.cluster == topic and c.off_topic)
            assert line.endswith(f": {size} comments, {off} of {size} off the subject")
        elif line.startswith("  ") and "thread #" in line:
            comment_id = line.split()[0].lstrip("#")
            assert comment_id not in listed
            listed[comment_id] = topic
            assert line.rstrip().endswith("off-topic") == analysis.comments[
                analysis.discussion.index_of(comment_id)
            ].off_topic
    assert listed == {c.id: c.cluster for c in analysis.comments}
    # The thread of a reply is its top-level comment: #7 answers #6, under #4, under #1.
    (seven,) = [line for line in result.stdout.splitlines() if line.split()[:1] == ["#7"]]
    assert seven.split()[-2:] == ["thread", "#1"] or "thread #1 " in seven


def test_members_is_for_the_topic_table_only(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["clusters", SOURCE, "--sweep", "2-3", "--members"])
    assert result.exit_code == 2
    assert "--members lists the topic table's topics" in result.stderr
