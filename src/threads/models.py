"""Records that flow through threads: what a page says, and the discussion built from it.

Parsers produce a :class:`ParsedPage` of :class:`RawComment` records (exactly what the page
says). :func:`threads.tree.build_discussion` turns that into a :class:`Discussion` whose
:class:`Comment` records also carry their place in the reply tree.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal

from threads.errors import UnknownCommentError

if TYPE_CHECKING:
    import pandas as pd

InputFormat = Literal["text", "html", "csv", "json", "parquet"]

#: How a comment's parent was found (see README, "Reply structure").
ParentStatus = Literal["top-level", "unique", "ambiguous", "off-path", "orphan", "exact"]


@dataclass(frozen=True)
class Article:
    """The article the comments are about. Every field may be missing (comment-only pages)."""

    title: str | None = None
    published: str | None = None
    author: str | None = None
    paragraphs: tuple[str, ...] = ()
    caption: str | None = None
    bio: str | None = None

    @property
    def text(self) -> str:
        """Title and body, the text comments are compared against."""
        return "\n\n".join(p for p in (self.title, *self.paragraphs) if p)

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["paragraphs"] = list(self.paragraphs)
        return data


@dataclass(frozen=True)
class RawComment:
    """One comment exactly as the page presents it, before the reply tree is resolved.

    ``reply_to`` is the parent's *name* as written (text dumps); ``parent_ref`` is the
    parent's *id* for formats that carry one (HTML, CSV, JSON). At most one is used.
    """

    id: str
    position: int
    text: str
    author: str | None = None
    posted: str | None = None
    posted_at: str | None = None
    reply_to: str | None = None
    parent_ref: str | None = None
    edited: str | None = None
    truncated: bool = False
    votes: int | None = None
    # What an input that records resolved trees (threads' own JSON export) says about how the
    # parent was found; honoured when it agrees with the ids, so a round trip is exact.
    stated_status: ParentStatus | None = None
    stated_alternatives: tuple[str, ...] = ()
    #: The date as ISO 8601 (with the offset when the page gives one), or None when unknown.
    #: A parser may state it (threads' own JSON and CSV); the tree computes it from
    #: ``posted_at`` or ``posted`` (and the page's saved date) when it can.
    posted_iso: str | None = None


@dataclass(frozen=True)
class Comment(RawComment):
    """A comment with its resolved place in the reply tree."""

    parent_id: str | None = None
    parent_status: ParentStatus = "top-level"
    parent_alternatives: tuple[str, ...] = ()
    #: The id of the thread's top-level comment (the comment's own id at top level).
    thread_id: str = ""
    depth: int = 0

    def to_dict(self) -> dict[str, Any]:
        """The record as ``threads comments --format json`` prints it (parse fields only)."""
        data = {name: getattr(self, name) for name in COMMENT_COLUMNS}
        data["parent_alternatives"] = list(self.parent_alternatives)
        return data


@dataclass(frozen=True)
class Repair:
    """A change threads made to the input's reply structure, and why."""

    comment_id: str
    problem: str
    action: str

    def __str__(self) -> str:
        return f"comment {self.comment_id}: {self.problem}; {self.action}"


@dataclass(frozen=True)
class ParsedPage:
    """What a parser read from one file."""

    input_format: InputFormat
    article: Article
    comments: tuple[RawComment, ...]
    announced_total: int | None = None
    warnings: tuple[str, ...] = ()
    # Where the comments were first read from, when the file says so (threads' own JSON
    # export records it); otherwise the file's own path is the source.
    source: str | None = None
    # True when replies name their parent's author (text dumps), not its id.
    parents_by_name: bool = False
    # Repairs the file itself reports (threads' own export lists those made to the original
    # input; its tree is already repaired, so they cannot be found again).
    repairs: tuple[Repair, ...] = ()
    #: When the page was saved (ISO 8601), the moment relative dates count back from.
    saved_at: str | None = None


