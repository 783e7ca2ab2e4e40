"""``threads.analyze``: topics, sentiment and drift for a discussion.

One :class:`~threads.analysis.space.TextSpace` is fitted over the article and the comments;
the clusters (:mod:`~threads.analysis.topics`) and every similarity
(:mod:`~threads.analysis.drift`) use it. Sentiment comes from :mod:`~threads.analysis.sentiment`. All figures are rounded to six decimals, so
the same input and options give byte-identical outputs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager, ExitStack, nullcontext
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import scipy.sparse as sp

from threads.analysis import drift, topics
from threads.analysis.sentiment import Scoring, SentimentLabel, label_for
from threads.analysis.space import TextSpace
from threads.models import Discussion
from threads.workers import Workers, workers_for

if TYPE_CHECKING:
    import pandas as pd

ROUND = 6
ANALYSIS_FIELDS = [
    "cluster",
    "cluster_terms",
    "sentiment",
    "sentiment_whole",
    "sentiment_label",
    "article_similarity",
    "parent_similarity",
    "root_similarity",
    "off_topic",
]


@dataclass(frozen=True)
class CommentResult:
    """The figures for one comment (``Analysis.comments[i]`` is ``discussion.comments[i]``)."""

    id: str  # the comment's id, as in the parse record
    cluster: int  # topic cluster number (0 = largest)
    cluster_terms: tuple[str, ...]  # that cluster's distinctive terms
    sentiment: float  # mean VADER compound over the comment's sentences, -1..1
    sentiment_whole: float  # VADER compound of the whole text at once
    sentiment_label: SentimentLabel  # positive >= 0.05, negative <= -0.05, else neutral
    article_similarity: float  # cosine to the article, 0..1
    parent_similarity: float | None  # cosine to the comment replied to (None at top level)
    root_similarity: float | None  # cosine to the thread's top-level comment
    off_topic: bool  # article_similarity below the off-topic threshold

    def fields(self) -> dict[str, Any]:
        data = {name: getattr(self, name) for name in ANALYSIS_FIELDS}
        data["cluster_terms"] = list(self.cluster_terms)
        return data


@dataclass(frozen=True)
class ClusterSummary:
    """One topic cluster."""

    number: int  # 0 = largest; ties: the cluster whose first comment comes first
    terms: tuple[str, ...]  # most distinctive terms (class-based TF-IDF)
    size: int  # comments in the cluster
    share_comments: float  # size over all comments, 0..1
    share_words: float  # the cluster's words over all comments' words, 0..1
    mean_sentiment: float  # mean of its comments' ``sentiment``
    article_similarity: float  # cosine of the cluster centre to the article
    off_topic: bool  # centre below the off-topic threshold
    representative_id: str  # the comment closest to the centre

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["terms"] = list(self.terms)
        return data


@dataclass(frozen=True)
class Analysis:
    """Everything threads measured about one discussion. Floats are rounded to 6 decimals,
    so the same input and options give byte-identical output."""

    discussion: Discussion  # what was analysed
    parameters: dict[str, Any]  # every setting: K, seed, threshold, vectorizer, versions...
    comments: tuple[CommentResult, ...]  # aligned with discussion.comments
    clusters: tuple[ClusterSummary, ...]  # largest first
    k_scores: tuple[topics.KScore, ...]  # silhouette per K when K was chosen automatically
    chains: tuple[drift.ChainDrift, ...]  # every root-to-leaf reply chain
    summary: dict[str, Any]  # discussion-level figures (see README)
    sweep: tuple[topics.SweepRow, ...] = ()  # per K, when asked for (``sweep_ks``)

    def records(self) -> list[dict[str, Any]]:
        """Each comment's parse record followed by its analysis fields."""
        return [
            {**comment.to_dict(), **result.fields()}
            for comment, result in zip(self.discussion.comments, self.comments, strict=True)
        ]

    def to_frame(self) -> pd.DataFrame:
        import pandas as pd

        from threads.models import COMMENT_COLUMNS

        frame = pd.DataFrame.from_records(self.records(), columns=COMMENT_COLUMNS + ANALYSIS_FIELDS)
        return frame.set_index("id", drop=False)

    def clusters_frame(self) -> pd.DataFrame:
        import pandas as pd

        rows = [c.to_dict() for c in self.clusters]
        columns = list(ClusterSummary.__dataclass_fields__)
        return pd.DataFrame.from_records(rows, columns=columns).set_index("number", drop=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "parameters": self.parameters,
            "clusters": [c.to_dict() for c in self.clusters],
            "k_scores": [asdict(s) for s in self.k_scores],
            "sweep": [asdict(row) for row in self.sweep],
            "summary": self.summary,
            "chains": [c.to_dict() for c in self.chains],
        }


