"""The whole job of ``threads report``: load -> analyse -> report -> write.

:func:`page_analysis` is the one page job: the analysis a report shows, which ``threads
report`` runs; the corpus analyses a page once without the report's extras and adds them
to the pages that get a report (:func:`with_report_figures`). The pipeline decides how the
job runs: it opens the worker processes once (:func:`threads.workers.pool_for`) for the
sentiment scoring and the charts, so no stage is handed them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from threads.analysis.options import AnalysisOptions
from threads.models import Discussion
from threads.report.files import ReportFiles
from threads.workers import Progress, pool_for

if TYPE_CHECKING:
    from threads.analysis import Analysis
    from threads.analysis.space import TextSpace

#: The K values the report's "how the picture changes with K" panel compares.
SWEEP_KS = range(2, 9)


def report_options(options: AnalysisOptions | None = None) -> AnalysisOptions:
    """``options`` with what a report's page also shows: the K sweep of its panel and the
    automatic K checked with other seeds (no figure of the JSON or CSV depends on them)."""
    return (options or AnalysisOptions()).replace(sweep_ks=tuple(SWEEP_KS), k_across_seeds=True)


def page_analysis(
    discussion: Discussion,
    options: AnalysisOptions | None = None,
    progress: Progress | None = None,
    space: TextSpace | None = None,
) -> Analysis:
    """The analysis a report shows (:func:`report_options`); ``space`` as
    :func:`threads.analysis.analyze` takes it."""
    from threads.analysis import analyze

    return analyze(discussion, report_options(options), space=space, progress=progress)


def with_report_figures(analysis: Analysis, space: TextSpace | None = None) -> Analysis:
    """An analysis made without the report's extras (as a corpus page's is) with them:
    equal to :func:`page_analysis` with the same options on its discussion, without analysing
    it again (:func:`threads.analysis.with_k_figures`: the K panel from the analysis's own K
    fits; ``space``, the TF-IDF space it was made with, is fitted again when not given)."""
    from threads.analysis import with_k_figures

    extras = report_options()
    return with_k_figures(analysis, extras.sweep_ks, extras.k_across_seeds, space=space)


def make_report(
    discussion: Discussion,
    options: AnalysisOptions | None = None,
    out: Path | None = None,
    progress: Progress | None = None,
    labels: Path | None = None,
    **parameters: Any,
) -> ReportFiles:
    """Analyse a discussion and write its report (HTML, JSON and CSV; see README).

    ``progress(stage, done, total)`` hears the long stages as they go: "scoring sentiment"
    (comments), "drawing charts" (charts), "writing files" (0 then 1 of 1). ``labels`` (a file
    ``threads agree`` reads) adds the flag's agreement with them to the Method section;
    ``parameters`` (``clusters=3`` ...) change ``options``.
    """
    from threads.report import write_report

    options = (options or AnalysisOptions()).replace(**parameters)
    page_labels = None
    if labels is not None:  # read and checked first: a bad label file costs no analysis
        from threads.inputs.labels import labels_for

        page_labels = labels_for(labels, discussion)
    with pool_for(len(discussion)):
        analysis = page_analysis(discussion, options, progress)
        agreement = None
        if page_labels is not None:
            from threads.analysis.agreement import for_analysis

            agreement = for_analysis(analysis, page_labels.labels, options.seed)
        return write_report(analysis, out, progress, agreement)


def report_html(
    discussion: Discussion,
    options: AnalysisOptions | None = None,
    progress: Progress | None = None,
) -> str:
    """The report's HTML as a string (``threads report --out -``); no file is written."""
    from threads.report import build_context, render_html

    with pool_for(len(discussion)):
        analysis = page_analysis(discussion, options, progress)
        return render_html(build_context(analysis, progress=progress))
