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
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from threads import __version__, _atomic
from threads.analysis import library_versions
from threads.analysis.comparison_space import (
    MODEL_FILE,
    ComparisonSpace,
    PageFigures,
    RecurringTopic,
    compare,
    digest_of,
)
from threads.analysis.corpus_topics import COMMENT_TOPICS_PARQUET, CorpusTopic
from threads.analysis.options import AnalysisOptions, check_clusters, check_comment_topics
from threads.corpus import engines, page, tables
from threads.corpus.cache import cache_problem, read_cache, read_sketch
from threads.corpus.database import CORPUS_DB, write_database
from threads.corpus.inputs import Inputs, collect
from threads.corpus.ledger import Ledger, Progress
from threads.corpus.manifest import MANIFEST_FILE, Manifest
from threads.corpus.options import Reading, ReportSelection
from threads.corpus.outfolder import TOP_FILES, OutputFolder, check_out_outside
from threads.corpus.reports import (
    chosen,
    is_file,
    rel,
    report_files,
    report_href,
    report_jobs,
    report_lost,
    run_reports,
    stamp_reports,
)
from threads.corpus.task import (
    PageJob,
    cache_key,
    cache_path,
    comments_path,
    one_line,
    options_key,
    page_files,
    page_lost,
    run_batch,
    sketch_path,
)
from threads.errors import OutputError

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow.dataset as ds

ARTICLES_PARQUET = "articles.parquet"
ARTICLES_CSV = "articles.csv"
CORPUS_HTML = "corpus.html"


@dataclass(frozen=True)
class CorpusResult:
    """What ``analyze_many`` returns: the article table and a lazy comment dataset, read
    from ``out`` when first asked for (a run that only writes files never loads them)."""

    out: Path  # the output folder
    digest: str  # the manifest digest stamped on the corpus-level outputs
    failed: int  # pages that failed (their rows say why)
    pages: int  # pages in the corpus
    skipped: tuple[tuple[str, str], ...] = ()  # (file, reason) a folder walk left out
    not_written: tuple[tuple[str, str], ...] = ()  # (report, reason) asked for, not written
    warnings: tuple[str, ...] = ()  # what the run redid or could not use, one line each

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
    options: AnalysisOptions | None = None,
    reports: ReportSelection | str = "top:50",
    refit: bool = False,
    scheduler: str | None = None,
    progress: Callable[[Progress], None] | None = None,
    comment_topics: int | None = None,
    force: bool = False,
    reading: Reading | None = None,
    sqlite: bool = False,
    page_list: str | Path | None = None,
) -> CorpusResult:
    """Analyse many pages into ``out`` (see the README, ``threads corpus``).

    Runs on ``client`` (a ``dask.distributed.Client``) or ``scheduler`` (its address) when
    given, else on ``workers`` local processes (default: one per available core; 1 runs
    here). Pages already done with the same bytes and options are not redone. Pages that
    fail are listed with their error; the others are written. ``comment_topics`` (K, 2 to
    100) also fits the corpus topic model over every comment (``comment-topics.parquet`` and
    a section of the comparison page); it is refitted on every run. ``reading`` says how
    pages are read (their format; a title for pages without one). ``sqlite`` also writes
    ``OUT/corpus.db``, the tables of ``threads export --to sqlite`` for every page read.
    ``page_list`` (a CSV: path, url, title, published) adds pages with their address, title
    and date (:mod:`threads.corpus.facts`).

    ``out`` holds only threads' own files: a folder with others is refused
    (:class:`~threads.corpus.outfolder.ForeignFiles`) unless ``force``, which writes beside
    them and never removes or replaces one. One run at a time holds ``out``.
    """
    options = options or AnalysisOptions()
    selection = ReportSelection.parse(reports) if isinstance(reports, str) else reports
    if options.clusters is not None:  # the rest needs a page's distinct texts
        check_clusters(options.clusters)
    options.embedder()  # a named model is loaded once here: a wrong name fails before any page
    check_comment_topics(comment_topics)
    out = Path(out)
    inputs = collect(paths, page_list)
    check_out_outside(out, paths)  # a page list names files: its folder is not walked
    # A scheduler is reached before the folder is touched: a wrong address leaves nothing.
    quiet = engines.quiet_dask_logs() if scheduler is not None and client is None else nullcontext()
    with quiet:
        return _in_folder(
            out,
            force,
            inputs,
            client,
            scheduler,
            _Run(
                client,
                workers,
                options,
                reading or Reading(),
                selection,
                refit,
                None,
                progress,
                comment_topics,
                sqlite,
            ),
        )


