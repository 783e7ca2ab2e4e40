"""Valid and accessible: the Nu HTML Checker and axe-core find nothing on six kinds of page.

The corpus report, one with the reader's labels (``--labels``), a report in folded pages (over
2,000 comments), one read from saved HTML, one whose comments hold markup, and the comparison
page of ``threads corpus`` (with the corpus topic model's table). The folded pages are checked
closed (as loaded) and with the first page built, so the markup inside the <noscript> is
checked too; the labelled report also as the triage controls leave it (a filtered tree, a
sorted list), the page's DOM then checked by Nu as well.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from ..conftest import CORPUS, FIXTURES, write_thread_page
from ..corpus.conftest import run as run_corpus
from ..corpus.conftest import write_corpus
from .conftest import Checkers, make_report

pytestmark = pytest.mark.browser

LABELS = FIXTURES / "labels" / "unherd-north-korea.json"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21aa", "best-practice"]
KINDS = ["corpus", "labelled", "folded", "html", "hostile", "comparison"]
#: Triage states of the labelled report: (control, value) pairs applied in order.
TRIAGE_STATES = {
    "filtered": [("flag", "off")],
    "sorted": [("flag", "disagrees"), ("order", "similarity")],
}


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("validity")
    big = write_thread_page(folder / "big.txt", 700)
    pages, out = write_corpus(folder / "pages"), folder / "corpus-out"
    done = run_corpus(str(pages), "--out", str(out), "--workers", "1", "--reports", "none",
                      "--comment-topics", "3")  # fmt: skip
    assert done.exit_code == 0, done.output
    return {
        "comparison": out / "corpus.html",
        "corpus": make_report(folder / "corpus.html", CORPUS),
        "labelled": make_report(folder / "labelled.html", CORPUS, "--labels", str(LABELS)),
        "folded": make_report(folder / "folded.html", big, "--clusters", "3"),
        "html": make_report(folder / "html.html", FIXTURES / "html" / "unherd-north-korea.html"),
        "hostile": make_report(
            folder / "hostile.html", FIXTURES / "hostile" / "script-injection.txt"
        ),
    }


def nu_errors(checkers: Checkers, *paths: Path) -> list[str]:
    done = subprocess.run(
        [checkers.java, "-jar", str(checkers.vnu_jar), "--errors-only", "--format", "json",
         *map(str, paths)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    messages = json.loads(done.stderr or done.stdout)["messages"]
    return [f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']}" for m in messages]


def test_nu_html_checker_finds_no_errors(checkers: Checkers, reports: dict[str, Path]) -> None:
    # One run of the checker for all five: the JVM start is most of its time.
    assert nu_errors(checkers, *reports.values()) == []


def triage(page: Any, state: str) -> None:
    """Set the triage controls as ``TRIAGE_STATES[state]`` says."""
    for name, value in TRIAGE_STATES[state]:
        page.select_option(f"#triage select[name={name}]", value)


def axe_violations(
    browser: Any,
    checkers: Checkers,
    path: Path,
    open_first: bool,
    scheme: str = "light",
    state: str | None = None,
    width: int = 1280,
) -> list[str]:
    # The page's CSP allows its own script only: axe is injected with the CSP bypassed.
    context = browser.new_context(
        bypass_csp=True, viewport={"width": width, "height": 900}, color_scheme=scheme
    )
    try:
        page = context.new_page()
        page.goto(path.as_uri())
        if open_first:
            page.locator("details.page > summary").first.click()
            page.wait_for_selector(".tree li")
        if state is not None:
            triage(page, state)
        page.add_script_tag(path=str(checkers.axe_script))
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
        )
    finally:
        context.close()
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", KINDS)
def test_axe_finds_no_violations(
    browser: Any, checkers: Checkers, reports: dict[str, Path], kind: str, scheme: str
) -> None:
    assert axe_violations(browser, checkers, reports[kind], False, scheme) == []
    if kind == "folded":
        assert axe_violations(browser, checkers, reports[kind], True, scheme) == []
    if kind == "labelled":
        for state in TRIAGE_STATES:
            found = axe_violations(browser, checkers, reports[kind], False, scheme, state)
            assert found == [], state


def test_axe_finds_no_violations_in_the_narrow_comparison_page(
    browser: Any, checkers: Checkers, reports: dict[str, Path]
) -> None:
    # At 400 px the article table scrolls sideways: its region must be reachable by keyboard.
    assert axe_violations(browser, checkers, reports["comparison"], False, width=400) == []


def test_nu_finds_no_errors_in_the_triaged_page(
    browser: Any, checkers: Checkers, reports: dict[str, Path], tmp_path: Path
) -> None:
    # The DOM the script leaves (the controls shown, context folded, a sorted list), saved.
    saved = []
    for state in TRIAGE_STATES:
        page = browser.new_page()
        page.goto(reports["labelled"].as_uri())
        triage(page, state)
        saved.append(tmp_path / f"{state}.html")
        saved[-1].write_text(page.content(), encoding="utf-8")
        page.close()
    assert nu_errors(checkers, *saved) == []
