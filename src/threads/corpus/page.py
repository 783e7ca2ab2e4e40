"""``corpus.html``: the comparison page, from the article rows and the recurring topics.

The page is offline (everything inline; a Content-Security-Policy forbids any request),
readable without scripts (the article table is plain markup, most-drifted first), and a
small script lets a reader sort it. It is drawn and filled by the report's house: charts from
:mod:`threads.report.charts` (ids prefixed per chart), chart and cell records from
:mod:`threads.report.figures`, templates and script hash from :mod:`threads.report.render`.
This module only lays the corpus's figures out in those records.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import quote

import numpy as np

from threads.analysis.across_pages import MIN_COMMENTS, AcrossPages, RankedPage
from threads.analysis.comparison_space import RecurringTopic
from threads.analysis.corpus_topics import CorpusTopic
from threads.report import charts as drawing
from threads.report.charts import PALETTE
from threads.report.context import DigestPiece, DigestView
from threads.report.figures import Cell, Chart, capped_rows
from threads.report.render import render_page

#: The page's article table shows at most this many pages read (the most off-topic) and
#: this many failed pages: a browser cannot lay out an archive's worth of rows, and the
#: driver would hold them all. ``articles.csv`` and ``articles.parquet`` have every page.
TABLE_PAGES = 2000
TABLE_FAILED = 500
#: What a chart's table of numbers names when it shows only its first rows.
ALL_ROWS = "articles.csv beside this page holds"


@dataclass(frozen=True)
class PagePoints:
    """What the charts plot: one entry per page read that has an off-topic share."""

    pages: Sequence[str]
    comments: np.ndarray
    off_topic_share: np.ndarray
    max_depth: np.ndarray
    published: Sequence[str | None]  # as the page gave it; parsed when charted


@dataclass(frozen=True)
class ArticleView:
    page: str
    failed: bool
    error: str | None
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class CorpusContext:
    """Everything the comparison page template shows."""

    title: str
    version: str
    corpus_digest: str  # the manifest's digest
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
    digest: DigestView | None = None  # the corpus in brief (None: no page read)
    min_comments: int = MIN_COMMENTS  # the fewest comments a page ranked in brief has
    palette: tuple[str, ...] = tuple(PALETTE)  # the report's stylesheet names its colours

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
                cells.append(Cell(row["page"], link(row.get("report")), row["page"]))
            elif key == "off_topic_interval":
                low, high = row.get("off_topic_low"), row.get("off_topic_high")
                text = f"{low:.3f}–{high:.3f}" if low is not None and high is not None else "–"
                cells.append(Cell(text, sort=_sort(low)))
            elif key == "largest_digression":
                count, start = (
                    row.get("largest_digression_comments"),
                    row.get("largest_digression_id"),
                )
                text = f"{count:,} from #{start}" if start else "–"
                href = link(row.get("report"), f"c{start}") if start else None
                cells.append(Cell(text, href, _sort(count), numeric=True))
            else:
                value = row.get(key)
                cells.append(Cell(_fmt(value), sort=_sort(value), numeric=numeric))
        views.append(
            ArticleView(row["page"], row["status"] != "ok", row.get("error"), tuple(cells))
        )
    return views


def charts(
    points: PagePoints, topics: Sequence[RecurringTopic], reports: Mapping[str, str | None]
) -> list[Chart]:
    """The comparison charts, each with the table of its numbers (pages most off-topic
    first, as the article table reads)."""
    result = []
    ranked = sorted(
        range(len(points.pages)),
        key=lambda i: _order(True, float(points.off_topic_share[i]), points.pages[i]),
    )

    def page_cell(i: int) -> Cell:
        return Cell(points.pages[i], link(reports.get(points.pages[i])))

    def share(i: int) -> Cell:
        return Cell(_fmt(float(points.off_topic_share[i])))

    if len(points.pages):
        rows, note = capped_rows(
            [(page_cell(i), Cell(f"{int(points.comments[i]):,}"), share(i)) for i in ranked],
            holders=ALL_ROWS,
        )
        result.append(
            Chart(
                "drift-by-size",
                "Drift against the number of comments",
                drawing.pages_scatter(
                    "drift-by-size",
                    [max(int(n), 1) for n in points.comments],
                    [float(s) for s in points.off_topic_share],
                    "comments on the page (log scale)",
                    x_scale="log counts",
                ),
                "Each mark is a page: its share of off-topic comments against its number of "
                "comments.",
                ("page", "comments", "off-topic share"),
                rows,
                note,
            )
        )
        rows, note = capped_rows(
            [(page_cell(i), Cell(f"{int(points.max_depth[i]):,}"), share(i)) for i in ranked],
            holders=ALL_ROWS,
        )
        result.append(
            Chart(
                "drift-by-depth",
                "Drift against the deepest reply",
                drawing.pages_scatter(
                    "drift-by-depth",
                    [int(depth) for depth in points.max_depth],
                    [float(s) for s in points.off_topic_share],
                    "deepest reply level on the page",
                ),
                "Each mark is a page: its off-topic share against how deep its replies go.",
                ("page", "deepest reply", "off-topic share"),
                rows,
                note,
            )
        )
        dated = _dated(points)
        if dated:
            by_page = {points.pages[i]: n for n, i in enumerate(ranked)}
            rows, note = capped_rows(
                [
                    (page_cell(i), Cell(points.published[i] or ""), share(i))
                    for _, i in sorted(dated, key=lambda d: by_page[points.pages[d[1]]])
                ],
                holders=ALL_ROWS,
            )
            result.append(
                Chart(
                    "drift-by-date",
                    "Drift against the article's date",
                    drawing.pages_scatter(
                        "drift-by-date",
                        [d for d, _ in dated],
                        [float(points.off_topic_share[i]) for _, i in dated],
                        "article published",
                        x_scale="dates",
                    ),
                    f"Pages whose article has a date from the years {DATE_YEARS[0]} to "
                    f"{DATE_YEARS[1]} ({len(dated)} of {len(points.pages)}): "
                    "off-topic share against the publication date.",
                    ("page", "published", "off-topic share"),
                    rows,
                    note,
                )
            )
    if topics:
        rows, note = capped_rows(
            [
                (
                    Cell(str(t.number)),
                    Cell(", ".join(t.terms)),
                    Cell(f"{t.pages:,}"),
                    Cell(f"{t.comments:,}"),
                )
                for t in topics
            ],
            holders=ALL_ROWS,
        )
        result.append(
            Chart(
                "recurring-topics",
                "Topics that recur across articles",
                drawing.count_bars(
                    "recurring-topics",
                    [f"{t.number}: {', '.join(t.terms[:3])}" for t in topics],
                    [t.comments for t in topics],
                    "comments",
                ),
                "Comments per recurring topic (page clusters grouped in the corpus "
                "space); the table below names each topic's pages.",
                ("topic", "terms", "pages", "comments"),
                rows,
                note,
            )
        )
    return result


def _dated(points: PagePoints) -> list[tuple[Any, int]]:
    """(date, position in ``points``) of the pages whose date parses, by date. One
    vectorised parse, each text read on its own (``format="mixed"``), as a parse of each
    alone would."""
    import warnings

    import pandas as pd

    given = [i for i, p in enumerate(points.published) if p]
    if not given:
        return []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "day first?" guesses on d/m/Y dates
        stamps = pd.to_datetime(
            pd.Series([points.published[i] for i in given], dtype=object),
            errors="coerce",
            utc=True,
            format="mixed",
        )
    first, last = DATE_YEARS
    found = [
        (stamp.to_pydatetime(), i)
        for stamp, i in zip(stamps, given, strict=True)
        if not pd.isna(stamp) and first <= stamp.year <= last
    ]
    return sorted(found)


#: The years a date chart shows: a matplotlib axis (with its margins) holds years 1 to
#: 9999 only, and a date outside these is a typo, not an article's date.
DATE_YEARS = (1000, 9000)


def brief(
    figures: AcrossPages, topics: Sequence[RecurringTopic], reports: Mapping[str, str | None]
) -> DigestView:
    """The corpus in brief, as sentences of text and links to the pages' reports."""

    def page_piece(p: RankedPage) -> DigestPiece:
        return DigestPiece(p.page, link(reports.get(p.page)))

    def figures_of(p: RankedPage) -> DigestPiece:
        return DigestPiece(
            f" ({_fmt(p.share)} of its {p.comments:,} comments off-topic, 95% interval "
            f"{p.low:.3f}–{p.high:.3f})"
        )

    few = figures.few_comments
    are = "is" if few == 1 else "are"
    few_said = (
        f"; {_pages(few)} with fewer {are} not ranked (too few comments to say)" if few else ""
    )
    if not figures.ranked:
        intro = (
            f"No page has {MIN_COMMENTS} comments or more: too few to rank the pages by drift. "
            "The article table gives each page's off-topic share with its 95% interval."
        )
    else:
        intro = (
            f"Of the {_pages(figures.pages)}, {figures.ranked:,} "
            f"{'has' if figures.ranked == 1 else 'have'} {MIN_COMMENTS} comments or more and "
            f"{'is' if figures.ranked == 1 else 'are'} ranked by off-topic share{few_said}."
        )
    lines: list[tuple[DigestPiece, ...]] = []
    if figures.ranked == 1:
        only = figures.most[0]
        lines.append((DigestPiece("The one page ranked: "), page_piece(only), figures_of(only),
                      DigestPiece(".")))  # fmt: skip
    elif figures.least is not None:
        named: list[DigestPiece] = [DigestPiece("Furthest off the subject: ")]
        for n, p in enumerate(figures.most):
            named += [DigestPiece("; ")] if n else []
            named += [page_piece(p), figures_of(p)]
        lines.append((*named, DigestPiece(".")))
    least, difference = figures.least, figures.difference
    if least is not None and difference is not None:
        tied = figures.tied_least
        also = (
            f"; {tied:,} more ranked page{' has' if tied == 1 else 's have'} that share"
            if tied
            else ""
        )
        lines.append(
            (DigestPiece("Closest to the subject: "), page_piece(least), figures_of(least),
             DigestPiece(f"{also}."))
        )  # fmt: skip
        verdict = (
            "more than chance in which comments each page drew."
            if difference.clear
            else "chance in which comments each page drew could close it, so these comments "
            "do not tell the two pages apart."
        )
        lines.append(
            (DigestPiece("The gap in off-topic share between "), page_piece(figures.most[0]),
             DigestPiece(" and "), page_piece(least),
             DigestPiece(f" is {difference.value:.3f} (95% interval {difference.low:.3f} to "
                         f"{difference.high:.3f}): {verdict}"))
        )  # fmt: skip
    elif figures.ranked > 1:
        lines.append(
            (DigestPiece(f"Every ranked page has the same off-topic share, "
                         f"{_fmt(figures.most[0].share)}."),)
        )  # fmt: skip
    unjudged = [
        f"{_pages(figures.failed)} could not be read (listed last in the table)"
        if figures.failed else "",
        f"{_pages(figures.no_comments)} {'has' if figures.no_comments == 1 else 'have'} "
        "no comments" if figures.no_comments else "",
    ]  # fmt: skip
    if any(unjudged):
        lines.append((DigestPiece("Not judged: " + " and ".join(filter(None, unjudged)) + "."),))
    if topics:
        spread = [topics[i] for i in figures.recurring]
        lines.append(
            (DigestPiece(
                "Topics on more than one page: " + "; ".join(
                    f"{t.number} ({', '.join(t.terms[:3])}) on {t.pages:,} pages"
                    for t in spread
                ) + "."
                if spread else "No recurring topic spans more than one page."
            ),)
        )  # fmt: skip
    return DigestView(intro=(DigestPiece(intro),), lines=tuple(lines))


def _pages(n: int) -> str:
    return f"{n:,} page{'' if n == 1 else 's'}"


def render(context: CorpusContext) -> str:
    """Fill the comparison page template through the report's environment (autoescaped,
    control characters made visible; an undefined variable is an error)."""
    return render_page("corpus.html.j2", "corpus.js", context.as_template_vars())


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
    return tuple(
        _with_links({**asdict(topic), "share": _fmt(topic.share, 3)}, topic, reports)
        for topic in topics
    )