def _in_folder(
    out: Path, force: bool, inputs: Inputs, client: Any, scheduler: str | None, asked: _Run
) -> CorpusResult:
    """The run in the locked output folder, on the scheduler's client when one is named."""
    own_client = engines.connect(scheduler) if scheduler is not None and client is None else None
    try:
        folder = OutputFolder(out, force).open()
        try:
            return _run(folder, inputs, replace(asked, client=client or own_client))
        finally:
            folder.close()
    finally:
        if own_client is not None:
            own_client.close()


@dataclass(frozen=True)
class _Run:
    """What ``analyze_many`` was asked for, beside the inputs and the folder."""

    client: Any
    workers: int | None
    options: AnalysisOptions
    reading: Reading
    selection: ReportSelection
    refit: bool
    scheduler: str | None
    progress: Callable[[Progress], None] | None
    comment_topics: int | None
    sqlite: bool = False


def _run(folder: OutputFolder, inputs: Inputs, asked: _Run) -> CorpusResult:
    out, options, selection = folder.out, asked.options, asked.selection
    started = time.monotonic()
    notify = asked.progress or (lambda _: None)
    warnings: list[str] = []
    folder.claim([*TOP_FILES, PROVISIONAL])
    for name in TOP_FILES:
        if folder.is_foreign(name):
            raise OutputError(
                f"{out / name}: a file threads did not write is there, and is never replaced; "
                "give another output folder"
            )

    out_text = str(out)  # one string shared by every job
    jobs = []
    for p in inputs.pages:
        # A title from the page list or a link file, for a page without one of its own.
        reading = replace(asked.reading, title=p.facts.title or asked.reading.title)
        key = cache_key(p.sha256, p.page, options, reading, p.facts)
        jobs.append(
            PageJob(p.path, p.page, key, options, out_text, p.size, p.sha256, reading, p.facts)
        )
    ledger = Ledger(jobs)
    todo = []
    for job in jobs:
        entry = read_cache(out, job.key)
        problem = (
            cache_problem(out, job.key)
            if entry is not None or cache_path(out, job.key).exists()
            else None
        )
        if entry is None or problem is not None:
            if problem is not None:
                warnings.append(
                    f"{cache_path(out, job.key)}: the cache entry of {job.page} cannot be used "
                    f"({problem}); the page is analysed again"
                )
            todo.append(job)
        else:
            ledger.add(job.page, entry["row"])
    folder.claim(rel(out, path) for job in todo for path in page_files(out, job.key))
    batches = engines.batches_of(todo, lambda job: job.size)
    automatic = asked.client is None and asked.scheduler is None and asked.workers is None
    if automatic:
        engine, own_client = engines.automatic(len(batches)), None
    else:
        engine, own_client = engines.make_engine(asked.client, asked.workers, asked.scheduler)
    try:
        notify(ledger.progress(started, "pages"))
        for _, results in engines.isolating(engine, run_batch, batches, page_lost):
            for result in results:
                ledger.add(result.page, result.row)
            notify(ledger.progress(started, "pages"))

        # The reports depend on the pages' own figures only: the workers write them while
        # this process computes the figures that compare pages.
        report_pages = chosen(selection, inputs, jobs, ledger)
        report_todo, refused = report_jobs(folder, jobs, report_pages)
        folder.claim(
            rel(out, path) for report in report_todo for path in report_files(out, report.page)
        )
        report_batches = engines.batches_of(report_todo, lambda job: job.page.size)
        if automatic and engines.too_few_workers(engine, len(report_batches)):
            # The pages were (nearly) all cached, so their pass had few or no workers.
            engine.close()
            engine = engines.automatic(len(report_batches))
        reports_written = engines.isolating(engine, run_reports, report_batches, report_lost)
        space, model_digest = _space(out, jobs, ledger, asked.refit, warnings)
        figures, topics = compare(
            space, lambda: _sketches(out, jobs, ledger), options.seed, ledger.clusters_total
        )
        corpus_topics = _comment_topics(
            out, jobs, ledger, space, options.seed, asked.comment_topics
        )
        stamped, redone = stamp_reports(reports_written, out, notify, started, ledger)
        report_errors = {**refused, **stamped}
        warnings += redone
    except BaseException:  # Ctrl-C or an error: stop the workers now, not after their task
        engine.abort()
        raise
    finally:
        engine.close()
        if own_client is not None:
            own_client.close()
    reported = report_pages - set(report_errors)
    notify(ledger.progress(started, "writing"))

    kept = _kept_files(out, jobs, ledger, reported, asked.comment_topics is not None)
    if asked.sqlite:
        write_database(out, jobs, ledger)
        kept.add(CORPUS_DB)
    manifest = Manifest(
        inputs=inputs,
        options={
            **options_key(options, asked.reading),
            "reports": str(selection),
            **(
                {"comment_topics": asked.comment_topics} if asked.comment_topics is not None else {}
            ),
        },
        versions=library_versions(),
        model={"file": MODEL_FILE, "sha256": model_digest, "documents": space.documents},
        failed=ledger.failed_count,
        files=tuple(sorted(kept)),
    )
    digest = manifest.digest
    rows = _final_rows(out, jobs, ledger, figures, reported)
    _write_corpus_files(
        out, jobs, rows, ledger, reported, topics, corpus_topics, manifest, (digest, model_digest)
    )
    folder.finish(kept)
    return CorpusResult(
        out,
        digest,
        ledger.failed_count,
        len(jobs),
        tuple(inputs.skipped_names()),
        tuple((report_href(page), report_errors[page]) for page in sorted(report_errors)),
        tuple(warnings),
    )


