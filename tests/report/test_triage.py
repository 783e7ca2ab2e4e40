"""Triage in the report (headless Chromium): filter the conversation, sort it, count it, copy
or download the ids. Every expectation is computed from the report's own JSON, not from the
page's script."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from ..conftest import CORPUS, SCREENSHOTS, write_thread_page
from .conftest import make_report
from .test_browser import open_page

pytestmark = pytest.mark.browser

COUNT = "#triage-count"


@pytest.fixture(scope="module")
def corpus_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_report(tmp_path_factory.mktemp("triage") / "corpus.html", CORPUS)


@pytest.fixture(scope="module")
def records(corpus_report: Path) -> list[dict[str, Any]]:
    comments: list[dict[str, Any]] = json.loads(
        corpus_report.with_suffix(".json").read_text(encoding="utf-8")
    )["comments"]
    return comments


def shown_ids(page: Any) -> list[str]:
    """The ids of the comments shown as matches (not as context), in the order shown."""
    found: list[str] = page.evaluate(
        """() => {
          const sorted = document.getElementById('triage-sorted');
          if (!sorted.hidden) {
            return [...sorted.querySelectorAll('.in-thread a')].map(
              a => document.querySelector(a.getAttribute('href')).dataset.id);
          }
          return [...document.querySelectorAll('#all-comments li[data-id]')]
            .filter(li => li.checkVisibility() && !li.classList.contains('context'))
            .map(li => li.dataset.id);
        }"""
    )
    return found


def test_controls_are_shown_by_the_script_and_count_every_comment(
    browser: Any, corpus_report: Path
) -> None:
    page, errors, requests = open_page(browser, corpus_report)
    assert page.locator("#triage").is_visible()
    assert page.locator(COUNT).inner_text() == "16 of 16 comments shown"
    assert page.locator(COUNT).get_attribute("role") == "status"  # a polite live region
    assert len(shown_ids(page)) == 16
    assert errors == [] and requests == [corpus_report.as_uri()]
    page.close()


@pytest.mark.parametrize("judgement", ["off", "cant_tell", "on"])
def test_the_flag_filter_keeps_the_comments_so_judged(
    browser: Any, corpus_report: Path, records: list[dict[str, Any]], judgement: str
) -> None:
    expected = [r["id"] for r in records if r["judgement"] == judgement]
    assert expected, f"the corpus article has no {judgement} comment to test with"
    page, errors, _ = open_page(browser, corpus_report)
    page.select_option("#triage select[name=flag]", judgement)
    assert shown_ids(page) == expected
    assert page.locator(COUNT).inner_text() == f"{len(expected)} of 16 comments shown"
    assert errors == []
    page.close()


def test_a_filtered_reply_keeps_its_parents_as_context(
    browser: Any, corpus_report: Path, records: list[dict[str, Any]]
) -> None:
    by_id = {r["id"]: r for r in records}
    page, _, _ = open_page(browser, corpus_report)
    page.select_option("#triage select[name=flag]", "off")
    matches = set(shown_ids(page))
    context = set()
    for match in matches:
        parent = by_id[match]["parent_id"]
        while parent is not None:
            if parent not in matches:
                context.add(parent)
            parent = by_id[parent]["parent_id"]
    found = page.evaluate(
        "[...document.querySelectorAll('li.context')].filter(li => li.checkVisibility())"
        ".map(li => li.dataset.id)"
    )
    assert set(found) == context
    # A context comment shows its author line only; its text is folded away.
    for anchor in context:
        assert not page.locator(f"#c{anchor} > p").first.is_visible()
    # Threads without a match are hidden.
    roots = {r["thread_id"] for r in records if r["id"] in matches}
    visible = page.evaluate(
        "[...document.querySelectorAll('details.thread')].filter(d => !d.hidden).map(d => d.id)"
    )
    assert visible == [f"thread-c{r['id']}" for r in records if r["id"] in roots]
    page.close()


def test_the_commenter_filter(
    browser: Any, corpus_report: Path, records: list[dict[str, Any]]
) -> None:
    expected = [r["id"] for r in records if r["author"] == "Benedict Waterson"]
    page, errors, _ = open_page(browser, corpus_report)
    # The name sits between bidi isolates (invisible), as every name in the menus does.
    label = "\u2068Benedict Waterson\u2069 (2)"
    page.select_option("#triage select[name=commenter]", label=label)
    assert shown_ids(page) == expected and len(expected) == 2
    assert page.locator(COUNT).inner_text() == "2 of 16 comments shown"
    assert errors == []
    page.close()


def test_the_topic_filter(browser: Any, corpus_report: Path, records: list[dict[str, Any]]) -> None:
    expected = [r["id"] for r in records if r["cluster"] == 1]
    page, _, _ = open_page(browser, corpus_report)
    page.select_option("#triage select[name=topic]", "1")
    assert shown_ids(page) == expected
    assert page.locator(COUNT).inner_text() == f"{len(expected)} of 16 comments shown"
    page.close()


def test_the_word_search_finds_every_word_in_any_case(
    browser: Any, corpus_report: Path, records: list[dict[str, Any]]
) -> None:
    def holding(*words: str) -> list[str]:
        return [r["id"] for r in records if all(w in r["text"].lower() for w in words)]

    page, _, _ = open_page(browser, corpus_report)
    search = page.locator("#triage input[name=words]")
    search.fill("FREEDOM")
    page.wait_for_function(f"() => document.querySelector('{COUNT}').textContent.startsWith('"
                           f"{len(holding('freedom'))} of')")  # fmt: skip
    assert shown_ids(page) == holding("freedom") and len(holding("freedom")) >= 2
    search.fill("freedom canada")
    page.wait_for_function(f"() => document.querySelector('{COUNT}').textContent.startsWith('"
                           f"{len(holding('freedom', 'canada'))} of')")  # fmt: skip
    assert shown_ids(page) == holding("freedom", "canada")
    # Filters combine: the words and the flag together.
    page.select_option("#triage select[name=flag]", "on")
    on = {r["id"] for r in records if r["judgement"] == "on"}
    assert shown_ids(page) == [i for i in holding("freedom", "canada") if i in on]
    page.close()


@pytest.mark.parametrize(
    ("order", "key"),
    [
        ("similarity", lambda r: r["article_similarity"]),
        ("-similarity", lambda r: -r["article_similarity"]),
        ("sentiment", lambda r: r["sentiment"]),
        ("-sentiment", lambda r: -r["sentiment"]),
    ],
)
def test_sorting_lists_the_matches_flat_in_that_order(
    browser: Any, corpus_report: Path, records: list[dict[str, Any]], order: str, key: Any
) -> None:
    page, errors, _ = open_page(browser, corpus_report)
    page.select_option("#triage select[name=order]", order)
    assert shown_ids(page) == [r["id"] for r in sorted(records, key=key)]  # stable: page order
    assert not page.locator("#all-comments").is_visible()
    count = page.locator(COUNT).inner_text()
    assert count.startswith("16 of 16 comments shown, ") and "first" in count  # says the order
    assert errors == []
    page.close()


def test_sorting_by_replies_and_back_to_the_thread(
    browser: Any, corpus_report: Path, records: list[dict[str, Any]]
) -> None:
    replies = {r["id"]: 0 for r in records}
    for r in records:
        if r["parent_id"] is not None:
            replies[r["parent_id"]] += 1
    off = [r["id"] for r in records if r["judgement"] == "off"]
    page, errors, _ = open_page(browser, corpus_report)
    page.select_option("#triage select[name=flag]", "off")
    page.select_option("#triage select[name=order]", "-replies")
    expected = sorted(off, key=lambda i: -replies[i])
    assert shown_ids(page) == expected
    assert page.locator(COUNT).inner_text().startswith(f"{len(off)} of 16 comments shown, ")
    # Each listed comment links to its place in the tree: following it shows the tree.
    page.locator("#triage-sorted .in-thread a").first.click()
    page.wait_for_function(f"() => location.hash === '#c{expected[0]}'", timeout=1000)
    assert page.locator(f"#c{expected[0]}").is_visible()
    assert page.locator("#triage select[name=order]").input_value() == ""
    assert page.locator("#triage select[name=flag]").input_value() == "off"  # kept
    assert errors == []
    page.close()


def test_a_link_to_a_filtered_out_comment_clears_the_filters_and_says_so(
    browser: Any, corpus_report: Path, records: list[dict[str, Any]]
) -> None:
    on = next(r["id"] for r in records if r["judgement"] == "on" and r["parent_id"] is None)
    page, _, _ = open_page(browser, corpus_report)
    page.select_option("#triage select[name=flag]", "off")
    assert not page.locator(f"#c{on}").is_visible()
    page.evaluate(f"location.hash = '#c{on}'")
    page.wait_for_function(
        f"() => document.getElementById('c{on}').checkVisibility()", timeout=1000
    )
    assert page.locator("#triage select[name=flag]").input_value() == ""
    assert page.locator("#triage-said").inner_text() == f"Filters cleared to show comment #{on}."
    assert page.locator(COUNT).inner_text() == "16 of 16 comments shown"
    page.close()


def test_the_ids_are_copied_to_the_clipboard(
    browser: Any, corpus_report: Path, records: list[dict[str, Any]]
) -> None:
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(corpus_report.as_uri())
    page.select_option("#triage select[name=flag]", "off")
    page.locator("#triage-copy").click()
    expected = [r["id"] for r in records if r["judgement"] == "off"]
    page.wait_for_function("() => document.getElementById('triage-said').textContent !== ''")
    assert page.locator("#triage-said").inner_text() == f"Copied {len(expected)} ids."
    assert page.evaluate("navigator.clipboard.readText()").split("\n") == expected
    context.close()


def read_download(page: Any) -> list[dict[str, str]]:
    with page.expect_download() as info:
        page.locator("#triage-csv").click()
    download = info.value
    assert download.suggested_filename.endswith("-selection.csv")
    text = Path(download.path()).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def test_the_selection_downloads_as_csv(
    browser: Any, corpus_report: Path, records: list[dict[str, Any]]
) -> None:
    page, errors, requests = open_page(browser, corpus_report)
    page.select_option("#triage select[name=order]", "similarity")
    rows = read_download(page)
    expected = sorted(records, key=lambda r: r["article_similarity"])
    assert [row["id"] for row in rows] == [r["id"] for r in expected]
    by_id = {r["id"]: r for r in records}
    for row in rows:
        record = by_id[row["id"]]
        assert row["author"] == (record["author"] or "(no name)")
        assert row["judgement"] == record["judgement"]
        assert int(row["topic"]) == record["cluster"]
        assert float(row["similarity"]) == pytest.approx(record["article_similarity"], abs=1e-6)
        assert float(row["sentiment"]) == pytest.approx(record["sentiment"], abs=1e-6)
        assert row["link"] == f"#c{row['id']}"
    assert page.locator("#triage-said").inner_text() == "Downloaded 16 comments as CSV."
    assert errors == [] and requests[0] == corpus_report.as_uri()
    assert all(not r.startswith(("http:", "https:")) for r in requests)  # nothing fetched
    page.close()


def test_the_controls_work_from_the_keyboard(browser: Any, corpus_report: Path) -> None:
    page, _, _ = open_page(browser, corpus_report)
    # From the last link before the controls, the next Tab stop is the first control.
    page.locator("#commenters + .scroll a").last.focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "flag"
    page.keyboard.press("ArrowDown")  # any -> off-topic
    assert page.locator(COUNT).inner_text().endswith(" of 16 comments shown")
    assert page.locator(COUNT).inner_text() != "16 of 16 comments shown"
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "triage-clear":
            break
    else:
        pytest.fail("the Show every comment button is not in the Tab order")
    page.keyboard.press("Enter")
    assert page.locator(COUNT).inner_text() == "16 of 16 comments shown"
    page.close()


def test_without_scripts_the_controls_stay_hidden_and_the_tree_whole(
    browser: Any, corpus_report: Path
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(corpus_report.as_uri())
    assert not page.locator("#triage").is_visible()
    assert page.locator("#all-comments li[data-id]").count() == 16
    assert all(li.is_visible() for li in page.locator("#all-comments li[data-id]").all())
    context.close()


@pytest.mark.parametrize("width", [1280, 400, 320])
def test_the_controls_fit_narrow_screens(browser: Any, corpus_report: Path, width: int) -> None:
    page, _, _ = open_page(browser, corpus_report, width)
    page.select_option("#triage select[name=flag]", "off")
    assert page.evaluate("document.scrollingElement.scrollWidth <= innerWidth")
    box = page.locator("#triage").bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
    SCREENSHOTS.mkdir(exist_ok=True)
    page.locator("#conversation").screenshot(path=str(SCREENSHOTS / f"triage-{width}.png"))
    page.close()


# -- a conversation in folded pages ------------------------------------------------------------

BIG_THREADS = 700  # 2,100 comments: two folded pages, and more than a sorted list shows


@pytest.fixture(scope="module")
def big_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("triage-big")
    source = write_thread_page(folder / "big.txt", BIG_THREADS)
    return make_report(folder / "big.html", source, "--clusters", "3", "--lexical")


def test_a_filter_reaches_into_folded_pages(browser: Any, big_report: Path) -> None:
    page, errors, _ = open_page(browser, big_report)
    assert page.locator(COUNT).inner_text() == "2,100 of 2,100 comments shown"
    page.locator("#triage input[name=words]").fill("680")  # thread 680: on the second page
    page.wait_for_function(
        f"() => document.querySelector('{COUNT}').textContent.startsWith('3 of')"
    )
    assert page.locator(COUNT).inner_text() == "3 of 2,100 comments shown"
    assert shown_ids(page) == ["2041", "2042", "2043"]
    assert page.evaluate("document.getElementById('page-2').open")
    assert not page.locator("#page-1").is_visible()  # no match there
    assert errors == []
    page.close()


def test_a_sorted_list_stops_at_its_limit_and_the_csv_holds_every_match(
    browser: Any, big_report: Path
) -> None:
    page, errors, _ = open_page(browser, big_report)
    page.select_option("#triage select[name=order]", "-replies")
    assert page.locator("#triage-sorted > li").count() == 500
    assert page.locator(COUNT).inner_text() == (
        "500 of 2,100 comments shown, most direct replies first "
        "(2,100 match: the copied ids and the CSV hold them all)"
    )
    rows = read_download(page)
    assert len(rows) == 2100
    # Every comment but the last of a thread has one reply: those 1,400 come first.
    assert {row["replies"] for row in rows[:1400]} == {"1"}
    assert {row["replies"] for row in rows[1400:]} == {"0"}
    assert errors == []
    page.close()


def test_a_name_a_spreadsheet_would_run_is_escaped_in_the_csv(browser: Any, tmp_path: Path) -> None:
    name = '=HYPERLINK("http://example.org","x")'
    source = tmp_path / "formula.txt"
    source.write_text(
        "A page\n\nBy Someone\n\n"
        f"{name}\n{name}\n1 day ago\n\nA comment on the North Korean border.\n\n"
        "Bob\nBob\n1 day ago\n\nAnother comment, about rice.\n",
        encoding="utf-8",
    )
    report = make_report(tmp_path / "formula.html", source, "--lexical", "--clusters", "1")
    page, errors, _ = open_page(browser, report)
    rows = read_download(page)
    assert [row["author"] for row in rows] == ["'" + name, "Bob"]
    assert errors == []
    page.close()


def test_the_link_back_to_the_thread_works_when_the_address_already_names_it(
    browser: Any, corpus_report: Path
) -> None:
    page, errors, _ = open_page(browser, corpus_report)
    page.evaluate("location.hash = '#c1'")
    page.select_option("#triage select[name=order]", "-sentiment")
    assert not page.locator("#c1").is_visible()
    page.locator("#triage-sorted .in-thread a[href='#c1']").click()
    assert page.locator("#c1").is_visible()  # no hashchange: the click itself reopens the tree
    assert page.locator("#triage select[name=order]").input_value() == ""
    assert errors == []
    page.close()
