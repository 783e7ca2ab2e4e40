"""The report's sentences about the comments: the digest, the findings, the K choice and the
sentiment's introduction (the notices and the Method section are :mod:`.method`'s).

Every number comes from the analysis (:class:`~threads.analysis.results.Summary` and the
parameters) or from the constants that set it; nothing here computes over comments.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from threads.analysis.options import (
    MIN_CONTENT_WORDS,
)
from threads.analysis.relevance import REFERENCE_NAMES
from threads.report.format import pct, signed

if TYPE_CHECKING:
    from threads.analysis import Analysis
    from threads.analysis.results import Digression, Parameters
    from threads.analysis.stats import Comparison
    from threads.models import Discussion

_DEPTH_NAMES = {0: "top-level comments", 1: "direct replies"}

#: Digressions named one by one in the findings before saying how many more there are.
MAX_LISTED = 5
#: Threads given a line of their own in the digest before saying how many more there are.
MAX_DIGEST_THREADS = 10
#: Digressions named on one thread's line, and lone off-topic comments on theirs.
MAX_PER_LINE = 3


@dataclass(frozen=True)
class Piece:
    """Part of a digest line: text, linked to a comment when ``comment_id`` is set."""

    text: str
    comment_id: str | None = None


Line = tuple[Piece, ...]


def cluster_labels(analysis: Analysis) -> dict[int, str]:
    """``"1: freedom, government, increasing"`` per topic number (``1 \u201cFreedom\u201d: ...``
    for a named topic)."""
    return {k.number: f"{k.label}: {', '.join(k.terms[:3])}" for k in analysis.clusters}


def _who(discussion: Discussion, comment_id: str) -> str:
    return discussion.get(comment_id).author or "an anonymous commenter"


def _terms(terms: tuple[str, ...], count: int = 3) -> str:
    return ", ".join(terms[:count]) if terms else "no distinctive words"


_PLURALS = {"reply": "replies"}


def _count(n: int, word: str) -> str:
    """``1 comment``, ``2 comments``, ``2 replies``."""
    return f"{n:,} {word if n == 1 else _PLURALS.get(word, word + 's')}"


def _more(shown: int, total: int, word: str) -> str:
    """``, and 3 more digressions`` when a list of ``total`` was cut to ``shown``."""
    return f", and {_count(total - shown, 'more ' + word)}" if total > shown else ""


def digest_intro(analysis: Analysis) -> Line:
    """What the on-topic discussion was about, with linked examples."""
    digest, summary = analysis.digest, analysis.summary
    n = summary.comments
    if n == 0:
        return (Piece("The page has no comments."),)
    on, off = summary.on_topic_comments, summary.off_topic_comments
    subject = f"the subject of {REFERENCE_NAMES[analysis.parameters.reference]}"
    counts = judged_counts(analysis)
    if not digest.on_topic_examples or not on:
        return (Piece(f"None of the {_count(n, 'comment')} was judged on {subject} ({counts})."),)
    most = "Most comments left " + subject + ": " if off > on else ""
    pieces = [
        Piece(
            f"{most}{on:,} of {_count(n, 'comment')} stayed on {subject} ({counts}), about "
            f"{_terms(digest.on_topic_terms, 5)}; the most typical: "
        )
    ]
    for number, comment_id in enumerate(digest.on_topic_examples):
        comment = analysis.discussion.get(comment_id)
        pieces += [
            Piece("; " if number else ""),
            Piece(f"#{comment_id}", comment_id),
            Piece(f" {comment.author or '(no name)'}: \u201c{_quote(analysis, comment_id)}\u201d"),
        ]
    pieces.append(Piece("."))
    return tuple(p for p in pieces if p.text)


def judged_counts(analysis: Analysis) -> str:
    """``9 left it, 0 can't tell`` with what "can't tell" holds."""
    summary = analysis.summary
    return (
        f"{summary.off_topic_comments:,} left it, {summary.cant_tell_comments:,} can't tell: "
        "too short or too close to the cut"
    )


def _quote(analysis: Analysis, comment_id: str) -> str:
    return analysis.digest.quotes[comment_id]


