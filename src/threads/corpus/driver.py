"""``analyze_many``: a corpus run from the inputs to every output file.

The driver hashes the inputs, keys each page (bytes + name + options + threads version),
hands the pages whose outputs are not already there to the engine, largest first, and
keeps only one small row per page: each worker writes its page's comment table itself.
At the end it fits (or reuses) the comparison space, computes the figures that compare
pages, writes the per-page reports asked for, and writes the article table, the comparison
page and the manifest.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from threads.corpus import _page_api, engines, page, tables
from threads.corpus.comment_topics import COMMENT_TOPICS_PARQUET, CorpusTopic
from threads.corpus.inputs import Inputs, collect
from threads.corpus.manifest import MANIFEST_FILE, Manifest
from threads.corpus.options import PageOptions, ReportSelection, check_comment_topics
from threads.corpus.space import (
    MODEL_FILE,
    ComparisonSpace,
    RecurringTopic,
    compare,
    digest_of,
)
from threads.corpus.task import (
    PageJob,
    ReportJob,
    cache_key,
    comments_path,
    read_cache,
    run_batch,
    run_reports,
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
    _page_api.check_options(options.clusters, options.seed, options.off_topic_threshold)
    check_comment_topics(comment_topics)
    out = Path(out)
    inputs = collect(paths)
    _prepare(out)
    started = time.monotonic()
    notify = progress or (lambda _: None)

    jobs = [
        PageJob(
            str(p.path), p.page, cache_key(p.sha256, p.page, options), options, str(out), p.size
        )
        for p in inputs.pages
    ]
    rows: dict[str, dict[str, Any]] = {}
    todo = []
    comments_done = 0
    for job in jobs:
        entry = read_cache(out, job.key)
        if entry is None:
            todo.append(job)
        else:
            rows[job.page] = entry["row"]
            comments_done += int(entry["comments"])
    failed = 0
    batches = engines.batches_of(todo, lambda job: job.size)
    engine, own_client = engines.make_engine(
        client, _worker_count(workers, len(batches)), scheduler
    )
    try:
        notify(Progress(len(rows), len(jobs), comments_done, 0, 0.0, "pages"))
        for _, results in engine.map_unordered(run_batch, batches):
            for result in results:
                rows[result.page] = result.row
                comments_done += result.comments
                failed += not result.ok
            notify(
                Progress(
                    len(rows), len(jobs), comments_done, failed, time.monotonic() - started, "pages"
                )
            )

        ordered = [rows[job.page] for job in jobs]
        space, model_digest = _space(out, jobs, rows, refit)
        topics = _add_comparison(out, jobs, ordered, space, options.seed)
        corpus_topics = _comment_topics(out, jobs, rows, space, options.seed, comment_topics)
        report_pages = _chosen(selection, inputs, ordered)
        report_errors = _write_reports(
            engine, out, jobs, report_pages, notify, started, comments_done
        )
    finally:
        engine.close()
        if own_client is not None:
            own_client.close()
    for row in ordered:
        if row["page"] in report_pages and row["page"] not in report_errors:
            row["report"] = report_href(row["page"])
    failed = sum(row["status"] != "ok" for row in ordered)
    notify(
        Progress(len(jobs), len(jobs), comments_done, failed, time.monotonic() - started, "writing")
    )

    manifest = Manifest(
        inputs=inputs,
        options={
            **options.to_dict(),
            "reports": str(selection),
            **({"comment_topics": comment_topics} if comment_topics is not None else {}),
        },
        versions=_page_api.library_versions(),
        model={"file": MODEL_FILE, "sha256": model_digest, "documents": space.documents},
        failed=failed,
    )
    digest = manifest.digest
    _write_corpus_files(out, ordered, topics, corpus_topics, manifest, digest, model_digest)
    _remove_stale(out, {job.key for job in jobs}, report_pages - set(report_errors))
    return CorpusResult(out, digest, failed, len(jobs))


def report_href(page_name: str) -> str:
    return f"{REPORTS}/{page_name}.html"


def _worker_count(workers: int | None, batches: int) -> int | None:
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
    out: Path, jobs: Sequence[PageJob], rows: dict[str, dict[str, Any]]
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Each read page's comparison sketch, from its cache entry (one at a time)."""
    for job in jobs:
        if rows[job.page]["status"] == "ok":
            entry = read_cache(out, job.key)
            if entry is not None:
                yield job.page, entry["sketch"]


def _space(
    out: Path, jobs: Sequence[PageJob], rows: dict[str, dict[str, Any]], refit: bool
) -> tuple[ComparisonSpace, str]:
    """The frozen comparison space: the saved model, or one fitted now over this corpus."""
    path = out / MODEL_FILE
    if path.is_file() and not refit:
        text = path.read_text(encoding="utf-8")
        return ComparisonSpace.read(path), digest_of(text)
    space = ComparisonSpace.fit(s for _, s in _sketches(out, jobs, rows))
    text = space.to_json()
    tables.write_bytes_atomic(path, text.encode("utf-8"))
    return space, digest_of(text)


