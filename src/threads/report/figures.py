"""One function per group of charts: each chart's drawing call and the table of its numbers.

The numbers come from the analysis (per-comment results and the
:class:`~threads.analysis.results.Summary`); these functions only lay them out. Drawing is
deferred: :class:`Sketches` records each matplotlib call, so the worker processes can draw
while the reply tree is built.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from threads.analysis.options import STABILITY_SEEDS
from threads.analysis.relevance import REFERENCE_NAMES
from threads.analysis.sentiment import POSITIVE_AT
from threads.report import charts
from threads.report.format import fmt, pct, signed

if TYPE_CHECKING:
    from threads.analysis import Analysis

#: Rows shown in a chart's data table before it says how many more there are.
MAX_TABLE_ROWS = 200
#: The verdict column's words for each judgement.
VERDICTS = {"on": "on-topic", "off": "off-topic", "cant_tell": "can't tell"}
#: Hops of a chain written out in the chain table before an ellipsis.
MAX_HOPS_SHOWN = 12


@dataclass(frozen=True)
class Cell:
    text: str
    href: str | None = None
    sort: str | None = None  # what a sortable table compares (numbers as numbers)
    numeric: bool = False  # right-aligned, sorted as a number


@dataclass(frozen=True)
class Chart:
    """A chart with its text alternative: caption and the numbers behind it."""

    name: str  # element id of the figure
    title: str
    svg: str  # the drawing (a stand-in number until :func:`drawn` swaps it)
    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    rows_note: str | None = None  # said when the table shows only the first rows


#: ``draw(function, *args)`` asks for a chart and returns a stand-in for its SVG.
Draw = Callable[..., str]


class Sketches:
    """The charts a report asks for, drawn together once all are known.

    ``add`` records one matplotlib call and returns the call's number as a stand-in for its
    SVG; :func:`drawn` swaps each chart's stand-in for the drawing.
    """

    def __init__(self) -> None:
        self.jobs: list[tuple[Callable[..., str], tuple[Any, ...], dict[str, Any]]] = []

    def add(self, function: Callable[..., str], *args: Any, **kwargs: Any) -> str:
        self.jobs.append((function, args, kwargs))
        return str(len(self.jobs) - 1)


def draw_job(function: Callable[..., str], args: tuple[Any, ...], kwargs: dict[str, Any]) -> str:
    return function(*args, **kwargs)


def drawn(charts_asked: Sequence[Chart], svgs: Sequence[str]) -> tuple[Chart, ...]:
    return tuple(dataclasses.replace(c, svg=svgs[int(c.svg)]) for c in charts_asked)


def capped_rows(
    rows: Sequence[tuple[Cell, ...]],
    total: int | None = None,
    holders: str = "the JSON and CSV beside this report hold",
) -> tuple[tuple[tuple[Cell, ...], ...], str | None]:
    """At most MAX_TABLE_ROWS rows; ``total`` is the full count when ``rows`` was cut short,
    and the note names the files that hold them all (``holders``)."""
    total = len(rows) if total is None else total
    if total <= MAX_TABLE_ROWS:
        return tuple(rows), None
    return tuple(rows[:MAX_TABLE_ROWS]), (
        f"First {MAX_TABLE_ROWS} of {total:,} rows; {holders} them all."
    )


def _hops(ids: Sequence[str]) -> str:
    shown = MAX_HOPS_SHOWN
    return " → ".join(f"#{i}" for i in ids[:shown]) + (" …" if len(ids) > shown else "")


def drift_charts(
    analysis: Analysis, anchors: dict[str, str], cluster_label: dict[int, str], draw: Draw
) -> list[Chart]:
    discussion = analysis.discussion
    comments, results = discussion.comments, analysis.comments
    if not comments:
        return []
    threshold = analysis.parameters.off_topic_band[0]
    reference = REFERENCE_NAMES[analysis.parameters.reference]
    rows, note = capped_rows(
        [
            (
                Cell(f"#{c.id}", f"#{anchors[c.id]}"),
                Cell(c.author or "(no name)"),
                Cell(str(r.cluster)),
                Cell(fmt(r.article_similarity)),
                Cell(VERDICTS[r.judgement]),
            )
            for c, r in zip(comments[:MAX_TABLE_ROWS], results[:MAX_TABLE_ROWS], strict=True)
        ],
        total=len(comments),
    )
    position_chart = Chart(
        name="similarity-position",
        title=f"Similarity to {reference}, comment by comment",
        svg=draw(
            charts.similarity_by_position,
            [c.position for c in comments],
            [r.article_similarity for r in results],
            [r.cluster for r in results],
            [anchors[c.id] for c in comments],
            [
                f"Comment #{c.id} by {c.author or '(no name)'}, "
                f"similarity {fmt(r.article_similarity)}"
                for c, r in zip(comments, results, strict=True)
            ],
            threshold,
            cluster_label,
        ),
        caption=(
            "Each mark is a comment, in the order of the page; higher means closer to "
            f"{reference}. Colour and shape show the topic cluster; the dashed line is the "
            "off-topic threshold. Click a mark to jump to the comment."
        ),
        headers=("Comment", "Author", "Topic", "Similarity", "Verdict"),
        rows=rows,
        rows_note=note,
    )
    groups = analysis.summary.depth_groups
    depth_chart = Chart(
        name="similarity-depth",
        title=f"Similarity to {reference} by reply depth",
        svg=draw(
            charts.bars,
            "similarity-depth",
            [g.label for g in groups],
            [g.mean_similarity for g in groups],
            "reply depth (0 = top-level comment)",
            f"mean similarity to {reference}",
        ),
        caption=f"Mean similarity to {reference} of the comments at each depth of the reply tree.",
        headers=("Depth", "Comments", "Mean similarity"),
        rows=tuple(
            (Cell(g.label), Cell(str(g.comments)), Cell(fmt(g.mean_similarity))) for g in groups
        ),
    )
    similarity = {r.id: r.article_similarity for r in results}
    chains = [chain for chain in analysis.chains if chain.length > 1] or list(analysis.chains)
    drift_points = analysis.summary.chain_drift_points
    chain_rows, chain_note = capped_rows(
        [
            (
                Cell(_hops(chain.ids)),
                Cell(" → ".join(fmt(v) for v in chain.article_similarities[:MAX_HOPS_SHOWN])),
                Cell(f"#{chain.drift_point}" if chain.drift_point else "stays on topic",
                     f"#{anchors[chain.drift_point]}" if chain.drift_point else None),
            )
            for chain in chains[:MAX_TABLE_ROWS]
        ],
        total=len(chains),
    )  # fmt: skip
    chain_chart = Chart(
        name="chain-paths",
        title="Every reply chain, hop by hop",
        svg=draw(
            charts.chain_paths,
            [
                (c.depth, similarity[str(c.parent_id)], similarity[c.id])
                for c in comments
                if c.parent_id is not None
            ],
            [(c.depth, similarity[c.id]) for c in comments if c.id in drift_points],
            threshold,
        ),
        caption=(
            "Each grey line is one reply, from the comment it answers to the reply itself, placed "
            "by hop from the top-level comment: together they trace every reply chain down to its "
            "last reply (darker where many overlap). The dashed red line is the off-topic "
            "threshold; a red cross marks a drift point: the comment from which a chain stays "
            "below it."
        ),
        headers=("Chain", "Similarity at each hop", "Drift point"),
        rows=chain_rows,
        rows_note=chain_note,
    )
    return [position_chart, depth_chart, chain_chart]


def topic_charts(analysis: Analysis, draw: Draw) -> list[Chart]:
    clusters, sweep = analysis.clusters, analysis.sweep
    if not clusters:
        return []
    size_chart = Chart(
        name="cluster-sizes",
        title="Comments per topic cluster",
        svg=draw(
            charts.bars,
            "cluster-sizes",
            [str(k.number) for k in clusters],
            [k.size for k in clusters],
            "topic cluster (striped = off-topic)",
            "comments",
            hatched=[k.off_topic for k in clusters],
            colours=[charts.cluster_colour(k.number) for k in clusters],
            counts=True,
        ),
        caption="How many comments each topic cluster holds; striped bars are off-topic clusters.",
        headers=("Topic", "Terms", "Comments", "Verdict"),
        rows=tuple(
            (
                Cell(str(k.number), f"#topic-{k.number}"),
                Cell(", ".join(k.terms)),
                Cell(str(k.size)),
                Cell("off-topic" if k.off_topic else "on-topic"),
            )
            for k in clusters
        ),  # fmt: skip
    )
    result = [size_chart]
    if sweep:
        used = analysis.parameters.clusters
        result.append(
            Chart(
                name="k-panel",
                title="How the picture changes with the number of clusters",
                svg=draw(
                    charts.k_panel,
                    [row.k for row in sweep],
                    [row.silhouette for row in sweep],
                    [row.stability for row in sweep],
                    [row.off_topic_share for row in sweep],
                    used,
                ),
                caption=(
                    "For each K: silhouette (how well separated the clusters are), stability "
                    f"(how much the clusters agree across {STABILITY_SEEDS} random starts, "
                    "1 = identical) and the share of comments in off-topic clusters. The shaded "
                    f"K = {used} is the one used in this report; rerun with another K to see it."
                ),
                headers=("K", "Silhouette", "Stability", "Share in off-topic clusters"),
                rows=tuple(
                    (
                        Cell(f"{row.k}{' (used)' if row.k == used else ''}"),
                        Cell(fmt(row.silhouette, 3)),
                        Cell(fmt(row.stability, 3)),
                        Cell(pct(row.off_topic_share)),
                    )
                    for row in sweep
                ),  # fmt: skip
            )
        )
    return result


def sentiment_charts(analysis: Analysis, draw: Draw) -> list[Chart]:
    summary = analysis.summary
    if not summary.comments:
        return []
    bins = summary.sentiment_histogram
    distribution = Chart(
        name="sentiment-distribution",
        title="How the comments feel",
        svg=draw(
            charts.histogram,
            "sentiment-distribution",
            [b.low for b in bins],
            [b.high for b in bins],
            [b.comments for b in bins],
            "sentiment (−1 to +1)",
        ),
        caption=(
            f"Distribution of comment sentiment. Dotted lines at ±{POSITIVE_AT:g} separate "
            "negative, neutral and positive, as VADER's authors recommend."
        ),
        headers=("Sentiment", "Comments"),
        rows=tuple(
            (Cell(f"{signed(b.low)} to {signed(b.high)}"), Cell(str(b.comments))) for b in bins
        ),
    )
    groups = summary.sentiment_groups
    by_group = Chart(
        name="sentiment-groups",
        title="Sentiment by topic, by reply depth, on and off topic",
        svg=draw(
            charts.bars,
            "sentiment-groups",
            [g.label for g in groups],
            [g.mean for g in groups],
            "",
            "mean sentiment",
            hatched=[g.label == "off-topic" for g in groups],
            symmetric=True,
        ),
        caption=(
            "Mean sentiment of each group of comments: per topic cluster, per reply depth, "
            "and on-topic against off-topic (striped)."
        ),
        headers=("Group", "Comments", "Mean sentiment"),
        rows=tuple((Cell(g.label), Cell(str(g.comments)), Cell(signed(g.mean))) for g in groups),
    )
    return [distribution, by_group]
