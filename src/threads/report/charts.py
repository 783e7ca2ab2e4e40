"""Charts for the report: matplotlib figures rendered to inline SVG.

Each function takes plain numbers and returns SVG markup. The output is deterministic: the
SVG carries no date, and every element id (and every reference to it) starts with the chart's
name, so several charts share one page without id clashes. Text stays text
(``svg.fonttype = none``) so the page is small and searchable; it uses locally installed fonts
only. Colour is never the only signal: clusters
also differ by marker shape, off-topic bars by hatching.
"""

from __future__ import annotations

import html
import io
import re
import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

from threads.report._mplhome import ensure_matplotlib_home

ensure_matplotlib_home()  # before matplotlib looks for its folders

import matplotlib  # noqa: E402
import numpy as np  # noqa: E402

# Figures are built with the object API and saved as SVG: no pyplot, no GUI backend (pyplot
# alone adds about 0.2 s of imports to every report).
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import LogFormatter, MaxNLocator  # noqa: E402

from threads.analysis.sentiment import NEGATIVE_AT, POSITIVE_AT  # noqa: E402

if TYPE_CHECKING:
    from matplotlib.axes import Axes

# Colour-blind-safe palette (Okabe-Ito's hues; its orange, sky blue and yellow darkened so
# every colour has at least 3:1 contrast against the white page) and distinct marker shapes,
# cycled per cluster.
PALETTE = ["#0072B2", "#B26B00", "#009E73", "#CC79A7", "#2F8FC9", "#D55E00", "#8F7D00", "#000000"]
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]
#: How each marker looks in text (the topic table's legend), in the order of ``MARKERS``.
MARKER_SYMBOLS = {"o": "●", "s": "■", "^": "▲", "D": "◆", "v": "▼", "P": "✚", "X": "✖", "*": "★"}
# Above this many points, scatter points are drawn as an embedded image (still inside the
# SVG) so the page stays small and fast, and per-point links are dropped.
MAX_VECTOR_POINTS = 3000
WIDTH_IN, HEIGHT_IN = 8.0, 3.6
# Margins around the plot area, in inches: tick labels and axis titles fit inside them.
LEFT_IN, RIGHT_IN, TOP_IN, BOTTOM_IN = 0.85, 0.25, 0.3, 0.62
LEGEND_ROW_IN, LEGEND_GAP_IN = 0.22, 0.08


def cluster_colour(number: int) -> str:
    return PALETTE[number % len(PALETTE)]


def cluster_marker(number: int) -> str:
    return MARKERS[number % len(MARKERS)]


def _new_figure(height: float = HEIGHT_IN, legend_rows: int = 0) -> tuple[Figure, Axes]:
    """A figure with fixed margins (inches), and room below for a legend of that many rows.

    Fixed margins, not a layout engine: measuring every label to lay it out took half of
    each chart's drawing time.
    """
    legend = LEGEND_ROW_IN * legend_rows + LEGEND_GAP_IN if legend_rows else 0.0
    total = height + legend
    figure = Figure(figsize=(WIDTH_IN, total), dpi=96)
    figure.subplots_adjust(
        left=LEFT_IN / WIDTH_IN,
        right=1 - RIGHT_IN / WIDTH_IN,
        bottom=(BOTTOM_IN + legend) / total,
        top=1 - TOP_IN / total,
    )
    axes = figure.add_subplot()
    axes.spines[["top", "right"]].set_visible(False)
    axes.grid(axis="y", color="#dddddd", linewidth=0.6)
    axes.set_axisbelow(True)
    return figure, axes


def _legend_below(figure: Figure, columns: int) -> None:
    figure.legend(
        loc="lower center", bbox_to_anchor=(0.5, 0.01), ncol=columns, fontsize=8, frameon=False
    )


_ID = re.compile(r' id="([^"]+)"')
_LINK = re.compile(r'<a xlink:href="#([^"]+)" target="_blank">')


