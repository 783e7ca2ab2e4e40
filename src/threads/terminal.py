"""Plain-text views for the terminal: the comments table, ``chain``, ``clusters``, ``author``.

Views format the analysis results; they compute no figure (no pandas, no numpy here).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from threads.analysis.options import STABILITY_SEEDS
from threads.export import shorten
from threads.models import Comment

if TYPE_CHECKING:
    from threads.analysis.authors import AuthorSummary
    from threads.analysis.compare import Crosstab
    from threads.analysis.members import TopicMembers
    from threads.analysis.results import Analysis, CommentResult
    from threads.analysis.topics import SweepRow

#: Columns of the comments table are separated by this.
GAP = "  "
#: Other columns of the comments table are cut to this many characters.
MAX_CELL = 24
#: On a narrow terminal these columns are shortened, to no fewer than MIN_CELL characters.
SHRINKABLE = ("author", "posted", "parent_status")
MIN_CELL = 8
#: Shorter headings for the comments table (the JSON and CSV use the field names).
TABLE_HEADINGS = {
    "parent_id": "parent",
    "parent_status": "status",
    "cluster": "topic",
    "article_similarity": "article",
    "off_topic": "off-topic",
}
#: The text column keeps at least this many characters however narrow the terminal.
MIN_TEXT = 20
#: Still too wide once names and dates are shortened: these columns are left out, in this
#: order (the JSON and CSV keep every one).
DROPPABLE = ("posted", "parent_status", "depth", "sentiment")

# Indentation stops growing here so a chain thousands of replies deep stays printable.
MAX_INDENT_LEVELS = 24


#: Control characters a terminal would act on (C0 but tab and newline, DEL, C1).
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def visible(text: str) -> str:
    """``text`` with every control character shown as its escape (``\\x1b``, ``\\x07``):
    text from the input never moves the cursor, changes colours or rings the bell."""
    return _CONTROLS.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def _figures(result: CommentResult) -> str:
    parent = "" if result.parent_similarity is None else f" parent {result.parent_similarity:.2f}"
    thread = "" if result.thread_similarity is None else f" thread {result.thread_similarity:.2f}"
    turned = " TURN" if result.turned else ""
    verdict = " OFF-TOPIC" if result.off_topic else ""
    return (
        f"[article {result.article_similarity:.2f}{parent}{thread}{turned} "
        f"sentiment {result.sentiment:+.2f} topic {result.cluster}{verdict}]"
    )


def _full_text(text: str, level: int) -> list[str]:
    indent = "  " * min(level, MAX_INDENT_LEVELS) + "    "
    return [indent + line if line else "" for line in text.splitlines()]


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


def chain_lines(analysis: Analysis, comment_id: str, full: bool = False) -> Iterator[str]:
    """The chain from the top-level comment down to ``comment_id``, then the replies under it.

    Each hop shows its similarity to the article, to its parent and to its thread so far, and
    TURN where the conversation turned there. The drift point is where the chain left the
    subject: the turn to an off-topic reply (or the off-topic top-level comment) whose
    off-topic run reaches this comment. ``full`` prints each whole text under its line
    instead of its first words.
    """
    discussion = analysis.discussion
    results = {r.id: r for r in analysis.comments}
    path = discussion.path_to(comment_id)
    drift_at = analysis.drift_point_of_path(comment_id)
    yield f"Chain from the top-level comment #{path[0].id} down to #{comment_id}:"
    for level, comment in enumerate(path):
        line = _line(comment, level, results[comment.id], "> " if comment.id == comment_id else "")
        line += "  <- drift point" if comment.id == drift_at else ""
        yield _head(line) if full else line
        if full:
            yield from _full_text(comment.text, level)
    subject = f"the {analysis.parameters.reference}'s subject"  # article, title, discussion
    if drift_at is not None:
        yield (
            f"Drift point: #{drift_at}, where the conversation turned away from {subject}; "
            f"it stays off-topic down to #{comment_id}."
        )
    elif results[comment_id].off_topic:
        yield (
            f"No drift point: #{comment_id} is off-topic, but the chain never turned away from "
            "the subject on its way here (each off-topic hop stays close to what it answers)."
        )
    else:
        yield f"The chain is on {subject} at this comment."
    replies = list(discussion.walk(comment_id))[1:]
    if not replies:
        yield f"No replies under #{comment_id}."
        return
    yield f"Replies under #{comment_id} ({len(replies)}):"
    base = path[-1].depth
    for reply in replies:
        line = _line(reply, reply.depth - base, results[reply.id])
        yield _head(line) if full else line
        if full:
            yield from _full_text(reply.text, reply.depth - base)


def _head(line: str) -> str:
    """A chain line without its shortened text (``--full`` prints the text below it)."""
    head, _, rest = line.partition("]: ")
    return head + "]" + ("  <- drift point" if rest.endswith("<- drift point") else "")


def cluster_lines(analysis: Analysis) -> Iterator[str]:
    parameters = analysis.parameters
    how = "chosen by silhouette" if parameters.clusters_chosen_automatically else "as asked"
    merged = ""
    if parameters.merge:
        groups = " and ".join("+".join(str(n) for n in group) for group in parameters.merge)
        merged = f"; topics {groups} merged, leaving {len(analysis.clusters)}"
    yield (
        f"{parameters.clusters} topic clusters ({how}, seed {parameters.seed}{merged}); "
        f"off-topic below similarity {parameters.off_topic_band[0]:g}"
        + (
            f", can't tell below {parameters.off_topic_band[1]:g}"
            if parameters.off_topic_band[1] > parameters.off_topic_band[0]
            else ""
        )
        + f" (by {parameters.measure})"
    )
    yield (
        f"{'topic':>5} {'size':>5} {'share':>6} {'words':>6} {'article':>7} {'sentiment':>9}  "
        f"{'verdict':9} {'typical':>7}  {'name: terms' if analysis.named else 'terms'}"
    )
    for k in analysis.clusters:
        verdict = "off-topic" if k.off_topic else "on-topic"
        name = f"\u201c{k.name}\u201d: " if k.name else ""
        yield (
            f"{k.number:>5} {k.size:>5} {k.share_comments:>6.0%} {k.share_words:>6.0%} "
            f"{k.article_similarity:>7.3f} {k.mean_sentiment:>+9.2f}  {verdict:9} "
            f"{'#' + k.representative_id:>7}  {name}{', '.join(k.terms)}"
        )
    if analysis.k_scores:
        scores = ", ".join(f"K={s.k}: {s.silhouette:.3f}" for s in analysis.k_scores)
        yield f"Silhouette (cosine) behind the choice: {scores}"
    if analysis.k_by_seed:
        yield k_stability_line(analysis.k_by_seed, parameters.clusters)


def member_lines(groups: Sequence[TopicMembers]) -> Iterator[str]:
    """``threads clusters --members``: every comment of each topic, with its thread and flag."""
    for group in groups:
        name = f" \u201c{group.name}\u201d" if group.name else ""
        size = len(group.members)
        yield ""
        yield (
            f"topic {group.number}{name} ({', '.join(group.terms)}): {size} comment"
            f"{'s' if size != 1 else ''}, {group.off_topic} of {size} off the subject"
        )
        for m in group.members:
            flag = "off-topic" if m.off_topic else ("too short" if m.too_short else "")
            author = m.author if m.author is not None else "(no name)"
            yield f"  {'#' + m.id:>7}  {author:20.20}  thread #{m.thread_id:<6}  {flag}".rstrip()


def k_stability_line(k_by_seed: Sequence[tuple[int, int]], k: int) -> str:
    seeds = [s for s, _ in k_by_seed]
    same = sum(1 for _, chosen in k_by_seed if chosen == k)
    ks = ", ".join(str(chosen) for _, chosen in k_by_seed)
    return f"K chosen with seeds {seeds[0]}-{seeds[-1]}: {ks} (K={k} in {same} of {len(k_by_seed)})"


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


def summary_lines(analysis: Analysis) -> Iterator[str]:
    """The digest (``threads summary``): what stayed on the subject, one line per thread, then
    the findings; the same sentences as the report's."""
    # Here, not at the top: the report's modules load matplotlib, and the other views
    # (``comments --no-analysis`` above all) must stay light.
    from threads.report import prose

    yield prose.plain(prose.digest_intro(analysis))
    for line in prose.digest_lines(analysis):
        yield f"- {prose.plain(line)}"
    yield ""
    for sentence in prose.findings(analysis, prose.cluster_labels(analysis)):
        yield f"* {sentence}"


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}"
    return visible(" ".join(str(value).split()))


