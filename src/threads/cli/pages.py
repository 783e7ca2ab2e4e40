"""The commands on one page: ``comments``, ``chain``, ``author``, ``clusters``, ``summary``
and ``report``. Each reads SOURCE, runs the one analysis its options say, and prints a view."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from threads import analysis as analysis_stage
from threads import export
from threads.analysis.authors import author_summary
from threads.analysis.compare import compare as cross
from threads.analysis.members import topic_members
from threads.analysis.options import STABILITY_SEEDS, AnalysisOptions
from threads.cli.options import (
    RECORD_FORMATS,
    PageReading,
    analysis_options,
    handle_errors,
    parse_range,
    reading_options,
    record_format_option,
    source_argument,
    text_or_json,
)
from threads.cli.output import echo_lines, terminal_width
from threads.cli.progress import Progress
from threads.cli.source import STDIO, load_source, resolve_source
from threads.models import COMMENT_COLUMNS
from threads.terminal import (
    author_lines,
    chain_lines,
    cluster_lines,
    comment_table,
    compare_lines,
    member_lines,
    summary_lines,
    sweep_lines,
)


@click.command(
    short_help="List every comment with its place in the tree and its figures.",
    epilog="""\b
Examples:
  threads comments                           # table of the corpus article's comments
  threads comments page.txt --format csv > comments.csv
  threads comments --format jsonl | jq .author
  cat page.html | threads comments - --no-analysis
""",
)
@source_argument
@record_format_option(RECORD_FORMATS, "table")
@click.option(
    "--no-analysis",
    is_flag=True,
    help="Only the parsed fields (fast: no clustering, sentiment or similarity).",
)
@analysis_options
@reading_options
@handle_errors
def comments(
    source: str | None,
    output_format: str,
    no_analysis: bool,
    options: AnalysisOptions,
    reading: PageReading,
) -> None:
    """List every comment of SOURCE in page order, with its place in the reply tree,
    its topic cluster, sentiment and similarity to the article.

    SOURCE - reads standard input. The table fits the terminal's width (the text is
    shortened; on a narrow terminal the posted, status and depth columns are left out
    first); json, jsonl and csv carry every field and whole texts.
    """
    discussion = load_source(source, reading)
    columns = list(COMMENT_COLUMNS)
    table_columns = ["id", "author", "posted", "parent_id", "parent_status", "depth"]
    if no_analysis:
        records = discussion.records()
    else:
        analysis = analysis_stage.analyze(discussion, options)
        records = analysis.records()
        columns += analysis.fields
        table_columns += ["cluster", "sentiment", "article_similarity", "off_topic"]
    if output_format == "json":
        document = export.document(export.discussion_header(discussion), records)
        click.echo(export.to_json(document), nl=False, color=True)
    elif output_format == "jsonl":
        click.echo(export.to_jsonl(records), nl=False, color=True)
    elif output_format == "csv":
        click.echo(export.to_csv(records, columns), nl=False, color=True)
    else:
        echo_lines(comment_table(records, [*table_columns, "text"], terminal_width()))


@click.command(
    short_help="Show the reply chain down to comment ID, and the replies under it.",
    epilog="""\b
Examples:
  threads chain 7                     # path 1 > 4 > 6 > 7, the drift point marked
  threads chain 4 --full              # whole texts
  threads chain 4 --format json | jq '.replies[].id'
""",
)
@click.argument("comment_id", metavar="ID")
@source_argument
@click.option("--full", is_flag=True, help="Print whole texts (default: the first 60 characters).")
@record_format_option(["text", "json", "jsonl"], "text")
@analysis_options
@reading_options
@handle_errors
def chain(
    comment_id: str,
    source: str | None,
    full: bool,
    output_format: str,
    options: AnalysisOptions,
    reading: PageReading,
) -> None:
    """Show the reply chain from the top-level comment down to comment ID, hop by hop
    with its similarity to the article and to the parent, then the replies under ID.

    json prints the records of the path, of the replies under ID and the drift point;
    jsonl one record per line, each with its part ("path" or "reply").
    """
    discussion = load_source(source, reading)
    discussion.get(comment_id)  # an unknown id fails here, naming the valid range
    analysis = analysis_stage.analyze(discussion, options)
    if output_format == "json":
        document = export.chain_records(analysis, comment_id)
        click.echo(export.to_json(document), nl=False, color=True)
    elif output_format == "jsonl":
        chain_records = export.chain_lines_records(export.chain_records(analysis, comment_id))
        click.echo(export.to_jsonl(chain_records), nl=False, color=True)
    else:
        echo_lines(chain_lines(analysis, comment_id, full=full))


@click.command(
    short_help="One commenter's comments in full, with whom they answered.",
    epilog="""\b
Examples:
  threads author "Jim Veenbaas"
  threads author 'jim  veenbaas' --format json   # names match as the reply tree does
""",
)
@click.argument("name", metavar="NAME")
@source_argument
@record_format_option(["text", "json", "jsonl"], "text")
@analysis_options
@reading_options
@handle_errors
def author(
    name: str,
    source: str | None,
    output_format: str,
    options: AnalysisOptions,
    reading: PageReading,
) -> None:
    """List every comment by NAME in SOURCE, whole, with its thread, whom it answered and
    who answered it; then their off-topic share and mean sentiment.

    Names match ignoring case, Unicode forms and repeated spaces; an unknown name is an
    error listing close names. jsonl prints one comment per line.
    """
    discussion = load_source(source, reading)
    analysis = analysis_stage.analyze(discussion, options)
    summary = author_summary(analysis, name)
    if output_format == "json":
        click.echo(export.to_json(summary.to_dict()), nl=False, color=True)
    elif output_format == "jsonl":
        rows = [{"author": summary.name, **c.to_dict()} for c in summary.comments]
        click.echo(export.to_jsonl(rows), nl=False, color=True)
    else:
        echo_lines(author_lines(summary))


@click.command(
    short_help="Print the topic table, the K choice, a K sweep or two K compared.",
    epilog="""\b