def to_svg(figure: Figure, name: str, link_labels: dict[str, str] | None = None) -> str:
    """Render a figure as an inline ``<svg>`` element (no XML prolog, no date).

    ``link_labels`` names each mark link by the anchor it points to (``c7``); a chart with
    links is a group of links (role ``group``), one without is an image.
    """
    buffer = io.StringIO()
    with (
        matplotlib.rc_context({"svg.hashsalt": f"threads-{name}", "svg.fonttype": "none"}),
        warnings.catch_warnings(),
    ):
        # Text stays text in the SVG (fonttype none): the browser draws CJK or Devanagari
        # labels with its own fonts, so matplotlib's missing-glyph notice is no concern.
        warnings.filterwarnings("ignore", r"Glyph \d+ .*missing from font", UserWarning)
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    svg = buffer.getvalue()
    start = svg.index("<svg")
    svg = svg[start:]
    # Drop the RDF metadata block: it names creativecommons/purl URLs and says nothing useful.
    if "<metadata>" in svg:
        before, _, rest = svg.partition("<metadata>")
        svg = before + rest.partition("</metadata>")[2]
    svg = _prefix_ids(svg, name)
    if link_labels is not None:
        # Links stay in the page (no target) and say where they go.
        svg = _LINK.sub(
            lambda m: f'<a href="#{m[1]}" aria-label="{html.escape(link_labels[m[1]])}">',
            svg,
        )
    # Scale with the page: drop the fixed size, keep the viewBox.
    head, rest = svg.split(">", 1)
    head = _drop_attribute(_drop_attribute(head, "width"), "height")
    role = "img" if link_labels is None else "group"
    return f'{head} role="{role}" aria-labelledby="{name}-caption" class="chart">{rest}'


def _prefix_ids(svg: str, name: str) -> str:
    """Every id ``x`` becomes ``name-x``, and so do its references (``#x``, ``url(#x)``)."""
    ids = set(_ID.findall(svg))
    if not ids:
        return svg
    svg = _ID.sub(lambda m: f' id="{name}-{m[1]}"', svg)
    return re.sub(
        r'(xlink:href="#|href="#|url\(#)([^")]+)',
        lambda m: f"{m[1]}{name}-{m[2]}" if m[2] in ids else m[0],
        svg,
    )


def _drop_attribute(tag: str, attribute: str) -> str:
    marker = f' {attribute}="'
    if marker not in tag:
        return tag
    start = tag.index(marker)
    end = tag.index('"', start + len(marker)) + 1
    return tag[:start] + tag[end:]


