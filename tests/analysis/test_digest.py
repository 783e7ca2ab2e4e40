"""The digest: digressions as events of the reply tree, thread records, member-majority tags,
and the bootstrap comparisons behind the findings."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import threads
from threads.analysis import analyze, stats
from threads.analysis.results import Analysis
from threads.report import prose

from ..conftest import CORPUS


@pytest.fixture(scope="module")
def discussion() -> threads.Discussion:
    return threads.load(CORPUS)


#: An off-topic cut at which the flags equal the corpus article's hand labels: these tests
#: check the digressions, not the cut.
HAND_CUT = 0.037


@pytest.fixture(scope="module")
def analysis(discussion: threads.Discussion) -> Analysis:
    return analyze(discussion, off_topic_threshold=HAND_CUT, lexical=True)


def test_corpus_digressions_are_branches_not_chains(analysis: Analysis) -> None:
    found = [(d.start_id, d.parent_id, d.ids, d.tied) for d in analysis.digest.digressions]
    assert found == [
        ("4", "1", ("4", "5", "6", "7"), False),  # the turn to Canada's freedoms, all below
        ("11", None, ("11", "12"), False),  # the grammar exchange, off from its first comment
        ("3", "1", ("3",), True),  # "Self praise is NO recommendation", to #1
        ("15", None, ("15",), True),  # "Wokes"
    ]
    assert analysis.digest.starts == {"4", "11", "3", "15"}
    assert [d.start_id for d in analysis.digest.largest] == ["4"]
    flagged = {r.id for r in analysis.comments if r.off_topic}
    members = [i for d in analysis.digest.digressions for i in d.ids]
    assert len(members) == len(set(members))  # each off-topic comment at most once
    # #2 ("lucky to be born in the West") answers #1 closely: off the subject, but no turn.
    assert analysis.digest.off_topic_without_turn == ("2",)
    assert sorted([*members, "2"], key=int) == sorted(flagged, key=int)


def test_thread_one_leads_the_digest(analysis: Analysis) -> None:
    digest = analysis.digest
    assert digest.ranked[:2] == ("1", "11")
    first = digest.thread("1")
    assert (first.author, first.comments, first.off_topic) == ("Jim Veenbaas", 7, 6)
    assert first.digressions == ("4", "3")
    assert digest.thread("11").ids == ("11", "12")
    assert digest.lone.off_topic_ids == ("15",)
    assert "Wokes" in digest.quotes["15"]
    assert len(digest.quotes["1"].split()) == 12
    assert digest.on_topic_examples and all(
        not analysis.result(i).off_topic for i in digest.on_topic_examples
    )


def test_digest_lines_name_threads_quotes_and_starts(analysis: Analysis) -> None:
    lines = [prose.plain(line) for line in prose.digest_lines(analysis)]
    assert lines[0].startswith("#1 Jim Veenbaas: 7 comments, 6 off-topic")
    assert "left the subject at #4" in lines[0] and "#3" in lines[0]
    assert any(line.startswith("#11 Tony Price: 2 comments, 2 off-topic") for line in lines)
    assert "#15" in lines[-1] and "Wokes" in lines[-1]
    linked = {p.comment_id for line in prose.digest_lines(analysis) for p in line}
    assert {"1", "4", "3", "11", "15"} <= linked


def test_ties_are_said_and_cut_lists_say_how_many_more(analysis: Analysis) -> None:
    text = " ".join(prose.findings(analysis, prose.cluster_labels(analysis)))
    assert "turned away from the subject 4 times: 4 digressions" in text
    assert "1 more off-topic comment stays close to what it answers" in text
    assert "The largest, 4 comments, started at #4 by Mark Goodhand" in text
    assert "#11 (2), #3 (1, tied), #15 (1, tied)" in text
    assert "strayed further" not in text


@pytest.mark.parametrize("k", [2, 3, 4, 5, 6])
def test_cluster_tags_follow_their_members(discussion: threads.Discussion, k: int) -> None:
    result = analyze(discussion, clusters=k, sweep_ks=[k])
    for cluster in result.clusters:
        members = [r for r in result.comments if r.cluster == cluster.number]
        flagged = sum(r.off_topic for r in members)
        assert cluster.off_topic_comments == flagged
        assert cluster.off_topic == (flagged * 2 > len(members))
        mean = np.mean([r.article_similarity for r in members])
        assert cluster.article_similarity == pytest.approx(mean, abs=1e-6)
    in_off = sum(c.size for c in result.clusters if c.off_topic)
    assert result.sweep[0].off_topic_share == pytest.approx(in_off / len(result.comments))


def test_a_digression_turns_to_a_topic_only_by_majority(analysis: Analysis) -> None:
    for d in analysis.digest.digressions:
        clusters = [analysis.result(i).cluster for i in d.ids]
        if d.topic is None:
            assert all(clusters.count(c) * 2 <= len(clusters) for c in clusters)
        else:
            assert clusters.count(d.topic) * 2 > len(clusters)


def test_bootstrap_is_reproducible_and_seeded() -> None:
    values = np.random.default_rng(1).normal(size=40).round(3).tolist()
    first, second = values[:25], values[25:]
    a = stats.compare_groups(first, second, seed=3)
    assert a == stats.compare_groups(first, second, seed=3)
    assert a != stats.compare_groups(first, second, seed=4)
    assert a is not None and a.low <= a.difference <= a.high and a.resamples == 2000
    paired = stats.compare_pairs([1.0, 2.0, 3.0], [0.0, 1.0, 2.0], seed=0)
    assert paired is not None and (paired.low, paired.high, paired.clear) == (1.0, 1.0, True)
    assert stats.compare_groups([0.5], [1.0, 2.0], seed=0) is None  # one value: no spread


def test_an_interval_spanning_zero_is_no_clear_difference(analysis: Analysis) -> None:
    c = analysis.summary.sentiment_off_vs_on
    assert c is not None
    assert (c.first_size, c.second_size) == (9, 7)
    assert c.low < 0 < c.high and not c.clear
    assert (c.difference, c.low, c.high) == (-0.070944, -0.52082, 0.350192)  # seed 0, fixed
    text = " ".join(prose.findings(analysis, prose.cluster_labels(analysis)))
    assert "no clear difference in sentiment (9 off-topic comments against 7 on-topic" in text
    assert "more negative" not in text
    assert analysis.summary.to_dict()["sentiment_off_vs_on"]["clear"] is False


def test_a_digression_starting_without_words_is_left_out(tmp_path: Path) -> None:
    page = tmp_path / "page.csv"
    page.write_text(
        "id,parent_id,text\n"
        "1,,North Korea defectors cross the border river\n"
        "2,1,!!!\n"
        "3,,Football scores from the weekend league table\n",
        encoding="utf-8",
    )
    result = analyze(threads.load(page), clusters=1)
    starts = {d.start_id for d in result.digest.digressions}
    # "!!!" has no words of its own: it is judged with the comment it answers, so it joins
    # that comment's verdict and is never named as where a digression starts.
    assert result.result("2").judged_with_parent
    assert result.result("2").off_topic == result.result("1").off_topic
    assert "2" not in starts and result.digest.wordless_digressions == 0
