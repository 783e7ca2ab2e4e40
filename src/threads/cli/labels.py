"""Checking the off-topic flag against people's labels: ``sample`` writes a blind sheet,
``agree`` reads it back and says how well the flag agrees."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from threads import analysis as analysis_stage
from threads import export
from threads import sample as sheet
from threads.analysis.options import AnalysisOptions
from threads.cli.options import (
    FLAGS,
    PageReading,
    analysis_options,
    handle_errors,
    reading_options,
    sources_argument,
    text_or_json,
)
from threads.cli.output import echo_lines
from threads.cli.progress import Progress
from threads.cli.source import load_source, resolve_source
from threads.errors import OptionError
from threads.inputs.labels import check_ids, page_names, pair, read_labels
from threads.models import Discussion

if TYPE_CHECKING:
    from threads.analysis import Analysis


def _analysed_pages(
    sources: list[str],
    options: AnalysisOptions,
    reading: PageReading,
    check: Callable[[str, Discussion], None] | None = None,
) -> Iterator[tuple[str, Analysis]]:
    """(page name, analysis) for each source, one by one in this process; progress on a
    terminal only. ``check`` sees every page before any is analysed (fail fast)."""
    # Measured: the agreement module loads scikit-learn (~1 s); only these commands need it.
    from threads.analysis import agreement

    progress = Progress(enabled=sys.stderr.isatty())
    # The clusters do not enter the score or the flag: one cluster skips the K search.
    if options.clusters is None:
        options = options.replace(clusters=agreement.CLUSTERS)
    discussions = []
    for number, source in enumerate(sources, start=1):
        if len(sources) > 1:
            progress(f"reading {number:,}/{len(sources):,} {source}")
        discussions.append(load_source(source, reading))
        if check is not None:
            check(source, discussions[-1])
    names = page_names(sources)
    for number, (name, discussion) in enumerate(zip(names, discussions, strict=True), 1):
        progress(f"analysing {number:,}/{len(sources):,} {name}")
        yield name, analysis_stage.analyze(discussion, options)
    progress.done()


@click.command(
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
@handle_errors
def sample(
    sources: tuple[str, ...],
    n: int,
    out: str,
    options: AnalysisOptions,
    reading: PageReading,
) -> None:
    """Write a blind labelling sheet: N comments of the SOURCEs, stratified by the off-topic
    flag and by depth, with empty on_topic and note columns (no score, no flag)."""
    names = list(sources) or [resolve_source(None)]
    pool = []
    for page, analysis in _analysed_pages(names, options, reading):
        pool += sheet.candidates(page, analysis)
    try:
        rows = sheet.draw(pool, n, options.seed)
        paths = sheet.write_sheet(rows, Path(out))
    except OptionError as error:
        raise click.BadParameter(error.problem, param_hint=FLAGS[error.param]) from None
    for path in paths:
        click.echo(str(path))


@click.command(
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
@handle_errors
def agree(
    labels_path: str,
    sources: tuple[str, ...],
    output_format: str,
    options: AnalysisOptions,
    reading: PageReading,
) -> None:
    """How well the off-topic flag and the similarity agree with the labels in LABELS (a
    filled sheet, a .labels.json file or a folder of them): ROC AUC, the confusion table,
    accuracy against flagging nothing and Cohen's kappa, with bootstrap 95% intervals.

    Without SOURCE, the pages are those the labels name (X.json beside X.labels.json, the
    corpus labels' article), else the corpus article."""
    from threads.analysis import agreement  # measured: see _analysed_pages

    labels = read_labels(labels_path)
    names = list(sources) or [str(p) for p in labels.default_sources()] or [resolve_source(None)]
    pairs = dict(pair(labels, names))
    pages = []
    for page, analysis in _analysed_pages(
        list(pairs),
        options,
        reading,
        check=lambda source, discussion: check_ids(labels.path, pairs[source], discussion),
    ):
        rows = agreement.labelled_comments(page, analysis, pairs[analysis.discussion.source].labels)
        pages.append((rows, analysis.parameters.off_topic_threshold))
    result = agreement.report(pages, options.seed)
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
