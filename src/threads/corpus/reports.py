"""The corpus's one-page reports: which pages get one, where their files go, which are
still to write, the task that writes one, and the stamp that vouches for each one written.

A report is written from the analysis the page's task stored in its cache entry, with the
figures only a report shows added (:func:`threads.pipeline.with_report_figures`): the page
is not read, embedded or scored again. A stored analysis that cannot be used (damaged or
removed since the entry was checked) is made again from the page, with a warning.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from threads.corpus import tables
from threads.corpus.cache import CachedAnalysisError, read_page_analysis
from threads.corpus.inputs import Inputs
from threads.corpus.ledger import Ledger, Progress
from threads.corpus.options import ReportSelection
from threads.corpus.outfolder import OutputFolder
from threads.corpus.task import (
    UNFORESEEN,
    WORKER_DIED,
    PageJob,
    analysis_path,
    one_line,
    read_discussion,
)
from threads.errors import ThreadsError
from threads.pipeline import page_analysis, with_report_figures
from threads.pools import one_thread
from threads.report import write_report
from threads.workers import config_context

#: The folder of OUT the reports go in.
REPORTS = "reports"


def rel(out: Path, path: Path) -> str:
    return path.relative_to(out).as_posix()


def report_files(out: Path, job: PageJob) -> list[Path]:
    """A page's report files (HTML, JSON, CSV) and the stamp that vouches for them."""
    html = out / report_href(job.page)
    return [
        html,
        *(html.with_name(html.name.removesuffix(".html") + s) for s in (".json", ".csv")),
        out / "cache" / f"{job.key}.report",
    ]


def is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:  # a name too long for the file system: no such file
        return False


@dataclass(frozen=True)
class ReportJob:
    page: PageJob
    html: str  # where the one-page report goes


@dataclass(frozen=True)
class ReportResult:
    """What came of one report job."""

    error: str | None = None  # why the report is not written, one line (None: written)
    warning: str | None = None  # what the job could not use and redid, one line


def run_report(job: ReportJob) -> ReportResult:
    """Write one page's report (the unchanged ``threads report`` files) from the page's
    stored analysis, or from a new one when that cannot be used (with a warning)."""
    page, warning = job.page, None
    try:
        with one_thread(), config_context(processes=0):
            try:
                analysis = with_report_figures(read_page_analysis(Path(page.out), page.key))
            except CachedAnalysisError as problem:
                warning = (
                    f"{analysis_path(Path(page.out), page.key)}: the cached analysis of "
                    f"{page.page} cannot be used ({problem}); its report is written from a "
                    "new analysis of the page"
                )
                analysis = page_analysis(read_discussion(page), page.options)
            write_report(analysis, Path(job.html))
    except ThreadsError as error:
        return ReportResult(one_line(str(error)), warning)
    except UNFORESEEN as error:
        return ReportResult(
            f"internal error ({type(error).__name__}: {one_line(str(error))})", warning
        )
    return ReportResult(None, warning)


def run_reports(jobs: Sequence[ReportJob]) -> list[ReportResult]:
    return [run_report(job) for job in jobs]


def report_lost(job: ReportJob) -> list[ReportResult]:
    """``run_reports([job])``'s result when the worker writing it died twice."""
    return [ReportResult(WORKER_DIED)]


def report_href(page_name: str) -> str:
    return f"{REPORTS}/{page_name}.html"


def chosen(
    selection: ReportSelection, inputs: Inputs, jobs: Sequence[PageJob], ledger: Ledger
) -> set[str]:
    """Pages that get a report: all, none, or the top N by off-topic share plus the named."""
    ok = [i for i in range(len(jobs)) if ledger.ok[i]]
    if selection.choice == "none":
        return set()
    if selection.choice == "all":
        return {jobs[i].page for i in ok}
    ranked = sorted(ok, key=lambda i: (-(ledger.share(i) or 0.0), jobs[i].page))
    named = {p.page for p in inputs.pages if p.named}
    return {jobs[i].page for i in ranked[: selection.top]} | (named & {jobs[i].page for i in ok})


def report_jobs(
    folder: OutputFolder, jobs: Sequence[PageJob], chosen: set[str]
) -> tuple[list[ReportJob], dict[str, str]]:
    """The chosen pages' reports not already there for the same key, and the reports
    refused because a file threads did not write is where they go (by page)."""
    out = folder.out
    todo = []
    refused = {}
    for job in jobs:
        if job.page not in chosen:
            continue
        files = report_files(out, job)
        foreign = [path for path in files if folder.is_foreign(rel(out, path))]
        if foreign:
            refused[job.page] = f"{foreign[0]}: a file threads did not write is there"
            continue
        html, stamp = files[0], files[-1]
        if is_file(html) and is_file(stamp):
            continue
        todo.append(ReportJob(job, str(html)))
    return todo, refused


def stamp_reports(
    written: Iterable[tuple[Sequence[ReportJob], list[ReportResult]]],
    out: Path,
    notify: Callable[[Progress], None],
    started: float,
    ledger: Ledger,
) -> tuple[dict[str, str], list[str]]:
    """Stamp each report as its batch comes back from the engine; the errors by page, and
    the warnings."""
    errors: dict[str, str] = {}
    warnings: list[str] = []
    for batch, results in written:
        for report, result in zip(batch, results, strict=True):
            if result.error is None:
                tables.write_bytes_atomic(out / "cache" / f"{report.page.key}.report", b"")
            else:
                errors[report.page.page] = result.error
            if result.warning is not None:
                warnings.append(result.warning)
        notify(ledger.progress(started, "reports"))
    return errors, warnings
