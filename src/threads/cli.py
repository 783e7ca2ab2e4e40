"""The ``threads`` command line: parses options, calls the library, maps its errors.

Library errors become one-line messages: ``OptionError`` exits 2 (a usage error), every
other ``ThreadsError`` exits 1. A reader that stops early (``threads comments | head``) ends
the command quietly with exit code 141 (128 + SIGPIPE, what a shell reports for ``cat``).
Heavy libraries are imported only by the commands that need them, so ``--help``,
``--version`` and ``comments --no-analysis`` stay fast.
"""

from __future__ import annotations

import errno
import functools
import io
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

import click

from threads import __version__
from threads.analysis.options import (
    AUTO_K_RANGE,
    STABILITY_SEEDS,
)
from threads.errors import OptionError, OutputError, ThreadsError
from threads.models import Discussion

#: The article ``threads`` analyses when no SOURCE is given (relative to the current folder).
CORPUS_ARTICLE = Path("corpus") / "unherd-how-to-escape-north-korea.txt"

#: SOURCE ``-`` reads standard input; ``report --out -`` writes the HTML to standard output.
STDIO = "-"
#: The exit code when the reader of standard output went away (128 + SIGPIPE).
PIPE_CLOSED = 141

F = TypeVar("F", bound=Callable[..., Any])


#: The command-line option for each library parameter an OptionError can name.
FLAGS = {
    "clusters": "--clusters",
    "seed": "--seed",
    "off_topic_threshold": "--off-topic-threshold",
    "sweep": "--sweep",
    "compare": "--compare",
    "input_format": "--input-format",
    "topic_names": "--topic-labels",
    "merge": "--merge",
    "columns": "--columns",
    "saved_at": "--saved-at",
    "to": "--to",
    "sources": "SOURCE",
    "embeddings": "--embeddings",
}


def _one_line(message: str) -> str:
    return " ".join(message.split())


def option_message(error: OptionError) -> str:
    """The library's message with the option's name in place of the parameter's."""
    return _one_line(f"{FLAGS.get(error.param, error.param)} {error.problem}")


