"""The analysis of one discussion: every stage in order (see :mod:`threads.analysis`).

One :class:`~threads.analysis.space.TextSpace` is fitted over the article and the comments;
the clusters (:mod:`~threads.analysis.topics`) and every similarity
(:mod:`~threads.analysis.drift`) use it. Sentiment comes from
:mod:`~threads.analysis.sentiment`; every discussion-level figure from
:mod:`~threads.analysis.summary`. The records are in :mod:`~threads.analysis.results`.
All figures are rounded to six decimals, so the same input and options give byte-identical
outputs.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager, nullcontext
from typing import Any

import numpy as np

from threads import __version__
from threads.analysis import drift, k_panel, summary, topics
from threads.analysis import threads as thread_records
from threads.analysis.embeddings import DEFAULT_MODEL
from threads.analysis.options import (
    MIN_CONTENT_WORDS,
    AnalysisOptions,
    check_merge,
    check_sweep,
    check_topic_names,
)
from threads.analysis.relevance import judge, passages
from threads.analysis.results import (
    Analysis,
    CommentResult,
    Parameters,
)
from threads.analysis.sentiment import Scoring, label_for
from threads.analysis.space import TextSpace
from threads.analysis.stats import rounded
from threads.models import Discussion
from threads.pools import one_thread
from threads.workers import Progress, pool_for


@functools.cache  # reading package metadata costs ~3 ms, paid once per process
def _installed_versions() -> tuple[tuple[str, str], ...]:
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for package in ("scikit-learn", "vaderSentiment", "sentencex", "numpy", "snowballstemmer"):
        try:
            found[package] = version(package)
        except PackageNotFoundError:  # pragma: no cover - installed with threads
            found[package] = "unknown"
    return tuple(found.items())


def _versions() -> dict[str, str]:
    return dict(_installed_versions())


def library_versions() -> dict[str, str]:
    """Versions of the libraries whose output the figures depend on (threads first)."""
    return {"threads": __version__, **_versions()}


def distinct_texts(discussion: Discussion) -> int:
    """How many different comment texts there are: the most clusters k-means can form."""
    return len({c.text for c in discussion.comments})


def analyze(
    discussion: Discussion,
    options: AnalysisOptions | None = None,
    *,
    space: TextSpace | None = None,
    progress: Progress | None = None,
    **parameters: Any,
) -> Analysis:
    """Cluster, score and measure drift, as ``options`` say (see
    :class:`~threads.analysis.options.AnalysisOptions`); ``parameters`` (``clusters=4``,
    ``seed=1`` ...) make the options, or change those given.

    Without ``clusters``, K is chosen by silhouette. ``sweep_ks`` also compares those K
    (silhouette, stability, off-topic share), reusing the fits made to choose K. ``merge``
    makes each group of topics (numbered as clustered) one topic, then renumbers them largest
    first; ``topic_names`` names topics by their number after merging. Long discussions are
    scored by worker processes (:func:`threads.workers.config_context` decides how many);
    ``progress(stage, done, total)`` hears how many comments are scored ("scoring
    sentiment") as chunks complete. ``whole_sentiment`` also scores each text at once
    (``sentiment_whole``; None otherwise): VADER again on every text of more than one
    sentence, about half the sentiment cost again. ``k_across_seeds`` also makes the
    automatic choice of K with four more seeds (``k_by_seed``, which the report and
    ``threads clusters`` show; no figure in the JSON depends on it): four more automatic
    choices, most of the cost of a small page. ``embeddings`` names a model2vec or
    sentence-transformers model (hub name or folder) to measure meaning with instead of the
    bundled all-MiniLM-L6-v2; ``lexical`` measures shared words instead of meaning (see
    :mod:`threads.analysis.relevance`). ``space`` (unfitted) is fitted in place, so a caller
    can read the page's term counts afterwards.
    """
    if options is None:
        options = AnalysisOptions(**parameters)
    elif parameters:
        options = options.replace(**parameters)
    clusters, seed = options.clusters, options.seed
    off_topic_threshold, whole_sentiment = options.off_topic_threshold, options.whole_sentiment
    embeddings = options.embeddings
    comments = discussion.comments
    n = len(comments)
    n_distinct = distinct_texts(discussion)
    embedder = options.embedder()
    parent_rows = [
        None if c.parent_id is None else discussion.index_of(c.parent_id) for c in comments
    ]

    # Sentiment is the biggest cost: worker processes score on the other cores while the
    # vectors, clusters and the K sweep are computed here on one.
    with pool_for(n):
        scoring = Scoring([c.text for c in comments], whole_sentiment)
        if progress is not None:
            progress(Scoring.STAGE, 0, n)
        with _one_core_if(scoring.parallel or n < ONE_THREAD_BELOW):
            space = text_space(discussion, space)
            article = passages(discussion.article.title or "", discussion.article.paragraphs)
            vectors = None
            if embedder is not None:  # every text once: the article's passages and comments
                found = embedder.encode([*article, *(c.text for c in comments)])
                vectors = (found[len(article) :], found[: len(article)])
            relevance = judge(
                space,
                parent_rows,
                bool(discussion.article.paragraphs),
                off_topic_threshold,
                vectors,
                embeddings,
            )
            threshold = relevance.threshold
            model = topics.TopicModel(clusters, random_state=seed).fit(
                space.comment_vectors_, n_distinct
            )
            labels, k_found = model.labels_, model.n_clusters_
            groups = check_merge(options.merge, k_found)
            if groups:
                labels = topics.merged(labels, groups)
                k_found -= sum(len(g) - 1 for g in groups)
            names = check_topic_names(options.names(), k_found)

            similarity, off_topic = relevance.score, relevance.off_topic
            replies = np.array(
                [i for i, c in enumerate(comments) if c.parent_id is not None], dtype=int
            )
            parents = np.array(
                [discussion.index_of(str(comments[i].parent_id)) for i in replies], dtype=int
            )
            roots = np.array(
                [discussion.index_of(discussion.root_of(comments[i].id).id) for i in replies],
                dtype=int,
            )
            pair = space.pair_similarity if vectors is None else _pair_cosine(vectors[0])
            to_parent = dict(zip(replies.tolist(), pair(replies, parents), strict=True))
            to_root = dict(zip(replies.tolist(), pair(replies, roots), strict=True))
            # Turns are measured on the bundled model's vectors (the scale their cut was
            # chosen on); with words, or a model no cut was chosen for, on TF-IDF rows.
            turn_scale = "all-MiniLM-L6-v2" if _bundled(embedder) else "tfidf"
            turns = drift.find_turns(
                space.comment_vectors_ if vectors is None or turn_scale == "tfidf" else vectors[0],
                [-1 if p is None else p for p in parent_rows],
                drift.TURN_CUTS[turn_scale],
                # A reply of few words ("Agreed.") says too little to turn anywhere.
                judged=np.diff(space.comment_counts_.indptr) >= MIN_CONTENT_WORDS,
            )
            fits = tuple(model.candidates_.values())
            panel = k_panel.k_figures(
                space.comment_vectors_,
                fits,
                off_topic,
                seed,
                clusters,
                n_distinct,
                options.sweep_ks,
                options.k_across_seeds,
            )
        scores = scoring.result(progress)
    words = np.array([len(c.text.split()) for c in comments], dtype=float)
    cluster_rows = summary.cluster_summaries(
        space, labels, k_found, similarity, off_topic, scores, words, discussion, names
    )
    terms = {row.number: row.terms for row in cluster_rows}

    results = tuple(
        CommentResult(
            id=c.id,
            cluster=int(labels[i]),
            cluster_terms=terms[int(labels[i])],
            sentiment=rounded(scores[i].sentence_mean),
            sentiment_whole=_rounded_or_none(scores[i].whole),
            sentiment_label=label_for(rounded(scores[i].sentence_mean)),
            article_similarity=float(similarity[i]),
            parent_similarity=rounded(to_parent[i]) if i in to_parent else None,
            root_similarity=rounded(to_root[i]) if i in to_root else None,
            thread_similarity=None if c.parent_id is None else float(turns.to_thread[i]),
            turned=bool(turns.turned[i]),
            off_topic=bool(off_topic[i]),
            judgement=relevance.judgement[i],
            too_short=bool(relevance.too_short[i]),
            judged_with_parent=bool(relevance.with_parent[i]),
            cluster_name=names.get(int(labels[i])),
        )
        for i, c in enumerate(comments)
    )
    chains = tuple(summary.chains(discussion, results))
    minibatch = n > topics.MINIBATCH_FROM
    recorded = Parameters(
        clusters=model.n_clusters_,
        clusters_requested=clusters,
        clusters_chosen_automatically=clusters is None,
        seed=seed,
        off_topic_threshold=rounded(threshold),
        off_topic_threshold_rule=relevance.rule,
        off_topic_band=relevance.band,
        measure="words" if embedder is None else "meaning",
        embedding_model=None if embedder is None else embedder.name,
        embedding_library=None if embedder is None else embedder.library,
        embedding_sha256=None if embedder is None else embedder.sha256,
        reference_thin=relevance.reference_thin,
        reference=relevance.reference_kind,
        reference_words=relevance.reference_words,
        turn_vectors=turn_scale,
        turn_cut=turns.cut,
        vectorizer=space.settings(),
        vocabulary_size=len(space.vocabulary_),
        kmeans="MiniBatchKMeans" if minibatch else "KMeans",
        kmeans_n_init=topics.MINIBATCH_N_INIT if minibatch else topics.N_INIT,
        kmeans_max_iter=topics.MAX_ITER,
        silhouette_sample=min(n, topics.SAMPLE_SIZE),
        versions=_versions() | ({} if embedder is None else embedder.versions()),
        merge=tuple(tuple(sorted(g)) for g in groups),
        topic_names=names,
        whole_sentiment=whole_sentiment,
    )
    return Analysis(
        discussion=discussion,
        parameters=recorded,
        comments=results,
        clusters=tuple(cluster_rows),
        k_scores=tuple(model.k_scores_),
        chains=chains,
        summary=summary.summarise(discussion, results, words, cluster_rows, chains, seed),
        sweep=panel.sweep,
        digest=thread_records.digest(
            discussion,
            results,
            cluster_rows,
            space.comment_counts_,
            space.comment_vectors_,
            space.vocabulary_,
        ),
        k_by_seed=panel.k_by_seed,
        k_fits=fits,
    )


def text_space(discussion: Discussion, space: TextSpace | None = None) -> TextSpace:
    """The TF-IDF space :func:`analyze` fits over the article and the comments (``space``,
    unfitted, is fitted in place). A function of the discussion alone: fitted again, it
    gives the same vectors."""
    return (space or TextSpace()).fit(
        [p for p in (discussion.article.title, *discussion.article.paragraphs) if p],
        [c.text for c in discussion.comments],
        [c.truncated for c in discussion.comments],
    )


def with_k_figures(
    analysis: Analysis,
    sweep_ks: Iterable[int] = (),
    k_across_seeds: bool = False,
    *,
    space: TextSpace | None = None,
) -> Analysis:
    """``analysis`` with the K panel's figures that :func:`analyze` computes with these
    ``sweep_ks`` and ``k_across_seeds`` (``sweep`` and ``k_by_seed``), the same figures:
    :func:`~threads.analysis.k_panel.k_figures` on the analysis's own K fits, off-topic
    flags and TF-IDF space (``space``, as :func:`analyze` fitted it, or fitted again from the
    discussion). Nothing else is computed again: no embedding, no sentiment."""
    discussion = analysis.discussion
    ks = check_sweep(sweep_ks)
    parameters = analysis.parameters
    with _one_core_if(len(discussion) < ONE_THREAD_BELOW):
        space = space if space is not None else text_space(discussion)
        panel = k_panel.k_figures(
            space.comment_vectors_,
            analysis.k_fits,
            [r.off_topic for r in analysis.comments],
            parameters.seed,
            parameters.clusters_requested,
            distinct_texts(discussion),
            ks,
            k_across_seeds,
        )
    return dataclasses.replace(analysis, sweep=panel.sweep, k_by_seed=panel.k_by_seed)


def _bundled(embedder: object) -> bool:
    """Whether meaning is measured with the bundled model (the one a turn cut was chosen on)."""
    return embedder is not None and getattr(embedder, "name", None) == DEFAULT_MODEL


def _pair_cosine(rows: np.ndarray) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    """Cosines between rows ``a[i]`` and ``b[i]`` of unit embeddings, clipped to 0..1 as the
    TF-IDF cosines are."""

    def cosine(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        found = np.einsum("ij,ij->i", rows[a].astype(np.float64), rows[b].astype(np.float64))
        out: np.ndarray = np.clip(found, 0.0, 1.0)
        return out

    return cosine


def _rounded_or_none(value: float | None) -> float | None:
    return None if value is None else rounded(value)


#: Pages with fewer comments run scikit-learn on one thread: k-means works in chunks of 256
#: rows, so a second OpenMP thread has nothing to do but wait, and the waiting cost a
#: 16-comment page about a third of its CPU (its 70 small k-means fits). The figures are the
#: same on any number of threads (see ``topics.blas_free``).
ONE_THREAD_BELOW = 256


def _one_core_if(limit: bool) -> AbstractContextManager[object]:
    """Keep scikit-learn's OpenMP and BLAS threads to one core (others are busy)."""
    return one_thread() if limit else nullcontext()


def sweep(
    discussion: Discussion,
    ks: Iterable[int],
    options: AnalysisOptions | None = None,
    **parameters: Any,
) -> list[topics.SweepRow]:
    """Per K: silhouette, stability across seeds and share in off-topic clusters, for
    ``options`` (their ``clusters`` aside: K is chosen automatically beside the sweep);
    ``parameters`` (``seed=2`` ...) as for :func:`analyze`.

    K outside 1..distinct texts are left out. Beyond ``topics.SAMPLE_SIZE`` comments, computed
    on a fixed sample of that size.
    """
    options = (options or AnalysisOptions()).replace(
        **parameters,
        clusters=None,
        sweep_ks=tuple(ks),
        merge=(),
        topic_names=(),
        whole_sentiment=False,
        k_across_seeds=False,
    )
    return list(analyze(discussion, options).sweep)
