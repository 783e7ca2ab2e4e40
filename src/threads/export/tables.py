"""One page's analysis as rows of four tables: pages, comments, topics, digressions.

The SQLite database and the ConvoKit corpus are both written from these rows, so the two
carry the same figures under the same names. Every figure comes from the analysis as
computed (:class:`threads.analysis.Analysis`); nothing is recomputed here.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from threads.errors import OptionError

if TYPE_CHECKING:
    from threads.analysis import Analysis


@dataclass(frozen=True)
class PageRow:
    """One analysed page (the ``pages`` table)."""

    page: str = field(metadata={"help": "the page's name: SOURCE as given (primary key)"})
    title: str | None = field(metadata={"help": "the article's title"})
    author: str | None = field(metadata={"help": "the article's author"})
    published: str | None = field(metadata={"help": "the article's date as the page shows it"})
    saved_at: str | None = field(metadata={"help": "when the page was saved (ISO 8601)"})
    input_format: str = field(metadata={"help": "text, html, csv or json"})
    announced_total: int | None = field(metadata={"help": "the count the page announces"})
    comments: int = field(metadata={"help": "comments read"})
    threads: int = field(metadata={"help": "top-level comments"})
    clusters: int = field(metadata={"help": "topic clusters (K)"})
    seed: int = field(metadata={"help": "k-means seed"})
    off_topic_threshold: float = field(metadata={"help": "similarity below which off-topic"})
    off_topic_comments: int = field(metadata={"help": "comments flagged off-topic"})
    off_topic_share: float | None = field(metadata={"help": "off-topic comments / comments"})
    sentiment_mean: float | None = field(metadata={"help": "mean sentiment"})


@dataclass(frozen=True)
class TopicRow:
    """One topic cluster of a page (the ``topics`` table)."""

    page: str
    number: int  # 0 = the largest
    name: str | None  # given with --topic-labels, else None
    terms: list[str]
    size: int
    share_comments: float
    share_words: float
    mean_sentiment: float
    article_similarity: float
    off_topic: bool
    off_topic_comments: int
    representative_id: str


@dataclass(frozen=True)
class DigressionRow:
    """A branch of a page that left the subject (the ``digressions`` table)."""

    page: str
    start_id: str  # where it left the subject (primary key with page)
    parent_id: str | None  # the on-topic comment it left from (None: a top-level comment)
    thread_id: str  # the thread's top-level comment
    comments: int
    ids: list[str]
    terms: list[str]
    topic: int | None
    quote: str


@dataclass(frozen=True)
class ThreadRow:
    """One thread of a page: a top-level comment and every reply under it."""

    page: str
    thread_id: str  # the top-level comment's id
    comments: int
    off_topic_comments: int
    terms: list[str]  # what it was about (empty for a lone comment: no terms of its own)


@dataclass(frozen=True)
class PageTables:
    """One page's rows for every table."""

    page: PageRow
    comments: list[dict[str, Any]]  # the comment records, ``page`` first
    topics: list[TopicRow]
    digressions: list[DigressionRow]
    threads: list[ThreadRow]


def page_tables(
    analysis: Analysis, page: str, records: list[dict[str, Any]] | None = None
) -> PageTables:
    """The rows of one analysed page, named ``page``; ``records`` are the comment records
    its ``comments`` rows are made of (default: the analysis's)."""
    discussion = analysis.discussion
    summary = analysis.summary
    parameters = analysis.parameters
    row = PageRow(
        page=page,
        title=discussion.article.title,
        author=discussion.article.author,
        published=discussion.article.published,
        saved_at=discussion.saved_at,
        input_format=discussion.input_format,
        announced_total=discussion.announced_total,
        comments=len(discussion),
        threads=len(discussion.roots()),
        clusters=parameters.clusters,
        seed=parameters.seed,
        off_topic_threshold=parameters.off_topic_threshold,
        off_topic_comments=summary.off_topic_comments,
        off_topic_share=summary.off_topic_share_comments,
        sentiment_mean=summary.sentiment_mean,
    )
    topics = [
        TopicRow(
            page=page,
            number=c.number,
            name=c.name,
            terms=list(c.terms),
            size=c.size,
            share_comments=c.share_comments,
            share_words=c.share_words,
            mean_sentiment=c.mean_sentiment,
            article_similarity=c.article_similarity,
            off_topic=c.off_topic,
            off_topic_comments=c.off_topic_comments,
            representative_id=c.representative_id,
        )
        for c in analysis.clusters
    ]
    digressions = [
        DigressionRow(
            page=page,
            start_id=d.start_id,
            parent_id=d.parent_id,
            thread_id=d.root_id,
            comments=d.comments,
            ids=list(d.ids),
            terms=list(d.terms),
            topic=d.topic,
            quote=d.quote,
        )
        for d in analysis.digest.digressions
    ]
    terms = {t.root_id: list(t.terms) for t in analysis.digest.threads}
    threads = [
        ThreadRow(page, t.root_id, t.comments, t.off_topic, terms.get(t.root_id, []))
        for t in summary.thread_summaries
    ]
    records = analysis.records() if records is None else records
    comments = [{"page": page, **record} for record in records]
    return PageTables(row, comments, topics, digressions, threads)


def rows_to_json(tables: PageTables) -> dict[str, Any]:
    """A page's rows but its comments, as JSON values (a corpus keeps them in its cache; its
    comments are in the page's comment table)."""
    return {
        "page": as_dict(tables.page),
        "topics": [as_dict(t) for t in tables.topics],
        "digressions": [as_dict(d) for d in tables.digressions],
        "threads": [as_dict(t) for t in tables.threads],
    }


def rows_from_json(data: dict[str, Any], comments: list[dict[str, Any]]) -> PageTables:
    """:func:`rows_to_json`'s rows back, with the page's ``comments``; ``ValueError`` when
    ``data`` has another shape."""
    try:
        return PageTables(
            PageRow(**data["page"]),
            comments,
            [TopicRow(**t) for t in data["topics"]],
            [DigressionRow(**d) for d in data["digressions"]],
            [ThreadRow(**t) for t in data["threads"]],
        )
    except (KeyError, TypeError) as error:
        raise ValueError(f"not the rows of a page ({error})") from None


def page_names(sources: Sequence[str]) -> list[str]:
    """Each SOURCE's page name (as given); the same SOURCE twice is an :class:`OptionError`."""
    seen: set[str] = set()
    for source in sources:
        if source in seen:
            raise OptionError("sources", f"names {source!r} twice; give each page once")
        seen.add(source)
    return list(sources)


def as_dict(row: Any) -> dict[str, Any]:
    """A row dataclass as a plain dict (field order kept)."""
    return {f.name: getattr(row, f.name) for f in dataclasses.fields(row)}
