"""``corpus.html``: the comparison page, from the article rows and the recurring topics.

The page is offline (everything inline; a Content-Security-Policy forbids any request),
readable without scripts (the article table is plain markup, most-drifted first), and a
small script lets a reader sort it. Charts are matplotlib figures as inline SVG with ids
salted per chart. Markup, CSS and JS live in ``templates/``.
"""

from __future__ import annotations

import base64
import hashlib
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import quote

import numpy as np

from threads.corpus.comment_topics import CorpusTopic
from threads.corpus.space import RecurringTopic
from threads.report.charts import PALETTE, new_figure, to_svg

#: Scatter marks beyond this many pages are drawn as an embedded image.
MAX_VECTOR_POINTS = 3000
#: The page's article table shows at most this many pages read (the most off-topic) and
#: this many failed pages: a browser cannot lay out an archive's worth of rows, and the
#: driver would hold them all. ``articles.csv`` and ``articles.parquet`` have every page.
TABLE_PAGES = 2000
TABLE_FAILED = 500


@dataclass(frozen=True)
class PagePoints:
    """What the charts plot: one entry per page read that has an off-topic share."""

    comments: np.ndarray
    off_topic_share: np.ndarray
    max_depth: np.ndarray
    published: Sequence[str | None]  # as the page gave it; parsed when charted


@dataclass(frozen=True)
class Cell:
    text: str  # as shown
    sort: str  # the value the sorting script compares (numbers as numbers)
    href: str | None = None
    numeric: bool = False


@dataclass(frozen=True)
class ArticleView:
    page: str
    failed: bool
    error: str | None
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Chart:
    name: str  # element id, unique on the page; salts the SVG ids
    title: str
    svg: str
    caption: str


@dataclass(frozen=True)
class CorpusContext:
    """Everything the comparison page template shows."""

    title: str
    version: str
    digest: str
    pages: int
    failed: int
    comments: int
    headers: tuple[str, ...]
    numeric_headers: tuple[bool, ...]
    articles: tuple[ArticleView, ...]  # the rows shown (see ``shown_in_table``)
    read_pages: int  # pages read (the others failed)
    charts: tuple[Chart, ...]
    topics: tuple[dict[str, Any], ...]
    model_digest: str
    comment_topics: tuple[dict[str, Any], ...] = ()  # the opt-in corpus topic model
    script_hash: str = ""

    def as_template_vars(self) -> dict[str, Any]:
        return {f: getattr(self, f) for f in self.__dataclass_fields__}


COLUMNS = (
    ("page", "page", False),
    ("comments", "comments", True),
    ("announced_total", "announced", True),
    ("max_depth", "deepest reply", True),
    ("off_topic_share", "off-topic share", True),
    ("off_topic_interval", "95% interval", False),
    ("largest_digression", "largest digression", True),
    ("sentiment_mean", "mean tone", True),
    ("space_article_similarity", "comments to article (corpus space)", True),
    ("recurring_topics", "recurring topics", False),
    ("top_terms", "top topic terms", False),
    ("published", "published", False),
)


