"""``analyze_many``: a corpus run from the inputs to every output file.

The driver hashes the inputs, keys each page (bytes + name + options + threads version),
hands the pages whose outputs are not already there to the engine, largest first, and
keeps only one small row per page: each worker writes its page's comment table itself.
At the end it fits (or reuses) the comparison space, computes the figures that compare
pages, writes the per-page reports asked for, and writes the article table, the comparison
page and the manifest.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from threads import _atomic
from threads.corpus import _page_api, engines, page, tables
from threads.corpus.comment_topics import COMMENT_TOPICS_PARQUET, CorpusTopic
from threads.corpus.inputs import Inputs, collect
from threads.corpus.manifest import MANIFEST_FILE, Manifest
from threads.corpus.options import PageOptions, ReportSelection, check_comment_topics
from threads.corpus.space import (
    MODEL_FILE,
    ComparisonSpace,
    PageFigures,
    RecurringTopic,
    compare,
    digest_of,
)
from threads.corpus.task import (
    PageJob,
    ReportJob,
    cache_key,
    cache_path,
    comments_path,
    read_cache,
    read_sketch,
    run_batch,
    run_reports,
    sketch_path,
)
from threads.errors import OutputError

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow.dataset as ds

ARTICLES_PARQUET = "articles.parquet"
ARTICLES_CSV = "articles.csv"
CORPUS_HTML = "corpus.html"
REPORTS = "reports"


@dataclass(frozen=True)
class Progress:
    """How far a run is, as reported to a ``progress`` callback."""

    pages_done: int
    pages: int
    comments_done: int
    failed: int
    elapsed: float  # seconds
    stage: str  # "pages", "reports" or "writing"


@dataclass(frozen=True)
class CorpusResult:
    """What ``analyze_many`` returns: the article table and a lazy comment dataset, read
    from ``out`` when first asked for (a run that only writes files never loads them)."""

    out: Path  # the output folder
    digest: str  # the manifest digest stamped on the corpus-level outputs
    failed: int  # pages that failed (their rows say why)
    pages: int  # pages in the corpus
    skipped: tuple[tuple[str, str], ...] = ()  # (file, reason) a folder walk left out

    @cached_property
    def articles(self) -> pd.DataFrame:
        """One row per page, in page order."""
        import pyarrow.parquet as pq

        table: pd.DataFrame = pq.read_table(self.out / ARTICLES_PARQUET).to_pandas()
        return table

    @cached_property
    def comments(self) -> ds.Dataset:
        """Every comment of every page that was read (``page`` first)."""
        import pyarrow.dataset as ds

        return ds.dataset(self.out / "comments", format="parquet", schema=tables.comment_schema())


def analyze_many(
    paths: Sequence[str | Path],
    out: str | Path,
    client: Any = None,
    workers: int | None = None,
    options: PageOptions | None = None,
    reports: ReportSelection | str = "top:50",
    refit: bool = False,
    scheduler: str | None = None,
    progress: Callable[[Progress], None] | None = None,
    comment_topics: int | None = None,
) -> CorpusResult:
    """Analyse many pages into ``out`` (see the README, ``threads corpus``).

    Runs on ``client`` (a ``dask.distributed.Client``) or ``scheduler`` (its address) when
    given, else on ``workers`` local processes (default: one per available core; 1 runs
    here). Pages already done with the same bytes and options are not redone. Pages that
    fail are listed with their error; the others are written. ``comment_topics`` (K, 2 to
    100) also fits the corpus topic model over every comment (``comment-topics.parquet`` and
    a section of the comparison page); it is refitted on every run.
    """
    options = options or PageOptions()
    selection = ReportSelection.parse(reports) if isinstance(reports, str) else reports
    _page_api.check_options(
        options.clusters,
        options.seed,
        options.off_topic_threshold,
        options.embeddings,
        options.lexical,
    )
    check_comment_topics(comment_topics)
    out = Path(out)
    inputs = collect(paths)
    _prepare(out)
    started = time.monotonic()
    notify = progress or (lambda _: None)

    out_text = str(out)  # one string shared by every job
    jobs = [
        PageJob(p.path, p.page, cache_key(p.sha256, p.page, options), options, out_text, p.size)
        for p in inputs.pages
    ]
    ledger = _Ledger(jobs)
    todo = []
    for job in jobs:
        entry = read_cache(out, job.key)
        if entry is None:
            todo.append(job)
        else:
            ledger.add(job.page, entry["row"])
    batches = engines.batches_of(todo, lambda job: job.size)
    automatic = client is None and scheduler is None and workers is None  # one per core
    engine, own_client = engines.make_engine(
        client, _worker_count(workers, len(batches)), scheduler
    )
    try:
        notify(ledger.progress(started, "pages"))
        for _, results in engine.map_unordered(run_batch, batches):
            for result in results:
                ledger.add(result.page, result.row)
            notify(ledger.progress(started, "pages"))

        # The reports depend on the pages' own figures only: the workers write them while
        # this process computes the figures that compare pages.
        report_pages = _chosen(selection, inputs, jobs, ledger)
        report_batches = engines.batches_of(
            _report_jobs(out, jobs, report_pages), lambda job: job.page.size
        )
        if automatic and engine.workers < _worker_count(None, len(report_batches)):
            # The pages were (nearly) all cached, so their pass ran here; the reports need not.
            engine.close()
            engine, _ = engines.make_engine(workers=_worker_count(None, len(report_batches)))
        reports_written = engine.map_unordered(run_reports, report_batches)
        space, model_digest = _space(out, jobs, ledger, refit)
        figures, topics = compare(
            space, lambda: _sketches(out, jobs, ledger), options.seed, ledger.clusters_total
        )
        corpus_topics = _comment_topics(out, jobs, ledger, space, options.seed, comment_topics)
        report_errors = _write_reports(reports_written, out, notify, started, ledger)
    except BaseException:  # Ctrl-C or an error: stop the workers now, not after their task
        engine.abort()
        raise
    finally:
        engine.close()
        if own_client is not None:
            own_client.close()
    reported = report_pages - set(report_errors)
    notify(ledger.progress(started, "writing"))

    manifest = Manifest(
        inputs=inputs,
        options={
            **options.to_dict(),
            "reports": str(selection),
            **({"comment_topics": comment_topics} if comment_topics is not None else {}),
        },
        versions=_page_api.library_versions(),
        model={"file": MODEL_FILE, "sha256": model_digest, "documents": space.documents},
        failed=ledger.failed_count,
    )
    digest = manifest.digest
    rows = _final_rows(out, jobs, ledger, figures, reported)
    _write_corpus_files(
        out, jobs, rows, ledger, reported, topics, corpus_topics, manifest, (digest, model_digest)
    )
    _remove_stale(out, {job.key for job in jobs}, reported)
    skipped = tuple(inputs.skipped_names())
    return CorpusResult(out, digest, ledger.failed_count, len(jobs), skipped)


class _Ledger:
    """What the driver keeps of each page between the passes, in page order: the few
    numbers that choose the reports, draw the charts and order the comparison page's table,
    and the row of each failed page. The rows of the pages read stay in their cache
    entries, so the driver does not hold a row per page of the archive."""

    def __init__(self, jobs: Sequence[PageJob]) -> None:
        self.position = {job.page: i for i, job in enumerate(jobs)}
        self.done = np.zeros(len(jobs), bool)
        self.ok = np.zeros(len(jobs), bool)
        self.comments = np.zeros(len(jobs), np.int64)
        self.off_topic_share = np.full(len(jobs), np.nan)  # NaN: no share (no comments)
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
            comments=self.comments[plotted],
            off_topic_share=self.off_topic_share[plotted],
            max_depth=self.max_depth[plotted],
            published=[self.published[i] for i in plotted],
        )

    def share(self, i: int) -> float | None:
        value = float(self.off_topic_share[i])
        return None if math.isnan(value) else value


def report_href(page_name: str) -> str:
    return f"{REPORTS}/{page_name}.html"


def _worker_count(workers: int | None, batches: int) -> int:
    if workers is not None:
        return workers
    return max(1, min(engines.available_cores(), batches))


def _prepare(out: Path) -> None:
    try:
        for folder in (out, out / "comments", out / "cache"):
            folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise OutputError(f"{out}: exists and is not a folder") from None
    except OSError as error:
        raise OutputError(f"{out}: cannot create the output folder ({error.strerror})") from None
    _remove_temporaries(out)


def _remove_temporaries(out: Path) -> None:
    """Temporary files left by a killed worker (a finished file is never partial)."""
    for folder in (out, out / "comments", out / "cache"):
        for leftover in folder.glob(".*.tmp"):
            leftover.unlink(missing_ok=True)


def _sketches(
    out: Path, jobs: Sequence[PageJob], ledger: _Ledger
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Each read page's comparison sketch, from its cache entry (one at a time).

    A sketch that cannot be read (damaged or removed since the page was checked) stops
    the run: the page's comparison figures would be silently missing. Its entry is removed
    first, so the next run redoes the page.
    """
    for i, job in enumerate(jobs):
        if ledger.ok[i]:
            sketch = read_sketch(out, job.key)
            if sketch is None:
                raise _cache_lost(out, job, sketch_path(out, job.key), "comparison sketch")
            yield job.page, sketch


