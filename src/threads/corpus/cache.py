"""A page's cache entry in a corpus output folder, read back and verified.

An entry is four files a worker wrote (:func:`threads.corpus.task.page_files`): the row,
the comment part, the comparison sketch and the page's analysis. A run uses it only when
all four have the shape this version writes (the analysis: its size; its bytes are checked
against their SHA-256 when a report is written from them); otherwise the page is analysed
again, with a warning.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from threads.analysis.sketch import N_FEATURES
from threads.corpus.task import (
    CACHE_FORMAT,
    analysis_path,
    cache_path,
    comments_path,
    one_line,
    sketch_path,
)

if TYPE_CHECKING:
    from threads.analysis import Analysis

_SHA256 = re.compile(r"[0-9a-f]{64}")


def read_cache(out: Path, key: str) -> dict[str, Any] | None:
    """The cache entry for ``key`` (its row) when it, its comment part and its sketch are
    all there and the entry has the shape this version writes."""
    entry_path = cache_path(out, key)
    parts = (comments_path(out, key), sketch_path(out, key), analysis_path(out, key))
    if not all(p.is_file() for p in (entry_path, *parts)):
        return None
    try:
        entry: Any = json.loads(entry_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return entry if _entry_problem(entry, key) is None else None


def _entry_problem(entry: Any, key: str) -> str | None:
    from threads.corpus.tables import ARTICLE_TYPES

    if not isinstance(entry, dict) or entry.get("format") != CACHE_FORMAT:
        return "not an entry of this threads version"
    row = entry.get("row")
    if entry.get("key") != key or not isinstance(row, dict) or set(row) != set(ARTICLE_TYPES):
        return "not the entry of this page"
    comments = entry.get("comments")
    if row.get("status") != "ok" or not isinstance(comments, int) or row["comments"] != comments:
        return "its row is damaged"
    tables = entry.get("tables")
    if not isinstance(tables, dict) or set(tables) != {"page", "topics", "digressions", "threads"}:
        return "its database rows are damaged"
    stored = entry.get("analysis")
    if (
        not isinstance(stored, dict)
        or set(stored) != {"sha256", "bytes"}
        or not isinstance(stored["sha256"], str)
        or not _SHA256.fullmatch(stored["sha256"])
        or not isinstance(stored["bytes"], int)
    ):
        return "its record of the page's analysis is damaged"
    return None


def cache_problem(out: Path, key: str) -> str | None:
    """Why the page's cache entry cannot be used, when there is one (None: there is none,
    or it is sound): its entry's shape, its comment part's Parquet footer, row count and
    columns, its sketch's shape."""
    import pyarrow.parquet as pq

    from threads.corpus.tables import comment_schema

    entry_path = cache_path(out, key)
    if not entry_path.exists():
        return None
    try:
        entry: Any = json.loads(entry_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        return f"unreadable: {one_line(str(error))}"
    problem = _entry_problem(entry, key)
    if problem is not None:
        return problem
    try:
        schema = pq.read_schema(comments_path(out, key))
        rows = pq.read_metadata(comments_path(out, key)).num_rows
    except (OSError, ValueError) as error:  # pyarrow's ArrowInvalid is a ValueError
        return f"its comment part cannot be read ({one_line(str(error))})"
    if rows != entry["comments"] or schema.names != comment_schema().names:
        return "its comment part is not the page's"
    if read_sketch(out, key) is None:
        return "its comparison sketch cannot be read"
    try:
        size = analysis_path(out, key).stat().st_size
    except OSError as error:
        return f"its analysis cannot be read ({one_line(error.strerror or str(error))})"
    if size != entry["analysis"]["bytes"]:
        return "its analysis is not the page's (another size)"
    return None


class CachedAnalysisError(ValueError):
    """A page's cached analysis that cannot be used (missing, damaged, another version)."""


def read_page_analysis(out: Path, key: str) -> Analysis:
    """The analysis the page's task stored in its cache entry, when its bytes are those the
    entry records (SHA-256) and decode to an analysis of this version; else
    :class:`CachedAnalysisError` saying why, in one line."""
    from threads.analysis.stored import StoredAnalysisError, read_analysis

    path = analysis_path(out, key)
    try:
        entry: Any = json.loads(cache_path(out, key).read_text(encoding="utf-8"))
        data = path.read_bytes()
    except (OSError, ValueError) as error:
        raise CachedAnalysisError(f"cannot be read ({one_line(str(error))})") from None
    problem = _entry_problem(entry, key)
    if problem is not None:
        raise CachedAnalysisError(f"its cache entry cannot be used ({problem})")
    if hashlib.sha256(data).hexdigest() != entry["analysis"]["sha256"]:
        raise CachedAnalysisError("its bytes are not those the page's task wrote (SHA-256)")
    try:
        return read_analysis(data)
    except StoredAnalysisError as error:
        raise CachedAnalysisError(one_line(str(error))) from None


def read_sketch(out: Path, key: str) -> dict[str, Any] | None:
    """The page's comparison sketch (None when it cannot be read or has another shape)."""
    try:
        sketch: Any = json.loads(sketch_path(out, key).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(sketch, dict) or not isinstance(sketch.get("documents"), int):
        return None
    pairs = [sketch.get(name) for name in ("df", "article", "all")]
    clusters = sketch.get("clusters")
    if not isinstance(clusters, list) or not all(_pair(p) for p in pairs):
        return None
    for cluster in clusters:
        if not isinstance(cluster, dict) or not _pair(cluster.get("counts")):
            return None
        if not isinstance(cluster.get("number"), int) or not isinstance(cluster.get("size"), int):
            return None
        if not isinstance(cluster.get("terms"), list):
            return None
    return sketch


def _pair(value: Any) -> bool:
    """[indices, values] of equal lengths, indices whole numbers within the features."""
    if not (isinstance(value, list) and len(value) == 2):
        return False
    indices, values = value
    if not (isinstance(indices, list) and isinstance(values, list)):
        return False
    if len(indices) != len(values):
        return False
    return all(isinstance(i, int) and 0 <= i < N_FEATURES for i in indices) and all(
        isinstance(v, (int, float)) for v in values
    )
