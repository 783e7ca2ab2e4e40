"""``threads export``: analysed pages into a SQLite database or a ConvoKit corpus."""

from __future__ import annotations

import sys

import click

from threads.cli import (
    STDIO,
    Progress,
    analysis_extras,
    analysis_options,
    article_option,
    handle_errors,
    load_source,
    reading_options,
)
from threads.export import EXPORT_FORMATS


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
@article_option  # type: ignore[has-type, untyped-decorator]  # cli.py imports us last
@handle_errors
def export(
    sources: tuple[str, ...],
    to: str,
    out: str,
    quiet: bool,
    clusters: int | None,
    seed: int,
    off_topic_threshold: float | None,
    input_format: str | None,
    article_path: str | None,
) -> None:
    """Read and analyse each SOURCE (as threads comments does) and write them all, with
    every comment, topic and digression, to OUT; print OUT."""
    from threads.analysis import analyze
    from threads.export import write_export
    from threads.export.tables import page_names

    page_names(sources)  # the same SOURCE twice is refused before any work
    progress = Progress(enabled=not quiet and sys.stderr.isatty())
    analyses = []
    for number, source in enumerate(sources, start=1):
        progress(f"reading and analysing {number:,}/{len(sources):,} {source}")
        discussion = load_source(source, input_format, article_path)
        analysis = analyze(discussion, clusters, seed, off_topic_threshold, **analysis_extras())
        analyses.append((discussion.source if source == STDIO else source, analysis))
    progress(f"writing {out}")
    path = write_export(analyses, to, out)  # type: ignore[arg-type]
    progress.done()
    if not quiet:
        click.echo(str(path))
