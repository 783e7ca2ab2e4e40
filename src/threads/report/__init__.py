"""The HTML report: from an :class:`~threads.analysis.Analysis` to one self-contained page.

:func:`build_context` turns the analysis into a :class:`ReportContext`, plain strings and
numbers ready to print (the template does no arithmetic). :func:`render_html` fills the Jinja2
template (autoescaped, undefined variables are errors). :func:`write_report` writes the HTML,
JSON and CSV side by side, atomically.
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from threads import __version__
from threads.export import shorten
from threads.models import COMMENT_COLUMNS
from threads.report import charts
from threads.workers import NO_WORKERS, Workers, workers_for

if TYPE_CHECKING:
    from threads.analysis import Analysis
    from threads.analysis.topics import SweepRow
    from threads.models import Comment, Discussion

#: Above this many comments, the conversation is split into folded pages of whole threads,
#: each of about this many comments, built by the browser only when opened.
PAGE_COMMENTS = 2000
#: Replies deeper than this are shown at this indentation (like WordPress does at its depth
#: limit), each naming its parent, so a very deep chain stays readable and the DOM shallow.
MAX_NESTING = 12
#: Depths from this one on share one bar ("10+") in the similarity-by-depth chart.
DEPTH_BUCKETS = 10
#: Repairs listed one by one in the report's notices before it says how many more there are.
MAX_NOTICE_ITEMS = 10
#: Rows shown in a chart's data table before it says how many more there are.
MAX_TABLE_ROWS = 200

# Small and optional (the page is whole without it). It builds a folded page of threads from
# its <noscript> markup when the page is opened, and opens the page and thread a link points
# into. ``.target`` marks a linked comment built after the navigation (``:target`` misses it).
SCRIPT = (
    "function expand(d){var n=d.querySelector(':scope>noscript');if(!n){return;}"
    "var t=document.createElement('template');t.innerHTML=n.textContent;n.replaceWith(t.content);}"
    "document.addEventListener('toggle',function(e){if(e.target.open){expand(e.target);}},true);"
    "function openTarget(){var id=location.hash.slice(1);if(!id){return;}"
    "var t=document.getElementById(id);"
    "if(!t){var key='id=\"'+id+'\"',ns=document.querySelectorAll('details>noscript');"
    "for(var i=0;i<ns.length;i++){if(ns[i].textContent.indexOf(key)>=0){"
    "expand(ns[i].parentElement);break;}}t=document.getElementById(id);}"
    "if(!t){return;}"
    "document.querySelectorAll('.target').forEach(function(e){e.classList.remove('target');});"
    "t.classList.add('target');"
    "for(var e=t;e;e=e.parentElement){if(e.tagName==='DETAILS'){e.open=true;}}"
    "t.scrollIntoView();}"
    "window.addEventListener('hashchange',openTarget);openTarget();"
)
MARKER_SYMBOLS = {"o": "●", "s": "■", "^": "▲", "D": "◆", "v": "▼", "P": "✚", "X": "✖", "*": "★"}
_SAFE_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


@dataclass(frozen=True)
class Cell:
    text: str
    href: str | None = None


@dataclass(frozen=True)
class Chart:
    """A chart with its text alternative: caption and the numbers behind it."""

    name: str
    title: str
    svg: str
    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    rows_note: str | None = None


@dataclass(frozen=True)
class CommentView:
    id: str
    anchor: str
    author: str
    posted: str
    depth: int
    edited: str | None
    parent_note: str | None
    cluster: int
    colour_index: int  # which of the palette's colours (CSS class k0..k7)
    sentiment: str
    similarity: str
    parent_similarity: str | None
    off_topic: bool
    drift_point: bool
    truncated: bool
    paragraphs: tuple[tuple[str, ...], ...]
    opens: bool  # this comment's replies follow, nested inside it
    closes: int  # how many enclosing reply lists end after it

    @property
    def beyond_nesting(self) -> bool:
        """Shown at MAX_NESTING's indentation, so its depth is written out."""
        return self.depth > MAX_NESTING


@dataclass(frozen=True)
class ThreadView:
    number: int  # 1.. in page order
    anchor: str
    author: str
    size: int
    off_topic: int
    items: tuple[CommentView, ...]


@dataclass(frozen=True)
class PageView:
    """Whole threads shown together; a folded page is built by the browser when opened."""

    number: int  # 1..
    folded: bool  # False when the conversation fits on one page
    title: str  # which threads, how many comments
    threads: tuple[ThreadView, ...]


