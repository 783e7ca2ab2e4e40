"""The ``threads`` command line: parses options, calls the library, maps its errors.

Library errors become one-line messages: ``OptionError`` exits 2 (a usage error), every
other ``ThreadsError`` exits 1. Heavy libraries are imported only by the commands that
need them, so ``--help`` and ``--version`` stay fast.
"""

from __future__ import annotations

import functools
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from threads import __version__
from threads.analysis.options import AUTO_K_RANGE, STABILITY_SEEDS
from threads.errors import OptionError, ThreadsError
from threads.models import Discussion

#: The article ``threads`` analyses when no SOURCE is given (relative to the current folder).
CORPUS_ARTICLE = Path("corpus") / "unherd-how-to-escape-north-korea.txt"

F = TypeVar("F", bound=Callable[..., Any])


#: The command-line option for each library parameter an OptionError can name.
FLAGS = {
    "clusters": "--clusters",
    "seed": "--seed",
    "off_topic_threshold": "--off-topic-threshold",
    "sweep": "--sweep",
    "input_format": "--input-format",
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
    if source is not None:
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


source_argument = click.argument("source", required=False, type=click.Path(dir_okay=True))
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
    help="Similarity to the article below which a comment is off-topic "
    "(default: a tenth of the article paragraphs' own similarity to the article).",
)


def analysis_options(command: F) -> F:
    for option in (threshold_option, seed_option, clusters_option):
        command = option(command)
    return command


def load_source(
    source: str | None, input_format: str | None, article_path: str | None
) -> Discussion:
    from threads.inputs import load

    discussion = load(resolve_source(source), input_format, article_path)  # type: ignore[arg-type]
    report_notes(discussion)
    return discussion


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="threads")
def cli() -> None:
    """How a news article's comment section drifted away from the article.

    With no SOURCE, commands read the corpus article
    (corpus/unherd-how-to-escape-north-korea.txt, from the repository root).
    """


@cli.command()
@source_argument
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
    help="How to print the comments.",
)
@click.option(
    "--no-analysis",
    is_flag=True,
    help="Only the parsed fields (fast: no clustering, sentiment or similarity).",
)
@analysis_options
@input_format_option
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
    its topic cluster, sentiment and similarity to the article."""
    from threads import export
    from threads.models import COMMENT_COLUMNS

    discussion = load_source(source, input_format, article_path)
    columns = list(COMMENT_COLUMNS)
    table_columns = ["id", "author", "posted", "parent_id", "parent_status", "depth"]
    if no_analysis:
        records = discussion.records()
    else:
        from threads.analysis import ANALYSIS_FIELDS, analyze

        records = analyze(discussion, clusters, seed, off_topic_threshold).records()
        columns += ANALYSIS_FIELDS
        table_columns += ["cluster", "sentiment", "article_similarity", "off_topic"]
    if output_format == "json":
        document = export.document(export.discussion_header(discussion), records)
        click.echo(export.to_json(document), nl=False)
    elif output_format == "csv":
        click.echo(export.to_csv(records, columns), nl=False)
    else:
        click.echo(export.to_table(records, [*table_columns, "text"]), nl=False)


@cli.command()
@click.argument("comment_id", metavar="ID")
@source_argument
@analysis_options
@input_format_option
@article_option
@handle_errors
def chain(
    comment_id: str,
    source: str | None,
    clusters: int | None,
    seed: int,
    off_topic_threshold: float | None,
    input_format: str | None,
    article_path: str | None,
) -> None:
    """Show the reply chain from the top-level comment down to comment ID, hop by hop
    with its similarity to the article and to the parent, then the replies under ID."""
    from threads.analysis import analyze
    from threads.terminal import chain_lines

    discussion = load_source(source, input_format, article_path)
    discussion.get(comment_id)  # an unknown id fails here, naming the valid range
    analysis = analyze(discussion, clusters, seed, off_topic_threshold)
    for line in chain_lines(analysis, comment_id):
        click.echo(line)


@cli.command()
@source_argument
@analysis_options
@click.option(
    "--sweep",
    metavar="LOW-HIGH",
    default=None,
    help=f"Compare K from LOW to HIGH: silhouette, stability across {STABILITY_SEEDS} seeds, "
    "off-topic share.",
)
@input_format_option
@article_option
@handle_errors
def clusters(
    source: str | None,
    clusters: int | None,
    seed: int,
    off_topic_threshold: float | None,
    sweep: str | None,
    input_format: str | None,
    article_path: str | None,
) -> None:
    """Print the topic clusters of SOURCE: terms, size, share, sentiment, on/off topic."""
    from threads.analysis import analyze, distinct_texts
    from threads.analysis import sweep as sweep_k
    from threads.terminal import cluster_lines, sweep_lines

    discussion = load_source(source, input_format, article_path)
    if sweep is not None:
        ks = parse_range(sweep)
        rows = sweep_k(discussion, ks, seed, off_topic_threshold)
        for line in sweep_lines(rows, ks, distinct_texts(discussion)):
            click.echo(line)
        return
    result = analyze(discussion, clusters, seed, off_topic_threshold)
    for line in cluster_lines(result):
        click.echo(line)


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


@cli.command()
@source_argument
@analysis_options
@click.option(
    "--out",
    type=click.Path(dir_okay=True),
    default=None,
    help="Where to write the HTML (default: reports/<source name>-k<K>.html); "
    "the .json and .csv go beside it.",
)
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
@click.option(
    "--labels",
    type=click.Path(dir_okay=True),
    default=None,
    help="Your on/off-topic labels (as threads agree reads): their agreement with the flag "
    "goes in the Method section.",
)
@input_format_option
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
    """Write the HTML report on SOURCE (with its JSON and CSV) and print their paths."""
    from threads.pipeline import make_report

    progress = Progress(enabled=not quiet and sys.stderr.isatty())
    progress(f"reading {resolve_source(source)}")
    discussion = load_source(source, input_format, article_path)
    files = make_report(
        discussion,
        clusters=clusters,
        seed=seed,
        off_topic_threshold=off_topic_threshold,
        out=Path(out) if out else None,
        progress=progress,
        labels=Path(labels) if labels else None,
    )
    progress.done()
    if not quiet:
        for path in (files.html, files.json, files.csv):
            click.echo(str(path))


class Progress:
    """One line on stderr per stage, with the seconds so far; only on a terminal."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.started = time.monotonic()

    def __call__(self, stage: str) -> None:
        if self.enabled:
            click.echo(f"[{time.monotonic() - self.started:5.1f}s] {stage}...", err=True)

    def done(self) -> None:
        if self.enabled:
            click.echo(f"[{time.monotonic() - self.started:5.1f}s] done", err=True)