@dataclass(frozen=True)
class Discussion:
    """An article, its comments in page order, and the reply tree over them.

    Traversals are generators and iterative, so a reply chain 100,000 deep is fine.
    """

    source: str
    input_format: InputFormat
    article: Article
    comments: tuple[Comment, ...]
    announced_total: int | None = None
    repairs: tuple[Repair, ...] = ()
    warnings: tuple[str, ...] = ()
    #: When the page was saved (ISO 8601), if known: relative dates were resolved against it.
    saved_at: str | None = None
    _index: dict[str, int] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Frozen, but the id index is derived state: fill it once here.
        self._index.update((c.id, i) for i, c in enumerate(self.comments))

    def __len__(self) -> int:
        return len(self.comments)

    def __iter__(self) -> Iterator[Comment]:
        return iter(self.comments)

    def __contains__(self, comment_id: object) -> bool:
        return comment_id in self._index

    def get(self, comment_id: str) -> Comment:
        """The comment with this id; :class:`UnknownCommentError` names the valid ids."""
        try:
            return self.comments[self._index[comment_id]]
        except KeyError:
            raise UnknownCommentError(f"no comment {comment_id!r}; {self.describe_ids()}") from None

    def index_of(self, comment_id: str) -> int:
        """The comment's place in ``comments`` (page order, from 0)."""
        self.get(comment_id)
        return self._index[comment_id]

    def describe_ids(self) -> str:
        """A short phrase naming the valid ids, for error messages."""
        if not self.comments:
            return "the discussion has no comments"
        ids = [c.id for c in self.comments]
        if ids == [str(i) for i in range(1, len(ids) + 1)]:
            return f"valid ids are 1 to {len(ids)}"
        shown = ", ".join(ids[:5]) + (", ..." if len(ids) > 5 else "")
        return f"valid ids are the {len(ids)} comment ids ({shown})"

    @cached_property
    def _children(self) -> dict[str | None, list[Comment]]:
        children: dict[str | None, list[Comment]] = {}
        for comment in self.comments:
            children.setdefault(comment.parent_id, []).append(comment)
        return children

    def roots(self) -> list[Comment]:
        """Top-level comments in page order."""
        return list(self._children.get(None, []))

    def children(self, comment_id: str) -> list[Comment]:
        """Direct replies to a comment, in page order."""
        self.get(comment_id)
        return list(self._children.get(comment_id, []))

    def parent(self, comment_id: str) -> Comment | None:
        parent_id = self.get(comment_id).parent_id
        return None if parent_id is None else self.get(parent_id)

    def ancestors(self, comment_id: str) -> Iterator[Comment]:
        """Parent, grandparent, ... up to the top-level comment."""
        parent = self.parent(comment_id)
        while parent is not None:
            yield parent
            parent = self.parent(parent.id)

    def path_to(self, comment_id: str) -> list[Comment]:
        """The chain from the top-level comment down to ``comment_id`` inclusive."""
        path = [self.get(comment_id), *self.ancestors(comment_id)]
        path.reverse()
        return path

    @cached_property
    def _root_ids(self) -> dict[str, str]:
        # Pre-order visits a parent before its children, so one pass finds every root.
        roots: dict[str, str] = {}
        for comment in self.walk():
            parent = comment.parent_id
            roots[comment.id] = comment.id if parent is None else roots[parent]
        return roots

    def root_of(self, comment_id: str) -> Comment:
        """The top-level comment of the thread holding ``comment_id``."""
        self.get(comment_id)
        return self.get(self._root_ids[comment_id])

    def walk(self, comment_id: str | None = None) -> Iterator[Comment]:
        """Depth-first pre-order over the subtree under ``comment_id`` (the whole forest if None).

        The comment itself is included when given.
        """
        stack: list[Comment] = (
            [self.get(comment_id)] if comment_id is not None else self.roots()[::-1]
        )
        while stack:
            comment = stack.pop()
            yield comment
            stack.extend(reversed(self._children.get(comment.id, [])))

    def chains(self) -> Iterator[list[Comment]]:
        """Every root-to-leaf reply chain, in page order of their leaves' threads."""
        path: list[Comment] = []
        for comment in self.walk():
            del path[comment.depth :]
            path.append(comment)
            if not self._children.get(comment.id):
                yield list(path)

    def threads(self) -> Iterator[list[Comment]]:
        """Each top-level comment with all its replies, depth first."""
        for root in self.roots():
            yield list(self.walk(root.id))

    def records(self) -> list[dict[str, Any]]:
        return [c.to_dict() for c in self.comments]

    def to_frame(self) -> pd.DataFrame:
        """One row per comment, indexed by id, in page order."""
        import pandas as pd

        frame = pd.DataFrame.from_records(self.records(), columns=COMMENT_COLUMNS)
        return frame.set_index("id", drop=False)


#: The parse columns of a comment record, in the documented order (README, "Output records").
COMMENT_COLUMNS = [
    "id",
    "position",
    "author",
    "posted",
    "posted_at",
    "posted_iso",
    "reply_to",
    "parent_id",
    "parent_status",
    "parent_alternatives",
    "thread_id",
    "depth",
    "edited",
    "truncated",
    "votes",
    "text",
]
