"""The HTML report: from an :class:`~threads.analysis.results.Analysis` to one page.

:func:`build_context` (:mod:`~threads.report.context`) turns the analysis into plain strings
and numbers; :func:`render_html` (:mod:`~threads.report.render`) fills the templates;
:func:`write_report` writes the HTML with its JSON and CSV (:mod:`~threads.report.files`).
The whole job, from a discussion, is :func:`threads.pipeline.make_report`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from threads.report.context import CHARTS_STAGE, ReportContext, build_context
from threads.report.files import ReportFiles, default_report_path, report_document
from threads.report.render import render_html

if TYPE_CHECKING:
    from threads.analysis import Analysis
    from threads.analysis.agreement import AgreementReport
    from threads.workers import Progress

#: The stage name :func:`write_report` reports writing the files with.
WRITING_STAGE = "writing files"

__all__ = [
    "CHARTS_STAGE",
    "WRITING_STAGE",
    "ReportContext",
    "ReportFiles",
    "build_context",
    "default_report_path",
    "make_report",
    "render_html",
    "report_document",
    "write_report",
]


def write_report(
    analysis: Analysis,
    out: Path | None = None,
    progress: Progress | None = None,
    agreement: AgreementReport | None = None,
) -> ReportFiles:
    """Render the report and write HTML, JSON and CSV together (all or nothing); with
    ``agreement``, the Method section shows it. ``progress(stage, done, total)`` hears the
    charts drawn (``CHARTS_STAGE``), then ``WRITING_STAGE`` (0 of 1, then 1 of 1)."""
    from threads.report.files import report_files, write_files

    step = progress or (lambda *_: None)
    files = report_files(analysis, out)
    html = render_html(build_context(analysis, agreement, progress))
    step(WRITING_STAGE, 0, 1)
    write_files(analysis, html, files)
    step(WRITING_STAGE, 1, 1)
    return files


def __getattr__(name: str) -> Any:
    # ``from threads.report import make_report`` (the README's old spelling) keeps working;
    # the job itself lives in threads.pipeline, which imports this package.
    if name == "make_report":
        from threads.pipeline import make_report

        return make_report
    raise AttributeError(f"module 'threads.report' has no attribute {name!r}")
