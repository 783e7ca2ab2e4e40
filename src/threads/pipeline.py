"""The whole job of ``threads report``: load -> analyse -> report -> write.

The pipeline decides how the job runs: it opens the worker processes once
(:func:`threads.workers.pool_for`) for the sentiment scoring and the charts, so no stage
is handed them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from threads.models import Discussion
from threads.report.files import ReportFiles
from threads.workers import Progress, pool_for

if TYPE_CHECKING:
    from threads.analysis import Analysis

#: The K values the report's "how the picture changes with K" panel compares.
SWEEP_KS = range(2, 9)


def make_report(
    discussion: Discussion,
    clusters: int | None = None,
    seed: int = 0,
    off_topic_threshold: float | None = None,
    out: Path | None = None,
    progress: Progress | None = None,
    labels: Path | None = None,
    topic_names: Mapping[int, str] | None = None,
    merge: Sequence[Sequence[int]] = (),
    whole_sentiment: bool = False,
    embeddings: str | None = None,
    lexical: bool = False,
) -> ReportFiles:
    """Analyse a discussion and write its report (HTML, JSON and CSV; see README).

    ``progress(stage, done, total)`` hears the long stages as they go: "scoring sentiment"
    (comments), "drawing charts" (charts), "writing files" (0 then 1 of 1). ``labels`` (a file
    ``threads agree`` reads) adds the flag's agreement with them to the Method section;
    ``topic_names``, ``merge``, ``whole_sentiment``, ``embeddings`` and ``lexical`` are
    :func:`threads.analysis.analyze`'s.
    """
    from threads.report import write_report

    page_labels = None
    if labels is not None:  # read and checked first: a bad label file costs no analysis
        from threads.inputs.labels import labels_for

        page_labels = labels_for(labels, discussion)
    with pool_for(len(discussion)):
        analysis = _analysis(
            discussion,
            clusters,
            seed,
            off_topic_threshold,
            topic_names,
            merge,
            progress,
            whole_sentiment,
            embeddings,
            lexical,
        )
        agreement = None
        if page_labels is not None:
            from threads.analysis.agreement import for_analysis

            agreement = for_analysis(analysis, page_labels.labels, seed)
        return write_report(analysis, out, progress, agreement)


def report_html(
    discussion: Discussion,
    clusters: int | None = None,
    seed: int = 0,
    off_topic_threshold: float | None = None,
    topic_names: Mapping[int, str] | None = None,
    merge: Sequence[Sequence[int]] = (),
    progress: Progress | None = None,
    whole_sentiment: bool = False,
    embeddings: str | None = None,
    lexical: bool = False,
) -> str:
    """The report's HTML as a string (``threads report --out -``); no file is written."""
    from threads.report import build_context, render_html

    with pool_for(len(discussion)):
        analysis = _analysis(
            discussion,
            clusters,
            seed,
            off_topic_threshold,
            topic_names,
            merge,
            progress,
            whole_sentiment,
            embeddings,
            lexical,
        )
        return render_html(build_context(analysis, progress=progress))


def _analysis(
    discussion: Discussion,
    clusters: int | None,
    seed: int,
    off_topic_threshold: float | None,
    topic_names: Mapping[int, str] | None,
    merge: Sequence[Sequence[int]],
    progress: Progress | None,
    whole_sentiment: bool,
    embeddings: str | None,
    lexical: bool,
) -> Analysis:
    """The analysis a report shows: the one asked for, with the K sweep of its panel and the
    automatic K checked with other seeds."""
    from threads.analysis import analyze

    return analyze(
        discussion,
        clusters,
        seed,
        off_topic_threshold,
        sweep_ks=SWEEP_KS,
        k_across_seeds=True,
        topic_names=topic_names,
        merge=merge,
        progress=progress,
        whole_sentiment=whole_sentiment,
        embeddings=embeddings,
        lexical=lexical,
    )
