"""``threads export``: analysed pages into a SQLite database or a ConvoKit corpus."""

from __future__ import annotations

import sys

import click

from threads import analysis as analysis_stage
from threads.analysis.options import AnalysisOptions
from threads.cli.options import PageReading, analysis_options, handle_errors, reading_options
from threads.cli.progress import Progress
from threads.cli.source import STDIO, load_source
from threads.export import EXPORT_FORMATS, write_export
from threads.export.tables import page_names


@click.command(
    short_help="Write pages as a SQLite database or a ConvoKit corpus.",
    epilog="""\b
Examples:
  threads export page.html --to sqlite --out page.db && datasette page.db
  threads export a.html b.html --to convokit --out corpus-dir/
""",
)
@click.argument("sources", nargs=-1, required=True, type=click.Path(dir_okay=True, allow_dash=True))
@click.option(
    "--to", "to", type=click.Choice(EXPORT_FORMATS), required=True,
    help="sqlite: one database file (tables pages, comments, topics, digressions); "
    "convokit: a ConvoKit corpus folder.",
)  # fmt: skip
@click.option(
    "--out", type=click.Path(dir_okay=True), required=True,
    help="The database file (sqlite) or the corpus folder (convokit); replaced if it exists.",
)  # fmt: skip
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
@analysis_options
@reading_options
@handle_errors
def export(
    sources: tuple[str, ...],
    to: str,
    out: str,
    quiet: bool,
    options: AnalysisOptions,
    reading: PageReading,
) -> None:
    """Read and analyse each SOURCE (as threads comments does) and write them all, with
    every comment, topic and digression, to OUT; print OUT."""
    page_names(sources)  # the same SOURCE twice is refused before any work
    progress = Progress(enabled=not quiet and sys.stderr.isatty())
    analyses = []
    for number, source in enumerate(sources, start=1):
        progress(f"reading and analysing {number:,}/{len(sources):,} {source}")
        discussion = load_source(source, reading)
        analysis = analysis_stage.analyze(discussion, options)
        analyses.append((discussion.source if source == STDIO else source, analysis))
    progress(f"writing {out}")
    path = write_export(analyses, to, out)  # type: ignore[arg-type]
    progress.done()
    if not quiet:
        click.echo(str(path))
