"""An analysis as bytes and back: what a corpus page's cache keeps, so that a report is
written from the analysis the page's task made (:func:`threads.pipeline.with_report_figures`
adds the figures only a report shows) instead of analysing the page again.

JSON typed by the records' own fields (:mod:`threads._typed_json`), never pickle: a cache
folder can be written by others, and bytes that do not decode to an analysis of this
version raise :class:`StoredAnalysisError` instead of giving a wrong one. Reading back gives
an equal :class:`~threads.analysis.results.Analysis` (floats exactly, the discussion with
it).
"""

from __future__ import annotations

import json
import typing
from typing import Any

import numpy as np

from threads import __version__
from threads._typed_json import TypedJSONError, decode, encode
from threads.analysis.drift import ChainDrift, ChainPaths
from threads.analysis.results import Analysis

#: Bumped when the stored shape changes (a record's fields change the shape too, and
#: threads' version is stored and checked as well).
FORMAT = 1


class StoredAnalysisError(ValueError):
    """Bytes that are not an analysis this version of threads stored."""


def analysis_bytes(analysis: Analysis) -> bytes:
    """``analysis`` as UTF-8 JSON (:func:`read_analysis` reads it back)."""
    hints = typing.get_type_hints(Analysis)
    fields: dict[str, Any] = {
        name: encode(hint, getattr(analysis, name))
        for name, hint in hints.items()
        if name != "chains"
    }
    fields["chains"] = _chains(analysis.chains)
    document = {"format": FORMAT, "threads": __version__, "analysis": fields}
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"), default=_plain)
    return text.encode("utf-8", "surrogatepass")  # a lone surrogate in a text stays one


def read_analysis(data: bytes) -> Analysis:
    """The analysis :func:`analysis_bytes` stored (:class:`StoredAnalysisError` if ``data``
    is not one, or was stored by another version of threads)."""
    try:
        document = json.loads(data.decode("utf-8", "surrogatepass"))
    except ValueError as error:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise StoredAnalysisError(f"not JSON ({error})") from None
    if not isinstance(document, dict) or document.keys() != {"format", "threads", "analysis"}:
        raise StoredAnalysisError("not a stored analysis")
    if document["format"] != FORMAT or document["threads"] != __version__:
        raise StoredAnalysisError(
            f"stored by threads {document['threads']!r} (format {document['format']!r}), "
            f"not {__version__} (format {FORMAT})"
        )
    fields = document["analysis"]
    hints = typing.get_type_hints(Analysis)
    if not isinstance(fields, dict) or fields.keys() != hints.keys():
        raise StoredAnalysisError("its fields are not an analysis's")
    try:
        found = {name: decode(t, fields[name]) for name, t in hints.items() if name != "chains"}
        chains = _read_chains(fields["chains"])
    except (TypedJSONError, TypeError, KeyError, IndexError) as error:
        raise StoredAnalysisError(f"not an analysis ({error})") from None
    analysis = Analysis(**found, chains=chains)
    if len(analysis.comments) != len(analysis.discussion.comments):
        raise StoredAnalysisError("its comments are not its discussion's")
    return analysis


def _plain(value: Any) -> Any:
    """A NumPy scalar as the Python number it holds (what json writes for either)."""
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"{type(value).__name__} is not JSON")


def _chains(chains: tuple[ChainDrift, ...]) -> dict[str, Any]:
    """Every chain reads its hops from one :class:`ChainPaths` of the page: stored once."""
    paths = chains[0].paths if chains else None
    if any(chain.paths is not paths for chain in chains):
        raise ValueError("the chains of an analysis read one ChainPaths")
    return {
        "paths": None if paths is None else encode(ChainPaths, paths),
        "leaf": [c.leaf for c in chains],
        "length": [c.length for c in chains],
        "drift_point": [c.drift_point for c in chains],
    }


def _read_chains(data: Any) -> tuple[ChainDrift, ...]:
    if not isinstance(data, dict) or data.keys() != {"paths", "leaf", "length", "drift_point"}:
        raise TypedJSONError("not the chains of an analysis")
    leaves = decode(tuple[int, ...], data["leaf"])
    lengths = decode(tuple[int, ...], data["length"])
    points = decode(tuple[str | None, ...], data["drift_point"])
    if not len(leaves) == len(lengths) == len(points):
        raise TypedJSONError("chain columns of different lengths")
    if not leaves:
        return ()
    paths = decode(ChainPaths, data["paths"])
    if any(not 0 <= leaf < len(paths.ids) for leaf in leaves):
        raise TypedJSONError("a chain's leaf is not a comment of the page")
    return tuple(
        ChainDrift(leaf, length, point, paths)
        for leaf, length, point in zip(leaves, lengths, points, strict=True)
    )