def handle_errors(command: F) -> F:
    """Turn library errors (and anything unforeseen) into one-line messages, never tracebacks."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except OptionError as error:
            raise click.UsageError(option_message(error)) from None
        except ThreadsError as error:
            raise click.ClickException(_one_line(str(error))) from None
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except BrokenPipeError:  # the reader went away (``| head``): nothing left to say
            raise click.exceptions.Exit(PIPE_CLOSED) from None
        except KeyboardInterrupt:
            raise click.Abort() from None
        except Exception as error:  # noqa: BLE001 - the last line of defence
            if os.environ.get("THREADS_DEBUG"):
                raise
            raise click.ClickException(
                _one_line(
                    f"internal error ({type(error).__name__}: {error}); "
                    "rerun with THREADS_DEBUG=1 for details"
                )
            ) from None

    return wrapper  # type: ignore[return-value]


def resolve_source(source: str | None) -> str:
    if source is not None:  # ``-`` (standard input) included
        return source
    if not CORPUS_ARTICLE.is_file():
        raise ThreadsError(
            f"no SOURCE given and no corpus article at {CORPUS_ARTICLE} "
            "(run from the repository root, or name a file)"
        )
    return str(CORPUS_ARTICLE)


def report_notes(discussion: Discussion) -> None:
    """Say on stderr what was repaired or doubtful in the input (nothing is dropped silently)."""
    for warning in discussion.warnings:
        click.echo(f"warning: {warning}", err=True)
    for repair in discussion.repairs:
        click.echo(f"repaired: {repair}", err=True)


source_argument = click.argument(
    "source", required=False, type=click.Path(dir_okay=True, allow_dash=True)
)
input_format_option = click.option(
    "--input-format",
    type=click.Choice(["text", "html", "csv", "json"]),
    default=None,
    help="Read SOURCE as this kind of file instead of detecting it from the content.",
)
article_option = click.option(
    "--article",
    "article_path",
    type=click.Path(dir_okay=True),
    default=None,
    help="A plain-text file holding the article, for comment files that lack one.",
)


clusters_option = click.option(
    "--clusters",
    "-k",
    type=int,
    default=None,
    help="Number of topic clusters K (default: chosen by silhouette from "
    f"{AUTO_K_RANGE[0]} to {AUTO_K_RANGE[1]}).",
)
seed_option = click.option(
    "--seed", type=int, default=0, show_default=True, help="Random seed for k-means."
)
threshold_option = click.option(
    "--off-topic-threshold",
    type=float,
    default=None,
    help="Similarity to the article below which a comment is off-topic (default: the cut "
    "chosen on development data for the measure in use, with a can't-tell band around it).",
)


def _kept(key: str) -> Callable[[click.Context, click.Parameter, Any], None]:
    """A callback keeping an option's value in the context's meta under ``key``: options
    every analysing command shares, read where they are used, not passed to each command."""

    def keep(ctx: click.Context, _: click.Parameter, value: Any) -> None:
        ctx.meta[key] = value

    return keep


columns_option = click.option(
    "--columns",
    metavar="NAME=COLUMN,...",
    default=None,
    expose_value=False,
    callback=_kept("threads.columns"),
    help="Which column of a CSV or JSON file holds what: text=body,parent_id=in_reply_to "
    "(NAME: id, text, parent_id, author, posted, posted_at, position, votes).",
)
saved_at_option = click.option(
    "--saved-at",
    metavar="DATE",
    default=None,
    expose_value=False,
    callback=_kept("threads.saved_at"),
    help="When the page was saved (2024-04-02T10:00+01:00): relative dates such as "
    "'10 months ago' get a posted_iso counted back from it.",
)


def reading_options(command: F) -> F:
    """--input-format, --columns and --saved-at: how every single-page command reads."""
    for option in (saved_at_option, columns_option, input_format_option):
        command = option(command)
    return command


title_option = click.option(
    "--title",
    default=None,
    expose_value=False,
    callback=_kept("threads.title"),
    help="The article's title, for pages that have none (used before the analysis).",
)


def _keep_merge(ctx: click.Context, _: click.Parameter, values: tuple[str, ...]) -> None:
    groups = []
    for value in values:
        try:
            groups.append(tuple(int(part) for part in value.split(",")))
        except ValueError:
            raise click.BadParameter(
                f"expected topic numbers separated by commas, such as 2,3; got {value!r}",
                param_hint="--merge",
            ) from None
    ctx.meta["threads.merge"] = tuple(groups)


topic_labels_option = click.option(
    "--topic-labels",
    type=click.Path(dir_okay=False),
    default=None,
    expose_value=False,
    callback=_kept("threads.topic_labels"),
    help='Names for topics, a JSON object such as {"0": "the film", "3": "Canada"}; the '
    "numbers are those after --merge.",
)
merge_option = click.option(
    "--merge",
    multiple=True,
    metavar="N,M",
    expose_value=False,
    callback=_keep_merge,
    help="Merge these topics (numbered as clustered) into one, then renumber largest first; "
    "repeatable.",
)


embeddings_option = click.option(
    "--embeddings",
    metavar="MODEL",
    default=None,
    expose_value=False,
    callback=_kept("threads.embeddings"),
    help="Measure meaning with this model2vec or sentence-transformers model (hub name or "
    "local folder) instead of the bundled all-MiniLM-L6-v2.",
)
lexical_option = click.option(
    "--lexical",
    is_flag=True,
    expose_value=False,
    callback=_kept("threads.lexical"),
    help="Measure shared content words instead of meaning (the older, faster measure).",
)


def measure() -> dict[str, Any]:
    """``embeddings`` and ``lexical`` for :func:`threads.analysis.analyze`, from
    ``--embeddings`` and ``--lexical``."""
    meta = click.get_current_context().meta
    return {
        "embeddings": meta.get("threads.embeddings"),
        "lexical": meta.get("threads.lexical", False),
    }


whole_sentiment_option = click.option(
    "--whole-sentiment",
    is_flag=True,
    expose_value=False,
    callback=_kept("threads.whole_sentiment"),
    help="Also score each comment's whole text at once (sentiment_whole; slower).",
)


def analysis_extras() -> dict[str, Any]:
    """``topic_names``, ``merge`` and ``whole_sentiment`` for
    :func:`threads.analysis.analyze`, from ``--topic-labels`` (the file is read here, inside
    the command's error handling), ``--merge`` and ``--whole-sentiment``."""
    meta = click.get_current_context().meta
    path = meta.get("threads.topic_labels")
    names = None
    if path is not None:
        from threads.inputs.topic_names import read_topic_names

        names = read_topic_names(path)
    return {
        "topic_names": names,
        "merge": meta.get("threads.merge", ()),
        "whole_sentiment": meta.get("threads.whole_sentiment", False),
        **measure(),
    }


def text_or_json(help: str) -> Callable[[F], F]:
    """``--format text|json`` (default text), for the commands that print one view."""
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(["text", "json"]),
        default="text",
        show_default=True,
        help=help,
    )