def comment_table(
    records: Sequence[Mapping[str, Any]], columns: Sequence[str], width: int
) -> Iterator[str]:
    """A left-aligned table fitting ``width`` characters where it can: the last column (the
    text) gets what the others leave, at least ``MIN_TEXT``; on a narrow terminal the names
    and dates (``SHRINKABLE``) are shortened first, to ``MIN_CELL``, then the ``DROPPABLE``
    columns are left out. Figures show 3 decimals (the JSON and CSV keep them all)."""
    if not records:
        yield "(no comments)"
        return
    *fixed, last = columns
    cells = [[_cell(r[c]) for c in fixed] for r in records]
    headings = [TABLE_HEADINGS.get(name, name) for name in [*fixed, last]]
    widths = [
        min(MAX_CELL, max(len(headings[i]), *(len(row[i]) for row in cells)))
        for i in range(len(fixed))
    ]
    kept = list(range(len(fixed)))

    def too_wide() -> bool:
        return sum(widths[i] for i in kept) + len(GAP) * len(kept) + MIN_TEXT > width

    shrinkable = [i for i, name in enumerate(fixed) if name in SHRINKABLE]
    while too_wide():
        widest = max(shrinkable, key=lambda i: widths[i], default=None)
        if widest is None or widths[widest] <= MIN_CELL:
            break
        widths[widest] -= 1
    for name in DROPPABLE:
        if not too_wide():
            break
        if name in fixed:
            kept.remove(fixed.index(name))
    room = max(MIN_TEXT, width - sum(widths[i] for i in kept) - len(GAP) * len(kept))
    headings = [*(headings[i] for i in kept), headings[-1]]
    widths = [widths[i] for i in kept]
    cells = [[row[i] for i in kept] for row in cells]
    header = [shorten(h, w).ljust(w) for h, w in zip(headings, widths, strict=False)]
    yield GAP.join([*header, headings[-1]]).rstrip()
    for record, row in zip(records, cells, strict=True):
        padded = [shorten(cell, w).ljust(w) for cell, w in zip(row, widths, strict=True)]
        yield GAP.join([*padded, shorten(_cell(record[last]), room)]).rstrip()