def similarity_by_position(
    positions: Sequence[int],
    similarities: Sequence[float],
    clusters: Sequence[int],
    anchors: Sequence[str],
    labels: Sequence[str],
    threshold: float,
    cluster_names: dict[int, str],
) -> str:
    """Each comment's similarity to the article in page order, by cluster, with the threshold.

    Each mark links to ``#anchor`` and is named by its label (below MAX_VECTOR_POINTS).
    """
    n_clusters = len(set(clusters))
    figure, axes = _new_figure(legend_rows=-(-n_clusters // 3) if n_clusters > 1 else 0)
    many = len(positions) > MAX_VECTOR_POINTS
    for number in sorted(set(clusters)):
        index = [i for i, c in enumerate(clusters) if c == number]
        points = axes.scatter(
            [positions[i] for i in index],
            [similarities[i] for i in index],
            s=8 if many else 36,
            c=cluster_colour(number),
            marker=cluster_marker(number),
            edgecolors="white",
            linewidths=0.5,
            label=cluster_names[number],
            rasterized=many,
            zorder=3,
        )
        if not many:
            points.set_urls([f"#{anchors[i]}" for i in index])
    axes.axhline(threshold, color="#B22222", linestyle="--", linewidth=1.2, zorder=2)
    axes.annotate(
        f"off-topic below {threshold:.3f}",
        xy=(1.0, threshold),
        xycoords=("axes fraction", "data"),
        xytext=(-4, 4),
        textcoords="offset points",
        ha="right",
        color="#B22222",
        fontsize=8,
    )
    axes.set_xlabel("comment position on the page")
    axes.set_ylabel("similarity to the article")
    axes.set_ylim(bottom=0)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    if n_clusters > 1:
        _legend_below(figure, columns=min(3, n_clusters))
    link_labels = None if many else dict(zip(anchors, labels, strict=True))
    return to_svg(figure, "similarity-position", link_labels)


def bars(
    name: str,
    labels: Sequence[str],
    values: Sequence[float],
    xlabel: str,
    ylabel: str,
    hatched: Sequence[bool] | None = None,
    colours: Sequence[str] | None = None,
    symmetric: bool = False,
    counts: bool = False,
) -> str:
    """A labelled bar chart; ``hatched`` bars are drawn striped (used for off-topic).

    ``counts`` values are whole numbers: the value axis has integer ticks only.
    """
    figure, axes = _new_figure(height=3.0)
    positions = range(len(values))
    drawn = axes.bar(
        positions,
        values,
        color=list(colours) if colours else PALETTE[0],
        edgecolor="#333333",
        linewidth=0.6,
    )
    for bar, hatch in zip(drawn, hatched or [False] * len(values), strict=True):
        if hatch:
            bar.set_hatch("///")
    axes.set_xticks(list(positions), list(labels), fontsize=8)
    axes.set_xlabel(xlabel)
    axes.set_ylabel(ylabel)
    if symmetric:
        axes.axhline(0, color="#333333", linewidth=0.8)
        axes.set_ylim(-1, 1)
    if counts:
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    return to_svg(figure, name)


def chain_paths(
    replies: Sequence[tuple[int, float, float]],
    drift_points: Sequence[tuple[int, float]],
    threshold: float,
) -> str:
    """Every reply chain hop by hop, drawn as its replies; drift points marked.

    ``replies`` holds (hop, similarity of the comment replied to, similarity of the reply): a
    line from hop - 1 to hop. Together they trace every chain from its top-level comment to
    its last reply; each reply is drawn once, however many chains pass through it.
    """
    from matplotlib.collections import LineCollection

    figure, axes = _new_figure(legend_rows=1)
    many = len(replies) > MAX_VECTOR_POINTS
    segments = np.array(
        [((hop - 1, before), (hop, after)) for hop, before, after in replies], dtype=float
    ).reshape(-1, 2, 2)
    # One collection for all replies: thousands of separate lines would take seconds to draw.
    lines = LineCollection(
        list(segments),
        # Dark enough that even one line has 3:1 contrast against white (about #888).
        colors="#444444",
        linewidths=0.8,
        alpha=0.65,
        rasterized=many,
        label="one reply: from the comment it answers to the reply",
    )
    axes.add_collection(lines)
    if drift_points:
        axes.scatter(
            [x for x, _ in drift_points], [y for _, y in drift_points], marker="X", s=60,
            color="#B22222", zorder=4, rasterized=len(drift_points) > MAX_VECTOR_POINTS,
            label="drift point",
        )  # fmt: skip
    axes.axhline(threshold, color="#B22222", linestyle="--", linewidth=1.2,
                 label=f"off-topic threshold ({threshold:.3f})")  # fmt: skip
    axes.set_xlabel("hop in the reply chain (0 = top-level comment)")
    axes.set_ylabel("similarity to the article")
    longest = int(segments[:, 1, 0].max()) + 1 if len(segments) else 1
    top = float(segments[:, :, 1].max()) if len(segments) else 0.1
    axes.set_xlim(-0.3, max(longest - 1, 1) + 0.3)
    axes.set_ylim(0, top * 1.08 or 0.1)
    axes.set_xticks(range(0, longest, max(1, longest // 10)))
    _legend_below(figure, columns=3)
    return to_svg(figure, "chain-paths")


def k_panel(
    ks: Sequence[int],
    silhouettes: Sequence[float | None],
    stabilities: Sequence[float | None],
    off_topic_shares: Sequence[float],
    used_k: int,
) -> str:
    """Silhouette, stability and off-topic share for each K, the K used highlighted."""
    figure, axes = _new_figure(height=3.0, legend_rows=1)

    def series(values: Sequence[float | None]) -> list[float]:
        return [float("nan") if v is None else v for v in values]

    axes.plot(ks, series(silhouettes), marker="o", color=PALETTE[0], label="silhouette")
    axes.plot(ks, series(stabilities), marker="s", linestyle="--", color=PALETTE[1],
              label="stability (ARI)")  # fmt: skip
    axes.plot(ks, series(off_topic_shares), marker="^", linestyle=":", color=PALETTE[5],
              label="share in off-topic clusters")  # fmt: skip
    axes.axvline(used_k, color="#333333", linewidth=6, alpha=0.12)
    axes.annotate(f"K = {used_k} used", xy=(used_k, 1.0), xycoords=("data", "axes fraction"),
                  ha="center", va="bottom", fontsize=8)  # fmt: skip
    axes.set_xticks(list(ks))
    axes.set_xlabel("number of clusters K")
    axes.set_ylim(-0.05, 1.05)
    _legend_below(figure, columns=3)
    return to_svg(figure, "k-panel")


def histogram(
    name: str, lows: Sequence[float], highs: Sequence[float], counts: Sequence[int], xlabel: str
) -> str:
    """Counts per bin over [-1, 1] (sentiment), drawn from the bins the analysis counted."""
    figure, axes = _new_figure(height=3.0)
    widths = [high - low for low, high in zip(lows, highs, strict=True)]
    axes.bar(list(lows), list(counts), width=widths, align="edge", color=PALETTE[0],
             edgecolor="white")  # fmt: skip
    axes.set_xlim(-1, 1)
    for edge in (NEGATIVE_AT, POSITIVE_AT):
        axes.axvline(edge, color="#555555", linestyle=":", linewidth=1)
    axes.set_xlabel(xlabel)
    axes.set_ylabel("comments")
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    return to_svg(figure, name)


class _WholeNumbers(LogFormatter):
    """A log axis of counts labelled as counts: "4", "50", "1,000", never "4×10⁰"; a tick
    between whole numbers (0.9, the margin left of 1) has no label."""

    def __call__(self, x: float, pos: int | None = None) -> str:
        if x < 1 or x != round(x) or not super().__call__(x, pos):
            return ""
        return f"{x:,.0f}"


def pages_scatter(
    name: str,
    xs: Sequence[Any],  # numbers, or datetimes on a "dates" scale
    ys: Sequence[float],
    xlabel: str,
    x_scale: Literal["counts", "log counts", "dates"] = "counts",
) -> str:
    """One mark per page of a corpus: its off-topic share (y) against ``xs``.

    ``x_scale``: ``"counts"`` (whole numbers, integer ticks), ``"log counts"`` (whole numbers
    from 1, log scale, labelled as numbers) or ``"dates"`` (datetimes).
    """
    figure, axes = _new_figure()
    many = len(xs) > MAX_VECTOR_POINTS
    axes.scatter(
        xs,
        ys,
        s=10 if many else 30,
        c=PALETTE[0],
        edgecolors="white",
        linewidths=0.5,
        rasterized=many,
        zorder=3,
    )
    if x_scale == "log counts":
        axes.set_xscale("log")
        axes.xaxis.set_major_formatter(_WholeNumbers())
        axes.xaxis.set_minor_formatter(_WholeNumbers(labelOnlyBase=False))
    elif x_scale == "dates":
        figure.autofmt_xdate()
    else:
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xlabel(xlabel)
    axes.set_ylabel("off-topic share of comments")
    axes.set_ylim(-0.02, 1.02)
    return to_svg(figure, name)


def count_bars(name: str, labels: Sequence[str], counts: Sequence[int], xlabel: str) -> str:
    """Horizontal bars of whole numbers, the first label on top; integer ticks only."""
    figure, axes = _new_figure()
    axes.barh(range(len(counts)), list(counts), color=PALETTE[2])
    axes.set_yticks(range(len(counts)), list(labels), fontsize=8)
    axes.invert_yaxis()
    axes.set_xlabel(xlabel)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    figure.subplots_adjust(left=0.33)
    return to_svg(figure, name)