def _digression_pieces(analysis: Analysis, start_id: str) -> list[Piece]:
    d = next(x for x in analysis.digest.digressions if x.start_id == start_id)
    if d.parent_id is None:
        size = _count(d.comments, "comment")
        return [Piece(f"was off the subject from its first comment ({size})")]
    return [
        Piece("left the subject at "),
        Piece(f"#{d.start_id}", d.start_id),
        Piece(
            f" ({_who(analysis.discussion, d.start_id)}, {_count(d.comments, 'comment')} about "
            f"{_terms(d.terms)}: \u201c{d.quote}\u201d)"
        ),
    ]


def digest_lines(analysis: Analysis) -> list[Line]:
    """One line per thread of two or more comments (most off-topic first), then one for the
    lone comments together, then how many threads were left out."""
    digest = analysis.digest
    lines: list[Line] = []
    for root_id in digest.ranked[:MAX_DIGEST_THREADS]:
        thread = digest.thread(root_id)
        pieces = [
            Piece(f"#{root_id}", root_id),
            Piece(
                f" {thread.author or '(no name)'}: {_count(thread.comments, 'comment')}, "
                f"{thread.off_topic:,} off-topic, about {_terms(thread.terms)} "
                f"(\u201c{thread.quote}\u201d). "
            ),
        ]
        if not thread.digressions and thread.off_topic:
            # Off-topic comments with no turn away: they stay close to what they answer.
            pieces.append(Piece("The conversation never turned away from the subject."))
        elif not thread.digressions:
            pieces.append(Piece("It stayed on the subject."))
        for number, start in enumerate(thread.digressions[:MAX_PER_LINE]):
            pieces.append(Piece("; it also " if number else "It "))
            pieces += _digression_pieces(analysis, start)
        if thread.digressions:
            extra = _more(MAX_PER_LINE, len(thread.digressions), "digression")
            pieces.append(Piece(f"{extra}."))
        lines.append(tuple(pieces))
    lone = digest.lone
    if lone.ids:
        pieces = [
            Piece(
                f"{_count(len(lone.ids), 'lone comment')} (no replies), "
                f"{len(lone.off_topic_ids):,} off-topic, about {_terms(lone.terms)}"
            )
        ]
        for number, comment_id in enumerate(lone.off_topic_ids[:MAX_PER_LINE]):
            pieces += [
                Piece("; " if number else ". Off the subject: "),
                Piece(f"#{comment_id}", comment_id),
                Piece(f" \u201c{_quote(analysis, comment_id)}\u201d"),
            ]
        pieces.append(
            Piece(_more(MAX_PER_LINE, len(lone.off_topic_ids), "off-topic lone comment") + ".")
        )
        lines.append(tuple(pieces))
    hidden = len(digest.ranked) - MAX_DIGEST_THREADS
    if hidden > 0:
        lines.append(
            (Piece(f"{_count(hidden, 'more thread')} of two or more comments are in the "
                   "JSON's threads."),)
        )  # fmt: skip
    return lines


def plain(line: Line) -> str:
    return "".join(p.text for p in line)


def _sentiment_words(c: Comparison) -> str:
    """How off-topic sentiment compares with on-topic, in words that match the signs."""
    off_mean = c.first_mean
    if c.difference < 0:
        return "less positive" if off_mean > 0 else "more negative"
    return "less negative" if off_mean < 0 else "more positive"


def _interval(c: Comparison, digits: int = 2) -> str:
    low, high = (f"{v:+.{digits}f}".replace("-", "\u2212") for v in (c.low, c.high))
    return f"95% interval {low} to {high}"


