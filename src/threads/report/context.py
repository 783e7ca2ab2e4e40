"""What the report shows, as plain strings and numbers: :class:`ReportContext`.

:func:`build_context` gathers it from an :class:`~threads.analysis.results.Analysis`: the
sentences (:mod:`~threads.report.prose`), the charts (:mod:`~threads.report.figures`) and
the conversation (:mod:`~threads.report.conversation`). The template does no arithmetic.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

from threads import __version__
from threads.analysis.relevance import REFERENCE_NAMES
from threads.export import shorten
from threads.report import charts, conversation, figures, method, prose
from threads.report.conversation import MAX_NESTING, PAGE_COMMENTS, PageView
from threads.report.figures import Chart
from threads.report.format import fmt, parameter, pct, signed
from threads.workers import Progress, active

if TYPE_CHECKING:
    from threads.analysis import Analysis
    from threads.analysis.agreement import AgreementReport
    from threads.analysis.authors import Commenter


@dataclass(frozen=True)
class ArticleView:
    title: str  # the article's title, or what stands in for it
    author: str | None
    published: str | None
    byline: str  # author, date, comment count and K in one line
    paragraph_count: int


@dataclass(frozen=True)
class SourceView:
    path: str  # the input file, as given
    kind: str  # how it was read, in words


@dataclass(frozen=True)
class Count:
    label: str
    value: str


@dataclass(frozen=True)
class ClusterRow:
    """One row of the topic table."""

    number: int
    name: str | None  # the name given to the topic, if any
    colour: str
    marker_symbol: str
    terms: str
    size: int
    share_comments: str
    share_words: str
    off_topic: bool
    similarity: str
    sentiment: str
    representative_id: str
    representative_anchor: str
    representative_excerpt: str


@dataclass(frozen=True)
class MemberView:
    """One comment in a topic's list."""

    id: str
    anchor: str
    author: str  # "(no name)" when the page gives none
    thread_id: str
    thread_anchor: str
    flag: str  # "off-topic", "too short to judge" or ""


@dataclass(frozen=True)
class TopicMembersView:
    """A topic's comments, opened from its row of the topic table."""

    number: int
    name: str | None
    terms: str
    members: tuple[MemberView, ...]  # at most MAX_TOPIC_MEMBERS, in page order
    summary: str  # "4 comments, 2 of 4 off the subject"
    more: int  # members left out of the page (``threads clusters --members`` lists them)


#: A topic's list in the report stops here (the page would otherwise repeat every comment).
MAX_TOPIC_MEMBERS = 500


@dataclass(frozen=True)
class CommenterRow:
    """One row of the commenters table."""

    name: str
    comments: int
    links: tuple[tuple[str, str], ...]  # (#id, anchor) of their first comments
    more: int  # their comments beyond the links shown
    threads: int
    replies_received: int
    off_topic: str  # "2 (50%)"
    sentiment: str


#: Rows of the commenters table, and links per row, before the report says how many more.
MAX_COMMENTERS = 50
MAX_COMMENTER_LINKS = 8


@dataclass(frozen=True)
class Choice:
    """One option of a triage control."""

    value: str
    text: str


def _isolated(name: str) -> str:
    """A name inside an <option> (which cannot hold <bdi>) between Unicode's first-strong
    isolate and its pop, so a right-to-left name or a stray override in it cannot reorder the
    text around it."""
    return f"\u2068{name}\u2069"


@dataclass(frozen=True)
class TriageView:
    """The conversation's filter and sort controls; the page's script shows them (without
    scripts the full tree reads as it is)."""

    commenters: tuple[Choice, ...]  # value: the commenter's place in the list (data-commenter)
    topics: tuple[Choice, ...]  # value: the topic number (data-topic)
    labelled: bool  # the reader's labels are shown: a "disagrees with your label" choice
    sorted_limit: int  # a sorted list shows at most this many comments (the ids: all)
    total: int  # comments in the conversation


#: A sorted list of comments stops here; the count, the copied ids and the CSV take them all.
SORTED_LIMIT = 500


