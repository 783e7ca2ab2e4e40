"""What the driver keeps of each page between a corpus run's passes (see ``Ledger``)."""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from threads.analysis.across_pages import AcrossPages, across_pages
from threads.analysis.comparison_space import RecurringTopic
from threads.corpus import page
from threads.corpus.task import PageJob


@dataclass(frozen=True)
class Progress:
    """How far a run is, as reported to a ``progress`` callback."""

    pages_done: int
    pages: int
    comments_done: int
    failed: int
    elapsed: float  # seconds
    stage: str  # "pages", "reports" or "writing"


class Ledger:
    """What the driver keeps of each page between the passes, in page order: the few
    numbers that choose the reports, draw the charts and order the comparison page's table,
    and the row of each failed page. The rows of the pages read stay in their cache
    entries, so the driver does not hold a row per page of the archive."""

    def __init__(self, jobs: Sequence[PageJob]) -> None:
        self.pages = [job.page for job in jobs]
        self.position = {name: i for i, name in enumerate(self.pages)}
        self.done = np.zeros(len(jobs), bool)
        self.ok = np.zeros(len(jobs), bool)
        self.comments = np.zeros(len(jobs), np.int64)
        self.off_topic_share = np.full(len(jobs), np.nan)  # NaN: no share (no comments)
        self.off_topic_low = np.full(len(jobs), np.nan)  # the share's Wilson 95% interval
        self.off_topic_high = np.full(len(jobs), np.nan)
        self.max_depth = np.zeros(len(jobs), np.int64)
        self.clusters = np.zeros(len(jobs), np.int64)  # topic clusters, as its sketch lists them
        self.published: list[str | None] = [None] * len(jobs)
        self.failed_rows: dict[int, dict[str, Any]] = {}

    def add(self, page_name: str, row: dict[str, Any]) -> None:
        i = self.position[page_name]
        self.done[i] = True
        self.ok[i] = row["status"] == "ok"
        self.comments[i] = row["comments"] or 0
        share = row["off_topic_share"]
        self.off_topic_share[i] = np.nan if share is None else share
        low, high = row["off_topic_low"], row["off_topic_high"]
        self.off_topic_low[i] = np.nan if low is None else low
        self.off_topic_high[i] = np.nan if high is None else high
        self.max_depth[i] = row["max_depth"] or 0
        self.clusters[i] = row["clusters"] or 0
        self.published[i] = row["published"]
        if not self.ok[i]:
            self.failed_rows[i] = row

    @property
    def clusters_total(self) -> int:
        """Topic clusters over the pages read (the comparison step checks it)."""
        return int(self.clusters[self.ok].sum())

    @property
    def failed_count(self) -> int:
        return len(self.failed_rows)

    def progress(self, started: float, stage: str) -> Progress:
        return Progress(
            int(self.done.sum()),
            len(self.done),
            int(self.comments.sum()),
            self.failed_count,
            time.monotonic() - started,
            stage,
        )

    def points(self) -> page.PagePoints:
        """What the charts plot, for each page read that has an off-topic share."""
        plotted = np.flatnonzero(self.ok & ~np.isnan(self.off_topic_share))
        return page.PagePoints(
            pages=[self.pages[i] for i in plotted],
            comments=self.comments[plotted],
            off_topic_share=self.off_topic_share[plotted],
            max_depth=self.max_depth[plotted],
            published=[self.published[i] for i in plotted],
        )

    def across_pages(self, topics: Sequence[RecurringTopic]) -> AcrossPages:
        """The corpus in brief, from the pages read and the recurring ``topics``."""
        return across_pages(
            self.pages,
            self.ok,
            self.comments,
            self.off_topic_share,
            self.off_topic_low,
            self.off_topic_high,
            [topic.pages for topic in topics],
        )

    def share(self, i: int) -> float | None:
        value = float(self.off_topic_share[i])
        return None if math.isnan(value) else value
