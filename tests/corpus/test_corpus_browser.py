"""corpus.html in a real browser: no errors, no requests, sortable, readable without scripts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ..conftest import SCREENSHOTS
from ..report.test_browser import open_page

pytestmark = pytest.mark.browser


def test_comparison_page_loads_offline_with_no_errors(browser: Any, serial_out: Path) -> None:
    html = serial_out / "corpus.html"
    page, errors, requests = open_page(browser, html)
    assert errors == []
    assert requests == [html.as_uri()]
    assert page.locator("#article-table tbody tr").count() == 4
    assert page.locator("#drift-by-size svg").is_visible()
    ids = page.evaluate("Array.from(document.querySelectorAll('[id]')).map(e => e.id)")
    assert len(ids) == len(set(ids))
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "corpus-1280.png"), full_page=True)
    page.close()


def test_clicking_a_header_sorts_the_table(browser: Any, serial_out: Path) -> None:
    page, errors, _ = open_page(browser, serial_out / "corpus.html")
    page.locator("#article-table thead button", has_text="comments").first.click()
    counts = page.locator("#article-table tbody tr td:nth-child(2)").all_inner_texts()
    assert [int(c.replace(",", "")) for c in counts] == [17, 24, 60, 130]
    page.locator("#article-table thead button", has_text="comments").first.click()
    counts = page.locator("#article-table tbody tr td:nth-child(2)").all_inner_texts()
    assert [int(c.replace(",", "")) for c in counts] == [130, 60, 24, 17]
    assert errors == []
    page.close()


def test_readable_with_scripts_disabled_and_links_to_reports(
    browser: Any, serial_out: Path
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto((serial_out / "corpus.html").as_uri())
    assert page.locator("#article-table tbody tr").count() == 4
    href = page.locator("#article-table tbody tr a").first.get_attribute("href")
    assert href is not None and (serial_out / href).is_file()
    context.close()


@pytest.mark.parametrize("width", [400, 320])
def test_a_narrow_screen_scrolls_the_table_in_a_labelled_region_and_says_so(
    browser: Any, serial_out: Path, width: int
) -> None:
    page, errors, _ = open_page(browser, serial_out / "corpus.html", width)
    box = page.locator("#articles .scroll.wide-box")
    assert box.get_attribute("tabindex") == "0"
    assert box.get_attribute("role") == "region"
    assert box.get_attribute("aria-label")
    assert box.evaluate("e => e.scrollWidth > e.clientWidth")
    assert page.locator("#articles .wide-cue").is_visible()
    box.focus()
    page.keyboard.press("ArrowRight")
    # The keyboard scrolls it (smoothly: wait for the first step).
    page.wait_for_function("b => b.scrollLeft > 0", arg=box.element_handle(), timeout=5000)
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # the page does not
    assert errors == []
    page.screenshot(path=str(SCREENSHOTS / f"corpus-{width}.png"), full_page=True)
    page.close()


def test_a_wide_screen_shows_every_column_without_a_cue(browser: Any, serial_out: Path) -> None:
    page, _, _ = open_page(browser, serial_out / "corpus.html", 1280)
    box = page.locator("#articles .scroll.wide-box")
    assert not box.evaluate("e => e.scrollWidth > e.clientWidth")
    assert not page.locator("#articles .wide-cue").is_visible()
    page.close()


def test_printing_keeps_every_column_of_the_article_table(browser: Any, serial_out: Path) -> None:
    # An A4 page's printable width is about 700 CSS pixels.
    page, _, _ = open_page(browser, serial_out / "corpus.html", 700)
    page.emulate_media(media="print")
    box = page.locator("#articles .scroll.wide-box")
    assert not box.evaluate("e => e.scrollWidth > e.clientWidth")
    rights = page.locator("#article-table thead th").evaluate_all(
        "cells => cells.map(c => c.getBoundingClientRect().right)"
    )
    assert len(rights) == 12
    assert max(rights) <= 700
    page.close()
