"""The report's sentences: notices, findings, the K choice, the method and its limits.

Every number comes from the analysis (:class:`~threads.analysis.results.Summary` and the
parameters) or from the constants that set it; nothing here computes over comments.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from threads.analysis.drift import CONTEXT
from threads.analysis.options import (
    AUTO_K_RANGE,
    MIN_CONTENT_WORDS,
    SHORT_REFERENCE_WORDS,
    STABILITY_SEEDS,
)
from threads.analysis.relevance import REFERENCE_NAMES
from threads.analysis.sentiment import NEGATIVE_AT, POSITIVE_AT, SPLITTER
from threads.analysis.stats import RESAMPLES
from threads.report.format import fmt, pct, signed

if TYPE_CHECKING:
    from threads.analysis import Analysis
    from threads.analysis.agreement import AgreementReport, Figure
    from threads.analysis.results import Digression, Parameters
    from threads.analysis.stats import Comparison
    from threads.models import Discussion

#: Repairs listed one by one in the report's notices before it says how many more there are.
MAX_NOTICE_ITEMS = 10

KIND_NAMES = {
    "text": "an UnHerd page saved as text",
    "html": "a saved wpDiscuz HTML page",
    "csv": "a CSV comment file",
    "json": "a JSON comment file",
}


def kind_name(input_format: str) -> str:
    return KIND_NAMES.get(input_format, input_format)


def _ids(ids: tuple[str, ...]) -> str:
    return "#" + ", #".join(ids[:MAX_NOTICE_ITEMS])


def notices(analysis: Analysis) -> list[str]:
    discussion, summary = analysis.discussion, analysis.summary
    found = []
    parameters = analysis.parameters
    if parameters.reference == "discussion" and summary.comments:
        found.append(
            "This page has no article text, so each comment is compared with the words of all "
            "the other comments (never with itself) instead of an article: 'off-topic' here "
            "means far from what the rest of the discussion talks about."
        )
    elif parameters.reference == "title" and summary.comments:
        found.append(
            "This page has a title but no article text, so each comment is compared with the "
            "title alone."
        )
    if parameters.reference_thin:
        found.append(
            f"{REFERENCE_NAMES[parameters.reference].capitalize()} is too thin to compare "
            "comments with, so no comment is judged on or off the subject (all are counted as "
            "'can't tell')."
        )
    elif (
        parameters.measure == "words"
        and parameters.reference != "discussion"
        and summary.comments
        and parameters.reference_words < SHORT_REFERENCE_WORDS
    ):
        words = parameters.reference_words
        found.append(
            f"The {'article' if parameters.reference == 'article' else 'title'} has only "
            f"{words} distinct content word{'' if words == 1 else 's'}: too few to tell "
            "reliably by shared words which comments left its subject. On 197 labelled forum "
            "pages whose 'article' was a question this short, the word-overlap flag agreed with "
            "people no better than flagging nothing; read the flags as hints."
        )
    total, n = discussion.announced_total, summary.comments
    if total is not None and total != n:
        found.append(
            f"The page announced {total:,} comments; {n:,} were in the file, so the figures "
            "describe only the comments that were saved."
        )
    if summary.truncated_ids:
        found.append(
            f"{len(summary.truncated_ids)} comment(s) were cut off on the saved page and are "
            f"analysed as far as they go: {_ids(summary.truncated_ids)}."
        )
    orphans = summary.orphan_ids
    if orphans:
        found.append(
            f"{len(orphans)} repl{'y names' if len(orphans) == 1 else 'ies name'} a parent that "
            f"is not on the page, shown as top-level: {_ids(orphans)}."
        )
    ambiguous = summary.ambiguous_replies
    if ambiguous:
        found.append(
            f"{ambiguous} repl{'y names' if ambiguous == 1 else 'ies name'} an author who wrote "
            "more than one comment in the thread; "
            f"{'it is' if ambiguous == 1 else 'each is'} placed under the nearest one and marked."
        )
    found += _repairs(discussion, set(orphans))
    return found


def _repairs(discussion: Discussion, orphans: set[str]) -> list[str]:
    # Orphans have their own notice; the others are listed up to MAX_NOTICE_ITEMS.
    repairs = [r for r in discussion.repairs if r.comment_id not in orphans]
    lines = [f"Repaired in the input: {repair}." for repair in repairs[:MAX_NOTICE_ITEMS]]
    if len(repairs) > MAX_NOTICE_ITEMS:
        lines.append(
            f"{len(repairs) - MAX_NOTICE_ITEMS:,} more repairs are listed in the JSON beside "
            "this report."
        )
    return lines


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


METHOD = [
    ("Similarity to the reference",
     "{similarity}"),
    ("Off-topic and can't tell",
     "{cut} A comment with fewer than {min_words} distinct content words (with those of the "
     "comment it answers, for a short reply) is too short to judge. Comments that cannot be "
     "told are counted apart and never flagged."),
    ("Turns and digressions",
     "A reply turns the conversation when its similarity to the comment it answers and to its "
     "thread so far (the mean of the {context} comments above it) are both below {turn_cut} "
     "({turn_vectors}, a cut chosen on human topic-shift labels of the TIAGE dialogues); a "
     "reply too short to judge never turns. The conversation left the subject where a reply "
     "turned from an on-topic comment to an off-topic one, or at an off-topic top-level "
     "comment, marked 'drift starts here'; the off-topic replies reached from there through "
     "off-topic comments form one digression. An off-topic comment no turn led to stays close "
     "to what it answers and belongs to no digression."),
    ("Topic clusters",
     "The article's title and paragraphs and every comment are turned into TF-IDF word vectors "
     "in one shared vocabulary (scikit-learn TfidfVectorizer: English stop words removed, "
     "sublinear term frequency, typographic quotes normalised). k-means over the comment "
     "vectors (seeded, so reruns agree). Unless K is given, it is "
     "chosen by the best cosine silhouette score from {k_low} to {k_high}. Each cluster is "
     "labelled by its most distinctive terms (class-based TF-IDF) and represented by the comment "
     "closest to its centre. A cluster is off-topic when more than half of its comments are "
     "flagged off-topic, and its similarity is the mean of its comments'. Stability is the mean "
     "adjusted Rand index between runs with {seeds} seeds."),
    ("Comparisons",
     "Each comparison in the findings gives its group sizes and a 95% interval from "
     "{resamples:,} bootstrap resamples (percentile method, seeded with the analysis seed); a "
     "reply is compared with the comment it answers as a pair. When the interval spans zero the "
     "findings say there is no clear difference. Shares of comments come with a Wilson 95% "
     "interval."),
    ("Sentiment",
     "VADER compound score of each sentence (split with {splitter}), averaged per comment; "
     "positive at {positive} or above, negative at {negative} or below, neutral between."),
]  # fmt: skip


def _similarity_text(parameters: Parameters) -> str:
    reference = REFERENCE_NAMES[parameters.reference]
    against = {
        "article": "the article (its title and paragraphs, in passages of whole paragraphs "
        "whose vectors are averaged)",
        "title": "the title",
        "discussion": "the rest of the discussion (every other comment, never the comment itself)",
    }[parameters.reference]
    if parameters.measure == "words":
        return (
            f"By shared words: the cosine between the comment's distinct content words and "
            f"those of {against}, each word weighted by its IDF on the page, from 0 (no word "
            "in common) to 1. To the parent and to the top-level comment: the TF-IDF cosine."
        )
    return (
        f"By meaning: each text becomes a sentence embedding from {parameters.embedding_model} "
        f"(run by {parameters.embedding_library}; mean of its token vectors, texts cut at 256 "
        f"tokens), and a comment's similarity is the cosine between its embedding and that of "
        f"{against}, shown from 0 to 1 (below 0 shown as 0). To the parent and to the "
        f"top-level comment likewise. Shared words do not count: a comment about {reference}'s "
        "subject in other words scores as close."
    )


def _cut_text(parameters: Parameters) -> str:
    low, high = parameters.off_topic_band
    if high > low:
        return (
            f"A comment is off-topic when its similarity is below {low:.3f}, on the subject at "
            f"{high:.3f} or above, and can't be told between "
            f"({parameters.off_topic_threshold_rule})."
        )
    return (
        f"A comment is off-topic when its similarity is below {parameters.off_topic_threshold:g} "
        f"({parameters.off_topic_threshold_rule})."
    )


def method(parameters: Parameters) -> list[tuple[str, str]]:
    """The Method section's terms, for the measure and cut in use."""
    values = {
        "similarity": _similarity_text(parameters),
        "cut": _cut_text(parameters),
        "min_words": MIN_CONTENT_WORDS,
        "context": CONTEXT,
        "turn_cut": f"{parameters.turn_cut:g}",
        "turn_vectors": "on the sentence embeddings"
        if parameters.turn_vectors != "tfidf"
        else "on the TF-IDF word vectors",
        "k_low": AUTO_K_RANGE[0],
        "k_high": AUTO_K_RANGE[1],
        "seeds": STABILITY_SEEDS,
        "resamples": RESAMPLES,
        "splitter": SPLITTER,
        "positive": f"{POSITIVE_AT:g}",
        "negative": f"{NEGATIVE_AT:g}".replace("-", "\u2212"),
    }
    return [(term, text.format(**values)) for term, text in METHOD]