@dataclass(frozen=True)
class ReportContext:
    """Everything the template shows; documented field by field in the README."""

    page_title: str
    version: str
    article: dict[str, Any]
    source: dict[str, str]
    counts: tuple[dict[str, str], ...]
    notices: tuple[str, ...]
    findings: tuple[str, ...]
    drift_charts: tuple[Chart, ...]
    clusters: tuple[dict[str, Any], ...]
    k_choice: str
    topic_charts: tuple[Chart, ...]
    sentiment_intro: str
    sentiment_charts: tuple[Chart, ...]
    pages: tuple[PageView, ...]
    pages_note: str | None
    depth_cap_note: str | None
    method: tuple[dict[str, str], ...]
    parameters: tuple[tuple[str, str], ...]
    limits: tuple[str, ...]
    script: str = SCRIPT
    script_hash: str = field(default="")

    def as_template_vars(self) -> dict[str, Any]:
        values = {name: getattr(self, name) for name in self.__dataclass_fields__}
        digest = hashlib.sha256(self.script.encode("utf-8")).digest()
        values["script_hash"] = "sha256-" + base64.b64encode(digest).decode("ascii")
        return values


#: ``draw(function, *args)`` asks for a chart and returns a stand-in for its SVG.
Draw = Callable[..., str]


class _Sketches:
    """The charts a report asks for, drawn together once all are known.

    ``add`` records one matplotlib call and returns the call's number as a stand-in for its
    SVG; :func:`_drawn` swaps each chart's stand-in for the drawing. This lets the worker
    processes draw while the reply tree is built (matplotlib is most of a small report's own
    time).
    """

    def __init__(self) -> None:
        self.jobs: list[tuple[Callable[..., str], tuple[Any, ...], dict[str, Any]]] = []

    def add(self, function: Callable[..., str], *args: Any, **kwargs: Any) -> str:
        self.jobs.append((function, args, kwargs))
        return str(len(self.jobs) - 1)


def _draw(function: Callable[..., str], args: tuple[Any, ...], kwargs: dict[str, Any]) -> str:
    return function(*args, **kwargs)


def _drawn(charts_asked: Sequence[Chart], svgs: Sequence[str]) -> tuple[Chart, ...]:
    return tuple(dataclasses.replace(c, svg=svgs[int(c.svg)]) for c in charts_asked)


def anchor_for(comment: Comment) -> str:
    """``c7`` for comment 7; ids that are not safe in a URL fragment use the page position."""
    return f"c{comment.id}" if _SAFE_ID.fullmatch(comment.id) else f"c-p{comment.position}"


def fmt(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def pct(value: float) -> str:
    return f"{100 * value:.0f}%"


def signed(value: float) -> str:
    return f"{value:+.2f}".replace("-", "\u2212")


def _paragraphs(text: str) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(p.split("\n")) for p in text.split("\n\n") if p.strip()) or (("",),)