def _kept_files(
    out: Path, jobs: Sequence[PageJob], ledger: Ledger, reported: set[str], topics: bool
) -> set[str]:
    """Every file this run leaves in ``out`` (the manifest lists them)."""
    kept = {name for name in TOP_FILES if name not in (COMMENT_TOPICS_PARQUET, CORPUS_DB)}
    kept.update([COMMENT_TOPICS_PARQUET] if topics else [])
    kept.update([PROVISIONAL] if (out / PROVISIONAL).exists() else [])
    for i, job in enumerate(jobs):
        if ledger.ok[i]:
            kept.update(rel(out, path) for path in page_files(out, job.key))
        if job.page in reported:
            kept.update(rel(out, path) for path in report_files(out, job) if is_file(path))
    return kept


def _sketches(
    out: Path, jobs: Sequence[PageJob], ledger: Ledger
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
    out: Path, jobs: Sequence[PageJob], ledger: Ledger, refit: bool, warnings: list[str]
) -> tuple[ComparisonSpace, str]:
    """The frozen comparison space: the saved model, or one fitted now over this corpus
    (also when the saved one cannot be read: with a warning, as it changes the figures)."""
    path = out / MODEL_FILE
    provisional = out / PROVISIONAL
    if path.is_file() and not refit and not provisional.exists():
        try:
            text = path.read_text(encoding="utf-8")
            return ComparisonSpace.read(path), digest_of(text)
        except (OutputError, OSError, ValueError) as error:
            warnings.append(f"{one_line(str(error))}; fitted again over this corpus")
    space = ComparisonSpace.fit(s for _, s in _sketches(out, jobs, ledger))
    text = space.to_json()
    tables.write_bytes_atomic(path, text.encode("utf-8"))
    if ledger.failed_count:  # fitted without the failed pages: the next run fits it again
        tables.write_bytes_atomic(provisional, b"")
    else:
        provisional.unlink(missing_ok=True)
    return space, digest_of(text)


#: Beside a model fitted over a corpus some of whose pages failed: the next run fits again,
#: so that once the pages are read the figures are those of a fresh run.
PROVISIONAL = "cache/space-model.provisional"


def _comment_topics(
    out: Path,
    jobs: Sequence[PageJob],
    ledger: Ledger,
    space: ComparisonSpace,
    seed: int,
    k: int | None,
) -> tuple[list[CorpusTopic], bytes] | None:
    """The corpus topic model over every page read (None when not asked for)."""
    if k is None:
        return None
    from threads.analysis import corpus_topics

    parts = [
        (job.page, comments_path(out, job.key))
        for i, job in enumerate(jobs)
        if ledger.ok[i] and ledger.comments[i]
    ]
    return corpus_topics.fit(parts, space, k, seed, int(ledger.comments[ledger.ok].sum()))


def _final_rows(
    out: Path,
    jobs: Sequence[PageJob],
    ledger: Ledger,
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
    ledger: Ledger,
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
            version=__version__,
            corpus_digest=digest,
            pages=len(ledger.ok),
            failed=manifest.failed,
            comments=int(ledger.comments.sum()),
            headers=tuple(label for _, label, _ in page.COLUMNS),
            numeric_headers=tuple(numeric for _, _, numeric in page.COLUMNS),
            articles=tuple(page.article_views(table_rows)),
            read_pages=int(ledger.ok.sum()),
            charts=tuple(page.charts(ledger.points(), topics, reports)),
            topics=page.topic_rows(topics, reports),
            comment_topics=page.comment_topic_rows(
                corpus_topics[0] if corpus_topics else [], reports
            ),
            model_digest=model_digest,
            digest=page.brief(ledger.across_pages(topics), topics, reports)
            if ledger.ok.any()
            else None,
        )
        html = page.render(context)
        stage.temporary(out / CORPUS_HTML).write_text(html, encoding="utf-8", newline="\n")
        topics_table = out / COMMENT_TOPICS_PARQUET
        if corpus_topics is not None:
            stage.temporary(topics_table).write_bytes(corpus_topics[1])
        with stage.temporary(out / MANIFEST_FILE).open("w", encoding="utf-8", newline="\n") as f:
            f.writelines(manifest.json_chunks())