def _digression_findings(analysis: Analysis, cluster_label: dict[int, str]) -> list[str]:
    digest, discussion = analysis.digest, analysis.discussion
    found = digest.digressions
    sentences = []
    quiet = len(digest.off_topic_without_turn)
    # Off-topic comments no turn led to: they stay close to the comment they answer.
    skipped = (
        f"; {_count(quiet, 'more off-topic comment')} {'stays' if quiet == 1 else 'stay'} close "
        f"to what {'it answers' if quiet == 1 else 'they answer'}, with no turn away"
        if quiet
        else ""
    )
    if not found:
        if quiet:
            sentences.append(
                "The conversation never turned away from the subject: "
                + (
                    "the off-topic comment stays close to what it answers."
                    if quiet == 1
                    else f"the {quiet:,} off-topic comments stay close to what they answer."
                )
            )
        return sentences

    def where(d: Digression) -> str:
        start = f"#{d.start_id} by {_who(discussion, d.start_id)}"
        return (
            f"{start}, a thread off the subject from its first comment"
            if d.parent_id is None
            else f"{start}, answering #{d.parent_id}"
        )

    def turned(d: Digression) -> str:
        if d.topic is None:
            return f"its comments are spread over several topics; its words: {_terms(d.terms)}"
        tag = "an off-topic topic" if d.topic_off_topic else "a topic tagged on-topic"
        return f"mostly topic {cluster_label[d.topic]} ({tag}); its words: {_terms(d.terms)}"

    sentences.append(
        f"The conversation turned away from the subject {_count(len(found), 'time')}: "
        f"{_count(len(found), 'digression')}, branches of the reply tree that left the "
        f"subject{skipped}."
    )
    largest = digest.largest
    if len(largest) == 1:
        d = largest[0]
        sentences.append(
            f"The largest, {_count(d.comments, 'comment')}, started at {where(d)}: {turned(d)}."
        )
    else:
        named = "; ".join(where(d) for d in largest[:MAX_LISTED])
        more = _more(MAX_LISTED, len(largest), "tied digression")
        sentences.append(
            f"{len(largest)} digressions are tied for largest at "
            f"{_count(largest[0].comments, 'comment')} each: {named}{more}."
        )
    others = found[len(largest) :]
    if others:
        listed = ", ".join(
            f"#{d.start_id} ({d.comments}{', tied' if d.tied else ''})" for d in others[:MAX_LISTED]
        )
        sentences.append(
            f"The others start at {listed}{_more(MAX_LISTED, len(others), 'digression')}."
        )
    return sentences


def _reply_findings(analysis: Analysis) -> list[str]:
    summary = analysis.summary
    sentences = []
    groups = summary.depth_groups
    if len(groups) > 1:
        parts = [
            f"{_DEPTH_NAMES.get(g.depth, f'depth {g.label}')} {g.mean_similarity:.2f} "
            f"({g.comments})"
            for g in groups
        ]
        reference = REFERENCE_NAMES[analysis.parameters.reference]
        sentences.append(f"Mean similarity to {reference} by reply depth: {', '.join(parts)}.")
    similarity = summary.similarity_reply_vs_parent
    reference = REFERENCE_NAMES[analysis.parameters.reference]
    if similarity is not None:
        pairs = f"{_count(similarity.first_size, 'reply')} against the comments they answer"
        figures = (
            f"reply minus parent {signed(similarity.difference)} on average, "
            f"{_interval(similarity)}"
        )
        if not similarity.clear:
            sentences.append(
                f"Replies stayed about as close to {reference} as what they answered: no clear "
                f"difference ({pairs}; {figures})."
            )
        else:
            way = "further from" if similarity.difference < 0 else "closer to"
            sentences.append(f"Replies were {way} {reference} than what they answered ({pairs}; "
                             f"{figures}).")  # fmt: skip
    words = summary.words_reply_vs_parent
    if words is not None:
        figures = (
            f"reply minus parent {words.difference:+.0f} words on average, {_interval(words, 0)}"
        ).replace("-", "\u2212")
        if words.clear and words.difference < 0:
            sentences.append(
                f"Replies were also shorter than what they answered ({figures}), and a shorter "
                f"comment tends to score lower against {reference}: part of any gap may be "
                "length, not drift."
            )
        elif words.clear:
            sentences.append(f"Replies were longer than what they answered ({figures}).")
        else:
            sentences.append(f"Replies were about as long as what they answered ({figures}).")
    return sentences


