"""Every discussion-level figure, computed once: per topic, per chain, for the whole page.

The report and the terminal views format what :func:`summarise` returns; they do no
statistics of their own. Reply depth is grouped one way everywhere: depths 0 to
``DEPTH_CAP - 1`` each on their own, and every depth from ``DEPTH_CAP`` on together.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import scipy.sparse as sp

from threads.analysis import drift, stats, topics
from threads.analysis.results import (
    ClusterSummary,
    CommentResult,
    DepthGroup,
    GroupMean,
    HistogramBin,
    Summary,
    ThreadSummary,
)
from threads.analysis.sentiment import SentimentScore
from threads.analysis.space import TextSpace
from threads.analysis.stats import rounded
from threads.models import Discussion

#: Depths from this one on form one group ("5+"): few comments sit that deep.
DEPTH_CAP = 5
#: Bins of the sentiment distribution over -1..1 (width 0.1), in the chart and its table.
SENTIMENT_BINS = 20


def depth_group(depth: int) -> int:
    """The group a reply depth belongs to (its depth, capped at ``DEPTH_CAP``)."""
    return min(depth, DEPTH_CAP)


def cluster_summaries(
    space: TextSpace,
    labels: np.ndarray,
    k: int,
    similarity: np.ndarray,
    off_topic: np.ndarray,
    scores: Sequence[SentimentScore],
    words: np.ndarray,
    discussion: Discussion,
    names: Mapping[int, str] | None = None,
) -> list[ClusterSummary]:
    """One row per cluster (``names``: the names given to topics, by number). Its similarity
    is the mean of its members' (a renormalised centre scores above every member), and it is
    off-topic when most of its members are."""
    vectors = space.comment_vectors_
    n = len(labels)
    if n == 0:
        return []
    terms = topics.class_tfidf_terms(space.comment_counts_, labels, space.vocabulary_, k)
    total_words = words.sum() or 1.0
    sentiments = np.array([s.sentence_mean for s in scores])
    summaries = []
    for number in range(k):
        members = np.flatnonzero(labels == number)
        block = vectors[members]
        centre = np.asarray(block.mean(axis=0)).ravel() if block.shape[1] else np.zeros(0)
        norm = np.linalg.norm(centre)
        closeness = np.asarray(block @ centre).ravel() if norm > 0 else np.zeros(len(members))
        representative = members[int(np.argmax(closeness))]  # ties: earliest comment
        flagged = int(off_topic[members].sum())
        summaries.append(
            ClusterSummary(
                number=number,
                terms=tuple(terms[number]),
                size=len(members),
                share_comments=rounded(len(members) / n),
                share_words=rounded(words[members].sum() / total_words),
                mean_sentiment=rounded(sentiments[members].mean()),
                article_similarity=rounded(similarity[members].mean()),
                off_topic=majority_off_topic(flagged, len(members)),
                representative_id=discussion.comments[representative].id,
                off_topic_comments=flagged,
                name=(names or {}).get(number),
            )
        )
    return summaries


def majority_off_topic(flagged: int, size: int) -> bool:
    """The cluster tag rule: off-topic when more than half of its members are flagged."""
    return flagged * 2 > size


def sweep_row(
    candidate: topics.Candidate,
    sample: sp.csr_matrix,
    off_topic: np.ndarray,
    seed: int,
) -> topics.SweepRow:
    """Silhouette, stability and the share of (sampled) comments in off-topic clusters (the
    same majority rule as the topic table; ``off_topic``: the sampled comments' flags)."""
    labels = np.asarray(candidate.labels, dtype=int)
    off_members = 0
    for number in range(int(labels.max()) + 1 if len(labels) else 0):
        members = labels == number
        if majority_off_topic(int(off_topic[members].sum()), int(members.sum())):
            off_members += int(members.sum())
    return topics.SweepRow(
        k=candidate.k,
        silhouette=None if candidate.silhouette is None else rounded(candidate.silhouette),
        stability=topics.stability(sample, candidate.k, seed),
        off_topic_share=rounded(off_members / len(labels)) if len(labels) else 0.0,
    )


def chains(discussion: Discussion, results: Sequence[CommentResult]) -> Iterable[drift.ChainDrift]:
    """Every root-to-leaf reply chain, in the order of ``Discussion.chains``, in time and
    memory linear in the comments: one walk carries each comment's chain length, and
    :func:`drift.departures` where each comment's chain left the subject (the chain's drift
    point, when it is a leaf)."""
    comments = discussion.comments
    position = {c.id: i for i, c in enumerate(comments)}
    parents = tuple(-1 if c.parent_id is None else position[c.parent_id] for c in comments)
    paths = drift.ChainPaths(
        parents,
        tuple(c.id for c in comments),
        tuple(r.article_similarity for r in results),
        tuple(r.parent_similarity for r in results),
    )
    left = drift.departures(parents, [r.turned for r in results], [r.off_topic for r in results])
    with_replies = set(parents)
    length = [0] * len(comments)
    for comment in discussion.walk():  # a parent before its replies
        i = position[comment.id]
        parent = parents[i]
        length[i] = 1 if parent < 0 else length[parent] + 1
        if i not in with_replies:
            start = left[i]
            yield drift.ChainDrift(i, length[i], paths.ids[start] if start >= 0 else None, paths)


def _mean(values: Sequence[float]) -> float | None:
    return rounded(float(np.mean(values))) if len(values) else None


def _histogram(values: Sequence[float]) -> tuple[HistogramBin, ...]:
    """Equal bins over -1..1; a score on an edge goes to the bin it starts (1.0 to the last).

    Bin numbers come from the score scaled to bin widths and rounded to 6 decimals first, so
    a score of exactly 0.2 is never lost to a float edge such as 0.20000000000000004.
    """
    width = 2 / SENTIMENT_BINS
    counts = [0] * SENTIMENT_BINS
    for value in values:
        index = math.floor(round((value + 1) / width, 6))
        counts[min(max(index, 0), SENTIMENT_BINS - 1)] += 1
    return tuple(
        HistogramBin(low=rounded(-1 + i * width), high=rounded(-1 + (i + 1) * width), comments=c)
        for i, c in enumerate(counts)
    )


def summarise(
    discussion: Discussion,
    results: Sequence[CommentResult],
    words: np.ndarray,
    clusters: Sequence[ClusterSummary],
    chain_drift: Sequence[drift.ChainDrift],
    seed: int = 0,
) -> Summary:
    """The discussion-level figures. Every field is always there; a mean or share over no
    comments is None (a discussion without comments has no off-topic share)."""
    comments = discussion.comments
    n = len(results)
    off = np.array([r.off_topic for r in results], dtype=bool)
    similarity = [r.article_similarity for r in results]
    sentiment = [r.sentiment for r in results]
    depths = [c.depth for c in comments]
    changes = [
        results[i].sentiment - results[discussion.index_of(c.parent_id)].sentiment
        for i, c in enumerate(comments)
        if c.parent_id is not None
    ]
    off_clusters = Counter(r.cluster for r in results if r.off_topic)

    groups: dict[int, list[int]] = {}
    for i, depth in enumerate(depths):
        groups.setdefault(depth_group(depth), []).append(i)
    depth_groups = tuple(
        DepthGroup(
            depth=group,
            label=f"{group}+" if group == DEPTH_CAP and max(depths) > DEPTH_CAP else str(group),
            comments=len(members),
            mean_similarity=rounded(float(np.mean([similarity[i] for i in members]))),
            mean_sentiment=rounded(float(np.mean([sentiment[i] for i in members]))),
        )
        for group, members in sorted(groups.items())
    )

    sentiment_groups = [
        GroupMean(f"topic {k.number}", k.size, k.mean_sentiment) for k in clusters if k.size
    ]
    sentiment_groups += [
        GroupMean(f"depth {g.label}", g.comments, g.mean_sentiment) for g in depth_groups
    ]
    for label, chosen in (("on-topic", ~off), ("off-topic", off)):
        values = [s for s, keep in zip(sentiment, chosen, strict=True) if keep]
        if values:
            sentiment_groups.append(GroupMean(label, len(values), rounded(float(np.mean(values)))))

    labels = Counter(r.sentiment_label for r in results)
    multi = [c for c in chain_drift if c.length > 1] or list(chain_drift)
    threads = []
    for thread in discussion.threads():
        members = [discussion.index_of(c.id) for c in thread]
        threads.append(
            ThreadSummary(thread[0].id, len(members), int(off[members].sum()) if n else 0)
        )
    authors = [c.author for c in comments if c.author]
    on = sum(1 for r in results if r.judgement == "on")
    judged = on + int(off.sum())
    return Summary(
        comments=n,
        off_topic_comments=int(off.sum()),
        too_short_comments=sum(1 for r in results if r.too_short),
        on_topic_comments=on,
        cant_tell_comments=n - judged,
        off_topic_share_judged=rounded(off.sum() / judged) if judged else None,
        off_topic_share_judged_interval=stats.wilson(int(off.sum()), judged),
        off_topic_share_comments=rounded(off.mean()) if n else None,
        off_topic_share_words=rounded(words[off].sum() / (words.sum() or 1.0)) if n else None,
        similarity_by_depth={g.label: g.mean_similarity for g in depth_groups},
        similarity_by_position=drift.position_bins(similarity),
        off_topic_by_cluster={str(k): v for k, v in sorted(off_clusters.items())},
        sentiment_mean=_mean(sentiment),
        sentiment_by_cluster={str(c.number): c.mean_sentiment for c in clusters},
        sentiment_by_depth={g.label: g.mean_sentiment for g in depth_groups},
        sentiment_on_topic=_mean([r.sentiment for r in results if not r.off_topic]),
        sentiment_off_topic=_mean([r.sentiment for r in results if r.off_topic]),
        sentiment_change_parent_to_reply=_mean(changes),
        threads=len(discussion.roots()),
        commenters=len(set(authors)),
        anonymous_comments=n - len(authors),
        deepest_reply=max(depths, default=0),
        truncated_ids=tuple(c.id for c in comments if c.truncated),
        orphan_ids=tuple(c.id for c in comments if c.parent_status == "orphan"),
        ambiguous_replies=sum(1 for c in comments if c.parent_status == "ambiguous"),
        depth_groups=depth_groups,
        off_topic_clusters=tuple(off_clusters.most_common()),
        sentiment_labels={name: labels[name] for name in ("positive", "negative", "neutral")},
        sentiment_histogram=_histogram(sentiment),
        sentiment_groups=tuple(sentiment_groups),
        drift_points=frozenset(c.drift_point for c in chain_drift if c.drift_point),
        chain_drift_points=frozenset(c.drift_point for c in multi if c.drift_point),
        thread_summaries=tuple(threads),
        **_comparisons(discussion, results, words, seed),
    )


def _comparisons(
    discussion: Discussion, results: Sequence[CommentResult], words: np.ndarray, seed: int
) -> dict[str, stats.Comparison | None]:
    """The findings' comparisons, each with its group sizes and a seeded bootstrap interval."""
    pairs = [
        (i, discussion.index_of(c.parent_id))
        for i, c in enumerate(discussion.comments)
        if c.parent_id is not None
    ]
    similarity = [r.article_similarity for r in results]
    return {
        "sentiment_off_vs_on": stats.compare_groups(
            [r.sentiment for r in results if r.off_topic],
            [r.sentiment for r in results if not r.off_topic],
            seed,
        ),
        "similarity_reply_vs_parent": stats.compare_pairs(
            [similarity[i] for i, _ in pairs], [similarity[p] for _, p in pairs], seed
        ),
        "words_reply_vs_parent": stats.compare_pairs(
            [float(words[i]) for i, _ in pairs], [float(words[p]) for _, p in pairs], seed
        ),
    }