@dataclass(frozen=True)
class DisagreementView:
    """A labelled comment where the off-topic flag says otherwise (the Method section)."""

    id: str
    anchor: str
    author: str
    label: str  # the reader's: "on-topic" or "off-topic"
    verdict: str  # the tool's: "on-topic", "off-topic" or "can't tell" (counted as not flagged)
    similarity: str
    first_words: str


@dataclass(frozen=True)
class Term:
    """A term and its explanation (the Method section)."""

    term: str
    text: str


@dataclass(frozen=True)
class DigestPiece:
    """Text of a digest line; ``href`` links it to a comment (``#c7``) when set."""

    text: str
    href: str | None = None


@dataclass(frozen=True)
class DigestView:
    """The discussion in brief, thread by thread (above the article section)."""

    intro: tuple[DigestPiece, ...]  # what the on-topic discussion was about
    lines: tuple[tuple[DigestPiece, ...], ...]  # one per thread, then the lone comments


@dataclass(frozen=True)
class ReportContext:
    """Everything the template shows (see README, "What the report shows")."""

    page_title: str
    version: str
    article: ArticleView
    source: SourceView
    counts: tuple[Count, ...]  # the headline counts under the article
    notices: tuple[str, ...]  # what the reader should know about the input
    findings: tuple[str, ...]  # how the discussion drifted, in sentences
    drift_charts: tuple[Chart, ...]
    clusters: tuple[ClusterRow, ...]
    topic_members: tuple[TopicMembersView, ...]  # every comment of each topic
    k_choice: str
    topic_charts: tuple[Chart, ...]
    sentiment_intro: str
    sentiment_charts: tuple[Chart, ...]
    pages: tuple[PageView, ...]  # the conversation
    pages_note: str | None
    pages_print_note: str | None  # printed only: where the comments not printed are
    depth_cap_note: str | None
    method: tuple[Term, ...]
    parameters: tuple[tuple[str, str], ...]
    limits: tuple[str, ...]
    reference: str  # what comments were compared with: "the article", "the title", ...
    palette: tuple[str, ...] = tuple(charts.PALETTE)  # topic colours, CSS classes k0..k7
    commenters: tuple[CommenterRow, ...] = ()  # most active first, up to MAX_COMMENTERS
    commenters_note: str | None = None  # how many commenters the table leaves out
    agreement: tuple[str, ...] = ()  # the flag against the reader's labels (report --labels)
    digest: DigestView | None = None  # the discussion in brief (None: no comments)
    triage: TriageView | None = None  # filter and sort controls (None: no comments)
    labelled: int = 0  # comments with the reader's label, shown in the tree (report --labels)
    disagreements: tuple[DisagreementView, ...] = ()  # where the flag and a label differ

    def as_template_vars(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


#: The stage name ``build_context`` reports charts drawn with.
CHARTS_STAGE = "drawing charts"


def build_context(
    analysis: Analysis,
    agreement: AgreementReport | None = None,
    progress: Progress | None = None,
) -> ReportContext:
    """What the template shows; the active workers draw the charts while the tree is built.
    ``agreement``: the flag against the reader's labels, for the Method section;
    ``progress(CHARTS_STAGE, drawn, charts)`` as each chart is drawn."""
    discussion, summary = analysis.discussion, analysis.summary
    comments = discussion.comments
    anchors = {c.id: conversation.anchor_for(c) for c in comments}
    cluster_label = prose.cluster_labels(analysis)
    sketches = figures.Sketches()
    drift_charts = figures.drift_charts(analysis, anchors, cluster_label, sketches.add)
    topic_charts = figures.topic_charts(analysis, sketches.add)
    sentiment_charts = figures.sentiment_charts(analysis, sketches.add)
    drawing = active().start(figures.draw_job, sketches.jobs)
    charts_drawn = 0

    def drawn(_: int) -> None:
        nonlocal charts_drawn
        charts_drawn += 1
        if progress is not None:
            progress(CHARTS_STAGE, charts_drawn, len(sketches.jobs))

    from threads.analysis.authors import commenters

    found = commenters(analysis)
    commenter_of = {i: place for place, c in enumerate(found) for i in c.comment_ids}
    labelled = {} if agreement is None else {c.id: c for c in agreement.labelled}
    pages = tuple(
        conversation.pages(conversation.thread_views(analysis, anchors, commenter_of, labelled))
    )

    article = discussion.article
    title = article.title or f"comments in {discussion.source}"
    byline_parts = [p for p in (article.author, article.published) if p]
    byline = " · ".join(
        [*byline_parts, f"{len(comments)} comments", f"K = {analysis.parameters.clusters}"]
    )
    counts = [
        ("Comments", summary.comments),
        ("Threads", summary.threads),
        ("Commenters", summary.commenters),
        ("Anonymous comments", summary.anonymous_comments),
        ("Deepest reply", summary.deepest_reply),
    ]
    if discussion.announced_total is not None:
        counts.append(("Announced on the page", discussion.announced_total))

    if progress is not None:
        progress(CHARTS_STAGE, 0, len(sketches.jobs))
    svgs = drawing.results(drawn)
    return ReportContext(
        page_title=f"threads report: {title}",
        version=__version__,
        article=ArticleView(
            title=title,
            author=article.author,
            published=article.published,
            byline=byline,
            paragraph_count=len(article.paragraphs),
        ),
        source=SourceView(discussion.source, method.kind_name(discussion.input_format)),
        counts=tuple(Count(label, f"{value:,}") for label, value in counts),
        notices=tuple(method.notices(analysis)),
        findings=tuple(prose.findings(analysis, cluster_label)),
        drift_charts=figures.drawn(drift_charts, svgs),
        clusters=tuple(_cluster_rows(analysis, anchors)),
        topic_members=tuple(_topic_members(analysis, anchors)),
        k_choice=prose.k_choice(analysis),
        topic_charts=figures.drawn(topic_charts, svgs),
        sentiment_intro=prose.sentiment_intro(analysis),
        sentiment_charts=figures.drawn(sentiment_charts, svgs),
        pages=pages,
        pages_note=(
            f"{len(pages):,} pages of whole threads, about {PAGE_COMMENTS:,} comments each: "
            "open a page to see its threads."
            if pages and pages[0].folded
            else None
        ),
        pages_print_note=(
            "This printed copy holds the first page of threads (and any other page opened "
            "before printing); the rest of the conversation is in the JSON and CSV beside "
            "this report."
            if pages and pages[0].folded
            else None
        ),
        depth_cap_note=(
            f"Replies deeper than {MAX_NESTING} levels are shown at level {MAX_NESTING}, "
            "each naming the comment it replies to."
            if summary.deepest_reply > MAX_NESTING
            else None
        ),
        method=tuple(Term(t, text) for t, text in method.method(analysis.parameters)),
        parameters=tuple(
            (k, parameter(v)) for k, v in sorted(analysis.parameters.to_dict().items())
        ),
        limits=tuple(method.limits(analysis.parameters)),
        reference=REFERENCE_NAMES[analysis.parameters.reference],
        **_commenters(found, anchors),
        agreement=tuple(method.agreement(agreement)) if agreement is not None else (),
        digest=_digest_view(analysis, anchors) if comments else None,
        triage=_triage_view(analysis, found, bool(labelled)) if comments else None,
        labelled=len(labelled),
        disagreements=(
            disagreement_views(agreement, analysis, anchors) if agreement is not None else ()
        ),
    )


def _triage_view(analysis: Analysis, found: Sequence[Commenter], labelled: bool) -> TriageView:
    return TriageView(
        commenters=tuple(
            Choice(str(place), f"{_isolated(c.name)} ({len(c.comment_ids):,})")
            for place, c in enumerate(found)
        ),
        topics=tuple(
            Choice(
                str(k.number), f"Topic {k.number}: " + _isolated(k.name or ", ".join(k.terms[:3]))
            )
            for k in analysis.clusters
        ),
        labelled=labelled,
        sorted_limit=SORTED_LIMIT,
        total=len(analysis.discussion),
    )


def disagreement_views(
    agreement: AgreementReport, analysis: Analysis, anchors: dict[str, str]
) -> tuple[DisagreementView, ...]:
    """The labelled comments where the flag and the label differ, in page order, each
    linked to its place in the tree (as ``threads agree`` lists them)."""
    discussion = analysis.discussion
    views = []
    for c in agreement.disagreements:
        result = analysis.comments[discussion.index_of(c.id)]
        views.append(
            DisagreementView(
                id=c.id,
                anchor=anchors[c.id],
                author=discussion.get(c.id).author or "(no name)",
                label=conversation.LABELS[c.on_topic],
                verdict=figures.VERDICTS[result.judgement],
                similarity=fmt(c.similarity),
                first_words=c.first_words(),
            )
        )
    return tuple(views)


def _digest_view(analysis: Analysis, anchors: dict[str, str]) -> DigestView:
    def line(pieces: prose.Line) -> tuple[DigestPiece, ...]:
        return tuple(
            DigestPiece(p.text, f"#{anchors[p.comment_id]}" if p.comment_id else None)
            for p in pieces
        )

    return DigestView(
        intro=line(prose.digest_intro(analysis)),
        lines=tuple(line(pieces) for pieces in prose.digest_lines(analysis)),
    )


def _cluster_rows(analysis: Analysis, anchors: dict[str, str]) -> list[ClusterRow]:
    discussion = analysis.discussion
    return [
        ClusterRow(
            number=k.number,
            name=k.name,
            colour=charts.cluster_colour(k.number),
            marker_symbol=charts.MARKER_SYMBOLS[charts.cluster_marker(k.number)],
            terms=", ".join(k.terms),
            size=k.size,
            share_comments=pct(k.share_comments),
            share_words=pct(k.share_words),
            off_topic=k.off_topic,
            similarity=fmt(k.article_similarity),
            sentiment=signed(k.mean_sentiment),
            representative_id=k.representative_id,
            representative_anchor=anchors[k.representative_id],
            representative_excerpt=shorten(discussion.get(k.representative_id).text, 90),
        )
        for k in analysis.clusters
    ]


def _topic_members(analysis: Analysis, anchors: dict[str, str]) -> list[TopicMembersView]:
    from threads.analysis.members import topic_members

    views = []
    for group in topic_members(analysis):
        size = len(group.members)
        views.append(
            TopicMembersView(
                number=group.number,
                name=group.name,
                terms=", ".join(group.terms),
                members=tuple(
                    MemberView(
                        id=m.id,
                        anchor=anchors[m.id],
                        author=m.author if m.author is not None else "(no name)",
                        thread_id=m.thread_id,
                        thread_anchor=anchors[m.thread_id],
                        flag="off-topic"
                        if m.off_topic
                        else ("too short to judge" if m.too_short else ""),
                    )
                    for m in group.members[:MAX_TOPIC_MEMBERS]
                ),
                summary=(
                    f"{size:,} comment{'s' if size != 1 else ''}, "
                    f"{group.off_topic:,} of {size:,} off the subject"
                ),
                more=max(size - MAX_TOPIC_MEMBERS, 0),
            )
        )
    return views


def _commenters(found: Sequence[Commenter], anchors: dict[str, str]) -> dict[str, Any]:
    rows = tuple(
        CommenterRow(
            name=c.name,
            comments=len(c.comment_ids),
            links=tuple((f"#{i}", f"#{anchors[i]}") for i in c.comment_ids[:MAX_COMMENTER_LINKS]),
            more=max(len(c.comment_ids) - MAX_COMMENTER_LINKS, 0),
            threads=c.threads,
            replies_received=c.replies_received,
            off_topic=f"{c.off_topic} ({pct(c.off_topic / len(c.comment_ids))})",
            sentiment=signed(c.mean_sentiment),
        )
        for c in found[:MAX_COMMENTERS]
    )
    note = (
        f"The {MAX_COMMENTERS} most active of {len(found):,} named commenters; "
        "threads author NAME lists anyone's comments."
        if len(found) > MAX_COMMENTERS
        else None
    )
    return {"commenters": rows, "commenters_note": note}