def _r(value: float) -> float:
    return round(float(value), ROUND)


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for package in ("scikit-learn", "vaderSentiment", "blingfire", "numpy"):
        try:
            found[package] = version(package)
        except PackageNotFoundError:  # pragma: no cover - installed with threads
            found[package] = "unknown"
    return found


def distinct_texts(discussion: Discussion) -> int:
    return len({c.text for c in discussion.comments})


def analyze(
    discussion: Discussion,
    clusters: int | None = None,
    seed: int = 0,
    off_topic_threshold: float | None = None,
    space: TextSpace | None = None,
    sweep_ks: Iterable[int] = (),
    workers: Workers | None = None,
) -> Analysis:
    """Cluster, score and measure drift; ``clusters=None`` chooses K by silhouette.

    ``sweep_ks`` also compares those K (silhouette, stability, off-topic share), reusing the
    fits made to choose K. ``workers`` score sentiment in other processes (by default, worker
    processes are started for long discussions only).
    """
    comments = discussion.comments
    n = len(comments)
    n_distinct = distinct_texts(discussion)
    # Bad options fail here, before any vector or score is computed.
    topics.check_seed(seed)
    if clusters is not None:
        topics.check_k(clusters, n_distinct)
    if off_topic_threshold is not None:
        drift.check_threshold(off_topic_threshold)

    # Sentiment is the biggest cost: worker processes score on the other cores while the
    # vectors, clusters and the K sweep are computed here on one.
    with ExitStack() as stack:
        if workers is None:
            workers = stack.enter_context(workers_for(n))
        scoring = Scoring([c.text for c in comments], workers)
        stack.enter_context(_one_core_if(scoring.parallel))
        space = (space or TextSpace()).fit(
            [p for p in (discussion.article.title, *discussion.article.paragraphs) if p],
            [c.text for c in comments],
        )
        vectors = space.comment_vectors_
        threshold = (
            off_topic_threshold
            if off_topic_threshold is not None
            else drift.default_threshold(space.reference_similarities_)
        )
        model = topics.TopicModel(clusters, random_state=seed, sweep_ks=sweep_ks).fit(
            vectors, n_distinct
        )
        labels, k_found = model.labels_, model.n_clusters_
        sample = vectors[model.sample_rows_]

        similarity = np.round(space.similarity_to_reference(), ROUND)
        off_topic = similarity < threshold
        index = {c.id: i for i, c in enumerate(comments)}
        replies = np.array(
            [i for i, c in enumerate(comments) if c.parent_id is not None], dtype=int
        )
        parents = np.array([index[str(comments[i].parent_id)] for i in replies], dtype=int)
        roots = np.array([index[discussion.root_of(comments[i].id).id] for i in replies], dtype=int)
        to_parent = dict(
            zip(replies.tolist(), space.pair_similarity(replies, parents), strict=True)
        )
        to_root = dict(zip(replies.tolist(), space.pair_similarity(replies, roots), strict=True))

        sweep = tuple(
            _sweep_row(model.candidates_[k], sample, space.reference_.ravel(), threshold, seed)
            for k in model.sweep_ks_
        )
        scores = scoring.result()
    words = np.array([len(c.text.split()) for c in comments], dtype=float)
    cluster_rows = _cluster_summaries(
        space, vectors, labels, k_found, similarity, threshold, scores, words, discussion
    )
    terms = {row.number: row.terms for row in cluster_rows}

    results = tuple(
        CommentResult(
            id=c.id,
            cluster=int(labels[i]),
            cluster_terms=terms[int(labels[i])],
            sentiment=_r(scores[i].sentence_mean),
            sentiment_whole=_r(scores[i].whole),
            sentiment_label=label_for(_r(scores[i].sentence_mean)),
            article_similarity=float(similarity[i]),
            parent_similarity=_r(to_parent[i]) if i in to_parent else None,
            root_similarity=_r(to_root[i]) if i in to_root else None,
            off_topic=bool(off_topic[i]),
        )
        for i, c in enumerate(comments)
    )
    chains = tuple(_chains(discussion, results, index))
    parameters = {
        "clusters": k_found,
        "clusters_requested": clusters,
        "clusters_chosen_automatically": clusters is None,
        "seed": seed,
        "off_topic_threshold": _r(threshold),
        "off_topic_threshold_rule": (
            "given"
            if off_topic_threshold is not None
            else f"{drift.OFF_TOPIC_FRACTION} x median similarity of the "
            f"{'article paragraphs' if space.reference_kind_ == 'article' else 'comments'} "
            f"to the {space.reference_kind_}"
        ),
        "reference": space.reference_kind_,
        "vectorizer": space.settings(),
        "vocabulary_size": len(space.vocabulary_),
        "kmeans": "MiniBatchKMeans" if n > topics.MINIBATCH_FROM else "KMeans",
        "kmeans_n_init": topics.MINIBATCH_N_INIT if n > topics.MINIBATCH_FROM else topics.N_INIT,
        "kmeans_max_iter": topics.MAX_ITER,
        "silhouette_sample": min(n, topics.SAMPLE_SIZE),
        "versions": _versions(),
    }
    return Analysis(
        discussion=discussion,
        parameters=parameters,
        comments=results,
        clusters=tuple(cluster_rows),
        k_scores=tuple(model.k_scores_),
        chains=chains,
        summary=_summary(discussion, results, words, cluster_rows),
        sweep=sweep,
    )


