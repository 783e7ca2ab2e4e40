"""The blind labelling sheet of ``threads sample``: comments for a person to judge.

A seeded sample stratified by the tool's flag and by depth (top-level or reply), so every
kind of comment is represented; each stratum gets its share of the sample (largest
remainder, at least one comment per non-empty stratum when the sample is large enough),
so the sheet's agreement figures describe the pages as they are. The sheet shows the page,
the article's title, the parent's text and the comment, and empty ``on_topic`` and ``note``
columns: never the score or the flag. Rows come in page order, which reveals neither.
The CSV's cells are formula-escaped as every threads CSV (:mod:`threads.export`); the
JSONL beside it (one object per line, the comment in ``text``) imports into Label Studio
or doccano.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import astuple, dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING

from threads._atomic import write_all
from threads.errors import OptionError
from threads.export import to_csv

if TYPE_CHECKING:
    from threads.analysis import Analysis


@dataclass(frozen=True)
class SheetRow:
    """One row of the sheet, in its column order."""

    page: str  # the page's name (its file's stem)
    id: str  # the comment's id on that page
    title: str  # the article's title
    parent_text: str  # the text replied to ("" at top level)
    text: str  # the comment
    on_topic: str = ""  # for the person: 1, 0, or blank
    note: str = ""  # for the person: anything worth saying


#: The sheet's columns (``threads agree`` needs ``id``, ``on_topic``, and ``page`` when pooled).
SHEET_COLUMNS = tuple(f.name for f in fields(SheetRow))


@dataclass(frozen=True)
class Candidate:
    """A comment that may be drawn, with the stratum it is drawn from."""

    row: SheetRow
    flagged: bool  # the tool's off-topic flag (never for a comment too short to judge)
    reply: bool  # not top-level


def candidates(page: str, analysis: Analysis) -> list[Candidate]:
    """Every comment of an analysed page, in page order."""
    discussion = analysis.discussion
    title = discussion.article.title or ""
    found = []
    for comment, result in zip(discussion.comments, analysis.comments, strict=True):
        parent = discussion.parent(comment.id)
        found.append(
            Candidate(
                SheetRow(page, comment.id, title, parent.text if parent else "", comment.text),
                flagged=result.off_topic and not getattr(result, "too_short", False),
                reply=comment.parent_id is not None,
            )
        )
    return found


def allocation(sizes: Sequence[int], n: int) -> list[int]:
    """How many to draw from strata of ``sizes`` for ``n`` in all: proportional by largest
    remainder (ties: the first stratum), at least one from each non-empty stratum when
    ``n`` allows; every comment when ``n`` covers them all."""
    total = sum(sizes)
    if n >= total:
        return list(sizes)
    filled = [i for i, size in enumerate(sizes) if size]
    if n < len(filled):  # too few for one each: the largest strata
        chosen = sorted(filled, key=lambda i: (-sizes[i], i))[:n]
        return [1 if i in chosen else 0 for i in range(len(sizes))]
    counts = [1 if size else 0 for size in sizes]
    left, spare = n - len(filled), [max(size - 1, 0) for size in sizes]
    quotas = [left * s / sum(spare) for s in spare]
    counts = [c + math.floor(q) for c, q in zip(counts, quotas, strict=True)]
    by_remainder = sorted(range(len(sizes)), key=lambda i: (-(quotas[i] % 1), i))
    for i in by_remainder[: n - sum(counts)]:
        counts[i] += 1
    return counts


def draw(pool: Sequence[Candidate], n: int, seed: int = 0) -> list[SheetRow]:
    """``n`` rows (all when fewer) stratified by flag and depth, seeded, in pool order."""
    import numpy as np

    if n < 1:
        raise OptionError("n", f"must be at least 1; got {n}")
    strata: dict[tuple[bool, bool], list[int]] = {
        key: [] for key in ((False, False), (False, True), (True, False), (True, True))
    }
    for i, candidate in enumerate(pool):
        strata[(candidate.flagged, candidate.reply)].append(i)
    counts = allocation([len(members) for members in strata.values()], n)
    rng = np.random.default_rng(seed)
    chosen: list[int] = []
    for members, count in zip(strata.values(), counts, strict=True):
        chosen += [members[j] for j in rng.choice(len(members), size=count, replace=False)]
    return [pool[i].row for i in sorted(chosen)]


def sheet_csv(rows: Sequence[SheetRow]) -> str:
    records = [dict(zip(SHEET_COLUMNS, astuple(row), strict=True)) for row in rows]
    return to_csv(records, SHEET_COLUMNS)


def sheet_jsonl(rows: Sequence[SheetRow]) -> str:
    """One JSON object per line: the comment in ``text``, the other columns beside it (the
    flat task shape Label Studio and doccano import)."""
    return "".join(
        json.dumps(dict(zip(SHEET_COLUMNS, astuple(row), strict=True)), ensure_ascii=False) + "\n"
        for row in rows
    )


def sheet_paths(out: Path) -> tuple[Path, Path]:
    """The CSV at ``out`` and the JSONL beside it (``out`` with ``.jsonl``)."""
    return out, out.with_suffix(".jsonl")


def write_sheet(rows: Sequence[SheetRow], out: Path) -> tuple[Path, Path]:
    """Write the CSV and the JSONL together, all or nothing; their paths."""
    csv_path, jsonl_path = sheet_paths(out)
    if csv_path == jsonl_path:
        raise OptionError("out", f"must not end in .jsonl (the JSONL goes beside it); got {out}")
    write_all({csv_path: sheet_csv(rows), jsonl_path: sheet_jsonl(rows)})
    return csv_path, jsonl_path
