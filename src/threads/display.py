"""Plain-text views of a discussion for the terminal (``threads chain``)."""

from __future__ import annotations

from collections.abc import Iterator

from threads.export import shorten
from threads.models import Comment, Discussion

# Indentation stops growing here so a chain thousands of replies deep stays printable.
MAX_INDENT_LEVELS = 24


def _line(comment: Comment, level: int, marker: str = "") -> str:
    indent = "  " * min(level, MAX_INDENT_LEVELS)
    author = comment.author or "(no name)"
    notes = []
    if comment.parent_status == "ambiguous":
        alternatives = ", ".join(f"#{a}" for a in comment.parent_alternatives)
        notes.append(f"[ambiguous parent: also {alternatives}]")
    elif comment.parent_status in ("off-path", "orphan"):
        notes.append(f"[{comment.parent_status} parent]")
    if comment.truncated:
        notes.append("[truncated]")
    note = (" " + " ".join(notes)) if notes else ""
    head = f"{indent}{marker}#{comment.id} {author} (depth {comment.depth}){note}"
    return f"{head}: {shorten(comment.text)}"


def chain_lines(discussion: Discussion, comment_id: str) -> Iterator[str]:
    """The chain from the top-level comment down to ``comment_id``, then the replies under it."""
    path = discussion.path_to(comment_id)
    yield f"Chain from the top-level comment #{path[0].id} down to #{comment_id}:"
    for level, comment in enumerate(path):
        yield _line(comment, level, "> " if comment.id == comment_id else "")
    replies = list(discussion.walk(comment_id))[1:]
    if not replies:
        yield f"No replies under #{comment_id}."
        return
    yield f"Replies under #{comment_id} ({len(replies)}):"
    base = path[-1].depth
    for reply in replies:
        yield _line(reply, reply.depth - base)
