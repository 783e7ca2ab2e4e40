"""Resolve who replied to whom, and build the :class:`~threads.models.Discussion`.

Two kinds of input reach this module:

* text dumps, where a reply names only its parent's *author* (``Reply to  NAME``), resolved
  by :func:`resolve_names` against the thread as it stands when the reply appears;
* formats that carry the parent's *id* (HTML, CSV, JSON), checked by :func:`resolve_ids`,
  which repairs missing parents, self-replies and cycles and lists every repair.

Rules enforced for both: each comment has one parent or none, no comment is its own parent,
there are no cycles, and ``depth`` is the distance to the top-level comment. Everything is
iterative, so a reply chain 100,000 deep does not touch the recursion limit.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from collections.abc import Sequence

from threads.models import Comment, Discussion, ParentStatus, ParsedPage, RawComment, Repair

#: At most this many other candidates are listed for an ambiguous parent (nearest first);
#: a name repeated thousands of times on one chain would otherwise make output quadratic.
MAX_ALTERNATIVES = 10


def name_key(name: str | None) -> str:
    """How two display names are compared: Unicode-normalised, case- and space-insensitive."""
    return " ".join(unicodedata.normalize("NFKC", name or "").casefold().split())


def build_discussion(page: ParsedPage, source: str) -> Discussion:
    """Resolve the reply tree of a parsed page."""
    if page.parents_by_name:
        comments, repairs = resolve_names(page.comments), list[Repair]()
    else:
        comments, repairs = resolve_ids(page.comments)
    return Discussion(
        source=page.source or source,
        input_format=page.input_format,
        article=page.article,
        comments=tuple(comments),
        announced_total=page.announced_total,
        repairs=tuple(dict.fromkeys((*page.repairs, *repairs))),  # stated ones first
        warnings=page.warnings,
    )


def _placed(
    raw: RawComment,
    parent_id: str | None,
    status: ParentStatus,
    alternatives: Sequence[str],
    depth: int,
) -> Comment:
    return Comment(
        **vars(raw),  # a RawComment's own fields, copied as they are
        parent_id=parent_id,
        parent_status=status,
        parent_alternatives=tuple(alternatives),
        depth=depth,
    )


def resolve_names(raws: Sequence[RawComment]) -> list[Comment]:
    """Place comments whose parent is known only by name (pages list comments depth first).

    For ``Reply to  NAME`` the candidates are the comments by NAME on the path from the
    current top-level comment down to the previous comment; the deepest wins (``unique``, or
    ``ambiguous`` with the others listed). Failing that, the nearest earlier comment by NAME
    anywhere (``off-path``). Failing that, or with no name, the reply becomes top-level
    (``orphan``) and keeps ``reply_to`` as written.
    """
    placed: list[Comment] = []
    path: list[Comment] = []  # current thread, top-level comment first
    on_path: dict[str, list[int]] = {}  # name key -> indexes into path, shallowest first
    last_by_name: dict[str, int] = {}  # name key -> index into placed of latest comment
    index_of: dict[str, int] = {}

    def cut_path(length: int) -> None:
        while len(path) > length:
            on_path[name_key(path.pop().author)].pop()

    for raw in raws:
        key = name_key(raw.reply_to)
        candidates = on_path.get(key, []) if raw.reply_to is not None and key else []
        if raw.reply_to is None:
            cut_path(0)
            comment = _placed(raw, None, "top-level", (), 0)
        elif candidates:
            parent_index = candidates[-1]
            # Slice before copying: a name repeated thousands of times on one chain (two
            # people arguing) would otherwise make this quadratic.
            others = [path[i].id for i in reversed(candidates[-MAX_ALTERNATIVES - 1 : -1])]
            status: ParentStatus = "ambiguous" if others else "unique"
            parent = path[parent_index]
            cut_path(parent_index + 1)
            comment = _placed(raw, parent.id, status, others, parent.depth + 1)
        elif key and key in last_by_name:
            parent = placed[last_by_name[key]]
            # Re-root the current path at the chosen parent's own chain.
            chain = [parent]
            while chain[-1].parent_id is not None:
                chain.append(placed[index_of[chain[-1].parent_id]])
            cut_path(0)
            for ancestor in reversed(chain):
                on_path.setdefault(name_key(ancestor.author), []).append(len(path))
                path.append(ancestor)
            comment = _placed(raw, parent.id, "off-path", (), parent.depth + 1)
        else:
            cut_path(0)
            comment = _placed(raw, None, "orphan", (), 0)
        on_path.setdefault(name_key(comment.author), []).append(len(path))
        path.append(comment)
        index_of[comment.id] = len(placed)
        if comment.author is not None and name_key(comment.author):
            last_by_name[name_key(comment.author)] = len(placed)
        placed.append(comment)
    return placed


def resolve_ids(raws: Sequence[RawComment]) -> tuple[list[Comment], list[Repair]]:
    """Place comments that name their parent's id, repairing what cannot stand.

    * a duplicate id: the later comment is kept under a new id ``ID~2`` (``~3``, ...);
      replies to ID stay with the first comment;
    * a parent id that is not in the input: the reply becomes top-level, ``orphan``;
    * a comment naming itself as parent: it becomes top-level;
    * a cycle: the comment of the cycle that comes first on the page becomes top-level.
    """
    repairs: list[Repair] = []
    unique: list[RawComment] = []
    seen: set[str] = set()
    for raw in raws:
        if raw.id in seen:
            n = 2
            while f"{raw.id}~{n}" in seen:
                n += 1
            new_id = f"{raw.id}~{n}"
            repairs.append(Repair(new_id, f"duplicate id {raw.id!r}", f"kept as {new_id!r}"))
            raw = _with_id(raw, new_id)
        seen.add(raw.id)
        unique.append(raw)

    by_id = {raw.id: raw for raw in unique}
    parent_of: dict[str, str | None] = {}
    status_of: dict[str, ParentStatus] = {}
    for raw in unique:
        ref = raw.parent_ref or None
        if ref is None:
            parent_of[raw.id], status_of[raw.id] = None, "top-level"
        elif ref == raw.id:
            parent_of[raw.id], status_of[raw.id] = None, "top-level"
            repairs.append(Repair(raw.id, "names itself as parent", "made top-level"))
        elif ref not in by_id:
            parent_of[raw.id], status_of[raw.id] = None, "orphan"
            repairs.append(
                Repair(raw.id, f"parent {ref!r} is not in the input", "made top-level (orphan)")
            )
        else:
            parent_of[raw.id], status_of[raw.id] = ref, "exact"

    # Break cycles: follow parents from each comment; a walk that returns to a comment on
    # its own trail has found a cycle.
    position = {raw.id: i for i, raw in enumerate(unique)}
    state: dict[str, int] = {}  # 1 = on the current trail, 2 = known to reach a root
    for raw in unique:
        trail: list[str] = []
        node: str | None = raw.id
        while node is not None and state.get(node) is None:
            state[node] = 1
            trail.append(node)
            node = parent_of[node]
        if node is not None and state[node] == 1:
            cycle = trail[trail.index(node) :]
            first = min(cycle, key=position.__getitem__)
            members = ", ".join(sorted(cycle, key=position.__getitem__))
            parent_of[first], status_of[first] = None, "top-level"
            repairs.append(Repair(first, f"reply cycle ({members})", "made top-level"))
        for visited in trail:
            state[visited] = 2

    depth: dict[str, int] = {}
    for raw in unique:
        trail = []
        node = raw.id
        while node is not None and node not in depth:
            trail.append(node)
            node = parent_of[node]
        base = -1 if node is None else depth[node]
        for visited in reversed(trail):
            base += 1
            depth[visited] = base

    comments = [
        _placed(
            raw,
            parent_of[raw.id],
            *_honour_stated(raw, parent_of[raw.id], status_of[raw.id], by_id),
            depth[raw.id],
        )
        for raw in unique
    ]
    return comments, repairs


def _honour_stated(
    raw: RawComment, parent_id: str | None, status: ParentStatus, by_id: dict[str, RawComment]
) -> tuple[ParentStatus, tuple[str, ...]]:
    """Keep a status the input states when it is consistent with the checked parent."""
    stated = raw.stated_status
    if stated in ("unique", "ambiguous", "off-path") and status == "exact":
        alternatives = tuple(a for a in raw.stated_alternatives if a in by_id)
        return stated, alternatives
    if stated == "orphan" and parent_id is None and status == "top-level":
        return "orphan", ()
    return status, ()


def _with_id(raw: RawComment, new_id: str) -> RawComment:
    return dataclasses.replace(raw, id=new_id)
