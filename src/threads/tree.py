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

from threads.inputs.dates import posted_iso
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
        comments, repairs = resolve_names(page.comments, page.saved_at), list[Repair]()
    else:
        comments, repairs = resolve_ids(page.comments, page.saved_at)
    return Discussion(
        source=page.source or source,
        input_format=page.input_format,
        article=page.article,
        comments=tuple(comments),
        announced_total=page.announced_total,
        repairs=tuple(dict.fromkeys((*page.repairs, *repairs))),  # stated ones first
        warnings=page.warnings,
        saved_at=page.saved_at,
    )


def _placed(
    raw: RawComment,
    parent_id: str | None,
    status: ParentStatus,
    alternatives: Sequence[str],
    depth: int,
    thread_id: str,
    saved_at: str | None,
) -> Comment:
    fields = vars(raw)  # a RawComment's own fields, copied as they are, but for the date
    when = posted_iso(raw.posted_at, raw.posted, saved_at) or raw.posted_iso
    return Comment(
        **(fields if when == raw.posted_iso else {**fields, "posted_iso": when}),
        parent_id=parent_id,
        parent_status=status,
        parent_alternatives=tuple(alternatives),
        thread_id=thread_id,
        depth=depth,
    )


def resolve_names(raws: Sequence[RawComment], saved_at: str | None = None) -> list[Comment]:
    """Place comments whose parent is known only by name (pages list comments depth first).

    For ``Reply to  NAME`` the candidates are the comments by NAME on the path from the
    current top-level comment down to the previous comment; the deepest wins (``unique``, or
    ``ambiguous`` with the others listed). Failing that, the nearest earlier comment by NAME
    anywhere (``off-path``). Failing that, or with no name, the reply becomes top-level
    (``orphan``) and keeps ``reply_to`` as written.
    """
    placed: list[Comment] = []
    # The path of comment i (its ancestors and itself) as a persistent map: name key -> the
    # deepest comment of that name on it. Each comment's map is its parent's plus itself,
    # sharing the rest, so an off-path reply re-roots in O(log n), not O(depth).
    path_of: list[_Trie] = []
    same_above: list[int | None] = []  # index of the nearest ancestor with the same name
    last_by_name: dict[str, int] = {}  # name key -> index into placed of latest comment

    for raw in raws:
        key = name_key(raw.reply_to)
        deepest = None
        if raw.reply_to is not None and key and placed:
            deepest = _trie_get(path_of[-1], key)
        parent_index: int | None = None
        if raw.reply_to is None:
            comment = _placed(raw, None, "top-level", (), 0, raw.id, saved_at)
        elif deepest is not None:
            parent_index = deepest
            others: list[str] = []
            above = same_above[deepest]
            while above is not None and len(others) < MAX_ALTERNATIVES:
                others.append(placed[above].id)
                above = same_above[above]
            status: ParentStatus = "ambiguous" if others else "unique"
            parent = placed[deepest]
            comment = _placed(
                raw, parent.id, status, others, parent.depth + 1, parent.thread_id, saved_at
            )
        elif key and key in last_by_name:
            parent_index = last_by_name[key]
            parent = placed[parent_index]
            comment = _placed(
                raw, parent.id, "off-path", (), parent.depth + 1, parent.thread_id, saved_at
            )
        else:
            comment = _placed(raw, None, "orphan", (), 0, raw.id, saved_at)
        trie = path_of[parent_index] if parent_index is not None else None
        own = name_key(comment.author)
        same_above.append(_trie_get(trie, own) if own else None)
        path_of.append(_trie_set(trie, own, len(placed)) if own else trie)
        if comment.author is not None and own:
            last_by_name[own] = len(placed)
        placed.append(comment)
    return placed


# A persistent hash trie (16 ways a level): a tuple of 16 slots, each None, a sub-trie, or
# a leaf tuple of (key, value) pairs (more than one pair only when all 64 hash bits agree).
_Trie = tuple[object, ...] | None
_WAYS, _BITS = 16, 4
_EMPTY: tuple[object, ...] = (None,) * _WAYS


def _hash(key: str) -> int:
    return hash(key) & 0xFFFF_FFFF_FFFF_FFFF


def _trie_get(trie: _Trie, key: str) -> int | None:
    h, shift = _hash(key), 0
    while trie is not None:
        child = trie[(h >> shift) & (_WAYS - 1)]
        if child is None:
            return None
        if isinstance(child, _Node):
            trie, shift = child.slots, shift + _BITS
            continue
        for leaf_key, value in child:  # type: ignore[attr-defined]
            if leaf_key == key:
                return int(value)
        return None
    return None


class _Node:
    """A sub-trie (a class, so that a leaf tuple is never taken for one)."""

    __slots__ = ("slots",)

    def __init__(self, slots: tuple[object, ...]) -> None:
        self.slots = slots


def _trie_set(trie: _Trie, key: str, value: int, shift: int = 0) -> tuple[object, ...]:
    """A new trie with key -> value; ``trie`` is unchanged (at most 16 levels deep)."""
    slots = trie if trie is not None else _EMPTY
    h = _hash(key)
    slot = (h >> shift) & (_WAYS - 1)
    child = slots[slot]
    if child is None:
        new: object = ((key, value),)
    elif isinstance(child, _Node):
        new = _Node(_trie_set(child.slots, key, value, shift + _BITS))
    else:
        pairs: tuple[tuple[str, int], ...] = child  # type: ignore[assignment]
        if shift + _BITS >= 64 or any(k == key for k, _ in pairs):
            new = (*((k, v) for k, v in pairs if k != key), (key, value))
        else:
            sub: tuple[object, ...] = _EMPTY
            for k, v in pairs:
                sub = _trie_set(sub, k, v, shift + _BITS)
            new = _Node(_trie_set(sub, key, value, shift + _BITS))
    return (*slots[:slot], new, *slots[slot + 1 :])


def resolve_ids(
    raws: Sequence[RawComment], saved_at: str | None = None
) -> tuple[list[Comment], list[Repair]]:
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
    # A new name is never one the input uses itself (a literal "5~2" keeps its replies).
    given = {raw.id for raw in raws}
    for raw in raws:
        if raw.id in seen:
            n = 2
            while f"{raw.id}~{n}" in seen or f"{raw.id}~{n}" in given:
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
    root: dict[str, str] = {}
    for raw in unique:
        trail = []
        node = raw.id
        while node is not None and node not in depth:
            trail.append(node)
            node = parent_of[node]
        base = -1 if node is None else depth[node]
        top = trail[-1] if node is None else root[node]
        for visited in reversed(trail):
            base += 1
            depth[visited] = base
            root[visited] = top

    comments = [
        _placed(
            raw,
            parent_of[raw.id],
            *_honour_stated(raw, parent_of[raw.id], status_of[raw.id], by_id),
            depth[raw.id],
            root[raw.id],
            saved_at,
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
