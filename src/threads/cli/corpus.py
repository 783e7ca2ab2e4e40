"""``threads corpus``: many pages into one comparison (the work is in threads.corpus)."""

from __future__ import annotations

import sys

import click

from threads.analysis.options import AnalysisOptions
from threads.cli.options import analysis_options, handle_errors, input_format_option
from threads.cli.progress import CorpusLine


@click.command(
    short_help="Analyse many pages, compare them, and report on each.",
    epilog="""\b
Examples:
  threads corpus corpus/ ../shared/real-dumps/ --out out/
  threads corpus pages.txt --out out/ --reports top:10 --workers 2
  threads corpus archive/ --out out/ --scheduler tcp://127.0.0.1:8786
""",
)
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "--pages",
    "page_list",
    type=click.Path(dir_okay=False),
    default=None,
    metavar="FILE.csv",
    help="A page list: a CSV with a path column (relative to the file) and any of url, "
    "title, published; the pages are read with their address, title and date.",
)
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
    help=(
        "Local worker processes (default: one per available core, at least one). 1 runs "
        "in this process: no start-up, but a page that crashes Python ends the run."
    ),
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
@click.option(
    "--sqlite",
    is_flag=True,
    help="Also write OUT/corpus.db: pages, comments, topics and digressions as SQLite "
    "(the tables of threads export --to sqlite; datasette serves it).",
)
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
@analysis_options
@input_format_option
@handle_errors
def corpus(
    paths: tuple[str, ...],
    page_list: str | None,
    out: str,
    reports: str,
    workers: int | None,
    scheduler: str | None,
    refit: bool,
    comment_topics: int | None,
    force: bool,
    sqlite: bool,
    quiet: bool,
    options: AnalysisOptions,
    title: str | None,
    input_format: str | None,
) -> None:
    """Analyse many pages (PATH: a page, a folder of pages, or a file listing paths) and
    write the comparison page, the article and comment tables and the per-page reports."""
    # Measured: threads.corpus loads pyarrow, pandas and the analysis (~2 s at start-up).
    from threads.corpus import Reading, ReportSelection, analyze_many
    from threads.corpus.inputs import LINK_USED, UNREADABLE
    from threads.corpus.outfolder import ForeignFiles

    if scheduler is not None and workers is not None:
        raise click.UsageError("give --workers or --scheduler, not both")
    if not paths and page_list is None:
        raise click.UsageError("give PATH... (pages, folders, list files) or --pages FILE.csv")
    line = CorpusLine(enabled=not quiet and sys.stderr.isatty())
    try:
        selection = ReportSelection.parse(reports)
        result = analyze_many(
            list(paths),
            out=out,
            workers=workers,
            scheduler=scheduler,
            options=options,
            reading=Reading(input_format, title),
            reports=selection,
            refit=refit,
            progress=line,
            comment_topics=comment_topics,
            force=force,
            sqlite=sqlite,
            page_list=page_list,
        )
    except ForeignFiles as error:
        raise click.ClickException(
            f"{error}, or --force to write beside them (they are never removed or replaced)"
        ) from None
    finally:
        line.done()
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    unread = [(name, reason) for name, reason in result.skipped if reason.startswith(UNREADABLE)]
    # A saved link whose address a page took was read, for that: no warning.
    others = tuple(
        item for item in result.skipped if item not in unread and not item[1].startswith(LINK_USED)
    )
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
