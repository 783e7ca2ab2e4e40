"""The charts' markup and colours: unique ids, named in-page links, 3:1 contrast."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from threads.report import charts
from threads.report.format import parameter

from ..conftest import CORPUS
from .conftest import make_report


@pytest.fixture(scope="module")
def html(tmp_path_factory: pytest.TempPathFactory) -> str:
    report = make_report(tmp_path_factory.mktemp("charts") / "r.html", CORPUS)
    return report.read_text(encoding="utf-8")


def contrast_with_white(colour: str) -> float:
    """WCAG 2 contrast ratio of an ``#rrggbb`` colour against white."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(int(colour[i : i + 2], 16)) for i in (1, 3, 5))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return 1.05 / (luminance + 0.05)


@pytest.mark.parametrize("colour", charts.PALETTE)
def test_every_chart_colour_has_3_to_1_contrast_against_white(colour: str) -> None:
    assert contrast_with_white(colour) >= 3, colour


def test_palette_colours_are_distinct() -> None:
    assert len(set(charts.PALETTE)) == len(charts.PALETTE) == len(charts.MARKERS)


def test_every_id_on_the_page_is_unique_and_every_reference_resolves(html: str) -> None:
    ids = re.findall(r' id="([^"]+)"', html)
    assert [i for i, n in Counter(ids).items() if n > 1] == []
    references = re.findall(r'(?:href="#|url\(#)([^")]+)', html)
    assert set(references) <= set(ids)


def test_chart_links_are_named_and_stay_in_the_page(html: str) -> None:
    links = re.findall(r"<a [^>]*>", html)
    assert not [a for a in links if "target=" in a]
    marks = [a for a in links if 'href="#c' in a and "aria-label" in a]
    assert len(marks) == 16
    assert 'aria-label="Comment #7 by ' in html


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (True, "yes"),
        (False, "no"),
        (None, "none"),
        (0.032214, "0.03221"),
        ({"stop_words": "english", "max_df": 1.0, "max_features": None},
         "stop_words: english, max_df: 1, max_features: none"),
        ({"ngram_range": [1, 2]}, "ngram_range: 1 to 2"),
    ],
)  # fmt: skip
def test_parameters_are_written_in_plain_words(value: object, written: str) -> None:
    assert parameter(value) == written


def test_method_parameters_show_no_python_reprs(html: str) -> None:
    values = re.findall(r"<td><code>(.*?)</code></td>", html[html.index('id="method"') :])
    assert values
    for value in values:
        assert value not in ("True", "False", "None") and "{" not in value
        assert not re.search(r"&#39;[^&]*&#39;", value)  # a quoted string (an apostrophe is fine)
