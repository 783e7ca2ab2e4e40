"""Every comment of each topic: who wrote it, in which thread, and whether it left the subject.

The topic table names a topic by its terms and one typical comment; a reader checking what a
topic holds wants all of it (BERTopic's "documents per topic"). ``threads clusters
--members`` prints these lists and the report opens each topic to its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from threads.analysis.results import Analysis


@dataclass(frozen=True)
class TopicMember:
    """One comment of a topic."""

    id: str
    author: str | None  # None: no name on the page
    thread_id: str  # the id of its thread's top-level comment
    off_topic: bool  # flagged as off the subject
    too_short: bool  # too few words to judge: never flagged


@dataclass(frozen=True)
class TopicMembers:
    """A topic and every comment in it, in page order."""

    number: int
    name: str | None  # the name given with --topic-labels, if any
    terms: tuple[str, ...]
    members: tuple[TopicMember, ...]
    off_topic: int  # how many of them are flagged off the subject


def topic_members(analysis: Analysis) -> list[TopicMembers]:
    """The comments of each topic of ``analysis``, topics in their table's order."""
    discussion = analysis.discussion
    by_topic: dict[int, list[TopicMember]] = {k.number: [] for k in analysis.clusters}
    for comment, result in zip(discussion.comments, analysis.comments, strict=True):
        by_topic[result.cluster].append(
            TopicMember(
                id=comment.id,
                author=comment.author,
                thread_id=discussion.root_of(comment.id).id,
                off_topic=result.off_topic,
                too_short=result.too_short,
            )
        )
    return [
        TopicMembers(
            number=k.number,
            name=k.name,
            terms=k.terms,
            members=tuple(by_topic[k.number]),
            off_topic=sum(m.off_topic for m in by_topic[k.number]),
        )
        for k in analysis.clusters
    ]