def _fmt(value: Any, digits: int = 3) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _sort(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return repr(value) if isinstance(value, float | int) else str(value)


def _order(ok: bool, share: float | None, name: str) -> tuple[Any, ...]:
    """The table's order without scripts: most off-topic first, failed pages last."""
    return (not ok, -(share if share is not None else -1.0), name)


def shown_in_table(ok: np.ndarray, shares: np.ndarray, names: Sequence[str]) -> set[int]:
    """Positions (in page order) of the pages the table shows: the ``TABLE_PAGES`` first
    pages read in the table's order and the ``TABLE_FAILED`` first failed pages (NaN
    share: none)."""

    def key(i: int) -> tuple[Any, ...]:
        share = float(shares[i])
        return _order(bool(ok[i]), None if math.isnan(share) else share, names[i])

    ranked = sorted(range(len(names)), key=key)
    read = [i for i in ranked if ok[i]][:TABLE_PAGES]
    failed = [i for i in ranked if not ok[i]][:TABLE_FAILED]
    return set(read) | set(failed)


def link(path: str | None, fragment: str | None = None) -> str | None:
    """A relative file path (and an element id) as a URL: every character a URL gives a
    meaning to (``%``, ``?``, ``#``, a newline, bytes shown as ``\\xNN``) percent-encoded,
    so a page named ``%41.txt`` or ``what?.txt`` links to its own report."""
    if path is None:
        return None
    url = quote(path, safe="/")
    return url if fragment is None else f"{url}#{quote(fragment, safe='')}"


def article_views(rows: Sequence[Mapping[str, Any]]) -> list[ArticleView]:
    """Rows most off-topic first (failed pages last), as the table reads without scripts."""

    def order(row: Mapping[str, Any]) -> tuple[Any, ...]:
        return _order(row["status"] == "ok", row.get("off_topic_share"), row["page"])

    views = []
    for row in sorted(rows, key=order):
        cells = []
        for key, _, numeric in COLUMNS:
            if key == "page":
                cells.append(Cell(row["page"], row["page"], link(row.get("report"))))
            elif key == "off_topic_interval":
                low, high = row.get("off_topic_low"), row.get("off_topic_high")
                text = f"{low:.3f}–{high:.3f}" if low is not None and high is not None else "–"
                cells.append(Cell(text, _sort(low)))
            elif key == "largest_digression":
                count, start = (
                    row.get("largest_digression_comments"),
                    row.get("largest_digression_id"),
                )
                text = f"{count:,} from #{start}" if start else "–"
                href = link(row.get("report"), f"c{start}") if start else None
                cells.append(Cell(text, _sort(count), href, True))
            else:
                value = row.get(key)
                cells.append(Cell(_fmt(value), _sort(value), None, numeric))
        views.append(
            ArticleView(row["page"], row["status"] != "ok", row.get("error"), tuple(cells))
        )
    return views


_ID = re.compile(r'\sid="([^"]+)"')


def unique_ids(svg: str, name: str) -> str:
    """Prefix every element id inside a chart's SVG (and the references to it) with the
    chart's name: matplotlib numbers ids per figure (``figure_1``, ``patch_1``...), so
    several charts on one page would share them."""
    ids = set(_ID.findall(svg))
    if not ids:
        return svg

    def rename(match: re.Match[str]) -> str:
        value = match.group(2)
        return f"{match.group(1)}{name}-{value}" if value in ids else match.group(0)

    svg = re.sub(r'(\sid=")([^"]+)', rename, svg)
    return re.sub(r'((?:url\(|href=")#)([^)"]+)', rename, svg)


def _svg(figure: Any, name: str) -> str:
    return unique_ids(to_svg(figure, name), name)


def _scatter(
    name: str,
    xs: Sequence[float],
    ys: Sequence[float],
    xlabel: str,
    log_x: bool = False,
    dates: bool = False,
) -> str:
    figure, axes = new_figure()
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
    if log_x:
        axes.set_xscale("log")
    if dates:
        figure.autofmt_xdate()
    axes.set_xlabel(xlabel)
    axes.set_ylabel("off-topic share of comments")
    axes.set_ylim(-0.02, 1.02)
    return _svg(figure, name)


def charts(points: PagePoints, topics: Sequence[RecurringTopic]) -> list[Chart]:
    result = []
    if len(points.comments):
        result.append(
            Chart(
                "drift-by-size",
                "Drift against the number of comments",
                _scatter(
                    "drift-by-size",
                    [max(int(n), 1) for n in points.comments],
                    [float(share) for share in points.off_topic_share],
                    "comments on the page (log scale)",
                    log_x=True,
                ),
                "Each mark is a page: its share of off-topic comments against its number of "
                "comments. The numbers are in the article table.",
            )
        )
        result.append(
            Chart(
                "drift-by-depth",
                "Drift against the deepest reply",
                _scatter(
                    "drift-by-depth",
                    [int(depth) for depth in points.max_depth],
                    [float(share) for share in points.off_topic_share],
                    "deepest reply level on the page",
                ),
                "Each mark is a page: its off-topic share against how deep its replies go.",
            )
        )
        dated = _dated(points)
        if dated:
            result.append(
                Chart(
                    "drift-by-date",
                    "Drift against the article's date",
                    _scatter(
                        "drift-by-date",
                        [d for d, _ in dated],
                        [s for _, s in dated],
                        "article published",
                        dates=True,
                    ),
                    f"Pages whose article has a date from the years {DATE_YEARS[0]} to "
                    f"{DATE_YEARS[1]} ({len(dated)} of {len(points.comments)}): "
                    "off-topic share against the publication date.",
                )
            )
    if topics:
        result.append(
            Chart(
                "recurring-topics",
                "Topics that recur across articles",
                _topic_bars("recurring-topics", topics),
                "Comments per recurring topic (page clusters grouped in the corpus "
                "space); the table below names each topic's pages.",
            )
        )
    return result


def _dated(points: PagePoints) -> list[tuple[Any, float]]:
    """(date, share) of the pages whose date parses, by date. One vectorised parse, each
    text read on its own (``format="mixed"``), as a parse of each alone would."""
    import warnings

    import pandas as pd

    given = [
        (p, float(s)) for p, s in zip(points.published, points.off_topic_share, strict=True) if p
    ]
    if not given:
        return []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "day first?" guesses on d/m/Y dates
        stamps = pd.to_datetime(
            pd.Series([p for p, _ in given], dtype=object),
            errors="coerce",
            utc=True,
            format="mixed",
        )
    first, last = DATE_YEARS
    found = [
        (stamp.to_pydatetime(), share)
        for stamp, (_, share) in zip(stamps, given, strict=True)
        if not pd.isna(stamp) and first <= stamp.year <= last
    ]
    return sorted(found)


#: The years a date chart shows: a matplotlib axis (with its margins) holds years 1 to
#: 9999 only, and a date outside these is a typo, not an article's date.
DATE_YEARS = (1000, 9000)


def _topic_bars(name: str, topics: Sequence[RecurringTopic]) -> str:
    figure, axes = new_figure()
    labels = [f"{t.number}: {', '.join(t.terms[:3])}" for t in topics]
    axes.barh(range(len(topics)), [t.comments for t in topics], color=PALETTE[2])
    axes.set_yticks(range(len(topics)), labels, fontsize=8)
    axes.invert_yaxis()
    axes.set_xlabel("comments")
    figure.subplots_adjust(left=0.33)
    return _svg(figure, name)


def render(context: CorpusContext) -> str:
    """Fill the comparison page template (autoescaped, control characters made visible; an
    undefined variable is an error)."""
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    from threads.report.render import visible_controls

    environment = Environment(
        loader=PackageLoader("threads.corpus", "templates"),
        autoescape=select_autoescape(["html", "j2"], default=True),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        finalize=visible_controls,
    )
    script = environment.get_template("corpus.js").render()
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    values = context.as_template_vars()
    values["script_hash"] = "sha256-" + base64.b64encode(digest).decode("ascii")
    values["script"] = script
    return environment.get_template("corpus.html.j2").render(values)


def topic_rows(
    topics: Sequence[RecurringTopic], reports: Mapping[str, str | None]
) -> tuple[dict[str, Any], ...]:
    return tuple(_with_links(asdict(topic), topic, reports) for topic in topics)


def _with_links(
    data: dict[str, Any], topic: RecurringTopic | CorpusTopic, reports: Mapping[str, str | None]
) -> dict[str, Any]:
    """A topic's row with its named pages (linked where they have a report) and how many more."""
    data["links"] = [(p, link(reports.get(p))) for p in topic.top_pages]
    data["more"] = max(topic.pages - len(topic.top_pages), 0)
    return data


def comment_topic_rows(
    topics: Sequence[CorpusTopic], reports: Mapping[str, str | None]
) -> tuple[dict[str, Any], ...]:
    """The corpus topic model's table: each topic with its share of the comments."""
    total = sum(t.comments for t in topics)
    return tuple(
        _with_links(
            {**asdict(topic), "share": _fmt(topic.comments / total if total else None, 3)},
            topic,
            reports,
        )
        for topic in topics
    )
