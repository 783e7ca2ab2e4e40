"""What a reader sees on narrow screens and on paper, measured in headless Chromium."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ..conftest import CORPUS, SCREENSHOTS, write_thread_page
from .conftest import make_report

pytestmark = pytest.mark.browser

LONG_NAME = "Averyveryverylongnamewithoutanyspacesthatwouldnotfit"  # one word, wider than 320 px


@pytest.fixture(scope="module")
def corpus_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_report(tmp_path_factory.mktemp("screens") / "corpus.html", CORPUS)


@pytest.fixture(scope="module")
def long_names_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("long")
    blocks = [
        f"{LONG_NAME}\n{LONG_NAME}\n1 day ago\n\nThe border with {LONG_NAME} is closed.",
        f"Bob\nBob\n1 day ago\nReply to  {LONG_NAME}\n\nhttps://example.org/{'x' * 150}",
        "Cy\nCy\n1 day ago\n\nAnother comment about the North Korean border.",
    ]
    source = folder / "long.txt"
    source.write_text(f"{LONG_NAME}\n\nBy {LONG_NAME}\n\n" + "\n\n".join(blocks) + "\n")
    return make_report(folder / "long.html", source)


@pytest.fixture(scope="module")
def big_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("big")
    source = write_thread_page(folder / "big.txt", 700)
    return make_report(folder / "big.html", source, "--clusters", "3")


def open_page(browser: Any, path: Path, width: int, fragment: str = "") -> Any:
    page = browser.new_page(viewport={"width": width, "height": 800})
    page.goto(path.as_uri() + fragment)
    page.wait_for_load_state("load")
    return page


@pytest.mark.parametrize("width", [1280, 700])
def test_a_linked_comment_shows_below_the_sticky_navigation(
    browser: Any, corpus_report: Path, width: int
) -> None:
    page = open_page(browser, corpus_report, width, "#c7")
    nav_bottom = page.evaluate("document.querySelector('nav.toc').getBoundingClientRect().bottom")
    top = page.evaluate("document.getElementById('c7').getBoundingClientRect().top")
    assert page.evaluate("scrollY") > 0  # it did scroll to the comment
    assert nav_bottom > 0  # the navigation is on screen (sticky) ...
    assert top >= nav_bottom  # ... and the comment's author line below it
    page.close()


@pytest.mark.parametrize("width", [320, 400])
def test_no_horizontal_page_scroll_on_narrow_screens(
    browser: Any, corpus_report: Path, long_names_report: Path, width: int
) -> None:
    for report in (corpus_report, long_names_report):
        page = open_page(browser, report, width)
        assert page.evaluate("document.scrollingElement.scrollWidth <= innerWidth"), report.name
        page.close()


SMALLEST_CHART_TEXT = """() => Math.min(...[...document.querySelectorAll('svg.chart text')]
.map(t => {
  const svg = t.ownerSVGElement;
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  return parseFloat(getComputedStyle(t).fontSize) * scale;
}))"""


def test_charts_readable_at_400_px_and_say_they_scroll(browser: Any, corpus_report: Path) -> None:
    page = open_page(browser, corpus_report, 400)
    assert page.evaluate(SMALLEST_CHART_TEXT) >= 10
    for box in page.locator(".chart-box").all():
        cut = box.evaluate("b => b.scrollWidth > b.clientWidth")
        cue = box.evaluate("b => b.previousElementSibling")
        assert cut and cue is not None
    assert page.locator(".scroll-cue").first.is_visible()
    page.screenshot(path=str(SCREENSHOTS / "report-400.png"), full_page=True)
    page.close()
    wide = open_page(browser, corpus_report, 1280)
    assert wide.evaluate(SMALLEST_CHART_TEXT) >= 10
    assert not wide.locator(".scroll-cue").first.is_visible()
    assert wide.evaluate("[...document.querySelectorAll('.chart-box')].every(b => "
                         "b.scrollWidth <= b.clientWidth)")  # fmt: skip
    wide.close()


def test_links_stay_in_the_page(browser: Any, corpus_report: Path) -> None:
    page = open_page(browser, corpus_report, 1280)
    assert page.locator("a[target], svg a[target]").count() == 0
    mark = page.locator("#similarity-position svg a").first
    assert (mark.get_attribute("aria-label") or "").startswith("Comment #")
    page.close()


def print_layout(page: Any) -> None:
    """The page as Chromium prints it on A4, after the script's ``beforeprint``."""
    page.set_viewport_size({"width": 718, "height": 1000})  # A4 less 1 cm margins, at 96 dpi
    page.emulate_media(media="print")
    page.evaluate("dispatchEvent(new Event('beforeprint'))")


TABLES_CUT = """() => [...document.querySelectorAll('table')].filter(t =>
  t.getBoundingClientRect().right > document.documentElement.clientWidth + 1
  || t.scrollWidth > t.parentElement.clientWidth + 1).map(t => t.id || t.closest('[id]').id)"""


def test_printing_keeps_tables_whole_and_the_numbers_open(
    browser: Any, corpus_report: Path
) -> None:
    page = open_page(browser, corpus_report, 1280)
    print_layout(page)
    assert page.evaluate(TABLES_CUT) == []
    for table in page.locator("details.data table").all():
        assert table.is_visible()
    assert page.locator("#cluster-table").is_visible()
    SCREENSHOTS.mkdir(exist_ok=True)
    page.pdf(path=str(SCREENSHOTS / "report.pdf"), format="A4")
    page.close()


def test_a_large_report_prints_its_first_comments_and_says_where_the_rest_is(
    browser: Any, big_report: Path
) -> None:
    page = open_page(browser, big_report, 1280)
    assert not page.locator(".print-only").first.is_visible()
    print_layout(page)
    assert page.locator("#c1").is_visible()  # the first page of threads is built and open
    assert not page.locator("#page-2 .tree li, #page-2 li").count()
    note = page.locator("#conversation .print-only")
    assert note.is_visible() and "JSON and CSV" in note.inner_text()
    assert page.locator("#topics").is_visible() and page.locator("#drift").is_visible()
    page.close()
