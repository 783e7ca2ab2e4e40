"""Topics named (``topic_names``) and merged (``merge``) after clustering."""

from __future__ import annotations

from typing import Any

import pytest

import threads
from threads.analysis import analyze
from threads.errors import OptionError
from threads.models import Discussion
from threads.report.files import report_document

from ..conftest import SOURCE


@pytest.fixture(scope="module")
def discussion() -> Discussion:
    return threads.load(SOURCE)


def test_merging_two_topics_gives_one_fewer_whose_sizes_add_up(discussion: Discussion) -> None:
    plain = analyze(discussion, clusters=6)
    merged = analyze(discussion, clusters=6, merge=[(2, 3)])
    assert len(merged.clusters) == len(plain.clusters) - 1
    sizes = [k.size for k in plain.clusters]
    expected = sorted([*sizes[:2], sizes[2] + sizes[3], *sizes[4:]], reverse=True)
    assert [k.size for k in merged.clusters] == expected  # renumbered largest first
    members = {i for i, r in enumerate(plain.comments) if r.cluster in (2, 3)}
    new = {merged.comments[i].cluster for i in members}
    assert len(new) == 1  # the union is one topic
    (number,) = new
    assert {i for i, r in enumerate(merged.comments) if r.cluster == number} == members
    assert sum(k.share_comments for k in merged.clusters) == pytest.approx(1.0)
    assert merged.parameters.clusters == 6 and merged.parameters.merge == ((2, 3),)
    assert merged.summary.sentiment_by_cluster.keys() == {str(k.number) for k in merged.clusters}


def test_groups_sharing_a_topic_join(discussion: Discussion) -> None:
    merged = analyze(discussion, clusters=6, merge=[(1, 2), (2, 3)])
    assert len(merged.clusters) == 4
    assert merged.parameters.merge == ((1, 2, 3),)


def test_names_follow_the_numbers_after_merging(discussion: Discussion) -> None:
    result = analyze(discussion, clusters=6, merge=[(2, 3)], topic_names={0: "the film", 3: "x"})
    assert [k.name for k in result.clusters] == ["the film", None, None, "x", None]
    for r in result.comments:
        assert r.cluster_name == {0: "the film", 3: "x"}.get(r.cluster)
    record = result.records()[0]
    keys = list(record)
    assert keys[keys.index("cluster_terms") + 1] == "cluster_name"
    cluster = result.clusters[0].to_dict()
    assert list(cluster)[:2] == ["number", "name"] and cluster["name"] == "the film"
    assert report_document(result)["parameters"]["topic_names"] == {"0": "the film", "3": "x"}


def test_without_names_the_records_are_as_before(discussion: Discussion) -> None:
    result = analyze(discussion, clusters=3)
    assert "cluster_name" not in result.records()[0]
    assert "name" not in result.clusters[0].to_dict()
    parameters = report_document(result)["parameters"]
    assert "topic_names" not in parameters and "merge" not in parameters


@pytest.mark.parametrize(
    ("options", "param", "message"),
    [
        ({"merge": [(2, 9)]}, "merge", "must name topics 0 to 5 (this clustering has 6); got 9"),
        ({"merge": [(2, 2)]}, "merge", "takes two or more different topics; got [2, 2]"),
        (
            {"topic_names": {6: "x"}},
            "topic_names",
            "must name topics 0 to 5 (there are 6, after any merge); got 6",
        ),
        (
            {"merge": [(0, 1)], "topic_names": {5: "x"}},
            "topic_names",
            "must name topics 0 to 4 (there are 5, after any merge); got 5",
        ),
        (
            {"topic_names": {0: " "}},
            "topic_names",
            "gives each topic a name (a string); got ' ' for 0",
        ),
    ],
)
def test_bad_merges_and_names_name_the_parameter(
    discussion: Discussion, options: dict[str, Any], param: str, message: str
) -> None:
    with pytest.raises(OptionError) as raised:
        analyze(discussion, clusters=6, **options)
    assert (raised.value.param, raised.value.problem) == (param, message)
