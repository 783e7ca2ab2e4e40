"""The conversation as the report shows it: threads of nested comments, in pages.

Beyond ``PAGE_COMMENTS`` comments, whole threads are grouped into folded pages the browser
builds only when opened. Replies deeper than ``MAX_NESTING`` are shown at that indentation,
each naming its parent.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from threads.report import charts
from threads.report.format import exact, fmt, signed

if TYPE_CHECKING:
    from threads.analysis import Analysis
    from threads.analysis.agreement import LabelledComment
    from threads.models import Comment, Discussion

#: Above this many comments, the conversation is split into folded pages of whole threads,
#: each of about this many comments, built by the browser only when opened.
PAGE_COMMENTS = 2000
#: Replies deeper than this are shown at this indentation (like WordPress does at its depth
#: limit), each naming its parent, so a very deep chain stays readable and the DOM shallow.
MAX_NESTING = 12

#: How a reader's label is shown beside the flag.
LABELS = {True: "on-topic", False: "off-topic"}

_NUMBER = re.compile(r"[0-9]{1,20}")
_WORD = re.compile(r"[A-Za-z0-9_-]{1,64}")


@dataclass(frozen=True)
class CommentView:
    """One comment in the tree, ready to print."""

    id: str
    anchor: str  # its element id (``c7``)
    author: str
    posted: str
    depth: int
    edited: str | None
    parent_note: str | None  # how its parent was found, when that needs saying
    cluster: int
    colour_index: int  # which of the palette's colours (CSS class k0..k7)
    sentiment: str
    similarity: str
    parent_similarity: str | None
    off_topic: bool
    drift_point: bool
    truncated: bool
    paragraphs: tuple[tuple[str, ...], ...]  # paragraphs, each a tuple of lines
    opens: bool  # this comment's replies follow, nested inside it
    closes: int  # how many enclosing reply lists end after it
    # What the triage controls filter and sort by (the element's data-* attributes):
    judgement: str  # "on", "off" or "cant_tell", as the analysis judged it
    commenter: int | None  # its author's place in the commenter list (None: no name)
    similarity_exact: str  # the similarity in full, for sorting
    sentiment_exact: str  # the sentiment in full, for sorting
    replies: int  # direct replies to it
    # With ``report --labels``: the reader's label, and whether the flag disagrees with it.
    label: str | None  # "on-topic", "off-topic", or None (not labelled)
    disagrees: bool

    @property
    def classes(self) -> str:
        """The element's classes: how the tree marks it."""
        return " ".join(
            name
            for name, on in (("off-topic", self.off_topic), ("disagrees", self.disagrees))
            if on
        )

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


def anchor_for(comment: Comment) -> str:
    """The comment's element id: ``c7`` for comment 7, ``c_ab-1`` for id ``ab-1``, and
    ``c-p12`` (its page position) for ids unsafe in a URL fragment.

    No id the report gives its own elements starts ``c_``, ``c-p`` or ``c`` and a digit, so
    no comment id can collide with one (a comment with id ``hain-paths`` is ``c_hain-paths``).
    """
    if _NUMBER.fullmatch(comment.id):
        return f"c{comment.id}"
    if _WORD.fullmatch(comment.id):
        return f"c_{comment.id}"
    return f"c-p{comment.position}"


def paragraphs(text: str) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(p.split("\n")) for p in text.split("\n\n") if p.strip()) or (("",),)


def thread_views(
    analysis: Analysis,
    anchors: dict[str, str],
    commenter_of: Mapping[str, int] | None = None,
    labelled: Mapping[str, LabelledComment] | None = None,
) -> list[ThreadView]:
    """Every thread, ready to print. ``commenter_of``: comment id -> its author's place in
    the triage's commenter list; ``labelled``: comment id -> the reader's label."""
    discussion = analysis.discussion
    commenter_of = commenter_of or {}
    labelled = labelled or {}
    drift_points = analysis.digest.starts  # one badge per digression, not per chain
    views = []
    threads = zip(discussion.threads(), analysis.summary.thread_summaries, strict=True)
    for number, (thread, figures) in enumerate(threads, start=1):
        levels = [min(c.depth, MAX_NESTING) for c in thread]
        items = []
        for index, comment in enumerate(thread):
            level = levels[index]
            following = levels[index + 1] if index + 1 < len(thread) else 0
            opens = following > level
            result = analysis.comments[discussion.index_of(comment.id)]
            label = labelled.get(comment.id)
            items.append(
                CommentView(
                    id=comment.id,
                    anchor=anchors[comment.id],
                    author=comment.author or "(no name)",
                    posted=comment.posted or comment.posted_at or "date not shown",
                    depth=comment.depth,
                    edited=comment.edited,
                    parent_note=parent_note(comment, discussion, level),
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
                    paragraphs=paragraphs(comment.text),
                    opens=opens,
                    closes=0 if opens else level - following,
                    judgement=result.judgement,
                    commenter=commenter_of.get(comment.id),
                    similarity_exact=exact(result.article_similarity),
                    sentiment_exact=exact(result.sentiment),
                    replies=len(discussion.children(comment.id)),
                    label=None if label is None else LABELS[label.on_topic],
                    disagrees=label is not None and not label.agrees,
                )
            )
        views.append(
            ThreadView(
                number=number,
                anchor=anchors[figures.root_id],
                author=thread[0].author or "(no name)",
                size=figures.comments,
                off_topic=figures.off_topic,
                items=tuple(items),
            )
        )
    return views


def pages(threads: list[ThreadView]) -> list[PageView]:
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


def parent_note(comment: Comment, discussion: Discussion, level: int) -> str | None:
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