Examples:
  threads clusters                    # K chosen by silhouette, and how stable that is
  threads clusters --clusters 4
  threads clusters --sweep 2-8        # silhouette, stability, off-topic share per K
  threads clusters --compare 3 6      # the K=3 x K=6 crosstab
  threads clusters --members          # + every comment of each topic
""",
)
@source_argument
@analysis_options
@click.option(
    "--compare",
    type=(int, int),
    metavar="K1 K2",
    default=None,
    help="Cross the topics with K1 and with K2 clusters (same seed) and list the comments "
    "that changed company.",
)
@click.option(
    "--sweep",
    metavar="LOW-HIGH",
    default=None,
    help=f"Compare K from LOW to HIGH: silhouette, stability across {STABILITY_SEEDS} seeds, "
    "off-topic share.",
)
@click.option(
    "--members",
    is_flag=True,
    help="After the table, list every comment of each topic: author, thread, off-topic flag.",
)
@reading_options
@handle_errors
def clusters(
    source: str | None,
    compare: tuple[int, int] | None,
    sweep: str | None,
    members: bool,
    options: AnalysisOptions,
    reading: PageReading,
) -> None:
    """Print the topic clusters of SOURCE: terms, size, share, sentiment, on/off topic."""
    discussion = load_source(source, reading)
    if (compare is not None or sweep is not None) and (options.topic_names or options.merge):
        raise click.UsageError(
            "--topic-labels and --merge apply to the topic table, not to --sweep or --compare"
        )
    if (compare is not None or sweep is not None) and members:
        raise click.UsageError(
            "--members lists the topic table's topics: not with --sweep or --compare"
        )
    if compare is not None:
        echo_lines(compare_lines(cross(discussion, *compare, options)))
        return
    if sweep is not None:
        ks = parse_range(sweep)
        rows = analysis_stage.sweep(discussion, ks, options)
        echo_lines(sweep_lines(rows, ks, analysis_stage.distinct_texts(discussion)))
        return
    result = analysis_stage.analyze(discussion, options, k_across_seeds=True)
    echo_lines(cluster_lines(result))
    if members:
        echo_lines(member_lines(topic_members(result)))


@click.command(
    short_help="The discussion in brief: what it was about, thread by thread.",
    epilog="""\b
Examples:
  threads summary                          # the corpus article, thread by thread
  threads summary page.html --format json  # the digest's records
  threads summary page.csv --title "How to escape North Korea"
""",
)
@source_argument
@text_or_json("Sentences, or the digest's records as JSON.")
@analysis_options
@reading_options
@handle_errors
def summary(
    source: str | None,
    output_format: str,
    options: AnalysisOptions,
    reading: PageReading,
) -> None:
    """The discussion of SOURCE in brief: what stayed on the subject, one line per thread
    (its size, off-topic count, terms and where it left the subject), then the findings."""
    discussion = load_source(source, reading)
    analysis = analysis_stage.analyze(discussion, options)
    if output_format == "json":
        document = {
            "source": discussion.source,
            "title": discussion.article.title,
            "comments": analysis.summary.comments,
            "off_topic_comments": analysis.summary.off_topic_comments,
            **analysis.digest.overview(),
            **analysis.digest.to_dict(),
        }
        click.echo(export.to_json(document), nl=False, color=True)
        return
    echo_lines(summary_lines(analysis))


@click.command(
    short_help="Write the HTML report (with its JSON and CSV).",
    epilog="""\b
Examples:
  threads report                      # reports/unherd-how-to-escape-north-korea-k8.html
  threads report --clusters 3         # ...-k3.html beside it
  threads report page.html --out /tmp/page-report.html
  cat page.txt | threads report - --out - > report.html
""",
)
@source_argument
@analysis_options
@click.option(
    "--out",
    type=click.Path(dir_okay=True, allow_dash=True),
    default=None,
    help="Where to write the HTML (default: reports/<source name>-k<K>.html); "
    "the .json and .csv go beside it. '-' prints the HTML to standard output "
    "and writes no JSON or CSV.",
)
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
@click.option(
    "--labels",
    type=click.Path(dir_okay=True),
    default=None,
    help="Your on/off-topic labels (as threads agree reads): their agreement with the flag "
    "goes in the Method section.",
)
@reading_options
@handle_errors
def report(
    source: str | None,
    out: str | None,
    quiet: bool,
    labels: str | None,
    options: AnalysisOptions,
    reading: PageReading,
) -> None:
    """Write the HTML report on SOURCE (with its JSON and CSV) and print their paths.

    SOURCE - reads standard input (the report is then named reports/stdin-k<K>.html).
    """
    # Measured: threads.pipeline loads the report's libraries (~1 s); only report needs them.
    from threads.pipeline import make_report, report_html

    progress = Progress(enabled=not quiet and sys.stderr.isatty())
    progress(f"reading {resolve_source(source)}")
    discussion = load_source(source, reading)
    if out == STDIO:
        html = report_html(discussion, options, progress=progress)
        progress.done()
        click.echo(html, nl=False, color=True)
        return
    files = make_report(
        discussion,
        options,
        out=Path(out) if out else None,
        progress=progress,
        labels=Path(labels) if labels else None,
    )
    progress.done()
    if not quiet:
        for path in (files.html, files.json, files.csv):
            click.echo(str(path))
