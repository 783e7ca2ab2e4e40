"""How the report writes numbers: the one place that decides digits and signs."""

from __future__ import annotations

from typing import Any


def fmt(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def exact(value: float) -> str:
    """A figure to six decimals: for sorting in the page, not for reading."""
    return f"{value:.6f}"


def pct(value: float) -> str:
    return f"{100 * value:.0f}%"


def signed(value: float) -> str:
    """``+0.27`` / ``−0.07`` (a true minus sign)."""
    return f"{value:+.2f}".replace("-", "\u2212")


def parameter(value: Any) -> str:
    """A parameter in plain words: ``yes``/``no``/``none``, lists and mappings as ``a: b, …``.

    >>> parameter({"stop_words": "english", "max_features": None, "ngram_range": [1, 1]})
    'stop_words: english, max_features: none, ngram_range: 1 to 1'
    """
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None:
        return "none"
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, dict):
        return ", ".join(f"{key}: {parameter(item)}" for key, item in value.items())
    if isinstance(value, (list, tuple)):
        if len(value) == 2 and all(isinstance(v, int) for v in value):
            return f"{value[0]} to {value[1]}"  # a range, as ngram_range
        return ", ".join(parameter(item) for item in value)
    return str(value)
