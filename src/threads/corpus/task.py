"""One page's work in a corpus run: the task every engine maps over the pages.

``analyze_page`` reads one page, runs the unchanged one-page analysis in this process with
one BLAS thread, writes the page's comment table to ``OUT/comments/`` and its cache entry to
``OUT/cache/`` (each atomically; the entry keeps the analysis itself, which a report of the
page is written from), and returns one small row. Nothing in it depends on the
other pages, the engine or the order pages finish in.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from threads import __version__
from threads.analysis import analyze
from threads.analysis.across_pages import off_topic_interval
from threads.analysis.options import REPORT_EXTRAS, AnalysisOptions
from threads.analysis.sketch import page_sketch
from threads.analysis.space import TextSpace
from threads.analysis.stored import analysis_bytes
from threads.corpus.facts import PageFacts
from threads.corpus.options import Reading
from threads.errors import InputError, ThreadsError
from threads.export.tables import page_tables, rows_to_json
from threads.inputs import load_bytes
from threads.pools import one_thread
from threads.workers import config_context

#: Clusters whose terms make the row's ``top_terms``.
TOP_TERM_CLUSTERS = 3
#: Bumped when the cache entry's shape changes (2: the sketch in a file of its own; 3: the
#: page's rows of the corpus database; 4: the page's analysis, which its report is written
#: from).
CACHE_FORMAT = 4


@dataclass(frozen=True, slots=True)
class PageJob:
    """What a worker needs for one page: where it is, what it is called, the options."""

    path: str  # absolute path, as the worker sees it (a shared file system for Dask)
    page: str  # the path relative to the corpus root, POSIX form: the page's name everywhere
    key: str  # cache key (see ``cache_key``)
    options: AnalysisOptions
    out: str  # the corpus output folder
    size: int = 0  # bytes, to schedule the largest first
    sha256: str = ""  # of the bytes the driver hashed: the worker reads only those ("": any)
    reading: Reading = Reading()  # how to read the page
    facts: PageFacts = PageFacts()  # its address and date from a link file or page list


@dataclass(frozen=True)
class PageResult:
    """What comes back from a page: its article row (per-page figures only) and status."""

    page: str
    key: str
    ok: bool
    row: dict[str, Any]  # the article-table row, comparison-space columns still empty
    comments: int = 0
    seconds: float = 0.0  # CPU seconds of the page's work in its worker
    error: str | None = None  # the one-line message of a failed page


def cache_key(
    sha256: str,
    page: str,
    options: AnalysisOptions,
    reading: Reading | None = None,
    facts: PageFacts | None = None,
) -> str:
    """Input bytes + the page's name + the options that change its figures + how it is read
    + threads' version (+ its address and date from outside the page, when known)."""
    parts: list[Any] = [CACHE_FORMAT, sha256, page, options_key(options, reading), __version__]
    if facts is not None and (facts.url or facts.published):
        parts.append([facts.url, facts.published])
    text = json.dumps(parts, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def options_key(options: AnalysisOptions, reading: Reading | None = None) -> dict[str, Any]:
    """The options a page's cached figures depend on: the analysis options but the report's
    extras (a report's page only shows them), and how pages are read."""
    found = {k: v for k, v in options.to_dict().items() if k not in REPORT_EXTRAS}
    reading = reading or Reading()
    return {**found, "input_format": reading.input_format, "title": reading.title}


def comments_path(out: Path, key: str) -> Path:
    return out / "comments" / f"part-{key[:32]}.parquet"


def cache_path(out: Path, key: str) -> Path:
    return out / "cache" / f"{key}.json"


def sketch_path(out: Path, key: str) -> Path:
    """The page's comparison sketch: apart from its small entry, which the driver reads
    for every page and the sketch only in the comparison step."""
    return out / "cache" / f"{key}.sketch.json"


def analysis_path(out: Path, key: str) -> Path:
    """The page's analysis (:mod:`threads.analysis.stored`), read only for its report."""
    return out / "cache" / f"{key}.analysis.json"


def one_line(message: str) -> str:
    return " ".join(str(message).split())


def analyze_page(
    path: str | Path,
    root: str | Path,
    options: AnalysisOptions | None = None,
    out: str | Path | None = None,
    reading: Reading | None = None,
) -> PageResult:
    """Analyse one page as ``threads report`` would, named by its path relative to ``root``.

    With ``out``, also writes the page's comment table and cache entry there. A page that
    cannot be read or analysed gives a failed result with its one-line error, not an
    exception (``KeyboardInterrupt`` still stops the run).
    """
    path = Path(path)
    try:
        page = path.resolve().relative_to(Path(root).resolve()).as_posix()
    except ValueError:
        raise InputError(str(path), f"is not under the corpus root {root}") from None
    data = path.read_bytes() if path.is_file() else b""
    sha256 = hashlib.sha256(data).hexdigest()
    options, reading = options or AnalysisOptions(), reading or Reading()
    key = cache_key(sha256, page, options, reading)
    out_text = str(out) if out is not None else ""
    job = PageJob(str(path), page, key, options, out_text, 0, sha256, reading)
    if out is not None:  # a later corpus run into ``out`` takes these files as its own
        from threads.corpus.outfolder import record

        where = Path(out)
        record(where, (p.relative_to(where).as_posix() for p in page_files(where, key)))
    return run_page(job)


def page_files(out: Path, key: str) -> tuple[Path, ...]:
    """The files a page's task writes: its comment part, its sketch, its analysis, its
    cache entry (last: it vouches for the others)."""
    return (
        comments_path(out, key),
        sketch_path(out, key),
        analysis_path(out, key),
        cache_path(out, key),
    )


def read_page(job: PageJob) -> bytes:
    """The page's bytes, checked against the hash the driver recorded for the manifest and
    the cache key: a page changed since is refused, never analysed under the old hash."""
    from threads.inputs.decode import MAX_INPUT_BYTES

    digest = hashlib.sha256()
    chunks = []
    size = 0
    try:
        with open(job.path, "rb") as stream:
            while chunk := stream.read(1 << 20):
                size += len(chunk)
                if size > MAX_INPUT_BYTES:
                    raise InputError(
                        job.page,
                        f"is larger than {MAX_INPUT_BYTES >> 30} GiB, too large for a page",
                    )
                digest.update(chunk)
                chunks.append(chunk)
    except OSError as error:
        raise InputError(job.page, f"cannot be read ({error.strerror or error})") from None
    if job.sha256 and digest.hexdigest() != job.sha256:
        raise InputError(
            job.page,
            "changed while the run read it (its bytes are not the ones hashed at the "
            "start); run again to read it as it is now",
        )
    return b"".join(chunks)


def read_discussion(job: PageJob) -> Any:
    """The job's page, read as its ``reading`` says and named by its page name."""
    discussion = load_bytes(read_page(job), job.reading.input_format, source=job.page)  # type: ignore[arg-type]
    title = job.reading.title
    if title and not discussion.article.title:
        article = dataclasses.replace(discussion.article, title=title)
        discussion = dataclasses.replace(discussion, article=article)
    return discussion


def run_page(job: PageJob) -> PageResult:
    """The task behind ``analyze_page`` for a job the driver has already keyed."""
    started = time.process_time()
    try:
        with one_thread(), config_context(processes=0):  # no worker pool inside a worker
            space = TextSpace()
            discussion = read_discussion(job)
            options = job.options.replace(sweep_ks=(), k_across_seeds=False)
            analysis = analyze(discussion, options, space=space)
            records = analysis.records()
            row = article_row(job.page, discussion, analysis)
            row["url"] = job.facts.url
            row["published"] = row["published"] or job.facts.published
            # The words as the tokenizer finds them, before stemming (what hashing gives).
            counts, words = space.comment_word_counts_, list(space.words_)
            sketch = page_sketch(discussion, records, counts, words)
            if job.out:
                # No comments: they are in the page's comment part already.
                export_rows = rows_to_json(page_tables(analysis, job.page, records=[]))
                _write_outputs(job, records, row, sketch, export_rows, analysis_bytes(analysis))
    except ThreadsError as error:
        return failed(job, one_line(str(error)), time.process_time() - started)
    except UNFORESEEN as error:
        # A bug or an input nobody foresaw: this page fails, the others go on.
        message = f"{job.page}: internal error ({type(error).__name__}: {one_line(str(error))})"
        return failed(job, message, time.process_time() - started)
    return PageResult(job.page, job.key, True, row, len(records), time.process_time() - started)


#: Errors no page should cause: the page (or report) fails, the others go on.
UNFORESEEN = (
    MemoryError,
    RecursionError,
    ValueError,
    TypeError,
    KeyError,
    IndexError,
    AttributeError,
    OSError,
)


def run_batch(jobs: Sequence[PageJob]) -> list[PageResult]:
    """Several small pages in one task (a task per page would cost more than the page)."""
    return [run_page(job) for job in jobs]


def failed(job: PageJob, message: str, seconds: float = 0.0) -> PageResult:
    row = empty_row(job.page)
    row.update(status="failed", error=message)
    return PageResult(job.page, job.key, False, row, 0, seconds, message)


def page_lost(job: PageJob) -> list[PageResult]:
    """``run_batch([job])``'s result when the page's worker died twice."""
    return [failed(job, f"{job.page}: {WORKER_DIED}")]


#: Why a page or report that killed its worker, alone, twice, is not there.
WORKER_DIED = "its worker process died twice (crashed, killed, or out of memory)"


def empty_row(page: str) -> dict[str, Any]:
    from threads.corpus.tables import ARTICLE_TYPES

    row: dict[str, Any] = dict.fromkeys(ARTICLE_TYPES)
    row["page"] = page
    return row


def article_row(page: str, discussion: Any, analysis: Any) -> dict[str, Any]:
    """The page's row: every number as its own report's JSON holds it, or computed from it."""
    summary = analysis.summary.to_dict()
    n = int(summary["comments"])
    share = summary["off_topic_share_comments"]
    low, high = off_topic_interval(analysis.summary)  # over every comment, as the share
    digressions = [(d.start_id, d.comments) for d in analysis.digest.digressions]
    terms = [c.terms for c in analysis.clusters]  # largest first
    row = empty_row(page)
    row.update(
        status="ok",
        title=discussion.article.title,
        published=discussion.article.published,
        input_format=discussion.input_format,
        comments=n,
        announced_total=discussion.announced_total,
        threads=len(discussion.roots()),
        max_depth=max((c.depth for c in discussion.comments), default=0),
        clusters=len(analysis.clusters),  # the page's topics, after any --merge
        off_topic_share=share,
        off_topic_low=low,
        off_topic_high=high,
        largest_digression_id=digressions[0][0] if digressions else None,
        largest_digression_comments=digressions[0][1] if digressions else 0,
        top_terms=" | ".join(", ".join(t) for t in terms[:TOP_TERM_CLUSTERS]) or None,
        sentiment_mean=summary["sentiment_mean"],
    )
    return row


def _write_outputs(
    job: PageJob,
    records: list[dict[str, Any]],
    row: dict[str, Any],
    sketch: dict[str, Any],
    export_rows: dict[str, Any],
    stored: bytes,
) -> None:
    from threads.corpus import tables

    out = Path(job.out)
    table = tables.comment_table(job.page, records)
    # The comment part, the sketch and the analysis first: an entry is only there with them.
    tables.write_bytes_atomic(comments_path(out, job.key), tables.parquet_bytes(table))
    tables.write_bytes_atomic(sketch_path(out, job.key), _json_bytes(sketch))
    tables.write_bytes_atomic(analysis_path(out, job.key), stored)
    entry = {
        "format": CACHE_FORMAT,
        "key": job.key,
        "page": job.page,
        "row": row,
        "comments": len(records),
        "tables": export_rows,  # the page's rows of the corpus database (--sqlite)
        # Its analysis's bytes, checked before a report is written from them.
        "analysis": {"sha256": hashlib.sha256(stored).hexdigest(), "bytes": len(stored)},
    }
    tables.write_bytes_atomic(cache_path(out, job.key), _json_bytes(entry))


def _json_bytes(value: Any) -> bytes:
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return text.encode("utf-8")
