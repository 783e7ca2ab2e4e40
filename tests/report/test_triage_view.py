"""What the triage controls read: the figures the view writes on each comment of the tree, and
the controls' choices (no browser: the rendered HTML, parsed)."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from threads.analysis import Analysis, analyze
from threads.analysis.authors import commenters
from threads.inputs import load
from threads.report import build_context, render_html
from threads.report.context import SORTED_LIMIT

from ..conftest import CORPUS, ROOT


class _Comments(HTMLParser):
    """The attributes of every comment element (``li`` with ``data-id``) and the options of
    every triage control, in document order."""

    def __init__(self) -> None:
        super().__init__()
        self.comments: list[dict[str, str | None]] = []
        self.options: dict[str, list[str]] = {}
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "li" and "data-id" in found:
            self.comments.append(found)
        elif tag == "select":
            self._select = found.get("name")
            self.options[self._select or ""] = []
        elif tag == "option" and self._select is not None:
            self.options[self._select].append(found.get("value") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


@pytest.fixture(scope="module")
def analysis() -> Analysis:
    return analyze(load(CORPUS), lexical=True)


@pytest.fixture(scope="module")
def parsed(analysis: Analysis) -> _Comments:
    parser = _Comments()
    parser.feed(render_html(build_context(analysis)))
    return parser


def test_each_comment_carries_its_figures_from_the_analysis(
    analysis: Analysis, parsed: _Comments
) -> None:
    discussion = analysis.discussion
    places = {i: place for place, c in enumerate(commenters(analysis)) for i in c.comment_ids}
    ids = [c["data-id"] for c in parsed.comments]
    assert sorted(ids, key=lambda i: discussion.index_of(str(i))) == [
        c.id for c in discussion.comments
    ]
    for attrs in parsed.comments:
        comment_id = str(attrs["data-id"])
        result = analysis.comments[discussion.index_of(comment_id)]
        assert attrs["data-judgement"] == result.judgement
        assert attrs["data-topic"] == str(result.cluster)
        assert float(str(attrs["data-similarity"])) == pytest.approx(
            result.article_similarity, abs=1e-6
        )
        assert float(str(attrs["data-sentiment"])) == pytest.approx(result.sentiment, abs=1e-6)
        assert attrs["data-replies"] == str(len(discussion.children(comment_id)))
        place = places.get(comment_id)
        assert attrs.get("data-commenter") == (None if place is None else str(place))
        assert "data-label" not in attrs  # no labels given


def test_the_controls_offer_every_commenter_and_topic(
    analysis: Analysis, parsed: _Comments
) -> None:
    assert parsed.options["flag"] == ["", "off", "cant_tell", "on"]  # no labels: no label choices
    assert parsed.options["commenter"] == ["", *map(str, range(len(commenters(analysis))))]
    assert parsed.options["topic"] == ["", *(str(k.number) for k in analysis.clusters)]
    assert parsed.options["order"][0] == ""  # page order first


def test_the_readme_quotes_the_sorted_list_s_limit() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"the matches flat (the first {SORTED_LIMIT:,})" in " ".join(readme.split())
