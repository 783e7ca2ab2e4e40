"""One commenter's part in the discussion (``threads author NAME``): their comments, whom
they answered, who answered them, their off-topic share and mean tone.

Names match as the reply tree matches them (:func:`threads.tree.name_key`: Unicode-normalised,
case-insensitive, repeated spaces ignored). Light: no numpy.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from threads.errors import ThreadsError
from threads.tree import name_key

if TYPE_CHECKING:
    from threads.analysis.results import Analysis

#: At most this many close names are suggested for an unknown one.
CLOSE_NAMES = 5


class UnknownAuthorError(ThreadsError, KeyError):
    """No comment is by this name; the message lists close names."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


@dataclass(frozen=True)
class Reply:
    """A comment answering, or answered by, the commenter."""

    id: str
    author: str | None  # None: no display name


@dataclass(frozen=True)
class AuthorComment:
    """One of the commenter's comments, whole, with its place in the conversation."""

    id: str
    thread: int  # 1-based number of its thread (top-level comments in page order)
    root_id: str  # the thread's top-level comment
    depth: int
    answers: Reply | None  # the comment it replies to (None at top level)
    replies: tuple[Reply, ...]  # the direct replies to it
    cluster: int
    sentiment: float
    article_similarity: float
    off_topic: bool
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "thread": self.thread,
            "root_id": self.root_id,
            "depth": self.depth,
            "answers": None if self.answers is None else vars(self.answers),
            "replies": [vars(r) for r in self.replies],
            "cluster": self.cluster,
            "sentiment": self.sentiment,
            "article_similarity": self.article_similarity,
            "off_topic": self.off_topic,
            "text": self.text,
        }


@dataclass(frozen=True)
class AuthorSummary:
    """Every figure ``threads author`` shows, computed here once."""

    name: str  # as the first comment spells it
    comments: tuple[AuthorComment, ...]  # page order
    threads: int  # distinct threads they wrote in
    answered: tuple[str, ...]  # names they replied to, by first reply ("(no name)" for none)
    answered_by: tuple[str, ...]  # names who replied to them
    off_topic_share: float  # their off-topic comments over their comments, 0..1
    mean_sentiment: float  # mean of their comments' sentiment

    def to_dict(self) -> dict[str, Any]:
        return {
            "author": self.name,
            "comment_count": len(self.comments),
            "threads": self.threads,
            "answered": list(self.answered),
            "answered_by": list(self.answered_by),
            "off_topic_share": self.off_topic_share,
            "mean_sentiment": self.mean_sentiment,
            "comments": [c.to_dict() for c in self.comments],
        }


def _who(author: str | None) -> str:
    return author or "(no name)"


def author_summary(analysis: Analysis, name: str) -> AuthorSummary:
    """The commenter called ``name`` (:class:`UnknownAuthorError`, listing close names, if
    nobody is)."""
    from threads.analysis.stats import rounded

    discussion = analysis.discussion
    key = name_key(name)
    mine = [c for c in discussion.comments if c.author is not None and name_key(c.author) == key]
    if not key or not mine:
        names = {name_key(c.author): c.author for c in discussion.comments if c.author}
        close = difflib.get_close_matches(key, list(names), n=CLOSE_NAMES, cutoff=0.5)
        hint = f"; close names: {', '.join(str(names[k]) for k in close)}" if close else ""
        raise UnknownAuthorError(f"no comment by {name!r}{hint}")
    thread_of = {root.id: number for number, root in enumerate(discussion.roots(), start=1)}
    results = {r.id: r for r in analysis.comments}
    comments = []
    for c in mine:
        parent = discussion.parent(c.id)
        root = discussion.root_of(c.id)
        result = results[c.id]
        comments.append(
            AuthorComment(
                id=c.id,
                thread=thread_of[root.id],
                root_id=root.id,
                depth=c.depth,
                answers=None if parent is None else Reply(parent.id, parent.author),
                replies=tuple(Reply(r.id, r.author) for r in discussion.children(c.id)),
                cluster=result.cluster,
                sentiment=result.sentiment,
                article_similarity=result.article_similarity,
                off_topic=result.off_topic,
                text=c.text,
            )
        )
    answered = [_who(c.answers.author) for c in comments if c.answers is not None]
    answered_by = [_who(r.author) for c in comments for r in c.replies]
    return AuthorSummary(
        name=str(mine[0].author),
        comments=tuple(comments),
        threads=len({c.root_id for c in comments}),
        answered=tuple(dict.fromkeys(answered)),
        answered_by=tuple(dict.fromkeys(answered_by)),
        off_topic_share=rounded(sum(c.off_topic for c in comments) / len(comments)),
        mean_sentiment=rounded(sum(c.sentiment for c in comments) / len(comments)),
    )


@dataclass(frozen=True)
class Commenter:
    """One commenter's share of the discussion (the report's commenters table)."""

    name: str  # as their first comment spells it
    comment_ids: tuple[str, ...]  # page order
    threads: int  # distinct threads they wrote in
    replies_received: int  # direct replies to their comments
    off_topic: int  # their comments flagged off-topic
    mean_sentiment: float


def commenters(analysis: Analysis) -> tuple[Commenter, ...]:
    """Every named commenter, most comments first (ties: who commented first), in one pass;
    comments without a display name are left out (they are not one person)."""
    from threads.analysis.stats import rounded

    discussion = analysis.discussion
    groups: dict[str, list[int]] = {}
    for i, comment in enumerate(discussion.comments):
        if comment.author:
            groups.setdefault(name_key(comment.author), []).append(i)
    roots = {c.id: discussion.root_of(c.id).id for c in discussion.comments}
    children: dict[str, int] = {}
    for comment in discussion.comments:
        if comment.parent_id is not None:
            children[comment.parent_id] = children.get(comment.parent_id, 0) + 1
    found = []
    for rows in groups.values():
        ids = [discussion.comments[i].id for i in rows]
        results = [analysis.comments[i] for i in rows]
        found.append(
            Commenter(
                name=str(discussion.comments[rows[0]].author),
                comment_ids=tuple(ids),
                threads=len({roots[i] for i in ids}),
                replies_received=sum(children.get(i, 0) for i in ids),
                off_topic=sum(r.off_topic for r in results),
                mean_sentiment=rounded(sum(r.sentiment for r in results) / len(results)),
            )
        )
    first = {c.name: discussion.index_of(c.comment_ids[0]) for c in found}
    found.sort(key=lambda c: (-len(c.comment_ids), first[c.name]))
    return tuple(found)
