"""The report's three files, written side by side and all or nothing."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from threads._atomic import write_all
from threads.errors import OutputError
from threads.export import discussion_header, to_csv, to_json
from threads.models import COMMENT_COLUMNS

if TYPE_CHECKING:
    from threads.analysis import Analysis


@dataclass(frozen=True)
class ReportFiles:
    html: Path
    json: Path
    csv: Path


def default_report_path(source: str, clusters: int, folder: Path = Path("reports")) -> Path:
    """``reports/<source name>-k<K>.html``: reruns with another K sit side by side."""
    return folder / f"{Path(source).stem}-k{clusters}.html"


def report_files(analysis: Analysis, out: Path | None) -> ReportFiles:
    """Where the HTML, JSON and CSV go: ``out`` (``.html`` added if it lacks it), or the
    default name."""
    k = analysis.parameters.clusters
    html = out if out is not None else default_report_path(analysis.discussion.source, k)
    try:
        if html.is_dir():
            raise OutputError(f"{html}: is a folder; give a file name for the report")
        if html.suffix.lower() not in (".html", ".htm"):
            html = html.with_name(html.name + ".html")
        files = ReportFiles(html, html.with_suffix(".json"), html.with_suffix(".csv"))
        _never_the_input(files, analysis.discussion.source)
    except OSError as error:  # a name too long for the file system, a loop of links
        raise OutputError(f"{error.filename or html}: cannot write ({error.strerror})") from None
    return files


def _never_the_input(files: ReportFiles, source: str) -> None:
    """Refuse to write over the file the discussion was read from (``report data.csv --out
    data.html`` would otherwise replace data.csv with the report's CSV)."""
    read = Path(source)
    if not read.is_file():
        return
    for path in (files.html, files.json, files.csv):
        if path.exists() and path.samefile(read) or path.resolve() == read.resolve():
            raise OutputError(
                f"{path}: is the input file; give the report another name "
                "(it writes .html, .json and .csv side by side)"
            )


def report_document(
    analysis: Analysis, records: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """The JSON written beside the report: article, clusters, figures, every comment record
    (``records``: ``analysis.records()``, when the caller has them already)."""
    return {
        **discussion_header(analysis.discussion),
        **analysis.to_dict(),
        "comments": analysis.records() if records is None else records,
    }


def write_files(analysis: Analysis, html: str, files: ReportFiles) -> None:
    """Write the HTML with its JSON and CSV (all or nothing)."""
    records = analysis.records()
    columns = list(records[0]) if records else list(COMMENT_COLUMNS)
    # The HTML is moved into place last, so a reader never sees it without its data files.
    write_all(
        {
            files.json: to_json(report_document(analysis, records), compact=True),
            files.csv: to_csv(records, columns),
            files.html: html,
        }
    )