def author_lines(summary: AuthorSummary) -> Iterator[str]:
    """``threads author NAME``: the figures, then every comment whole with its threads."""
    n = len(summary.comments)
    yield (
        f"{summary.name}: {n} comment{'s' * (n != 1)} in {summary.threads} "
        f"thread{'s' * (summary.threads != 1)}; off-topic {summary.off_topic_share:.0%}, "
        f"mean sentiment {summary.mean_sentiment:+.2f}"
    )
    yield f"Answered: {', '.join(summary.answered) or 'nobody'}"
    yield f"Answered by: {', '.join(summary.answered_by) or 'nobody'}"
    for c in summary.comments:
        verdict = " OFF-TOPIC" if c.off_topic else ""
        yield ""
        yield (
            f"#{c.id} in thread {c.thread} (top-level #{c.root_id}), depth {c.depth} "
            f"[article {c.article_similarity:.2f} sentiment {c.sentiment:+.2f} "
            f"topic {c.cluster}{verdict}]"
        )
        if c.answers is not None:
            yield f"  replying to #{c.answers.id} {c.answers.author or '(no name)'}"
        if c.replies:
            answers = ", ".join(f"#{r.id} {r.author or '(no name)'}" for r in c.replies)
            yield f"  replies: {answers}"
        yield from _full_text(c.text, 0)


def compare_lines(table: Crosstab) -> Iterator[str]:
    """The crosstab (rows: K_a topics with their terms; columns: K_b topics), then the
    comments that changed company."""
    ka, kb = len(table.topics_a), len(table.topics_b)
    yield f"Comments per topic: K={ka} (rows) against K={kb} (columns), same seed"
    yield f"{'K=' + str(ka):>5} " + " ".join(f"{t.number:>4}" for t in table.topics_b) + "  terms"
    for topic, row in zip(table.topics_a, table.counts, strict=True):
        cells = " ".join(f"{n:>4}" if n else f"{'.':>4}" for n in row)
        yield f"{topic.number:>5} {cells}  {', '.join(topic.terms)}"
    yield f"K={kb} terms: " + "; ".join(
        f"{t.number}: {', '.join(t.terms[:3])}" for t in table.topics_b
    )
    if not table.moved:
        yield f"No comment changed company: every K={kb} topic lies within one K={ka} topic."
        return
    yield (
        f"Changed company ({len(table.moved)}): their K={kb} topic mostly holds comments of "
        f"another K={ka} topic"
    )
    for m in table.moved:
        yield (
            f"  #{m.id}: K={ka} topic {m.topic_a} -> K={kb} topic {m.topic_b} "
            f"(mostly K={ka} topic {m.majority_a})"
        )