def _one_core_if(limit: bool) -> AbstractContextManager[object]:
    """Keep scikit-learn's OpenMP and BLAS threads to one core (others are busy)."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1) if limit else nullcontext()


def _sweep_row(
    candidate: topics.Candidate,
    sample: sp.csr_matrix,
    reference: np.ndarray,
    threshold: float,
    seed: int,
) -> topics.SweepRow:
    """Silhouette, stability and the share of (sampled) comments in off-topic clusters."""
    labels = candidate.labels
    off_members = 0
    for number in range(int(labels.max()) + 1 if len(labels) else 0):
        members = labels == number
        centre = np.asarray(sample[members].mean(axis=0)).ravel()
        norm = np.linalg.norm(centre)
        value = float(centre @ reference / norm) if norm > 0 else 0.0
        if round(value, ROUND) < threshold:
            off_members += int(members.sum())
    return topics.SweepRow(
        k=candidate.k,
        silhouette=None if candidate.silhouette is None else _r(candidate.silhouette),
        stability=topics.stability(sample, candidate.k, seed),
        off_topic_share=_r(off_members / len(labels)) if len(labels) else 0.0,
    )


def _cluster_summaries(
    space: TextSpace,
    vectors: sp.csr_matrix,
    labels: np.ndarray,
    k: int,
    similarity: np.ndarray,
    threshold: float,
    scores: Sequence[Any],
    words: np.ndarray,
    discussion: Discussion,
) -> list[ClusterSummary]:
    n = len(labels)
    if n == 0:
        return []
    counts = space.comment_counts_
    terms = topics.class_tfidf_terms(counts, labels, space.vocabulary_, k)
    total_words = words.sum() or 1.0
    sentiments = np.array([s.sentence_mean for s in scores])
    summaries = []
    for number in range(k):
        members = np.flatnonzero(labels == number)
        block = vectors[members]
        centre = np.asarray(block.mean(axis=0)).ravel() if block.shape[1] else np.zeros(0)
        norm = np.linalg.norm(centre)
        centre_similarity = (
            float(np.clip(centre @ space.reference_.ravel() / norm, 0, 1)) if norm > 0 else 0.0
        )
        closeness = np.asarray(block @ centre).ravel() if norm > 0 else np.zeros(len(members))
        representative = members[int(np.argmax(closeness))]  # ties: earliest comment
        summaries.append(
            ClusterSummary(
                number=number,
                terms=tuple(terms[number]),
                size=len(members),
                share_comments=_r(len(members) / n),
                share_words=_r(words[members].sum() / total_words),
                mean_sentiment=_r(sentiments[members].mean()),
                article_similarity=_r(centre_similarity),
                off_topic=_r(centre_similarity) < threshold,
                representative_id=discussion.comments[representative].id,
            )
        )
    return summaries


def _chains(
    discussion: Discussion, results: Sequence[CommentResult], index: dict[str, int]
) -> Iterable[drift.ChainDrift]:
    for chain in discussion.chains():
        rows = [results[index[c.id]] for c in chain]
        ids = tuple(c.id for c in chain)
        yield drift.ChainDrift(
            ids=ids,
            article_similarities=tuple(r.article_similarity for r in rows),
            parent_similarities=tuple(r.parent_similarity for r in rows),
            drift_point=drift.drift_point(ids, [r.off_topic for r in rows]),
        )


def _summary(
    discussion: Discussion,
    results: Sequence[CommentResult],
    words: np.ndarray,
    clusters: Sequence[ClusterSummary],
) -> dict[str, Any]:
    """The discussion-level figures. Every key is always there; a mean or share over no
    comments is None (a discussion without comments has no off-topic share)."""
    n = len(results)
    off = np.array([r.off_topic for r in results], dtype=bool)
    similarity = [r.article_similarity for r in results]
    sentiment = [r.sentiment for r in results]
    depths = [c.depth for c in discussion.comments]
    by_id = {r.id: r for r in results}
    changes = [
        by_id[c.id].sentiment - by_id[c.parent_id].sentiment
        for c in discussion.comments
        if c.parent_id is not None
    ]
    off_clusters: dict[int, int] = {}
    for r in results:
        if r.off_topic:
            off_clusters[r.cluster] = off_clusters.get(r.cluster, 0) + 1

    def mean(values: Sequence[float]) -> float | None:
        return _r(float(np.mean(values))) if len(values) else None

    return {
        "comments": n,
        "off_topic_comments": int(off.sum()),
        "off_topic_share_comments": _r(off.mean()) if n else None,
        "off_topic_share_words": _r(words[off].sum() / (words.sum() or 1.0)) if n else None,
        "similarity_by_depth": {str(k): v for k, v in drift.means_by(depths, similarity).items()},
        "similarity_by_position": drift.position_bins(similarity),
        "off_topic_by_cluster": {str(k): v for k, v in sorted(off_clusters.items())},
        "sentiment_mean": mean(sentiment),
        "sentiment_by_cluster": {str(c.number): c.mean_sentiment for c in clusters},
        "sentiment_by_depth": {str(k): v for k, v in drift.means_by(depths, sentiment).items()},
        "sentiment_on_topic": mean([r.sentiment for r in results if not r.off_topic]),
        "sentiment_off_topic": mean([r.sentiment for r in results if r.off_topic]),
        "sentiment_change_parent_to_reply": mean(changes),
    }


def sweep(
    discussion: Discussion,
    ks: Iterable[int],
    seed: int = 0,
    off_topic_threshold: float | None = None,
) -> list[topics.SweepRow]:
    """Per K: silhouette, stability across seeds and share in off-topic clusters.

    K outside 1..distinct texts are left out. Beyond ``topics.SAMPLE_SIZE`` comments, computed
    on a fixed sample of that size.
    """
    return list(analyze(discussion, None, seed, off_topic_threshold, sweep_ks=list(ks)).sweep)