def main() -> None:
    """The ``threads`` command (console script and ``python -m threads``)."""
    try:
        cli(prog_name="threads")  # click always ends with SystemExit
    except SystemExit as stop:
        code = stop.code
    except BrokenPipeError:  # ``threads comments | head``: not worth a traceback
        code = 1
    _exit_now(code)


def _exit_now(code: int | str | None) -> None:
    """Flush the standard streams and end the process without the interpreter's teardown.

    Freeing the ~1,500 library modules a report loads takes 0.3-0.5 s, longer than the
    corpus report's own work. Nothing else is pending: threads closes and renames every file
    it writes before it returns, and its worker pools are shut down by then.
    """
    if isinstance(code, str):
        print(code, file=sys.stderr)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, ValueError):  # reader went away, or stream closed
            code = code or 1
    os._exit(code or 0)


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
    from threads.inputs.labels import page_name

    progress = Progress(enabled=sys.stderr.isatty())
    discussions = []
    for number, source in enumerate(sources, start=1):
        if len(sources) > 1:
            progress(f"reading {number:,}/{len(sources):,} {source}")
        discussions.append(load_source(source, input_format, article_path))
        if check is not None:
            check(source, discussions[-1])
    for number, (source, discussion) in enumerate(zip(sources, discussions, strict=True), 1):
        progress(f"analysing {number:,}/{len(sources):,} {page_name(source)}")
        # The clusters do not enter the score or the flag: one cluster skips the K search.
        k = clusters if clusters is not None else agreement.CLUSTERS
        yield page_name(source), analyze(discussion, k, seed, off_topic_threshold)
    progress.done()


@cli.command()
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
@input_format_option
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


@cli.command()
@click.argument("labels_path", metavar="LABELS", type=click.Path(dir_okay=True))
@sources_argument
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="How to print the figures.",
)
@analysis_options
@input_format_option
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
    text = export.to_json(result.to_dict()) if output_format == "json" else None
    try:
        click.echo(text or "\n".join(agreement_lines(result)) + "\n", nl=False)
    except BrokenPipeError:  # ``threads agree ... | head``: the reader has what it wanted
        raise click.exceptions.Exit(1) from None


def _figure(figure: Any) -> str:
    if figure.value is None:
        return "-"
    if figure.low is None:
        return f"{figure.value:.3f}"
    return f"{figure.value:.3f} [{figure.low:.3f}, {figure.high:.3f}]"


def _agreement_row(label: str, width: int, a: Any) -> str:
    figures = (a.auc, a.accuracy, a.accuracy_flag_nothing, a.kappa)
    cells = "  ".join(f"{_figure(f):<21}" for f in figures)
    return f"{label:<{width}} {a.comments:>5}  {cells}".rstrip()


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
    header = "AUC                    accuracy               flag nothing           kappa"
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

cli.add_command(corpus)
