"""The report in a real browser (headless Chromium): what a person sees and can do."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from threads.cli import cli

from ..conftest import CORPUS, FIXTURES, SCREENSHOTS, write_thread_page

pytestmark = pytest.mark.browser


def make_report(out: Path, source: Path, *args: str) -> Path:
    result = CliRunner().invoke(cli, ["report", str(source), "--out", str(out), *args])
    assert result.exit_code == 0, result.output
    return out


def open_page(browser: Any, path: Path, width: int = 1280) -> tuple[Any, list[str], list[str]]:
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))

    def dismiss(dialog: Any) -> None:
        errors.append(f"dialog: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", dismiss)
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page, errors, requests


@pytest.fixture(scope="module")
def corpus_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_report(tmp_path_factory.mktemp("browser") / "corpus.html", CORPUS)


def test_report_loads_with_no_errors_and_no_requests(browser: Any, corpus_report: Path) -> None:
    page, errors, requests = open_page(browser, corpus_report)
    assert errors == []
    assert requests == [corpus_report.as_uri()]
    assert page.title().startswith("threads report: How to escape North Korea")
    assert page.locator("#c7").is_visible()
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "report-1280.png"), full_page=True)
    page.close()


def test_narrow_screen_has_no_page_wide_horizontal_scroll(
    browser: Any, corpus_report: Path
) -> None:
    page, errors, _ = open_page(browser, corpus_report, width=400)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 400
    page.screenshot(path=str(SCREENSHOTS / "report-400.png"), full_page=True)
    assert errors == []
    page.close()


def test_collapsing_a_thread_hides_its_replies(browser: Any, corpus_report: Path) -> None:
    page, _, _ = open_page(browser, corpus_report)
    reply = page.locator("#c5")
    assert reply.is_visible()
    page.locator("#thread-c1 > summary").click()
    assert not reply.is_visible()
    assert page.locator("#c8").is_visible()  # other threads stay open
    page.locator("#thread-c1 > summary").click()
    assert reply.is_visible()
    page.close()


def test_readable_with_scripts_disabled(browser: Any, corpus_report: Path) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(corpus_report.as_uri())
    assert page.locator("#c7").is_visible()
    assert page.locator("#cluster-table tbody tr").count() >= 2
    assert page.locator("#similarity-position svg").is_visible()
    context.close()


def test_hostile_comments_run_nothing(browser: Any, tmp_path: Path) -> None:
    report = make_report(tmp_path / "hostile.html", FIXTURES / "hostile" / "script-injection.txt")
    page, errors, requests = open_page(browser, report)
    assert page.evaluate("window.__threads_pwned === undefined")
    assert errors == [], errors
    assert requests == [report.as_uri()]
    body = page.locator("#conversation").inner_text()
    assert "<script>window.__threads_pwned = 1</script>" in body
    page.close()


# -- a page too big to open every thread at load -------------------------------------------

BIG_THREADS = 700  # x 3 comments: above report.PAGE_COMMENTS, so the tree comes in pages
HOSTILE = (
    '</noscript><img src=x onerror="window.__threads_pwned=1">'
    "<script>window.__threads_pwned=1</script>"
)


@pytest.fixture(scope="module")
def big_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """700 threads of three comments; thread 680 opens with hostile markup."""
    folder = tmp_path_factory.mktemp("big")
    source = write_thread_page(folder / "big.txt", BIG_THREADS, {680: HOSTILE})
    return make_report(folder / "big.html", source, "--clusters", "3")


def test_folded_pages_build_no_comments_until_opened(browser: Any, big_report: Path) -> None:
    page, errors, requests = open_page(browser, big_report)
    # 2,000 comments a page, whole threads: threads 1-667 (2,001 comments), then 668-700.
    summaries = page.locator("details.page > summary").all_inner_texts()
    assert [" · ".join(s.split(" · ")[:2]) for s in summaries] == [  # then the off-topic count
        "Threads 1–667 · 2,001 comments",
        "Threads 668–700 · 99 comments",
    ]
    assert page.locator(".tree li").count() == 0  # nothing built at load
    page.locator("#page-2 > summary").click()
    assert page.locator("#page-2 details.thread").count() == 33
    assert page.locator(".tree li").count() == 99
    assert page.locator("#c2010").is_visible()  # thread 670, comment 3
    assert errors == [] and requests == [big_report.as_uri()]
    page.close()


def test_link_into_a_folded_page_opens_it(browser: Any, big_report: Path) -> None:
    page, errors, _ = open_page(browser, big_report)
    page.evaluate("location.hash = '#c1202'")  # thread 401's reply to the reply
    page.wait_for_function("document.getElementById('c1202') !== null")
    assert page.locator("#c1202").is_visible()
    assert "target" in (page.locator("#c1202").get_attribute("class") or "").split()
    assert page.evaluate("document.getElementById('page-1').open")
    assert not page.evaluate("document.getElementById('page-2').open")
    assert errors == []
    page.close()


def test_hostile_comment_in_a_folded_page_stays_text(browser: Any, big_report: Path) -> None:
    page, errors, _ = open_page(browser, big_report)
    page.locator("#page-2 > summary").click()  # thread 681 holds the hostile text
    assert page.locator("#c2041 > p").inner_text() == HOSTILE
    assert page.evaluate("window.__threads_pwned === undefined")
    assert errors == []
    page.close()


def test_folded_pages_readable_with_scripts_disabled(browser: Any, big_report: Path) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(big_report.as_uri())
    assert page.locator(".tree li").count() == 3 * BIG_THREADS  # all there, in closed pages
    assert not page.locator("#c2010").is_visible()
    page.locator("#page-2 > summary").click()
    assert page.locator("#c2010").is_visible()
    context.close()


def test_a_topic_s_comment_count_opens_its_members(browser: Any, corpus_report: Path) -> None:
    page, errors, _ = open_page(browser, corpus_report)
    members = page.locator("#topic-0-members")
    assert members.get_attribute("open") is None
    assert not members.locator("li").first.is_visible()
    page.locator("#topic-0 a[href='#topic-0-members']").click()
    # The page's hashchange handler opens the list: wait for it, a second at most.
    page.wait_for_function("document.getElementById('topic-0-members').open", timeout=1000)
    assert members.locator("li").first.is_visible()
    # Each member links to its comment in the conversation.
    first = members.locator("li a").first
    target = first.get_attribute("href")
    first.click()
    page.wait_for_function(f"location.hash === '{target}'", timeout=1000)
    assert page.locator(target or "#").is_visible()
    assert errors == []
    page.close()