def build_context(analysis: Analysis, workers: Workers = NO_WORKERS) -> ReportContext:
    """What the template shows; ``workers`` draw the charts while the tree is built here."""
    discussion = analysis.discussion
    comments = discussion.comments
    results = {r.id: r for r in analysis.comments}
    threshold = float(analysis.parameters["off_topic_threshold"])
    clusters = analysis.clusters
    anchors = {c.id: anchor_for(c) for c in comments}
    cluster_label = {k.number: f"{k.number}: {', '.join(k.terms[:3])}" for k in clusters}
    drift_points = {chain.drift_point for chain in analysis.chains if chain.drift_point}
    sketches = _Sketches()
    drift_charts = _drift_charts(analysis, threshold, anchors, cluster_label, sketches.add)
    topic_charts = _topic_charts(analysis, analysis.sweep, sketches.add)
    sentiment_charts = _sentiment_charts(analysis, sketches.add)
    drawing = workers.start(_draw, sketches.jobs)
    pages = tuple(_pages(_threads(analysis, results, anchors, drift_points)))

    article = discussion.article
    title = article.title or f"comments in {discussion.source}"
    byline_parts = [p for p in (article.author, article.published) if p]
    byline = " · ".join(
        [*byline_parts, f"{len(comments)} comments", f"K = {analysis.parameters['clusters']}"]
    )

    authors = [c.author for c in comments if c.author]
    counts = [
        ("Comments", len(comments)),
        ("Threads", len(discussion.roots())),
        ("Commenters", len(set(authors))),
        ("Anonymous comments", sum(1 for c in comments if not c.author)),
        ("Deepest reply", max((c.depth for c in comments), default=0)),
    ]
    if discussion.announced_total is not None:
        counts.append(("Announced on the page", discussion.announced_total))
    notices = _notices(discussion)
    if analysis.parameters["reference"] == "discussion" and comments:
        notices.insert(
            0,
            "This page has no article text, so similarity is measured against the discussion "
            "as a whole (the mean of all comments) instead of an article: 'off-topic' here "
            "means far from what the discussion as a whole talks about.",
        )

    svgs = drawing.results()
    return ReportContext(
        page_title=f"threads report: {title}",
        version=__version__,
        article={
            "title": title,
            "author": article.author,
            "published": article.published,
            "byline": byline,
            "paragraph_count": len(article.paragraphs),
        },
        source={"path": discussion.source, "kind": _kind_name(discussion.input_format)},
        counts=tuple({"label": k, "value": f"{v:,}"} for k, v in counts),
        notices=tuple(notices),
        findings=tuple(_findings(analysis, threshold, cluster_label)),
        drift_charts=_drawn(drift_charts, svgs),
        clusters=tuple(_cluster_rows(analysis, anchors)),
        k_choice=_k_choice(analysis),
        topic_charts=_drawn(topic_charts, svgs),
        sentiment_intro=_sentiment_intro(analysis),
        sentiment_charts=_drawn(sentiment_charts, svgs),
        pages=pages,
        pages_note=(
            f"{len(pages):,} pages of whole threads, about {PAGE_COMMENTS:,} comments each: "
            "open a page to see its threads."
            if pages and pages[0].folded
            else None
        ),
        depth_cap_note=(
            f"Replies deeper than {MAX_NESTING} levels are shown at level {MAX_NESTING}, "
            "each naming the comment it replies to."
            if any(c.depth > MAX_NESTING for c in comments)
            else None
        ),
        method=tuple(_method(threshold)),
        parameters=tuple((k, _param(v)) for k, v in sorted(analysis.parameters.items())),
        limits=tuple(LIMITS),
    )


def _kind_name(input_format: str) -> str:
    return {
        "text": "an UnHerd page saved as text",
        "html": "a saved wpDiscuz HTML page",
        "csv": "a CSV comment file",
        "json": "a JSON comment file",
    }.get(input_format, input_format)


