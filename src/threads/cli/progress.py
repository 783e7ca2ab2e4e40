"""Progress on stderr, on a terminal only: the page commands' stages and the corpus's line."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from threads.corpus import Progress as CorpusProgress


class Progress:
    """Progress on stderr, only on a terminal: a line per stage with the seconds so far, and
    for stages with counts (``progress(stage, done, total)``, the library's callback) a bar
    redrawn in place: ``scoring sentiment 4,000/10,000 [######......]``."""

    BAR = 24

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.started = time.monotonic()
        self._open = False  # a bar line is drawn and not yet ended

    def _stamp(self) -> str:
        return f"[{time.monotonic() - self.started:5.1f}s]"

    def _end_bar(self) -> None:
        if self._open:
            click.echo("", err=True)
            self._open = False

    def __call__(self, stage: str, done: int | None = None, total: int | None = None) -> None:
        if not self.enabled:
            return
        if done is None or total is None:
            self._end_bar()
            click.echo(f"{self._stamp()} {stage}...", err=True)
            return
        filled = self.BAR * done // total if total else self.BAR
        bar = "#" * filled + "." * (self.BAR - filled)
        line = f"{self._stamp()} {stage} {done:,}/{total:,} [{bar}]"
        click.echo(f"\r\x1b[K{line}", err=True, nl=False)
        self._open = True
        if done >= total:
            self._end_bar()

    def done(self) -> None:
        if self.enabled:
            self._end_bar()
            click.echo(f"{self._stamp()} done", err=True)


class CorpusLine:
    """Pages done / total, comments, failures and elapsed time on one stderr line."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.shown = False

    def __call__(self, progress: CorpusProgress) -> None:
        if not self.enabled:
            return
        stage = "" if progress.stage == "pages" else f", {progress.stage}"
        click.echo(
            f"\r[{progress.elapsed:6.1f}s] {progress.pages_done:,}/{progress.pages:,} pages, "
            f"{progress.comments_done:,} comments, {progress.failed:,} failed{stage}   ",
            err=True,
            nl=False,
        )
        self.shown = True

    def done(self) -> None:
        if self.shown:
            click.echo("", err=True)
