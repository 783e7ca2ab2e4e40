"""``threads corpus``: many pages into one comparison (options here, work in threads.corpus)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from threads.cli import analysis_options, handle_errors, input_format_option, measure
from threads.errors import OptionError

if TYPE_CHECKING:
    from threads.corpus import Progress


#: The option for each corpus parameter an OptionError can name (cli.FLAGS has the others).
CORPUS_FLAGS = {
    "reports": "--reports",
    "workers": "--workers",
    "scheduler": "--scheduler",
    "comment_topics": "--comment-topics",
}


class _ProgressLine:
    """Pages done / total, comments, failures and elapsed time on one stderr line."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.shown = False

    def __call__(self, progress: Progress) -> None:
        if not self.enabled:
            return
        stage = "" if progress.stage == "pages" else f", {progress.stage}"
        click.echo(
            f"\r[{progress.elapsed:6.1f}s] {progress.pages_done:,}/{progress.pages:,} pages, "
            f"{progress.comments_done:,} comments, {progress.failed:,} failed{stage}   ",
            err=True,
            nl=False,
        )
        self.shown = True

    def done(self) -> None:
        if self.shown:
            click.echo("", err=True)


@click.command(
    short_help="Analyse many pages, compare them, and report on each.",
    epilog="""\b
Examples:
  threads corpus corpus/ ../shared/real-dumps/ --out out/
  threads corpus pages.txt --out out/ --reports top:10 --workers 2
  threads corpus archive/ --out out/ --scheduler tcp://127.0.0.1:8786
""",
)
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False),
    help="Folder for manifest.json, the tables, corpus.html and the reports.",
)
@click.option(
    "--reports",
    default="top:50",
    show_default=True,
    metavar="all|none|top:N",
    help="Which pages get the one-page report (pages named by themselves always do).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Local worker processes (default: one per available core; 1 runs in this process).",
)
@click.option(
    "--scheduler",
    metavar="tcp://HOST:PORT",
    default=None,
    help="Run the pages on this Dask scheduler's workers (needs threads[dask]).",
)
@click.option("--refit", is_flag=True, help="Fit the comparison space again over this corpus.")
@click.option(
    "--comment-topics",
    type=int,
    default=None,
    metavar="K",
    help="Also cluster every comment of the corpus into K topics (2-100): "
    "comment-topics.parquet and a table on the comparison page.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Write into an --out folder that holds files threads did not write (they are "
    "never removed or replaced).",
)
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
@analysis_options
@input_format_option  # type: ignore[has-type, untyped-decorator]  # cli.py imports us last
@handle_errors
def corpus(
    paths: tuple[str, ...],
    out: str,
    reports: str,
    workers: int | None,
    scheduler: str | None,
    refit: bool,
    comment_topics: int | None,
    force: bool,
    quiet: bool,
    clusters: int | None,
    seed: int,
    off_topic_threshold: float | None,
    input_format: str | None,
) -> None:
    """Analyse many pages (PATH: a page, a folder of pages, or a file listing paths) and
    write the comparison page, the article and comment tables and the per-page reports."""
    from threads.corpus import PageOptions, ReportSelection, analyze_many
    from threads.corpus.outfolder import ForeignFiles

    if scheduler is not None and workers is not None:
        raise click.UsageError("give --workers or --scheduler, not both")
    line = _ProgressLine(enabled=not quiet and sys.stderr.isatty())
    try:
        selection = ReportSelection.parse(reports)
        result = analyze_many(
            list(paths),
            out=out,
            workers=workers,
            scheduler=scheduler,
            options=PageOptions(clusters, seed, off_topic_threshold, input_format, **measure()),
            reports=selection,
            refit=refit,
            progress=line,
            comment_topics=comment_topics,
            force=force,
        )
    except ForeignFiles as error:
        raise click.ClickException(
            f"{error}, or --force to write beside them (they are never removed or replaced)"
        ) from None
    except OptionError as error:
        if error.param not in CORPUS_FLAGS:
            raise  # an analysis option: handle_errors names its flag
        raise click.UsageError(f"{CORPUS_FLAGS[error.param]} {error.problem}") from None
    finally:
        line.done()
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    unread = [(name, reason) for name, reason in result.skipped if reason.startswith(UNREAD)]
    others = tuple(item for item in result.skipped if item not in unread)
    if others:
        click.echo(f"warning: {_skipped_line(others)}", err=True)
    if not quiet:
        click.echo(str(result.out / "corpus.html"))
    problems = []
    if result.failed:
        problems.append(
            f"{result.failed} of {result.pages} pages failed (their errors are in "
            f"{result.out / 'articles.csv'} and corpus.html)"
        )
    if unread:
        problems.append(f"{len(unread):,} not read: {_named(unread)}")
    if result.not_written:
        problems.append(
            f"{len(result.not_written):,} report(s) not written: {_named(result.not_written)}"
        )
    if problems:
        raise click.ClickException("; ".join(problems))


#: How a skipped file's reason starts when it may have held pages (the run then fails).
UNREAD = "cannot read"


def _named(items: tuple[tuple[str, str], ...] | list[tuple[str, str]]) -> str:
    shown = ", ".join(f"{name!r} ({reason})" for name, reason in items[:3])
    return shown + (f" and {len(items) - 3:,} more" if len(items) > 3 else "")


def _skipped_line(skipped: tuple[tuple[str, str], ...]) -> str:
    """One line naming the files the folder walk left out (the first few) and why."""
    named = ", ".join(f"{name} ({reason})" for name, reason in skipped[:3])
    more = f" and {len(skipped) - 3:,} more" if len(skipped) > 3 else ""
    files, them = ("file is", "it") if len(skipped) == 1 else ("files are", "them")
    return (
        f"{len(skipped):,} {files} not a page, not read: {named}{more}; manifest.json lists {them}"
    )