def _cache_lost(out: Path, job: PageJob, path: Path, what: str) -> OutputError:
    """The error for a page whose cache went missing or was damaged during the run; its
    entry is removed first, so the next run redoes the page."""
    cache_path(out, job.key).unlink(missing_ok=True)
    return OutputError(
        f"{path}: the cached {what} of {job.page} cannot be read; "
        "its cache entry is removed: run again to redo the page"
    )


def _space(
    out: Path, jobs: Sequence[PageJob], ledger: _Ledger, refit: bool
) -> tuple[ComparisonSpace, str]:
    """The frozen comparison space: the saved model, or one fitted now over this corpus."""
    path = out / MODEL_FILE
    if path.is_file() and not refit:
        text = path.read_text(encoding="utf-8")
        return ComparisonSpace.read(path), digest_of(text)
    space = ComparisonSpace.fit(s for _, s in _sketches(out, jobs, ledger))
    text = space.to_json()
    tables.write_bytes_atomic(path, text.encode("utf-8"))
    return space, digest_of(text)


def _comment_topics(
    out: Path,
    jobs: Sequence[PageJob],
    ledger: _Ledger,
    space: ComparisonSpace,
    seed: int,
    k: int | None,
) -> tuple[list[CorpusTopic], bytes] | None:
    """The corpus topic model over every page read (None when not asked for)."""
    if k is None:
        return None
    from threads.corpus import comment_topics

    parts = [
        (job.page, comments_path(out, job.key))
        for i, job in enumerate(jobs)
        if ledger.ok[i] and ledger.comments[i]
    ]
    return comment_topics.fit(parts, space, k, seed, int(ledger.comments[ledger.ok].sum()))


