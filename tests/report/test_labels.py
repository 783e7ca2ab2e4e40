"""``threads report --labels``: the reader's labels in the tree, the disagreements marked there
and listed in the Method section with links to the comments."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from threads.analysis import analyze
from threads.analysis.agreement import for_analysis
from threads.inputs import load
from threads.inputs.labels import labels_for
from threads.report import conversation
from threads.report.context import disagreement_views

from ..conftest import CORPUS, FIXTURES
from .conftest import make_report
from .test_browser import open_page

LABELS = FIXTURES / "labels" / "unherd-north-korea.json"


def hand_labels() -> dict[str, bool]:
    data = json.loads(LABELS.read_text(encoding="utf-8"))
    return {i: bool(label["on_topic"]) for i, label in data["labels"].items()}


def test_the_disagreement_list_names_each_comment_where_flag_and_label_differ() -> None:
    discussion = load(CORPUS)
    analysis = analyze(discussion, clusters=1)  # the flag does not depend on the topics
    labels = labels_for(LABELS, discussion).labels
    agreement = for_analysis(analysis, labels)
    anchors = {c.id: conversation.anchor_for(c) for c in discussion.comments}
    views = disagreement_views(agreement, analysis, anchors)
    # A disagreement: flagged off-topic but labelled on, or labelled off and not flagged (a
    # comment the tool can't tell about is never flagged).
    expected = [r.id for r in analysis.comments if (r.judgement == "off") == labels[r.id]]
    assert [v.id for v in views] == expected
    assert expected == ["1", "2", "4", "5", "15"]  # README: these five, #5 can't tell
    by_id = {v.id: v for v in views}
    assert (by_id["1"].label, by_id["1"].verdict) == ("on-topic", "off-topic")
    assert (by_id["5"].label, by_id["5"].verdict) == ("off-topic", "can't tell")
    assert by_id["15"].author == "(no name)"
    assert all(v.anchor == f"c{v.id}" for v in views)
    assert by_id["2"].first_words.startswith(" ".join(discussion.get("2").text.split()[:3]))


def test_no_labels_no_disagreements_section() -> None:
    from threads.report import build_context

    analysis = analyze(load(CORPUS), clusters=1, lexical=True)
    context = build_context(analysis)
    assert context.disagreements == () and context.labelled == 0
    assert context.triage is not None and not context.triage.labelled
    every = [c for page in context.pages for t in page.threads for c in t.items]
    assert all(c.label is None and not c.disagrees for c in every)


# -- in the browser ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def labelled_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("labels") / "corpus.html"
    return make_report(out, CORPUS, "--labels", str(LABELS))


def disagreeing(report: Path) -> list[str]:
    """From the report's JSON: where the flag and the hand label differ."""
    records = json.loads(report.with_suffix(".json").read_text(encoding="utf-8"))["comments"]
    labels = hand_labels()
    return [r["id"] for r in records if (r["judgement"] == "off") == labels[r["id"]]]


@pytest.mark.browser
def test_each_labelled_comment_shows_its_label_beside_the_flag(
    browser: Any, labelled_report: Path
) -> None:
    page, errors, _ = open_page(browser, labelled_report)
    for comment_id, on_topic in hand_labels().items():
        flags = page.locator(f"#c{comment_id} > .f")
        tag = flags.locator(".tag.label")
        assert tag.inner_text() == f"your label: {'on-topic' if on_topic else 'off-topic'}"
        assert tag.is_visible()
    assert errors == []
    page.close()


@pytest.mark.browser
def test_disagreements_are_marked_in_the_tree_and_listed_in_method(
    browser: Any, labelled_report: Path
) -> None:
    expected = disagreeing(labelled_report)
    assert expected
    page, errors, _ = open_page(browser, labelled_report)
    marked = page.evaluate(
        "[...document.querySelectorAll('#all-comments li.disagrees')].map(li => li.dataset.id)"
    )
    assert marked == expected
    for comment_id in expected:
        assert page.locator(f"#c{comment_id} > .f .tag.disagree").is_visible()
    # Method lists them, each linked to its comment in the tree.
    links = page.locator("ul.disagreements li > a")
    assert [a.get_attribute("href") for a in links.all()] == [f"#c{i}" for i in expected]
    links.nth(1).click()
    page.wait_for_function(f"() => location.hash === '#c{expected[1]}'", timeout=1000)
    assert page.locator(f"#c{expected[1]}").is_visible()
    intro = page.locator("#conversation > p").first.inner_text()
    assert f"the {len(expected)} where they differ" in intro
    # The triage filter takes them too, and the labelled comments (all 16 here).
    page.select_option("#triage select[name=flag]", "disagrees")
    assert page.locator("#triage-count").inner_text() == f"{len(expected)} of 16 comments shown"
    page.select_option("#triage select[name=flag]", "labelled")
    labelled = len(hand_labels())
    assert page.locator("#triage-count").inner_text() == f"{labelled} of 16 comments shown"
    assert errors == []
    page.close()
