"""How the report writes numbers: the one place that decides digits and signs."""

from __future__ import annotations

from typing import Any


def fmt(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def pct(value: float) -> str:
    return f"{100 * value:.0f}%"


def signed(value: float) -> str:
    """``+0.27`` / ``−0.07`` (a true minus sign)."""
    return f"{value:+.2f}".replace("-", "\u2212")


def parameter(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)
