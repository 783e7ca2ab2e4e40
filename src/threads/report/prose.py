"""The report's sentences: notices, findings, the K choice, the method and its limits.

Every number comes from the analysis (:class:`~threads.analysis.results.Summary` and the
parameters) or from the constants that set it; nothing here computes over comments.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from threads.analysis.options import AUTO_K_RANGE, STABILITY_SEEDS
from threads.analysis.sentiment import NEGATIVE_AT, POSITIVE_AT, SPLITTER
from threads.report.format import fmt, pct, signed

if TYPE_CHECKING:
    from threads.analysis import Analysis
    from threads.analysis.agreement import AgreementReport, Figure
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
    if analysis.parameters.reference == "discussion" and summary.comments:
        found.append(
            "This page has no article text, so similarity is measured against the discussion "
            "as a whole (the mean of all comments) instead of an article: 'off-topic' here "
            "means far from what the discussion as a whole talks about."
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


def findings(analysis: Analysis, cluster_label: dict[int, str]) -> list[str]:
    summary = analysis.summary
    n = summary.comments
    if n == 0:
        return ["The page has no comments, so there is no discussion to measure."]
    threshold = analysis.parameters.off_topic_threshold
    off = summary.off_topic_comments
    sentences = [
        f"{off} of {n} comments ({pct(off / n)}), holding "
        f"{pct(summary.off_topic_share_words or 0.0)} of the words, left the article's subject "
        f"(similarity to the article below {threshold:.2f})."
    ]
    groups = summary.depth_groups
    if len(groups) > 1:
        parts = [
            f"{_DEPTH_NAMES.get(g.depth, f'replies at depth {g.label}')} {g.mean_similarity:.2f}"
            for g in groups
        ]
        trend = (
            "Replies strayed further from the article than the comments they answered"
            if groups[-1].mean_similarity < groups[0].mean_similarity
            else "Replies stayed as close to the article as top-level comments"
        )
        sentences.append(f"{trend}: mean similarity {', '.join(parts)}.")
    digressions = summary.digressions
    if digressions:
        first = digressions[0]
        comment = analysis.discussion.get(first.start_id)
        sentences.append(
            f"The largest digression started at comment #{first.start_id} by "
            f"{comment.author or 'an anonymous commenter'}: from there, {first.comments} comment"
            f"{'s' if first.comments != 1 else ''} stayed off the subject, turning to "
            f"topic {cluster_label[first.cluster]}."
        )
        if len(digressions) > 1:
            others = ", ".join(f"#{d.start_id} ({d.comments})" for d in digressions[1:4])
            sentences.append(f"Other digressions began at {others}.")
    if summary.off_topic_clusters:
        named = " and ".join(
            f"topic {cluster_label[c]} ({k})" for c, k in summary.off_topic_clusters[:2]
        )
        sentences.append(f"Off-topic comments went mostly to {named}.")
    on_mean, off_mean = summary.sentiment_on_topic, summary.sentiment_off_topic
    if on_mean is not None and off_mean is not None:
        mood = "more negative" if off_mean < on_mean else "more positive"
        if abs(off_mean - on_mean) < 0.05:
            mood = "about as positive or negative as on-topic ones"
        mood = mood if mood.endswith("ones") else f"{mood} than on-topic ones"
        sentences.append(
            f"Off-topic comments were {mood} (mean sentiment "
            f"{signed(off_mean)} against {signed(on_mean)})."
        )
    return sentences


def k_choice(analysis: Analysis) -> str:
    k = analysis.parameters.clusters
    if not analysis.clusters:
        return "no comments, so no topics"
    chosen = [s for s in analysis.k_scores if s.k == k]
    if chosen:
        silhouette = chosen[0].silhouette
        return f"K = {k}, chosen automatically: the best silhouette score, {silhouette:.3f}"
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
    ("One vector space",
     "The article's title and paragraphs and every comment are turned into TF-IDF word vectors "
     "in one shared vocabulary (scikit-learn TfidfVectorizer: English stop words removed, "
     "sublinear term frequency, typographic quotes normalised). The same vectors serve the "
     "topic clusters and every similarity."),
    ("Similarity to the article",
     "Cosine similarity between a comment's vector and the article's, from 0 (no words in "
     "common) to 1. To the parent and to the top-level comment likewise."),
    ("Off-topic",
     "A comment is off-topic when its similarity to the article is below {threshold:.3f} (see "
     "the parameters for how that threshold was set; it can be given instead). A chain's drift "
     "point is the first comment from which every later comment in the chain is off-topic."),
    ("Topic clusters",
     "k-means over the comment vectors (seeded, so reruns agree). Unless K is given, it is "
     "chosen by the best cosine silhouette score from {k_low} to {k_high}. Each cluster is "
     "labelled by its most distinctive terms (class-based TF-IDF) and represented by the comment "
     "closest to its centre. Stability is the mean adjusted Rand index between runs with "
     "{seeds} seeds."),
    ("Sentiment",
     "VADER compound score of each sentence (split with {splitter}), averaged per comment; "
     "positive at {positive} or above, negative at {negative} or below, neutral between."),
]  # fmt: skip


def method(threshold: float) -> list[tuple[str, str]]:
    values = {
        "threshold": threshold,
        "k_low": AUTO_K_RANGE[0],
        "k_high": AUTO_K_RANGE[1],
        "seeds": STABILITY_SEEDS,
        "splitter": SPLITTER,
        "positive": f"{POSITIVE_AT:g}",
        "negative": f"{NEGATIVE_AT:g}".replace("-", "\u2212"),
    }
    return [(term, text.format(**values)) for term, text in METHOD]


LIMITS = [
    "TF-IDF compares words, not meaning: a comment that discusses the article in other words "
    "(or in another language) scores as less similar than it is, and a short reply ('Agreed.') "
    "scores near zero whatever it refers to.",
    "Off-topic is a threshold on that score, a useful flag rather than a verdict; read the "
    "comments behind the figures.",
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
        "ROC AUC of the similarity to the article against the labels: "
        f"{_with_interval(pooled.auc)}.",
        f"The off-topic flag agrees with {c.flagged_off + c.kept_on:,} of {pooled.comments:,} "
        f"labels: accuracy {_with_interval(pooled.accuracy)}, against "
        f"{_with_interval(pooled.accuracy_flag_nothing)} for flagging nothing.",
        f"Cohen's kappa: {_with_interval(pooled.kappa)}.",
        f"Flagged {c.flagged_off:,} of {c.flagged_off + c.kept_off:,} comments labelled off-topic "
        f"and {c.flagged_on:,} of {c.flagged_on + c.kept_on:,} labelled on-topic.",
    ]
