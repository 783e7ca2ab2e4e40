"""Plain-text views for the terminal (``threads chain`` and ``threads clusters``)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from threads.analysis.options import STABILITY_SEEDS
from threads.export import shorten
from threads.models import Comment

if TYPE_CHECKING:
    from threads.analysis.results import Analysis, CommentResult
    from threads.analysis.topics import SweepRow

# Indentation stops growing here so a chain thousands of replies deep stays printable.
MAX_INDENT_LEVELS = 24


def _figures(result: CommentResult) -> str:
    parent = "" if result.parent_similarity is None else f" parent {result.parent_similarity:.2f}"
    verdict = " OFF-TOPIC" if result.off_topic else ""
    return (
        f"[article {result.article_similarity:.2f}{parent} sentiment {result.sentiment:+.2f} "
        f"topic {result.cluster}{verdict}]"
    )


def _line(comment: Comment, level: int, result: CommentResult, marker: str = "") -> str:
    indent = "  " * min(level, MAX_INDENT_LEVELS)
    author = comment.author or "(no name)"
    notes = []
    if comment.parent_status == "ambiguous":
        alternatives = ", ".join(f"#{a}" for a in comment.parent_alternatives)
        notes.append(f"[ambiguous parent: also {alternatives}]")
    elif comment.parent_status in ("off-path", "orphan"):
        notes.append(f"[{comment.parent_status} parent]")
    if comment.truncated:
        notes.append("[truncated]")
    note = (" " + " ".join(notes)) if notes else ""
    head = f"{indent}{marker}#{comment.id} {author} (depth {comment.depth}){note}"
    return f"{head} {_figures(result)}: {shorten(comment.text)}"


def chain_lines(analysis: Analysis, comment_id: str) -> Iterator[str]:
    """The chain from the top-level comment down to ``comment_id``, then the replies under it.

    The drift point is the first hop from which the chain stays off-topic down to this
    comment.
    """
    discussion = analysis.discussion
    results = {r.id: r for r in analysis.comments}
    path = discussion.path_to(comment_id)
    drift_at = analysis.drift_point_of_path(comment_id)
    yield f"Chain from the top-level comment #{path[0].id} down to #{comment_id}:"
    for level, comment in enumerate(path):
        line = _line(comment, level, results[comment.id], "> " if comment.id == comment_id else "")
        yield line + ("  <- drift point" if comment.id == drift_at else "")
    if drift_at is None:
        yield "The chain is on the article's subject at this comment."
    else:
        yield f"Drift point: #{drift_at}, from where the chain stays off-topic."
    replies = list(discussion.walk(comment_id))[1:]
    if not replies:
        yield f"No replies under #{comment_id}."
        return
    yield f"Replies under #{comment_id} ({len(replies)}):"
    base = path[-1].depth
    for reply in replies:
        yield _line(reply, reply.depth - base, results[reply.id])


def cluster_lines(analysis: Analysis) -> Iterator[str]:
    parameters = analysis.parameters
    how = "chosen by silhouette" if parameters.clusters_chosen_automatically else "as asked"
    yield (
        f"{parameters.clusters} topic clusters ({how}, seed {parameters.seed}); "
        f"off-topic below similarity {parameters.off_topic_threshold:.3f}"
    )
    yield (
        f"{'topic':>5} {'size':>5} {'share':>6} {'words':>6} {'article':>7} {'sentiment':>9}  "
        f"{'verdict':9} {'typical':>7}  terms"
    )
    for k in analysis.clusters:
        verdict = "off-topic" if k.off_topic else "on-topic"
        yield (
            f"{k.number:>5} {k.size:>5} {k.share_comments:>6.0%} {k.share_words:>6.0%} "
            f"{k.article_similarity:>7.3f} {k.mean_sentiment:>+9.2f}  {verdict:9} "
            f"{'#' + k.representative_id:>7}  {', '.join(k.terms)}"
        )
    if analysis.k_scores:
        scores = ", ".join(f"K={s.k}: {s.silhouette:.3f}" for s in analysis.k_scores)
        yield f"Silhouette (cosine) behind the choice: {scores}"


def sweep_lines(rows: Sequence[SweepRow], ks: range, distinct: int) -> Iterator[str]:
    yield f"{'K':>3} {'silhouette':>10} {'stability':>9} {'off-topic share':>15}"

    def cell(value: float | None, width: int) -> str:
        return f"{'-':>{width}}" if value is None else f"{value:>{width}.3f}"

    for row in rows:
        silhouette, stability = cell(row.silhouette, 10), cell(row.stability, 9)
        yield f"{row.k:>3} {silhouette} {stability} {row.off_topic_share:>15.0%}"
    skipped = [k for k in ks if k not in {row.k for row in rows}]
    if skipped:
        yield (
            f"Skipped K = {', '.join(map(str, skipped))}: K must be between 1 and {distinct} "
            "(the number of distinct comment texts)."
        )
    yield (
        "Stability: mean adjusted Rand index of the labels across "
        f"{STABILITY_SEEDS} seeds (1 = identical)."
    )
