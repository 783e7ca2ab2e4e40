"""The one place the corpus package calls into the rest of threads.

Loading, analysing and reporting on one page are being reorganised in the package; every
call the corpus makes to them goes through the few functions here, so that move changes
this module only. Nothing here computes a figure: it forwards.
"""

from __future__ import annotations

import dataclasses
import functools
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from threads import __version__ as THREADS_VERSION  # noqa: N812 - re-exported constant
from threads.errors import InputError, OptionError

if TYPE_CHECKING:
    from threads.analysis import Analysis
    from threads.analysis.space import TextSpace
    from threads.models import Discussion

__all__ = [
    "THREADS_VERSION",
    "analysis_fields",
    "analyze",
    "check_options",
    "comment_columns",
    "digressions",
    "library_versions",
    "load",
    "load_bytes",
    "new_figure",
    "preload",
    "records",
    "summary",
    "svg",
    "write_report",
]


def load(path: Path, source: str, input_format: str | None) -> Discussion:
    """Read one page; the discussion (and any error) names it ``source``, not ``path``."""
    from threads.inputs import load as load_page

    try:
        discussion = load_page(path, input_format)  # type: ignore[arg-type]
    except InputError as error:
        raise InputError(source, error.problem) from None
    return dataclasses.replace(discussion, source=source)


def load_bytes(data: bytes, source: str, input_format: str | None) -> Discussion:
    """One page from its bytes, read once by the caller (who checked them); named ``source``."""
    from threads.inputs import load_bytes as load_page

    return load_page(data, input_format, source=source)  # type: ignore[arg-type]


def check_options(
    clusters: int | None,
    seed: int,
    off_topic_threshold: float | None,
    embeddings: str | None = None,
    lexical: bool = False,
) -> None:
    """Fail on a bad option before any page is read (the per-page checks repeat it); a
    named embedding model is loaded here once, so a wrong name fails before any page."""
    from threads.analysis import options

    options.check_seed(seed)
    options.check_measure(embeddings, lexical)
    if off_topic_threshold is not None:
        options.check_threshold(off_topic_threshold)
    if clusters is not None and (not options.is_whole(clusters) or clusters < 1):
        raise OptionError("clusters", f"must be a whole number >= 1; got {clusters!r}")


def preload() -> None:
    """Import the analysis libraries, so a thread limit set afterwards covers their pools
    (threadpoolctl limits only the libraries already loaded)."""
    import threads.analysis._analyze  # noqa: F401
    import threads.report.render  # noqa: F401


@functools.cache
def _thread_pools() -> Any:
    from threadpoolctl import ThreadpoolController

    preload()
    return ThreadpoolController()


def one_thread() -> AbstractContextManager[Any]:
    """A block in which the BLAS and OpenMP pools use one thread. The loaded libraries are
    looked up once per process (after ``preload``): ``threadpool_limits`` looks them up on
    every call, about 3 ms, which was 6% of a small page's work."""
    limit: AbstractContextManager[Any] = _thread_pools().limit(limits=1)
    return limit


def analyze(
    discussion: Discussion,
    clusters: int | None,
    seed: int,
    off_topic_threshold: float | None,
    with_sweep: bool,
    space: TextSpace | None = None,
    embeddings: str | None = None,
    lexical: bool = False,
) -> Analysis:
    """The one-page analysis, in this process only (no worker pool inside a worker).

    ``with_sweep`` adds what only ``threads report``'s page shows: the K comparison and the
    automatic K checked with other seeds. No figure in the JSON or the tables depends on them.
    ``space`` (from :func:`text_space`) is fitted in place, so the caller can read the
    page's term counts afterwards.
    """
    from threads.analysis import analyze as run
    from threads.pipeline import SWEEP_KS
    from threads.workers import config_context

    with config_context(processes=0):
        return run(
            discussion,
            clusters,
            seed,
            off_topic_threshold,
            space=space,
            sweep_ks=SWEEP_KS if with_sweep else (),
            k_across_seeds=with_sweep,
            embeddings=embeddings,
            lexical=lexical,
        )


def text_space() -> TextSpace:
    """An unfitted text space with the one-page analysis's default settings."""
    from threads.analysis.space import TextSpace

    return TextSpace()


def comment_term_counts(space: TextSpace) -> tuple[Any, list[str]]:
    """A fitted space's comments x words count matrix (CSR) and its words, in column order:
    the words as the tokenizer finds them, before stemming (what hashing the text gives)."""
    return space.comment_word_counts_, list(space.words_)


def write_report(analysis: Analysis, html: Path) -> None:
    """The unchanged one-page report (HTML, JSON, CSV), written atomically beside ``html``."""
    from threads.report import write_report as write
    from threads.workers import config_context

    with config_context(processes=0):
        write(analysis, html)


def records(analysis: Analysis) -> list[dict[str, Any]]:
    """Every comment's record (parse fields then figures), as in the report's JSON."""
    return analysis.records()


def summary(analysis: Analysis) -> dict[str, Any]:
    """The discussion-level figures, as the report's JSON ``summary`` holds them."""
    return analysis.summary.to_dict()


def clusters_used(analysis: Analysis) -> int:
    return int(analysis.parameters.clusters)


def cluster_terms(analysis: Analysis) -> list[tuple[int, tuple[str, ...]]]:
    """(size, terms) per topic cluster, largest first."""
    return [(c.size, tuple(c.terms)) for c in analysis.clusters]


def digressions(analysis: Analysis) -> list[tuple[str, int]]:
    """Each digression's start and its number of comments, largest first (the page's own
    ``digressions`` in its report JSON)."""
    return [(d.start_id, d.comments) for d in analysis.digest.digressions]


def comment_columns() -> list[str]:
    """The record's columns in order: parse fields, then analysis fields."""
    from threads.analysis import ANALYSIS_FIELDS
    from threads.models import COMMENT_COLUMNS

    return [*COMMENT_COLUMNS, *ANALYSIS_FIELDS]


def analysis_fields() -> list[str]:
    from threads.analysis import ANALYSIS_FIELDS

    return list(ANALYSIS_FIELDS)


def library_versions() -> dict[str, str]:
    """Versions of the libraries whose output the figures depend on (threads first)."""
    from threads.analysis._analyze import _versions

    return {"threads": THREADS_VERSION, **_versions()}


def new_figure(legend_rows: int = 0) -> Any:
    """A (figure, axes) pair with the report charts' size and margins."""
    from threads.report.charts import _new_figure

    return _new_figure(legend_rows=legend_rows)


def svg(figure: Any, name: str) -> str:
    """Inline SVG for a figure; ``name`` salts its element ids (unique per chart)."""
    from threads.report.charts import to_svg

    return to_svg(figure, name)


def palette() -> list[str]:
    from threads.report.charts import PALETTE

    return list(PALETTE)