def findings(analysis: Analysis, cluster_label: dict[int, str]) -> list[str]:
    summary = analysis.summary
    n = summary.comments
    if n == 0:
        return ["The page has no comments, so there is no discussion to measure."]
    parameters = analysis.parameters
    reference = REFERENCE_NAMES[parameters.reference]
    off, on, unsure = (
        summary.off_topic_comments,
        summary.on_topic_comments,
        summary.cant_tell_comments,
    )
    judged = off + on
    if not judged:
        sentences = [f"No comment could be judged on or off the subject of {reference}."]
    else:
        low, high = summary.off_topic_share_judged_interval or (0.0, 0.0)
        sentences = [
            f"{off} of the {judged} comments judged ({pct(off / judged)}, 95% interval "
            f"{pct(low)} to {pct(high)}), holding {pct(summary.off_topic_share_words or 0.0)} "
            f"of all words, left the subject of {reference} (similarity below "
            f"{parameters.off_topic_band[0]:.3f}); {on} stayed on it"
            + (f" and {unsure} could not be told ({_unsure_reason(parameters)})" if unsure else "")
            + "."
        ]
        if off > on:
            sentences.append(f"Most judged comments were off the subject of {reference}.")
    sentences += _digression_findings(analysis, cluster_label)
    sentences += _reply_findings(analysis)
    if summary.off_topic_clusters:
        ranked = summary.off_topic_clusters
        floor = ranked[min(1, len(ranked) - 1)][1]  # the second's count: ties are all named
        shown = tuple(item for item in ranked if item[1] >= floor)
        names = [f"topic {cluster_label[c]} ({k})" for c, k in shown]
        named = ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else names[0]
        more = _more(len(shown), len(summary.off_topic_clusters), "topic")
        sentences.append(f"Off-topic comments went mostly to {named}{more}.")
    c = summary.sentiment_off_vs_on
    if c is not None:
        groups = (
            f"{_count(c.first_size, 'off-topic comment')} against {c.second_size:,} on-topic; "
            f"mean sentiment {signed(c.first_mean)} against {signed(c.second_mean)}, "
            f"difference {signed(c.difference)}, {_interval(c)}"
        )
        if c.clear:
            sentences.append(
                f"Off-topic comments were {_sentiment_words(c)} than on-topic ones ({groups})."
            )
        else:
            sentences.append(
                f"Off- and on-topic comments showed no clear difference in sentiment ({groups})."
            )
    return sentences


def _unsure_reason(parameters: Parameters) -> str:
    low, high = parameters.off_topic_band
    band = f", or scored between {low:.3f} and {high:.3f}" if high > low else ""
    return f"fewer than {MIN_CONTENT_WORDS} content words{band}"


def k_choice(analysis: Analysis) -> str:
    k = analysis.parameters.clusters
    if not analysis.clusters:
        return "no comments, so no topics"
    chosen = [s for s in analysis.k_scores if s.k == k]
    if chosen:
        silhouette = chosen[0].silhouette
        by_seed = analysis.k_by_seed
        firm = sum(1 for _, seed_k in by_seed if seed_k == k)
        if not by_seed:
            return f"K = {k}, chosen automatically: the best silhouette score, {silhouette:.3f}"
        first, last = by_seed[0][0], by_seed[-1][0]
        others = ", ".join(str(seed_k) for _, seed_k in by_seed)
        seeds = (
            f"; with seeds {first} to {last} the choice is {others}: K = {k} "
            f"in {firm} of {len(by_seed)}"
        )
        return f"K = {k}, chosen automatically: the best silhouette score, {silhouette:.3f}" + seeds
    return f"K = {k}, as asked"


def sentiment_intro(analysis: Analysis) -> str:
    summary = analysis.summary
    n = summary.comments
    if not n:
        return "No comments, no sentiment."
    labels = summary.sentiment_labels
    return (
        f"VADER scores each sentence from −1 (most negative) to +1 (most positive); a comment's "
        f"score is the mean over its sentences. {labels['positive']} comments "
        f"({pct(labels['positive'] / n)}) read as positive, {labels['negative']} "
        f"({pct(labels['negative'] / n)}) as negative and {labels['neutral']} as neutral; "
        f"the mean is {signed(summary.sentiment_mean or 0.0)}."
    )
