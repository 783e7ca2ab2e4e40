"""Dark mode and the skip link, in headless Chromium: what a reader who prefers a dark screen,
or who moves with the keyboard, gets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ..conftest import CORPUS, SCREENSHOTS
from ..corpus.conftest import run as run_corpus
from ..corpus.conftest import write_corpus
from .test_browser import make_report

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("dark")
    corpus_pages, out = write_corpus(folder / "pages"), folder / "corpus-out"
    done = run_corpus(str(corpus_pages), "--out", str(out), "--workers", "1", "--reports", "none")
    assert done.exit_code == 0, done.output
    return {"report": make_report(folder / "r.html", CORPUS), "corpus": out / "corpus.html"}


def colours(browser: Any, path: Path, scheme: str, width: int = 1280) -> dict[str, str]:
    page = browser.new_page(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page.goto(path.as_uri())
    found: dict[str, str] = page.evaluate(
        """() => {
          const style = e => getComputedStyle(e);
          const chart = document.querySelector('svg.chart');
          return {
            background: style(document.body).backgroundColor,
            ink: style(document.body).color,
            chart: chart ? style(chart).backgroundColor : '',
          };
        }"""
    )
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{path.stem}-{scheme}-{width}.png"), full_page=True)
    page.close()
    return found


@pytest.mark.parametrize("kind", ["report", "corpus"])
def test_the_page_follows_the_reader_s_colour_scheme(
    browser: Any, pages: dict[str, Path], kind: str
) -> None:
    light = colours(browser, pages[kind], "light")
    dark = colours(browser, pages[kind], "dark")
    assert light["background"] == "rgb(255, 255, 255)"
    assert dark["background"] == "rgb(22, 23, 26)"
    assert dark["ink"] == "rgb(232, 232, 234)"
    # The charts were drawn for a white page: in dark mode they sit on a white card.
    assert dark["chart"] == "rgb(255, 255, 255)"


def test_dark_mode_at_narrow_widths(browser: Any, pages: dict[str, Path]) -> None:
    for width in (400, 320):
        assert colours(browser, pages["report"], "dark", width)["background"] == "rgb(22, 23, 26)"


def test_the_first_tab_stop_skips_to_the_comments(
    browser: Any, pages: dict[str, Path]
) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(pages["report"].as_uri())
    page.keyboard.press("Tab")
    focused = page.evaluate("[document.activeElement.textContent, document.activeElement.hash]")
    assert focused == ["Skip to the comments", "#all-comments"]
    assert page.evaluate("document.activeElement.getBoundingClientRect().top") >= 0  # shown
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#all-comments"
    # From there, a few Tab stops reach the first thread's toggle.
    for _ in range(5):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('details.thread > summary')"):
            break
    else:
        pytest.fail("no thread toggle within 5 Tab stops of the skip link")
    page.close()