def analysis_options(command: F) -> F:
    for option in (
        whole_sentiment_option,
        lexical_option,
        embeddings_option,
        merge_option,
        topic_labels_option,
        title_option,
        threshold_option,
        seed_option,
        clusters_option,
    ):
        command = option(command)
    return command


def load_source(
    source: str | None, input_format: str | None, article_path: str | None
) -> Discussion:
    import dataclasses

    from threads.inputs import load, load_bytes

    meta = click.get_current_context().meta
    reading = {"columns": meta.get("threads.columns"), "saved_at": meta.get("threads.saved_at")}
    if source == STDIO:
        data = sys.stdin.buffer.read()
        discussion = load_bytes(data, input_format, article_path, **reading)  # type: ignore[arg-type]
    else:
        discussion = load(resolve_source(source), input_format, article_path, **reading)  # type: ignore[arg-type]
    report_notes(discussion)
    title = click.get_current_context().meta.get("threads.title")
    if title and not discussion.article.title:
        article = dataclasses.replace(discussion.article, title=title)
        discussion = dataclasses.replace(discussion, article=article)
    return discussion


@click.group(
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog="""\b
Examples:
  threads report                      # the HTML report on the corpus article
  threads comments page.txt --format csv > comments.csv
  threads clusters --sweep 2-8
  cat page.html | threads comments - | head

\b
Shell completion (bash; zsh and fish alike):
  eval "$(_THREADS_COMPLETE=bash_source threads)"
""",
)
@click.version_option(__version__, prog_name="threads")
def cli() -> None:
    """How a news article's comment section drifted away from the article.

    With no SOURCE, commands read the corpus article
    (corpus/unherd-how-to-escape-north-korea.txt, from the repository root).
    """


RECORD_FORMATS = ["table", "json", "jsonl", "csv"]


def record_format_option(formats: list[str], default: str) -> Callable[[F], F]:
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(formats),
        default=default,
        show_default=True,
        help="How to print: json is one document, jsonl one record per line.",
    )


def terminal_width() -> int:
    return shutil.get_terminal_size().columns


def echo_lines(lines: Iterable[str]) -> None:
    """Print a text view's lines, control characters from the input shown escaped."""
    from threads.terminal import visible

    for line in lines:
        click.echo(visible(line))