def _add_comparison(
    out: Path,
    jobs: Sequence[PageJob],
    ordered: list[dict[str, Any]],
    space: ComparisonSpace,
    seed: int,
) -> list[RecurringTopic]:
    """Fill each row's comparison-space columns; the recurring topics."""
    by_page = {r["page"]: r for r in ordered}
    figures, topics = compare(space, lambda: _sketches(out, jobs, by_page), seed)
    for row in ordered:
        found = figures.get(row["page"])
        if found is not None:
            row["space_article_similarity"] = found.article_similarity
            row["space_corpus_similarity"] = found.corpus_similarity
            row["recurring_topics"] = " ".join(map(str, found.recurring)) or None
    return topics


def _comment_topics(
    out: Path,
    jobs: Sequence[PageJob],
    rows: dict[str, dict[str, Any]],
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
        for job in jobs
        if rows[job.page]["status"] == "ok" and rows[job.page]["comments"]
    ]
    total = sum(int(rows[page]["comments"]) for page, _ in parts)
    return comment_topics.fit(parts, space, k, seed, total)


def _chosen(selection: ReportSelection, inputs: Inputs, rows: Sequence[dict[str, Any]]) -> set[str]:
    """Pages that get a report: all, none, or the top N by off-topic share plus the named."""
    ok = [r for r in rows if r["status"] == "ok"]
    if selection.choice == "none":
        return set()
    if selection.choice == "all":
        return {r["page"] for r in ok}
    ranked = sorted(ok, key=lambda r: (-(r["off_topic_share"] or 0.0), r["page"]))
    named = {p.page for p in inputs.pages if p.named}
    return {r["page"] for r in ranked[: selection.top]} | (named & {r["page"] for r in ok})


def _write_reports(
    engine: engines.Engine,
    out: Path,
    jobs: Sequence[PageJob],
    chosen: set[str],
    notify: Callable[[Progress], None],
    started: float,
    comments: int,
) -> dict[str, str]:
    """Write the reports not already there for the same key; the errors by page."""
    todo = []
    for job in jobs:
        if job.page not in chosen:
            continue
        html = out / report_href(job.page)
        stamp = out / "cache" / f"{job.key}.report"
        if html.is_file() and stamp.is_file():
            continue
        todo.append(ReportJob(job, str(html)))
    errors: dict[str, str] = {}
    batches = engines.batches_of(todo, lambda job: job.page.size)
    for batch, results in engine.map_unordered(run_reports, batches):
        for report, error in zip(batch, results, strict=True):
            if error is None:
                tables.write_bytes_atomic(out / "cache" / f"{report.page.key}.report", b"")
            else:
                errors[report.page.page] = error
        notify(Progress(len(jobs), len(jobs), comments, 0, time.monotonic() - started, "reports"))
    return errors


def _write_corpus_files(
    out: Path,
    rows: list[dict[str, Any]],
    topics: list[RecurringTopic],
    corpus_topics: tuple[list[CorpusTopic], bytes] | None,
    manifest: Manifest,
    digest: str,
    model_digest: str,
) -> None:
    table = tables.article_table(rows, digest)
    reports = {r["page"]: r.get("report") for r in rows}
    context = page.CorpusContext(
        title=f"threads corpus: {len(rows):,} pages",
        version=_page_api.THREADS_VERSION,
        digest=digest,
        pages=len(rows),
        failed=manifest.failed,
        comments=sum(r["comments"] or 0 for r in rows),
        headers=tuple(label for _, label, _ in page.COLUMNS),
        numeric_headers=tuple(numeric for _, _, numeric in page.COLUMNS),
        articles=tuple(page.article_views(rows)),
        charts=tuple(page.charts(rows, topics)),
        topics=page.topic_rows(topics, reports),
        comment_topics=page.comment_topic_rows(corpus_topics[0] if corpus_topics else [], reports),
        model_digest=model_digest,
    )
    html = page.render(context)
    tables.write_bytes_atomic(out / ARTICLES_PARQUET, tables.parquet_bytes(table))
    topics_table = out / COMMENT_TOPICS_PARQUET
    if corpus_topics is not None:
        tables.write_bytes_atomic(topics_table, corpus_topics[1])
    elif topics_table.is_file():  # from a run that asked for it: no longer this run's
        topics_table.unlink()
    # The manifest is moved into place last: it vouches for the files before it.
    _page_api.write_text_files(
        {
            out / ARTICLES_CSV: tables.csv_text(table, digest),
            out / CORPUS_HTML: html,
            out / MANIFEST_FILE: manifest.to_json(),
        }
    )


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