def _chosen(
    selection: ReportSelection, inputs: Inputs, jobs: Sequence[PageJob], ledger: _Ledger
) -> set[str]:
    """Pages that get a report: all, none, or the top N by off-topic share plus the named."""
    ok = [i for i in range(len(jobs)) if ledger.ok[i]]
    if selection.choice == "none":
        return set()
    if selection.choice == "all":
        return {jobs[i].page for i in ok}
    ranked = sorted(ok, key=lambda i: (-(ledger.share(i) or 0.0), jobs[i].page))
    named = {p.page for p in inputs.pages if p.named}
    return {jobs[i].page for i in ranked[: selection.top]} | (named & {jobs[i].page for i in ok})


def _report_jobs(out: Path, jobs: Sequence[PageJob], chosen: set[str]) -> list[ReportJob]:
    """The chosen pages' reports not already there for the same key."""
    todo = []
    for job in jobs:
        if job.page not in chosen:
            continue
        html = out / report_href(job.page)
        stamp = out / "cache" / f"{job.key}.report"
        if html.is_file() and stamp.is_file():
            continue
        todo.append(ReportJob(job, str(html)))
    return todo


def _write_reports(
    written: Iterable[tuple[Sequence[ReportJob], list[str | None]]],
    out: Path,
    notify: Callable[[Progress], None],
    started: float,
    ledger: _Ledger,
) -> dict[str, str]:
    """Stamp each report as its batch comes back from the engine; the errors by page."""
    errors: dict[str, str] = {}
    for batch, results in written:
        for report, error in zip(batch, results, strict=True):
            if error is None:
                tables.write_bytes_atomic(out / "cache" / f"{report.page.key}.report", b"")
            else:
                errors[report.page.page] = error
        notify(ledger.progress(started, "reports"))
    return errors