@cli.command(
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
@article_option
@handle_errors
def comments(
    source: str | None,
    output_format: str,
    no_analysis: bool,
    clusters: int | None,
    seed: int,
    off_topic_threshold: float | None,
    input_format: str | None,
    article_path: str | None,
) -> None:
    """List every comment of SOURCE in page order, with its place in the reply tree,
    its topic cluster, sentiment and similarity to the article.

    SOURCE - reads standard input. The table fits the terminal's width (the text is
    shortened); json, jsonl and csv carry every field and whole texts.
    """
    from threads import export
    from threads.models import COMMENT_COLUMNS

    discussion = load_source(source, input_format, article_path)
    columns = list(COMMENT_COLUMNS)
    table_columns = ["id", "author", "posted", "parent_id", "parent_status", "depth"]
    if no_analysis:
        records = discussion.records()
    else:
        from threads.analysis import analyze

        analysis = analyze(discussion, clusters, seed, off_topic_threshold, **analysis_extras())
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
        from threads.terminal import comment_table

        echo_lines(comment_table(records, [*table_columns, "text"], terminal_width()))


@cli.command(
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
@article_option
@handle_errors
def chain(
    comment_id: str,
    source: str | None,
    full: bool,
    output_format: str,
    clusters: int | None,
    seed: int,
    off_topic_threshold: float | None,
    input_format: str | None,
    article_path: str | None,
) -> None:
    """Show the reply chain from the top-level comment down to comment ID, hop by hop
    with its similarity to the article and to the parent, then the replies under ID.

    json prints the records of the path, of the replies under ID and the drift point;
    jsonl one record per line, each with its part ("path" or "reply").
    """
    from threads import export
    from threads.analysis import analyze
    from threads.terminal import chain_lines

    discussion = load_source(source, input_format, article_path)
    discussion.get(comment_id)  # an unknown id fails here, naming the valid range
    analysis = analyze(discussion, clusters, seed, off_topic_threshold, **analysis_extras())
    if output_format == "json":
        document = export.chain_records(analysis, comment_id)
        click.echo(export.to_json(document), nl=False, color=True)
    elif output_format == "jsonl":
        chain_records = export.chain_lines_records(export.chain_records(analysis, comment_id))
        click.echo(export.to_jsonl(chain_records), nl=False, color=True)
    else:
        echo_lines(chain_lines(analysis, comment_id, full=full))


@cli.command(
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
@article_option
@handle_errors
def author(
    name: str,
    source: str | None,
    output_format: str,
    clusters: int | None,
    seed: int,
    off_topic_threshold: float | None,
    input_format: str | None,
    article_path: str | None,
) -> None:
    """List every comment by NAME in SOURCE, whole, with its thread, whom it answered and
    who answered it; then their off-topic share and mean sentiment.

    Names match ignoring case, Unicode forms and repeated spaces; an unknown name is an
    error listing close names. jsonl prints one comment per line.
    """
    from threads import export
    from threads.analysis import analyze
    from threads.analysis.authors import author_summary
    from threads.terminal import author_lines

    discussion = load_source(source, input_format, article_path)
    analysis = analyze(discussion, clusters, seed, off_topic_threshold, **analysis_extras())
    summary = author_summary(analysis, name)
    if output_format == "json":
        click.echo(export.to_json(summary.to_dict()), nl=False, color=True)
    elif output_format == "jsonl":
        rows = [{"author": summary.name, **c.to_dict()} for c in summary.comments]
        click.echo(export.to_jsonl(rows), nl=False, color=True)
    else:
        echo_lines(author_lines(summary))


@cli.command(
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
@article_option
@handle_errors
def clusters(
    source: str | None,
    clusters: int | None,
    seed: int,
    off_topic_threshold: float | None,
    compare: tuple[int, int] | None,
    sweep: str | None,
    members: bool,
    input_format: str | None,
    article_path: str | None,
) -> None:
    """Print the topic clusters of SOURCE: terms, size, share, sentiment, on/off topic."""
    from threads.analysis import analyze, distinct_texts
    from threads.analysis import sweep as sweep_k
    from threads.terminal import cluster_lines, sweep_lines

    discussion = load_source(source, input_format, article_path)
    topic = analysis_extras()
    if (compare is not None or sweep is not None) and (topic["topic_names"] or topic["merge"]):
        raise click.UsageError(
            "--topic-labels and --merge apply to the topic table, not to --sweep or --compare"
        )
    if (compare is not None or sweep is not None) and members:
        raise click.UsageError(
            "--members lists the topic table's topics: not with --sweep or --compare"
        )
    if compare is not None:
        from threads.analysis.compare import compare as cross
        from threads.terminal import compare_lines

        echo_lines(
            compare_lines(cross(discussion, *compare, seed, off_topic_threshold, **measure()))
        )
        return
    if sweep is not None:
        ks = parse_range(sweep)
        rows = sweep_k(discussion, ks, seed, off_topic_threshold, **measure())
        echo_lines(sweep_lines(rows, ks, distinct_texts(discussion)))
        return
    result = analyze(discussion, clusters, seed, off_topic_threshold, k_across_seeds=True, **topic)
    echo_lines(cluster_lines(result))
    if members:
        from threads.analysis.members import topic_members
        from threads.terminal import member_lines

        echo_lines(member_lines(topic_members(result)))


@cli.command(
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
@article_option
@handle_errors
def summary(
    source: str | None,
    output_format: str,
    clusters: int | None,
    seed: int,
    off_topic_threshold: float | None,
    input_format: str | None,
    article_path: str | None,
) -> None:
    """The discussion of SOURCE in brief: what stayed on the subject, one line per thread
    (its size, off-topic count, terms and where it left the subject), then the findings."""
    from threads import export
    from threads.analysis import analyze
    from threads.terminal import summary_lines

    discussion = load_source(source, input_format, article_path)
    analysis = analyze(discussion, clusters, seed, off_topic_threshold, **analysis_extras())
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


def parse_range(text: str) -> range:
    low, sep, high = text.partition("-")
    try:
        start, stop = int(low), int(high if sep else low)
    except ValueError:
        raise click.BadParameter(
            f"expected LOW-HIGH such as 2-8, got {text!r}", param_hint="--sweep"
        ) from None
    if not 1 <= start <= stop:
        raise click.BadParameter(f"expected 1 <= LOW <= HIGH, got {text!r}", param_hint="--sweep")
    return range(start, stop + 1)


@cli.command(
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
@article_option
@handle_errors
def report(
    source: str | None,
    clusters: int | None,
    seed: int,
    off_topic_threshold: float | None,
    out: str | None,
    quiet: bool,
    labels: str | None,
    input_format: str | None,
    article_path: str | None,
) -> None:
    """Write the HTML report on SOURCE (with its JSON and CSV) and print their paths.

    SOURCE - reads standard input (the report is then named reports/stdin-k<K>.html).
    """
    from threads.pipeline import make_report, report_html

    progress = Progress(enabled=not quiet and sys.stderr.isatty())
    progress(f"reading {resolve_source(source)}")
    discussion = load_source(source, input_format, article_path)
    if out == STDIO:
        html = report_html(
            discussion, clusters, seed, off_topic_threshold, progress=progress, **analysis_extras()
        )
        progress.done()
        click.echo(html, nl=False, color=True)
        return
    files = make_report(
        discussion,
        clusters=clusters,
        seed=seed,
        off_topic_threshold=off_topic_threshold,
        out=Path(out) if out else None,
        progress=progress,
        labels=Path(labels) if labels else None,
        **analysis_extras(),
    )
    progress.done()
    if not quiet:
        for path in (files.html, files.json, files.csv):
            click.echo(str(path))


class Progress:
    """Progress on stderr, only on a terminal: a line per stage with the seconds so far, and
    for stages with counts (``progress(stage, done, total)``, the library's callback) a bar
    redrawn in place: ``scoring sentiment 4,000/10,000 [######......]``."""

    BAR = 24

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.started = time.monotonic()
        self._open = False  # a bar line is drawn and not yet ended

    def _stamp(self) -> str:
        return f"[{time.monotonic() - self.started:5.1f}s]"

    def _end_bar(self) -> None:
        if self._open:
            click.echo("", err=True)
            self._open = False

    def __call__(self, stage: str, done: int | None = None, total: int | None = None) -> None:
        if not self.enabled:
            return
        if done is None or total is None:
            self._end_bar()
            click.echo(f"{self._stamp()} {stage}...", err=True)
            return
        filled = self.BAR * done // total if total else self.BAR
        bar = "#" * filled + "." * (self.BAR - filled)
        line = f"{self._stamp()} {stage} {done:,}/{total:,} [{bar}]"
        click.echo(f"\r\x1b[K{line}", err=True, nl=False)
        self._open = True
        if done >= total:
            self._end_bar()

    def done(self) -> None:
        if self.enabled:
            self._end_bar()
            click.echo(f"{self._stamp()} done", err=True)


def main() -> None:
    """The ``threads`` command (console script and ``python -m threads``)."""
    install_signal_handlers()
    guard_standard_output()
    try:
        cli(prog_name="threads")  # click always ends with SystemExit
    except SystemExit as stop:
        code = stop.code
    except BrokenPipeError:  # ``threads comments | head``: not worth a traceback
        code = PIPE_CLOSED
    _exit_now(code)


def _stop_on_signal(signum: int, _frame: object) -> None:
    """SIGTERM and SIGHUP end the command the way Ctrl-C does: by an exception, so every
    ``with`` block on the way out runs (the worker pool stops, temporary files go)."""
    raise SystemExit(128 + signum)


def install_signal_handlers() -> None:
    """Make SIGTERM and SIGHUP unwind the command (SIGINT does already: KeyboardInterrupt)."""
    import signal

    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is not None:
            signal.signal(number, _stop_on_signal)


class StandardOutput(io.TextIOBase):
    """Standard output that fails as a ThreadsError (one line, exit 1) when it cannot be
    written: closed (``>&-``) or full (``> /dev/full``). A reader that went away still raises
    BrokenPipeError (exit 141)."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self.failed = False

    def _fail(self, error: OSError) -> OutputError:
        self.failed = True
        return OutputError(f"cannot write to standard output ({error.strerror or error})")

    def _call(self, target: Any, method: str, *args: Any) -> Any:
        if target is None:
            raise self._fail(OSError(errno.EBADF, os.strerror(errno.EBADF)))
        try:
            return getattr(target, method)(*args)
        except BrokenPipeError:
            raise
        except OSError as error:
            raise self._fail(error) from None

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        return int(self._call(self._stream, "write", text))

    def flush(self) -> None:
        if self._stream is not None:
            self._call(self._stream, "flush")

    @property
    def buffer(self) -> _BinaryOutput:
        """The bytes beneath (click writes bytes there), failing the same way."""
        return _BinaryOutput(self)

    def isatty(self) -> bool:
        return self._stream is not None and bool(self._stream.isatty())

    def fileno(self) -> int:
        if self._stream is None:
            raise io.UnsupportedOperation("standard output is closed")
        return int(self._stream.fileno())

    def writable(self) -> bool:
        return True

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return str(getattr(self._stream, "encoding", None) or "utf-8")

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        return getattr(self._stream, "errors", None)

    def discard(self) -> None:
        """Drop what is buffered (after a failure, so the exit does not fail again)."""
        buffer = getattr(self._stream, "buffer", None)
        raw = getattr(buffer, "raw", None)
        if raw is not None:
            try:
                os.dup2(os.open(os.devnull, os.O_WRONLY), raw.fileno())
            except OSError:
                pass


class _BinaryOutput(io.RawIOBase):
    def __init__(self, text: StandardOutput) -> None:
        self._text = text

    def write(self, data: Any) -> int:
        self._text.flush()  # the text written before these bytes goes first
        target = getattr(self._text._stream, "buffer", None)
        return int(self._text._call(target, "write", data))

    def flush(self) -> None:
        target = getattr(self._text._stream, "buffer", None)
        if target is not None:
            self._text._call(target, "flush")

    def writable(self) -> bool:
        return True


def guard_standard_output() -> None:
    """Standard output as :class:`StandardOutput`, in an encoding that can show any text.

    On a terminal the terminal's encoding is kept and a character it cannot show is written
    as its escape (``\\u0141``); anywhere else (a file, a pipe) the text is UTF-8, like the
    files threads writes, whatever the locale or PYTHONIOENCODING say.
    """
    stream = sys.stdout
    if stream is not None and hasattr(stream, "reconfigure"):
        try:
            if stream.isatty():
                stream.reconfigure(errors="backslashreplace")
            else:
                stream.reconfigure(encoding="utf-8", errors="strict")
        except (OSError, ValueError):  # closed underneath us: the guard reports it
            pass
    sys.stdout = StandardOutput(stream)
    if sys.stderr is not None and hasattr(sys.stderr, "reconfigure"):
        try:
            sys.stderr.reconfigure(errors="backslashreplace")
        except (OSError, ValueError):
            pass


def _exit_now(code: int | str | None) -> None:
    """Flush the standard streams and end the process without the interpreter's teardown.

    Freeing the ~1,500 library modules a report loads takes 0.3-0.5 s, longer than the
    corpus report's own work. Nothing else is pending: threads closes and renames every file
    it writes before it returns, and its worker pools are shut down by then.
    """
    if isinstance(code, str):
        print(code, file=sys.stderr)
        code = 1
    stdout = sys.stdout
    if isinstance(stdout, StandardOutput) and stdout.failed:
        stdout.discard()  # already reported
    for stream in (sys.stdout, sys.stderr):
        if stream is None:
            continue
        try:
            stream.flush()
        except BrokenPipeError:  # the reader went away
            code = code or PIPE_CLOSED
        except ValueError:  # stream closed
            code = code or 1
        except OutputError as error:  # standard output closed or full, found only now
            if not code:
                _say(f"Error: {error}")
                code = 1
        except OSError:
            code = code or 1
    os._exit(code or 0)


def _say(line: str) -> None:
    try:
        print(line, file=sys.stderr, flush=True)
    except (OSError, ValueError, AttributeError):
        pass


# --- Checking the flag against people's labels: ``sample`` writes a sheet, ``agree`` reads it.

sources_argument = click.argument("sources", nargs=-1, type=click.Path(dir_okay=True))


def _analysed_pages(
    sources: list[str],
    clusters: int | None,
    seed: int,
    off_topic_threshold: float | None,
    input_format: str | None,
    article_path: str | None,
    check: Callable[[str, Discussion], None] | None = None,
) -> Any:
    """(page name, analysis) for each source, one by one in this process; progress on a
    terminal only. ``check`` sees every page before any is analysed (fail fast)."""
    from threads.analysis import agreement, analyze
    from threads.inputs.labels import page_names

    progress = Progress(enabled=sys.stderr.isatty())
    topic = analysis_extras()
    discussions = []
    for number, source in enumerate(sources, start=1):
        if len(sources) > 1:
            progress(f"reading {number:,}/{len(sources):,} {source}")
        discussions.append(load_source(source, input_format, article_path))
        if check is not None:
            check(source, discussions[-1])
    names = page_names(sources)
    for number, (name, discussion) in enumerate(zip(names, discussions, strict=True), 1):
        progress(f"analysing {number:,}/{len(sources):,} {name}")
        # The clusters do not enter the score or the flag: one cluster skips the K search.
        k = clusters if clusters is not None else agreement.CLUSTERS
        yield name, analyze(discussion, k, seed, off_topic_threshold, **topic)
    progress.done()


@cli.command(
    short_help="Write a blind labelling sheet to check the flag by hand.",
    epilog="""\b
Examples:
  threads sample --n 12 --out sheets/corpus.csv     # also sheets/corpus.jsonl
  threads sample a.html b.html --n 150 --seed 1 --out sheets/ab.csv
""",
)
@sources_argument
@click.option(
    "--n", "n", type=int, default=100, show_default=True,
    help="Rows in the sheet, over all SOURCEs (every comment if there are fewer).",
)  # fmt: skip
@click.option(
    "--out",
    type=click.Path(dir_okay=True),
    required=True,
    help="The CSV sheet to write; a .jsonl for Label Studio or doccano goes beside it.",
)
@analysis_options
@reading_options
@article_option
@handle_errors
def sample(
    sources: tuple[str, ...],
    n: int,
    out: str,
    clusters: int | None,
    seed: int,
    off_topic_threshold: float | None,
    input_format: str | None,
    article_path: str | None,
) -> None:
    """Write a blind labelling sheet: N comments of the SOURCEs, stratified by the off-topic
    flag and by depth, with empty on_topic and note columns (no score, no flag)."""
    from threads import sample as sheet

    names = list(sources) or [resolve_source(None)]
    pool = []
    for page, analysis in _analysed_pages(
        names, clusters, seed, off_topic_threshold, input_format, article_path
    ):
        pool += sheet.candidates(page, analysis)
    try:
        rows = sheet.draw(pool, n, seed)
        paths = sheet.write_sheet(rows, Path(out))
    except OptionError as error:
        hint = {"n": "--n", "out": "--out"}.get(error.param, error.param)
        raise click.BadParameter(error.problem, param_hint=hint) from None
    for path in paths:
        click.echo(str(path))


@cli.command(
    short_help="How well the off-topic flag agrees with labels people gave.",
    epilog="""\b
Examples:
  threads agree sheets/corpus.csv                              # a filled sheet
  threads agree tests/fixtures/labels/unherd-north-korea.json  # the corpus hand labels
  threads agree ../shared/validity/semeval2015-dev/ --format json
""",
)
@click.argument("labels_path", metavar="LABELS", type=click.Path(dir_okay=True))
@sources_argument
@text_or_json("How to print the figures.")
@analysis_options
@reading_options
@article_option
@handle_errors
def agree(
    labels_path: str,
    sources: tuple[str, ...],
    output_format: str,
    clusters: int | None,
    seed: int,
    off_topic_threshold: float | None,
    input_format: str | None,
    article_path: str | None,
) -> None:
    """How well the off-topic flag and the similarity agree with the labels in LABELS (a
    filled sheet, a .labels.json file or a folder of them): ROC AUC, the confusion table,
    accuracy against flagging nothing and Cohen's kappa, with bootstrap 95% intervals.

    Without SOURCE, the pages are those the labels name (X.json beside X.labels.json, the
    corpus labels' article), else the corpus article."""
    from threads import export
    from threads.analysis import agreement
    from threads.inputs.labels import check_ids, pair, read_labels

    labels = read_labels(labels_path)
    names = list(sources) or [str(p) for p in labels.default_sources()] or [resolve_source(None)]
    pairs = dict(pair(labels, names))
    pages = []
    for page, analysis in _analysed_pages(
        list(pairs),
        clusters,
        seed,
        off_topic_threshold,
        input_format,
        article_path,
        check=lambda source, discussion: check_ids(labels.path, pairs[source], discussion),
    ):
        rows = agreement.labelled_comments(page, analysis, pairs[analysis.discussion.source].labels)
        pages.append((rows, analysis.parameters.off_topic_threshold))
    result = agreement.report(pages, seed)
    if output_format == "json":
        click.echo(export.to_json(result.to_dict()), nl=False, color=True)
    else:
        echo_lines(agreement_lines(result))


def _figure(figure: Any) -> str:
    if figure.value is None:
        return "-"
    if figure.low is None:
        return f"{figure.value:.3f}"
    return f"{figure.value:.3f} [{figure.low:.3f}, {figure.high:.3f}]"


def _value(value: float | None, signed: bool = False) -> str:
    return "-" if value is None else f"{value:+.3f}" if signed else f"{value:.3f}"


def _agreement_row(label: str, width: int, a: Any) -> str:
    figures = (a.auc, a.accuracy, a.accuracy_flag_nothing, a.kappa)
    cells = "  ".join(f"{_figure(f):<21}" for f in figures)
    control = f"{_value(a.length.auc_within_length):<8}  {_value(a.length.gain_over_length, True)}"
    return f"{label:<{width}} {a.comments:>5}  {cells}  {control}".rstrip()


def agreement_lines(result: Any) -> list[str]:
    """``threads agree``'s text output."""
    pooled, c = result.pooled, result.pooled.confusion
    thresholds = sorted(result.thresholds)
    if len(thresholds) == 1:
        threshold = f"threshold {thresholds[0]:.4g}"
    else:
        threshold = f"thresholds per page {thresholds[0]:.4g} to {thresholds[-1]:.4g}"
    lines = [
        f"{pooled.comments:,} labelled comments on {pooled.pages:,} page"
        f"{'s' if pooled.pages != 1 else ''} ({threshold}); 95% intervals from "
        f"{result.resamples:,} bootstrap resamples of {pooled.resampled}, seed {result.seed}.",
        "",
        f"ROC AUC of the similarity    {_figure(pooled.auc)}",
        f"  inside word-count bands    {_value(pooled.length.auc_within_length)}"
        f" (quartiles of word count, {pooled.length.bands} with both labels, weighted by"
        " comments)",
        f"  gain over length alone     {_value(pooled.length.gain_over_length, True)}"
        f" (cross-fitted AUC {_value(pooled.length.auc_length_and_score)} with log word count"
        f" and similarity, {_value(pooled.length.auc_length_alone)} with log word count alone)",
        f"accuracy of the flag         {_figure(pooled.accuracy)}",
        f"accuracy flagging nothing    {_figure(pooled.accuracy_flag_nothing)}",
        f"Cohen's kappa                {_figure(pooled.kappa)}",
        f"mean within-page AUC         {_figure(result.mean_page_auc)}"
        f" ({result.pages_with_both:,} page{'s' if result.pages_with_both != 1 else ''}"
        " with both classes)",
        "",
        "                      flagged    kept",
        f"labelled off-topic    {c.flagged_off:>7,} {c.kept_off:>7,}",
        f"labelled on-topic     {c.flagged_on:>7,} {c.kept_on:>7,}",
        f"too short to judge: {pooled.too_short:,} of {pooled.comments:,}"
        f" ({100 * (pooled.too_short_share or 0):.1f}%), counted as not flagged",
    ]
    header = (
        "AUC                    accuracy               flag nothing           kappa"
        "                  in bands  gain"
    )
    for title, groups in (("By length", result.by_length), ("By page", result.by_page)):
        width = max([len(title), *(len(label) for label, _ in groups)])
        lines += ["", f"{title:<{width}}     n  {header}"]
        lines += [_agreement_row(label, width, a) for label, a in groups]
    lines += ["", f"Disagreements ({len(result.disagreements):,}):"]
    for d in result.disagreements:
        said = "on-topic " if d.on_topic else "off-topic"
        flag = "flagged" if d.flagged else "kept   "
        where = f"{d.page} #{d.id}" if pooled.pages > 1 else f"#{d.id}"
        lines.append(f"  {where}  labelled {said}  {flag}  {d.similarity:.3f}  {d.first_words()}")
    return lines


from threads.cli_corpus import corpus  # noqa: E402 - it builds on the helpers above
from threads.cli_export import export  # noqa: E402 - it builds on the helpers above

cli.add_command(corpus)
cli.add_command(export)
