"""The K panel added to an analysis made without it is the panel the analysis makes with it."""

from __future__ import annotations

from pathlib import Path

import pytest

import threads
from threads.analysis import AnalysisOptions, TextSpace, analyze, with_k_figures
from threads.pipeline import page_analysis, report_options, with_report_figures

from ..conftest import CORPUS

#: Automatic K, K given, another seed with merged and named topics.
CASES = [
    pytest.param(AnalysisOptions(lexical=True), id="automatic K"),
    pytest.param(AnalysisOptions(lexical=True, clusters=3), id="K given"),
    pytest.param(
        AnalysisOptions(lexical=True, seed=5, merge=((0, 1),), topic_names=((0, "Korea"),)),
        id="merged and named",
    ),
]


@pytest.mark.slow  # two K panels a case: 2 to 6 s on the shared 2-core machine
@pytest.mark.parametrize("options", CASES)
def test_a_report_is_the_analysis_plus_its_k_panel(options: AnalysisOptions) -> None:
    discussion = threads.load(CORPUS)
    plain = analyze(discussion, options)
    assert plain.sweep == () and plain.k_by_seed == ()
    full = page_analysis(discussion, options)
    assert full.sweep  # the panel is there to compare
    assert with_report_figures(plain) == full
    assert with_report_figures(plain).to_dict() == full.to_dict()


def test_the_panel_added_is_the_panel_made_on_a_short_page(tmp_path: Path) -> None:
    # Four comments: K chosen among 2-4 and checked across seeds, the sweep cut at 4.
    page = tmp_path / "short.txt"
    lines = CORPUS.read_text(encoding="utf-8").splitlines()
    first_comment = lines.index("Jim Veenbaas")
    page.write_text("\n".join(lines[: first_comment + 30]) + "\n", encoding="utf-8")
    discussion = threads.load(page)
    assert len(discussion) == 4
    space = TextSpace()
    plain = analyze(discussion, lexical=True, space=space)
    extras = report_options()
    given = with_k_figures(plain, extras.sweep_ks, extras.k_across_seeds, space=space)
    assert given == with_k_figures(plain, extras.sweep_ks, extras.k_across_seeds)
    assert given == analyze(discussion, report_options(AnalysisOptions(lexical=True)))
    assert [row.k for row in given.sweep] == [2, 3, 4] and len(given.k_by_seed) == 5
