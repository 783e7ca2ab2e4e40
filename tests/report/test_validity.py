"""Valid and accessible: the Nu HTML Checker and axe-core find nothing on five kinds of page.

The corpus report, a report in folded pages (over 2,000 comments), one read from saved HTML,
one whose comments hold markup, and the comparison page of ``threads corpus`` (with the
corpus topic model's table). The folded pages are checked closed (as loaded) and with the
first page built, so the markup inside the <noscript> is checked too.
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

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21aa", "best-practice"]
KINDS = ["corpus", "folded", "html", "hostile", "comparison"]


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
    return [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']}" for m in messages
    ]


def test_nu_html_checker_finds_no_errors(checkers: Checkers, reports: dict[str, Path]) -> None:
    # One run of the checker for all five: the JVM start is most of its time.
    assert nu_errors(checkers, *reports.values()) == []


def axe_violations(
    browser: Any, checkers: Checkers, path: Path, open_first: bool, scheme: str = "light"
) -> list[str]:
    # The page's CSP allows its own script only: axe is injected with the CSP bypassed.
    context = browser.new_context(
        bypass_csp=True, viewport={"width": 1280, "height": 900}, color_scheme=scheme
    )
    try:
        page = context.new_page()
        page.goto(path.as_uri())
        if open_first:
            page.locator("details.page > summary").first.click()
            page.wait_for_selector(".tree li")
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