def _param(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def _notices(discussion: Any) -> list[str]:
    notices = []
    total, n = discussion.announced_total, len(discussion.comments)
    if total is not None and total != n:
        notices.append(
            f"The page announced {total:,} comments; {n:,} were in the file, so the figures "
            "describe only the comments that were saved."
        )
    truncated = [c.id for c in discussion.comments if c.truncated]
    if truncated:
        notices.append(
            f"{len(truncated)} comment(s) were cut off on the saved page and are analysed as "
            f"far as they go: #{', #'.join(truncated[:10])}."
        )
    orphans = [c.id for c in discussion.comments if c.parent_status == "orphan"]
    if orphans:
        notices.append(
            f"{len(orphans)} repl{'y names' if len(orphans) == 1 else 'ies name'} a parent that "
            f"is not on the page, shown as top-level: #{', #'.join(orphans[:10])}."
        )
    ambiguous = sum(1 for c in discussion.comments if c.parent_status == "ambiguous")
    if ambiguous:
        notices.append(
            f"{ambiguous} repl{'y names' if ambiguous == 1 else 'ies name'} an author who wrote "
            "more than one comment in the thread; "
            f"{'it is' if ambiguous == 1 else 'each is'} placed under the nearest one and marked."
        )
    # Orphans have their own notice above; the others are listed up to MAX_NOTICE_ITEMS.
    orphan_ids = set(orphans)
    repairs = [r for r in discussion.repairs if r.comment_id not in orphan_ids]
    notices += [f"Repaired in the input: {repair}." for repair in repairs[:MAX_NOTICE_ITEMS]]
    if len(repairs) > MAX_NOTICE_ITEMS:
        notices.append(
            f"{len(repairs) - MAX_NOTICE_ITEMS:,} more repairs are listed in the JSON beside "
            "this report."
        )
    return notices


def _findings(analysis: Analysis, threshold: float, cluster_label: dict[int, str]) -> list[str]:
    discussion = analysis.discussion
    results = analysis.comments
    n = len(results)
    if n == 0:
        return ["The page has no comments, so there is no discussion to measure."]
    off = [r for r in results if r.off_topic]
    words = {c.id: len(c.text.split()) for c in discussion.comments}
    total_words = sum(words.values()) or 1
    off_words = sum(words[r.id] for r in off)
    sentences = [
        f"{len(off)} of {n} comments ({pct(len(off) / n)}), holding {pct(off_words / total_words)} "
        f"of the words, left the article's subject (similarity to the article below "
        f"{threshold:.2f})."
    ]
    by_depth: dict[int, list[float]] = defaultdict(list)
    for comment, result in zip(discussion.comments, results, strict=True):
        by_depth[min(comment.depth, 2)].append(result.article_similarity)
    if len(by_depth) > 1:
        means = {d: sum(v) / len(v) for d, v in sorted(by_depth.items())}
        names = {0: "top-level comments", 1: "direct replies", 2: "deeper replies"}
        parts = [f"{names[d]} {m:.2f}" for d, m in means.items()]
        trend = (
            "Replies strayed further from the article than the comments they answered"
            if means[max(means)] < means[0]
            else "Replies stayed as close to the article as top-level comments"
        )
        sentences.append(f"{trend}: mean similarity {', '.join(parts)}.")
    digressions = _digressions(analysis)
    if digressions:
        start, size = digressions[0]
        comment = discussion.get(start)
        cluster = {r.id: r.cluster for r in results}[start]
        sentences.append(
            f"The largest digression started at comment #{start} by "
            f"{comment.author or 'an anonymous commenter'}: from there, {size} comment"
            f"{'s' if size != 1 else ''} stayed off the subject, turning to "
            f"topic {cluster_label[cluster]}."
        )
        if len(digressions) > 1:
            others = ", ".join(f"#{s} ({k})" for s, k in digressions[1:4])
            sentences.append(f"Other digressions began at {others}.")
    if off:
        where = Counter(r.cluster for r in off).most_common(2)
        named = " and ".join(f"topic {cluster_label[c]} ({k})" for c, k in where)
        sentences.append(f"Off-topic comments went mostly to {named}.")
    on_s = [r.sentiment for r in results if not r.off_topic]
    off_s = [r.sentiment for r in off]
    if on_s and off_s:
        on_mean, off_mean = sum(on_s) / len(on_s), sum(off_s) / len(off_s)
        mood = "more negative" if off_mean < on_mean else "more positive"
        if abs(off_mean - on_mean) < 0.05:
            mood = "about as positive or negative as on-topic ones"
        mood = mood if mood.endswith("ones") else f"{mood} than on-topic ones"
        sentences.append(
            f"Off-topic comments were {mood} (mean sentiment "
            f"{signed(off_mean)} against {signed(on_mean)})."
        )
    return sentences


def _digressions(analysis: Analysis) -> list[tuple[str, int]]:
    """Drift points with how many comments stayed off-topic from there, largest first."""
    sizes: dict[str, set[str]] = defaultdict(set)
    for chain in analysis.chains:
        if chain.drift_point is None:
            continue
        start = chain.ids.index(chain.drift_point)
        sizes[chain.drift_point].update(chain.ids[start:])
    position = {c.id: c.position for c in analysis.discussion.comments}
    return sorted(
        ((start, len(ids)) for start, ids in sizes.items()),
        key=lambda item: (-item[1], position[item[0]]),
    )


def _rows(
    rows: Sequence[tuple[Cell, ...]], total: int | None = None
) -> tuple[tuple[tuple[Cell, ...], ...], str | None]:
    """At most MAX_TABLE_ROWS rows; ``total`` is the full count when ``rows`` was cut short."""
    total = len(rows) if total is None else total
    if total <= MAX_TABLE_ROWS:
        return tuple(rows), None
    return tuple(rows[:MAX_TABLE_ROWS]), (
        f"First {MAX_TABLE_ROWS} of {total:,} rows; the JSON and CSV beside this report "
        "hold them all."
    )


def _drift_charts(
    analysis: Analysis,
    threshold: float,
    anchors: dict[str, str],
    cluster_label: dict[int, str],
    draw: Draw,
) -> list[Chart]:
    discussion = analysis.discussion
    comments, results = discussion.comments, analysis.comments
    if not comments:
        return []
    rows, note = _rows(
        [
            (
                Cell(f"#{c.id}", f"#{anchors[c.id]}"),
                Cell(c.author or "(no name)"),
                Cell(str(r.cluster)),
                Cell(fmt(r.article_similarity)),
                Cell("off-topic" if r.off_topic else "on-topic"),
            )
            for c, r in zip(comments[:MAX_TABLE_ROWS], results[:MAX_TABLE_ROWS], strict=True)
        ],
        total=len(comments),
    )
    position_chart = Chart(
        name="similarity-position",
        title="Similarity to the article, comment by comment",
        svg=draw(
            charts.similarity_by_position,
            [c.position for c in comments],
            [r.article_similarity for r in results],
            [r.cluster for r in results],
            [anchors[c.id] for c in comments],
            threshold,
            cluster_label,
        ),
        caption=(
            "Each mark is a comment, in the order of the page; higher means closer to the "
            "article's words. Colour and shape show the topic cluster; the dashed line is the "
            "off-topic threshold. Click a mark to jump to the comment."
        ),
        headers=("Comment", "Author", "Topic", "Similarity", "Verdict"),
        rows=rows,
        rows_note=note,
    )
    by_depth: dict[int, list[float]] = defaultdict(list)
    for c, r in zip(comments, results, strict=True):
        by_depth[min(c.depth, DEPTH_BUCKETS)].append(r.article_similarity)
    depths = sorted(by_depth)
    means = [sum(by_depth[d]) / len(by_depth[d]) for d in depths]
    depth_labels = [f"{d}+" if d == DEPTH_BUCKETS else str(d) for d in depths]
    depth_chart = Chart(
        name="similarity-depth",
        title="Similarity to the article by reply depth",
        svg=draw(
            charts.bars,
            "similarity-depth",
            depth_labels,
            means,
            "reply depth (0 = top-level comment)",
            "mean similarity to the article",
        ),
        caption="Mean similarity to the article of the comments at each depth of the reply tree.",
        headers=("Depth", "Comments", "Mean similarity"),
        rows=tuple(
            (Cell(label), Cell(str(len(by_depth[d]))), Cell(fmt(m)))
            for label, d, m in zip(depth_labels, depths, means, strict=True)
        ),
    )
    similarity = {r.id: r.article_similarity for r in results}
    chains = [chain for chain in analysis.chains if len(chain.ids) > 1] or list(analysis.chains)
    drift_points = {chain.drift_point for chain in chains if chain.drift_point}
    chain_rows, chain_note = _rows(
        [
            (
                Cell(_hops(chain.ids)),
                Cell(" → ".join(fmt(similarity[i]) for i in chain.ids[:12])),
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
            "last reply (darker where many overlap). A red cross marks a drift point: the comment "
            "from which a chain stays below the off-topic line."
        ),
        headers=("Chain", "Similarity at each hop", "Drift point"),
        rows=chain_rows,
        rows_note=chain_note,
    )
    return [position_chart, depth_chart, chain_chart]


def _hops(ids: Sequence[str], shown: int = 12) -> str:
    return " → ".join(f"#{i}" for i in ids[:shown]) + (" …" if len(ids) > shown else "")


def _cluster_rows(analysis: Analysis, anchors: dict[str, str]) -> list[dict[str, Any]]:
    texts = {c.id: c.text for c in analysis.discussion.comments}
    return [
        {
            "number": k.number,
            "colour": charts.cluster_colour(k.number),
            "marker_symbol": MARKER_SYMBOLS[charts.cluster_marker(k.number)],
            "terms": ", ".join(k.terms),
            "size": k.size,
            "share_comments": pct(k.share_comments),
            "share_words": pct(k.share_words),
            "off_topic": k.off_topic,
            "similarity": fmt(k.article_similarity),
            "sentiment": signed(k.mean_sentiment),
            "representative_id": k.representative_id,
            "representative_anchor": anchors[k.representative_id],
            "representative_excerpt": shorten(texts[k.representative_id], 90),
        }
        for k in analysis.clusters
    ]


def _k_choice(analysis: Analysis) -> str:
    k = analysis.parameters["clusters"]
    if not analysis.clusters:
        return "no comments, so no topics"
    if analysis.k_scores:
        best = max(analysis.k_scores, key=lambda s: s.silhouette)
        return f"K = {k}, chosen automatically: the best silhouette score, {best.silhouette:.3f}"
    return f"K = {k}, as asked"


def _topic_charts(analysis: Analysis, sweep: Sequence[SweepRow], draw: Draw) -> list[Chart]:
    clusters = analysis.clusters
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
        used = int(analysis.parameters["clusters"])
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
                    "(how much the clusters agree across five random starts, 1 = identical) and "
                    f"the share of comments in off-topic clusters. The shaded K = {used} is the "
                    "one used in this report; rerun with --clusters K to see another."
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


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def _sentiment_intro(analysis: Analysis) -> str:
    results = analysis.comments
    if not results:
        return "No comments, no sentiment."
    labels = Counter(r.sentiment_label for r in results)
    n = len(results)
    return (
        f"VADER scores each sentence from −1 (most negative) to +1 (most positive); a comment's "
        f"score is the mean over its sentences. {labels['positive']} comments "
        f"({pct(labels['positive'] / n)}) read as positive, {labels['negative']} "
        f"({pct(labels['negative'] / n)}) as negative and {labels['neutral']} as neutral; "
        f"the mean is {signed(_mean([r.sentiment for r in results]))}."
    )


def _sentiment_charts(analysis: Analysis, draw: Draw) -> list[Chart]:
    results = analysis.comments
    if not results:
        return []
    values = [r.sentiment for r in results]
    bins = [(-1.0 + 0.2 * i, -0.8 + 0.2 * i) for i in range(10)]
    histogram_rows = tuple(
        (Cell(f"{signed(lo)} to {signed(hi)}"),
         Cell(str(sum(1 for v in values if lo <= v < hi or (hi == 0.8 + 0.2 and v == 1.0)))))
        for lo, hi in bins
    )  # fmt: skip
    charts_out = [
        Chart(
            name="sentiment-distribution",
            title="How the comments feel",
            svg=draw(charts.histogram, "sentiment-distribution", values, "sentiment (−1 to +1)"),
            caption=(
                "Distribution of comment sentiment. Dotted lines at ±0.05 separate negative, "
                "neutral and positive, as VADER's authors recommend."
            ),
            headers=("Sentiment", "Comments"),
            rows=histogram_rows,
        )
    ]
    groups: list[tuple[str, list[float]]] = []
    for k in analysis.clusters:
        groups.append(
            (f"topic {k.number}", [r.sentiment for r in results if r.cluster == k.number])
        )
    by_depth: dict[int, list[float]] = defaultdict(list)
    for c, r in zip(analysis.discussion.comments, results, strict=True):
        by_depth[min(c.depth, 3)].append(r.sentiment)
    for depth in sorted(by_depth):
        label = f"depth {depth}{'+' if depth == 3 else ''}"
        groups.append((label, by_depth[depth]))
    groups.append(("on-topic", [r.sentiment for r in results if not r.off_topic]))
    groups.append(("off-topic", [r.sentiment for r in results if r.off_topic]))
    groups = [(label, v) for label, v in groups if v]
    charts_out.append(
        Chart(
            name="sentiment-groups",
            title="Sentiment by topic, by reply depth, on and off topic",
            svg=draw(
                charts.bars,
                "sentiment-groups",
                [label for label, _ in groups],
                [_mean(v) for _, v in groups],
                "",
                "mean sentiment",
                hatched=[label == "off-topic" for label, _ in groups],
                symmetric=True,
            ),
            caption=(
                "Mean sentiment of each group of comments: per topic cluster, per reply depth, "
                "and on-topic against off-topic (striped)."
            ),
            headers=("Group", "Comments", "Mean sentiment"),
            rows=tuple(
                (Cell(label), Cell(str(len(v))), Cell(signed(_mean(v)))) for label, v in groups
            ),
        )
    )
    return charts_out


def _threads(
    analysis: Analysis,
    results: dict[str, Any],
    anchors: dict[str, str],
    drift_points: set[str],
) -> list[ThreadView]:
    discussion = analysis.discussion
    views = []
    for number, thread in enumerate(discussion.threads(), start=1):
        levels = [min(c.depth, MAX_NESTING) for c in thread]
        items = []
        for index, comment in enumerate(thread):
            level = levels[index]
            following = levels[index + 1] if index + 1 < len(thread) else 0
            opens = following > level
            result = results[comment.id]
            items.append(
                CommentView(
                    id=comment.id,
                    anchor=anchors[comment.id],
                    author=comment.author or "(no name)",
                    posted=comment.posted or comment.posted_at or "date not shown",
                    depth=comment.depth,
                    edited=comment.edited,
                    parent_note=_parent_note(comment, discussion, level),
                    cluster=result.cluster,
                    colour_index=result.cluster % len(charts.PALETTE),
                    sentiment=f"{signed(result.sentiment)} ({result.sentiment_label})",
                    similarity=fmt(result.article_similarity),
                    parent_similarity=(
                        None if result.parent_similarity is None else fmt(result.parent_similarity)
                    ),
                    off_topic=result.off_topic,
                    drift_point=comment.id in drift_points,
                    truncated=comment.truncated,
                    paragraphs=_paragraphs(comment.text),
                    opens=opens,
                    closes=0 if opens else level - following,
                )
            )
        root = thread[0]
        views.append(
            ThreadView(
                number=number,
                anchor=anchors[root.id],
                author=root.author or "(no name)",
                size=len(thread),
                off_topic=sum(1 for c in thread if results[c.id].off_topic),
                items=tuple(items),
            )
        )
    return views


def _pages(threads: list[ThreadView]) -> list[PageView]:
    """One open page up to PAGE_COMMENTS comments; beyond, folded pages of about that many."""
    total = sum(t.size for t in threads)
    limit = total if total <= PAGE_COMMENTS else PAGE_COMMENTS
    groups: list[list[ThreadView]] = []
    size = limit  # full: the first thread starts a page
    for thread in threads:
        if size >= limit:
            groups.append([])
            size = 0
        groups[-1].append(thread)
        size += thread.size
    return [
        PageView(
            number=number,
            folded=total > PAGE_COMMENTS,
            title=_page_title(group),
            threads=tuple(group),
        )
        for number, group in enumerate(groups, start=1)
    ]


def _page_title(threads: Sequence[ThreadView]) -> str:
    first, last = threads[0].number, threads[-1].number
    comments = sum(t.size for t in threads)
    off_topic = sum(t.off_topic for t in threads)
    return (
        (f"Thread {first}" if first == last else f"Threads {first}–{last}")
        + f" · {comments:,} comment{'s' if comments != 1 else ''}"
        + (f" · {off_topic:,} off-topic" if off_topic else "")
    )


def _parent_note(comment: Comment, discussion: Any, level: int) -> str | None:
    status = comment.parent_status
    if status == "ambiguous":
        others = ", ".join(f"#{a}" for a in comment.parent_alternatives)
        return (
            f"Replies to {comment.reply_to}, who wrote more than one comment here: placed under "
            f"the nearest, #{comment.parent_id}; it could also answer {others}."
        )
    if status == "off-path":
        return (
            f"Replies to {comment.reply_to}: placed under their earlier comment "
            f"#{comment.parent_id}."
        )
    if status == "orphan":
        if comment.reply_to:
            return f"Replies to {comment.reply_to}, whose comment is not on the page."
        if comment.parent_ref:
            return f"Replies to comment {comment.parent_ref}, which is not on the page."
        return "A reply whose parent the page does not name."
    if comment.depth > level and comment.parent_id is not None:
        parent = discussion.get(comment.parent_id)
        return f"Reply to #{parent.id} by {parent.author or '(no name)'}."
    return None


METHOD = [
    ("One vector space",
     "The article's title and paragraphs and every comment are turned into TF-IDF word vectors "
     "in one shared vocabulary (scikit-learn TfidfVectorizer: English stop words removed, "
     "sublinear term frequency, typographic quotes normalised). The same vectors serve the "
     "topic clusters and every similarity."),
    ("Similarity to the article",
     "Cosine similarity between a comment's vector and the article's, from 0 (no words in "
     "common) to 1. To the parent and to the top-level comment likewise."),
    ("Off-topic",
     "A comment is off-topic when its similarity to the article is below {threshold:.3f} (see "
     "the parameters for how that threshold was set; --off-topic-threshold overrides it). A "
     "chain's drift point is the first comment from which every later comment in the chain is "
     "off-topic."),
    ("Topic clusters",
     "k-means over the comment vectors (seeded, so reruns agree). Without --clusters, K is "
     "chosen by the best cosine silhouette score from 2 to 8. Each cluster is labelled by its "
     "most distinctive terms (class-based TF-IDF) and represented by the comment closest to its "
     "centre. Stability is the mean adjusted Rand index between runs with five seeds."),
    ("Sentiment",
     "VADER compound score of each sentence (split with blingfire), averaged per comment; "
     "positive at 0.05 or above, negative at \u22120.05 or below, neutral between."),
]  # fmt: skip


def _method(threshold: float) -> list[dict[str, str]]:
    return [{"term": term, "text": text.format(threshold=threshold)} for term, text in METHOD]


LIMITS = [
    "TF-IDF compares words, not meaning: a comment that discusses the article in other words "
    "(or in another language) scores as less similar than it is, and a short reply ('Agreed.') "
    "scores near zero whatever it refers to.",
    "Off-topic is a threshold on that score, a useful flag rather than a verdict; read the "
    "comments behind the figures.",
    "Text dumps name only a reply's parent author, so a parent may be ambiguous; such replies are "
    "marked.",
    "VADER was built for social-media English; irony and sarcasm are scored at face value.",
    "Relative dates ('10 months ago') are as the page showed them when saved.",
]


def render_html(context: ReportContext) -> str:
    """Fill the report template: autoescaped, and an undefined variable is an error."""
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    environment = Environment(
        loader=PackageLoader("threads.report", "templates"),
        autoescape=select_autoescape(["html", "j2"], default=True),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    return environment.get_template("report.html.j2").render(context.as_template_vars())


#: The K values the report's "how the picture changes with K" panel compares.
SWEEP_KS = range(2, 9)


@dataclass(frozen=True)
class ReportFiles:
    html: Path
    json: Path
    csv: Path


def default_report_path(source: str, clusters: int, folder: Path = Path("reports")) -> Path:
    """``reports/<source name>-k<K>.html``: reruns with another K sit side by side."""
    return folder / f"{Path(source).stem}-k{clusters}.html"


def report_document(
    analysis: Analysis, records: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """The JSON written beside the report: article, clusters, figures, every comment record
    (``records``: ``analysis.records()``, when the caller has them already)."""
    from threads.export import discussion_header

    return {
        **discussion_header(analysis.discussion),
        **analysis.to_dict(),
        "comments": analysis.records() if records is None else records,
    }


def make_report(
    discussion: Discussion,
    clusters: int | None = None,
    seed: int = 0,
    off_topic_threshold: float | None = None,
    out: Path | None = None,
    progress: Callable[[str], None] | None = None,
    workers: Workers | None = None,
) -> ReportFiles:
    """Analyse a discussion and write its report: the whole job of ``threads report``.

    ``progress`` is called with a short description as each stage starts. ``workers`` score
    sentiment and draw charts in other processes (by default, worker processes are started
    for long discussions only).
    """
    from threads.analysis import analyze

    step = progress or (lambda _: None)
    own = workers_for(len(discussion)) if workers is None else contextlib.nullcontext(workers)
    with own as workers:
        step(f"analysing {len(discussion):,} comments (topics, sentiment, drift)")
        analysis = analyze(
            discussion, clusters, seed, off_topic_threshold, sweep_ks=SWEEP_KS, workers=workers
        )
        return write_report(analysis, out, step, workers)


def write_report(
    analysis: Analysis,
    out: Path | None,
    progress: Callable[[str], None] | None = None,
    workers: Workers = NO_WORKERS,
) -> ReportFiles:
    """Render the report and write HTML, JSON and CSV together (all or nothing)."""
    from threads._atomic import write_all
    from threads.errors import OutputError
    from threads.export import to_csv, to_json

    k = int(analysis.parameters["clusters"])
    html_path = out if out is not None else default_report_path(analysis.discussion.source, k)
    if html_path.is_dir():
        raise OutputError(f"{html_path}: is a folder; give a file name for the report")
    if html_path.suffix.lower() not in (".html", ".htm"):
        html_path = html_path.with_name(html_path.name + ".html")
    files = ReportFiles(html_path, html_path.with_suffix(".json"), html_path.with_suffix(".csv"))
    step = progress or (lambda _: None)
    records = analysis.records()
    step("drawing charts and the reply tree")
    html = render_html(build_context(analysis, workers))
    step(f"writing {files.html}")
    columns = list(records[0]) if records else list(COMMENT_COLUMNS)
    # The HTML is moved into place last, so a reader never sees it without its data files.
    write_all(
        {
            files.json: to_json(report_document(analysis, records), compact=True),
            files.csv: to_csv(records, columns),
            files.html: html,
        }
    )
    return files
