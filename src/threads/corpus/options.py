"""What a corpus run is asked to do beside the analysis options every page shares
(:class:`~threads.analysis.options.AnalysisOptions`): how pages are read, and which pages get
their own report."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from threads.errors import OptionError

ReportChoice = Literal["all", "none", "top"]
#: Pages with the largest off-topic share that get a report unless told otherwise.
DEFAULT_TOP_REPORTS = 50


@dataclass(frozen=True)
class Reading:
    """How every page is read: its format (None: detected from each page's content) and
    the title a page without one gets (``threads report --title``)."""

    input_format: str | None = None
    title: str | None = None


@dataclass(frozen=True)
class ReportSelection:
    """Which pages get the one-page report: every page, none, or the ``top`` pages by
    off-topic share; pages named on their own always get one (except with ``none``)."""

    choice: ReportChoice = "top"
    top: int = DEFAULT_TOP_REPORTS

    @classmethod
    def parse(cls, text: str) -> ReportSelection:
        """``all``, ``none`` or ``top:N`` (N >= 0)."""
        if text in ("all", "none"):
            return cls(text)  # type: ignore[arg-type]
        kind, _, count = text.partition(":")
        if kind == "top" and count.isdigit():
            return cls("top", int(count))
        raise OptionError("reports", f"must be all, none or top:N (N a whole number); got {text!r}")

    def __str__(self) -> str:
        return f"top:{self.top}" if self.choice == "top" else self.choice
