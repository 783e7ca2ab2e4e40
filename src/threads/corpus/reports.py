"""The corpus's one-page reports: which pages get one, where their files go, which are
still to write, and the stamp that vouches for each one written."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from threads.corpus import tables
from threads.corpus.inputs import Inputs
from threads.corpus.ledger import Ledger, Progress
from threads.corpus.options import ReportSelection
from threads.corpus.outfolder import OutputFolder
from threads.corpus.task import PageJob, ReportJob

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
    written: Iterable[tuple[Sequence[ReportJob], list[str | None]]],
    out: Path,
    notify: Callable[[Progress], None],
    started: float,
    ledger: Ledger,
) -> dict[str, str]:
    """Stamp each report as its batch comes back from the engine; the errors by page."""
    errors: dict[str, str] = {}
    for batch, results in written:
        for report, error in zip(batch, results, strict=True):
            if error is None:
                tables.write_bytes_atomic(out / "cache" / f"{report.page.key}.report", b"")
            else:
                errors[report.page.page] = error
        notify(ledger.progress(started, "reports"))
    return errors
