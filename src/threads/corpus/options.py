"""What a corpus run is asked to do: the analysis options every page shares, and which
pages get their own report."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from typing import Any, Literal

from threads.errors import OptionError

ReportChoice = Literal["all", "none", "top"]
#: Pages with the largest off-topic share that get a report unless told otherwise.
DEFAULT_TOP_REPORTS = 50
#: The corpus topic model's K, at most (``--comment-topics``).
MAX_COMMENT_TOPICS = 100


def check_comment_topics(k: int | None) -> None:
    """None (no corpus topic model) or a whole number of topics from 2 to the maximum."""
    if k is None:
        return
    if isinstance(k, bool) or not isinstance(k, int) or not 2 <= k <= MAX_COMMENT_TOPICS:
        raise OptionError(
            "comment_topics", f"must be a whole number from 2 to {MAX_COMMENT_TOPICS}; got {k!r}"
        )


@dataclass(frozen=True)
class PageOptions:
    """The options a page's figures depend on (and nothing else: they key the cache)."""

    clusters: int | None = None  # K, or None to choose it by silhouette
    seed: int = 0  # k-means and bootstrap seed
    off_topic_threshold: float | None = None  # None: the page's own default threshold
    input_format: str | None = None  # None: detected from each page's content
    embeddings: str | None = None  # the model meaning is measured with (None: the bundled one)
    lexical: bool = False  # measure shared words instead of meaning

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def digest(self) -> str:
        text = json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


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
