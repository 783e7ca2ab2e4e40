"""Which column of a CSV or JSON comment file holds what threads reads.

Files from other tools name their columns differently: ``body`` for the text, ``in_reply_to``
for the parent. Common names are mapped and the mapping is said (a warning naming each
column read under another name); ``columns`` (``--columns text=body,parent_id=in_reply_to``)
chooses explicitly. A file with no text column is an error naming the columns it has; a file
with no id column gets its row numbers as ids, with a warning.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from threads.errors import InputError, OptionError

#: Other names a column is read under, tried in this order when the column itself is absent.
ALIASES: dict[str, tuple[str, ...]] = {
    "text": ("body", "content", "comment", "message"),
    "parent_id": ("parent", "in_reply_to", "reply_to_id"),
    "author": ("user", "username", "name"),
    "posted": ("created_at", "timestamp", "date"),
}
#: The columns ``columns`` may name (what threads reads from a comment record).
TARGETS = ("id", "text", "parent_id", "author", "posted", "posted_at", "position", "votes")


@dataclass(frozen=True)
class ColumnMap:
    """How one file's columns are read."""

    #: file column -> the threads column it is read as (None: not read, another was chosen)
    renames: Mapping[str, str | None]
    #: True when the file has no id column: comments get their row numbers (1, 2, ...) as ids
    numbered: bool
    #: what was mapped or numbered, for stderr
    notes: tuple[str, ...]

    def apply(self, record: Mapping[str, object]) -> dict[str, object]:
        """The record with its columns under the names threads reads."""
        renames = self.renames
        if not renames:
            return dict(record)
        out: dict[str, object] = {}
        for key, value in record.items():
            name = renames.get(key, key)
            if name is not None:
                out[name] = value
        return out


def check_columns(columns: Mapping[str, str] | str | None) -> dict[str, str]:
    """``columns`` as {threads column: file column}, from a mapping or ``"text=body,..."``;
    :class:`OptionError` naming the problem otherwise."""
    if columns is None:
        return {}
    if isinstance(columns, str):
        pairs = []
        for part in columns.split(","):
            target, sep, name = part.partition("=")
            if not sep or not target.strip() or not name.strip():
                raise OptionError(
                    "columns", f"must be NAME=COLUMN pairs separated by commas; got {part!r}"
                )
            pairs.append((target, name))
    else:
        pairs = list(columns.items())
    chosen: dict[str, str] = {}
    for target, name in pairs:
        key = target.strip().lower()
        if key not in TARGETS:
            raise OptionError(
                "columns", f"names {target.strip()!r}; it can set {', '.join(TARGETS)}"
            )
        if key in chosen:
            raise OptionError("columns", f"sets {key} twice")
        chosen[key] = name.strip().lower()
    return chosen


def column_map(names: Sequence[str], source: str, chosen: Mapping[str, str]) -> ColumnMap:
    """How to read a file whose columns (lower case, file order) are ``names``.

    ``chosen`` is :func:`check_columns`' result. A chosen column the file lacks is an
    :class:`OptionError`; no text column at all is an :class:`InputError`.
    """
    present = set(names)
    listed = ", ".join(names) if names else "none"
    renames: dict[str, str | None] = {}
    said = []
    for target, name in chosen.items():
        if name not in present:
            raise OptionError(
                "columns", f"names column {name!r} for {target}; {source} has columns: {listed}"
            )
        if name != target:
            renames[name] = target
            if target in present and target not in chosen.values():
                renames[target] = None  # the file's own column of that name is set aside
            said.append(f"{name} as {target}")
    used = set(chosen.values())
    for target, aliases in ALIASES.items():
        if target in chosen or target in present:
            continue
        found = next((a for a in aliases if a in present and a not in used), None)
        if found is not None:
            renames[found] = target
            used.add(found)
            said.append(f"{found} as {target}")
    readable = {renames.get(n, n) for n in names} - {None}
    if "text" not in readable:
        raise InputError(
            source,
            f"has no text column (text, {', '.join(ALIASES['text'])}; or name one with "
            f"--columns text=COLUMN); its columns are: {listed}",
        )
    notes = []
    if said:
        notes.append(f"{source}: read column {', '.join(said)} (--columns chooses others)")
    numbered = "id" not in readable
    if numbered:
        notes.append(
            f"{source}: no id column; comments are numbered 1, 2, ... in file order "
            "(--columns id=COLUMN names one)"
        )
    return ColumnMap(renames, numbered, tuple(notes))