def limits(parameters: Parameters) -> list[str]:
    """Known limits, the first for the measure in use."""
    measure = (
        "TF-IDF compares words, not meaning: a comment that discusses the article in other words "
        "(or in another language) scores as less similar than it is, and a short reply "
        "('Agreed.') scores near zero whatever it refers to."
        if parameters.measure == "words"
        else "The embedding model compares meaning in English; it was trained on web text, not "
        "on comment sections, and a comment in another language or full of sarcasm may score "
        "far from a subject it is about. On forum answers labelled by people, short comments "
        "(10 words or fewer) were judged worst."
    )
    return [measure, *LIMITS]


LIMITS = [
    "Off-topic is a cut on that score: a pointer to comments worth reading, not a verdict; "
    "read the comments behind the figures (the README's 'How drift is measured' gives its "
    "agreement with people).",
    "Text dumps name only a reply's parent author, so a parent may be ambiguous; such replies are "
    "marked.",
    "VADER was built for social-media English; irony and sarcasm are scored at face value.",
    "Relative dates ('10 months ago') are as the page showed them when saved.",
]


def _with_interval(figure: Figure) -> str:
    if figure.value is None:
        return "undefined (the labels have one class only)"
    if figure.low is None or figure.high is None:
        return fmt(figure.value)
    return f"{fmt(figure.value)} (95% interval {fmt(figure.low)} to {fmt(figure.high)})"


def agreement(result: AgreementReport) -> list[str]:
    """The Method section's lines on the flag against the reader's labels."""
    pooled, c = result.pooled, result.pooled.confusion
    return [
        f"{pooled.comments:,} comments labelled by hand ({pooled.on_topic:,} on-topic); "
        f"intervals from {result.resamples:,} bootstrap resamples of {pooled.resampled}.",
        f"ROC AUC of the similarity against the labels: {_with_interval(pooled.auc)}.",
        f"The off-topic flag agrees with {c.flagged_off + c.kept_on:,} of {pooled.comments:,} "
        f"labels: accuracy {_with_interval(pooled.accuracy)}, against "
        f"{_with_interval(pooled.accuracy_flag_nothing)} for flagging nothing.",
        f"Cohen's kappa: {_with_interval(pooled.kappa)}.",
        f"Flagged {c.flagged_off:,} of {c.flagged_off + c.kept_off:,} comments labelled off-topic "
        f"and {c.flagged_on:,} of {c.flagged_on + c.kept_on:,} labelled on-topic.",
    ]