def _final_rows(
    out: Path,
    jobs: Sequence[PageJob],
    ledger: _Ledger,
    figures: Mapping[str, PageFigures],
    reported: set[str],
) -> Iterator[dict[str, Any]]:
    """Every page's article row in page order, read back from its cache entry one at a
    time, with its comparison-space figures and its report link. A row that cannot be read
    stops the run, as a sketch does (see ``_sketches``): the counts already given would
    no longer hold."""
    for i, job in enumerate(jobs):
        if i in ledger.failed_rows:
            yield ledger.failed_rows[i]
            continue
        entry = read_cache(out, job.key)
        if entry is None:  # removed by hand (or another run) since this run read it
            raise _cache_lost(out, job, cache_path(out, job.key), "article row")
        row = entry["row"]
        found = figures.get(job.page)
        if found is not None:
            row["space_article_similarity"] = found.article_similarity
            row["space_corpus_similarity"] = found.corpus_similarity
            row["recurring_topics"] = " ".join(map(str, found.recurring)) or None
        if job.page in reported:
            row["report"] = report_href(job.page)
        yield row


def _write_corpus_files(
    out: Path,
    jobs: Sequence[PageJob],
    rows: Iterable[dict[str, Any]],
    ledger: _Ledger,
    reported: set[str],
    topics: list[RecurringTopic],
    corpus_topics: tuple[list[CorpusTopic], bytes] | None,
    manifest: Manifest,
    digests: tuple[str, str],
) -> None:
    """The article table (streamed), the comparison page and the manifest, all or nothing:
    the manifest is moved into place last, as it vouches for the files before it."""
    digest, model_digest = digests
    shown = page.shown_in_table(ledger.ok, ledger.off_topic_share, [job.page for job in jobs])
    with _atomic.staged() as stage:
        writer = tables.ArticleTableWriter(
            stage.temporary(out / ARTICLES_PARQUET), stage.temporary(out / ARTICLES_CSV), digest
        )
        table_rows: list[dict[str, Any]] = []
        for i, row in enumerate(rows):
            writer.add(row)
            if i in shown:
                table_rows.append(row)
        writer.close()
        reports = {name: report_href(name) for name in reported}
        context = page.CorpusContext(
            title=f"threads corpus: {len(ledger.ok):,} pages",
            version=_page_api.THREADS_VERSION,
            digest=digest,
            pages=len(ledger.ok),
            failed=manifest.failed,
            comments=int(ledger.comments.sum()),
            headers=tuple(label for _, label, _ in page.COLUMNS),
            numeric_headers=tuple(numeric for _, _, numeric in page.COLUMNS),
            articles=tuple(page.article_views(table_rows)),
            read_pages=int(ledger.ok.sum()),
            charts=tuple(page.charts(ledger.points(), topics)),
            topics=page.topic_rows(topics, reports),
            comment_topics=page.comment_topic_rows(
                corpus_topics[0] if corpus_topics else [], reports
            ),
            model_digest=model_digest,
        )
        html = page.render(context)
        stage.temporary(out / CORPUS_HTML).write_text(html, encoding="utf-8", newline="\n")
        topics_table = out / COMMENT_TOPICS_PARQUET
        if corpus_topics is not None:
            stage.temporary(topics_table).write_bytes(corpus_topics[1])
        with stage.temporary(out / MANIFEST_FILE).open("w", encoding="utf-8", newline="\n") as f:
            f.writelines(manifest.json_chunks())
    if corpus_topics is None:  # from a run that asked for it: no longer this run's
        (out / COMMENT_TOPICS_PARQUET).unlink(missing_ok=True)


def _remove_stale(out: Path, keys: set[str], reported: set[str]) -> None:
    """Comment parts, cache entries and reports of pages no longer in the corpus, changed,
    or no longer chosen for a report."""
    wanted = {comments_path(out, key).name for key in keys}
    for part in (out / "comments").glob("part-*.parquet"):
        if part.name not in wanted:
            part.unlink(missing_ok=True)
    for entry in (out / "cache").iterdir():
        if entry.name.split(".")[0] not in keys and not entry.name.startswith("."):
            entry.unlink(missing_ok=True)
    reports = out / REPORTS
    if reports.is_dir():
        html = {out / report_href(page) for page in reported}
        keep = html | {p.with_suffix(s) for p in html for s in (".json", ".csv")}
        for path in reports.rglob("*"):
            if path.is_file() and path not in keep:
                path.unlink(missing_ok=True)
