"""What the report says about its own ground: the notices above the figures (what the page
gave to measure against, repairs of its reply tree) and the Method section (how each figure
was measured, its limits, and its agreement with the reader's labels).

Every number comes from the analysis's parameters and summary or from the constants that set
it; nothing here computes over comments. The findings' sentences are in :mod:`.prose`.
"""

from __future__ import annotations

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
from threads.report.format import fmt

if TYPE_CHECKING:
    from threads.analysis import Analysis
    from threads.analysis.agreement import AgreementReport, Figure
    from threads.analysis.results import Parameters
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
