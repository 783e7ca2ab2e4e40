"""Topic clusters: k-means over the comment vectors, labelled by class-based TF-IDF.

Clusters are numbered largest first (ties: the cluster whose first comment comes first), so
reruns and different K are comparable. Without a K, it is chosen by the cosine silhouette
score over 2..8. Silhouette and stability are computed on a fixed sample beyond
``SAMPLE_SIZE`` comments, and MiniBatchKMeans replaces KMeans beyond ``MINIBATCH_FROM``, so
the cost stays linear in the number of comments. :class:`TopicModel` is the entry point.

k-means starts ``N_INIT`` times per fit (4, down from 10 for speed on large pages). On short
comments the best start still depends on the seed: ``threads clusters --sweep`` reports how
much (stability), so a reader can tell a firm clustering from a loose one.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations

import numpy as np
import scipy.sparse as sp
from sklearn.cluster import KMeans, MiniBatchKMeans
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import silhouette_score
from sklearn.metrics.pairwise import cosine_distances

from threads.analysis.options import (
    AUTO_K_RANGE,
    SEED_LIMIT,
    STABILITY_SEEDS,
    check_clusters,
    check_seed,
)

N_INIT = 4
MINIBATCH_N_INIT = 3
MAX_ITER = 100
SAMPLE_SIZE = 2000
MINIBATCH_FROM = 20_000
MAX_TERMS = 5
#: Values k-means sees are multiples of 1 / GRID (see blas_free).
GRID = 4096


@dataclass(frozen=True)
class KScore:
    """Silhouette of one candidate K during automatic selection."""

    k: int  # number of clusters tried
    silhouette: float  # mean cosine silhouette, -1..1 (higher: better separated)


def blas_free(vectors: sp.spmatrix | np.ndarray) -> sp.csr_matrix:
    """``vectors`` for k-means and the silhouette: as CSR, each value rounded to a multiple of
    2**-12, so that their results do not depend on the BLAS kernel.

    OpenBLAS picks a kernel per processor (``OPENBLAS_CORETYPE`` forces one), and kernels
    differ in the last bits of a sum. On short comments many distances tie, so those bits
    flipped cluster labels and the K panel's stability from one machine to the next. On CSR
    input scikit-learn's k-means and pairwise distances run their own loops, not BLAS; the one
    BLAS call left (k-means++ sums each candidate's distances to every point) then adds numbers
    that are exact multiples of 2**-24 far below 2**53, which every order of addition sums
    exactly. The rounding moves a unit vector's cosines by less than 0.001.
    """
    matrix = sp.csr_matrix(vectors, dtype=np.float64, copy=True)
    matrix.data = np.round(matrix.data * GRID) / GRID
    matrix.eliminate_zeros()
    return matrix


def fit_labels(
    vectors: sp.spmatrix | np.ndarray, k: int, seed: int, n_init: int = N_INIT
) -> np.ndarray:
    """Raw k-means labels (unordered), quietly tolerating duplicate points."""
    n = vectors.shape[0]
    if k <= 1 or n <= 1 or vectors.shape[1] == 0:
        return np.zeros(n, dtype=int)
    if n > MINIBATCH_FROM:
        model: KMeans | MiniBatchKMeans = MiniBatchKMeans(
            n_clusters=k,
            random_state=seed,
            n_init=min(n_init, MINIBATCH_N_INIT),
            max_iter=MAX_ITER,
            batch_size=4096,
        )
    else:
        model = KMeans(n_clusters=k, random_state=seed, n_init=n_init, max_iter=MAX_ITER)
    with warnings.catch_warnings():
        # Fewer distinct points than K: k-means says so; empty clusters are dropped below.
        warnings.simplefilter("ignore", ConvergenceWarning)
        return np.asarray(model.fit_predict(blas_free(vectors)))


def ordered(labels: np.ndarray) -> np.ndarray:
    """Renumber clusters 0.. largest first, ties by earliest comment; empty ones vanish."""
    if len(labels) == 0:
        return labels
    present = np.unique(labels)
    first = {lab: int(np.argmax(labels == lab)) for lab in present}
    size = {lab: int(np.sum(labels == lab)) for lab in present}
    order = sorted(present, key=lambda lab: (-size[lab], first[lab]))
    mapping = {lab: number for number, lab in enumerate(order)}
    return np.array([mapping[lab] for lab in labels], dtype=int)


def merged(labels: np.ndarray, groups: Iterable[set[int]]) -> np.ndarray:
    """The labels with each group of topics made one, renumbered as :func:`ordered` does."""
    into = {number: min(group) for group in groups for number in group}
    if not into:
        return labels
    return ordered(np.array([into.get(int(lab), int(lab)) for lab in labels], dtype=int))


def sample_rows(n: int, seed: int) -> np.ndarray:
    if n <= SAMPLE_SIZE:
        return np.arange(n)
    return np.sort(np.random.default_rng(seed).choice(n, SAMPLE_SIZE, replace=False))


def silhouette(distances: np.ndarray | None, labels: np.ndarray) -> float | None:
    """Cosine silhouette from the sample's pairwise ``distances`` (None: the sample has no
    words); None where undefined."""
    distinct = len(np.unique(labels))
    if distances is None or distinct < 2 or distinct > len(labels) - 1:
        return None
    return float(silhouette_score(distances, labels, metric="precomputed"))


def sample_distances(sample: sp.csr_matrix) -> np.ndarray | None:
    """Cosine distances between the sampled comments, computed once for every candidate K
    (at most 2,000 x 2,000); None when no comment has a word."""
    if sample.shape[1] == 0 or sample.nnz == 0:
        return None
    return np.asarray(cosine_distances(blas_free(sample)))


@dataclass(frozen=True)
class Candidate:
    """One K fitted on the (sampled) comment vectors: shared by K selection and the K panel
    (:mod:`threads.analysis.k_panel`), which reuses the automatic choice's fits."""

    k: int  # clusters asked for
    labels: tuple[int, ...]  # ordered cluster numbers, one per sampled comment
    silhouette: float | None  # None when undefined (fewer than 2 clusters, no words)


def fit_candidates(
    sample: sp.csr_matrix, ks: list[int], seed: int, distances: np.ndarray | None
) -> dict[int, Candidate]:
    """Fit each K once on the sample (each fit is then reused, never repeated); ``distances``
    are :func:`sample_distances` of the sample."""
    found = {}
    for k in ks:
        labels = ordered(fit_labels(sample, k, seed))
        found[k] = Candidate(k, tuple(labels.tolist()), silhouette(distances, labels))
    return found


def auto_range(n: int, distinct_texts: int) -> list[int]:
    """The K tried automatically: 2..min(8, n-1), and never above the distinct texts."""
    return list(range(AUTO_K_RANGE[0], min(AUTO_K_RANGE[1], n - 1, distinct_texts) + 1))


def choose_k(candidates: dict[int, Candidate], ks: list[int], n: int) -> tuple[int, list[KScore]]:
    """The K with the best silhouette among ``ks`` (1 when none can be scored)."""
    scores = [
        KScore(k, round(candidates[k].silhouette, 6))  # type: ignore[arg-type]
        for k in ks
        if candidates[k].silhouette is not None
    ]
    if not scores:
        return (1 if n else 0), []
    best = max(scores, key=lambda s: (s.silhouette, -s.k))
    return best.k, scores


def class_tfidf_terms(
    counts: sp.csr_matrix, labels: np.ndarray, vocabulary: list[str], k: int
) -> list[list[str]]:
    """Each cluster's most distinctive terms by class-based TF-IDF (as in BERTopic).

    Term frequencies are summed per cluster and L1-normalised; a term's weight is that
    frequency times log(1 + A / f), where A is the mean number of words per cluster and f the
    term's frequency over all clusters.
    """
    if counts.shape[1] == 0 or k == 0:
        return [[] for _ in range(k)]
    membership = sp.csr_matrix(
        (np.ones(len(labels)), (labels, np.arange(len(labels)))), shape=(k, len(labels))
    )
    ranked = class_tfidf_ranking(membership @ counts)
    return [[vocabulary[column] for column in columns[:MAX_TERMS]] for columns in ranked]


def class_tfidf_ranking(per_class: sp.spmatrix) -> list[np.ndarray]:
    """For each class (a row of summed term counts), its terms' columns with a positive
    class-based TF-IDF weight (see :func:`class_tfidf_terms`), most distinctive first (ties:
    the lower column). Sparse throughout: a page of 12,000 comments has thousands of threads,
    and a dense threads x vocabulary table took 0.5 GiB. Counts are whole numbers, so every
    sum is exact."""
    per_class = sp.csr_matrix(per_class, dtype=float)
    per_class.sort_indices()
    k = per_class.shape[0]
    totals = np.asarray(per_class.sum(axis=1)).ravel()
    frequency = np.asarray(per_class.sum(axis=0)).ravel()
    average = per_class.sum() / k
    idf = np.log1p(np.divide(average, frequency, out=np.zeros_like(frequency), where=frequency > 0))
    ranked = []
    for row in range(k):
        start, end = per_class.indptr[row], per_class.indptr[row + 1]
        columns = per_class.indices[start:end]
        if totals[row] <= 0:
            ranked.append(columns[:0])
            continue
        weights = per_class.data[start:end] / totals[row] * idf[columns]
        order = np.lexsort((columns, -weights))  # by weight, then term order
        ranked.append(columns[order][weights[order] > 0])
    return ranked


@dataclass(frozen=True)
class SweepRow:
    """How the clustering behaves with K clusters (``threads clusters --sweep``)."""

    k: int  # number of clusters
    silhouette: float | None  # cosine silhouette of the seeded fit, -1..1 (None: undefined)
    stability: float | None  # mean adjusted Rand index across 5 seeds, 1 = identical (None: K=1)
    off_topic_share: float  # share of comments in clusters whose centre is off-topic, 0..1


def adjusted_rand(first: np.ndarray, second: np.ndarray) -> float:
    """scikit-learn's ``adjusted_rand_score``: the same pair counts, in whole numbers, and the
    same formula, without its input checks, which cost more than the arithmetic here (a K
    sweep compares 70 pairs of labellings; the report's took 0.07 s)."""
    n = len(first)
    rows = np.unique(first, return_inverse=True)[1]
    columns = np.unique(second, return_inverse=True)[1]
    table = np.zeros((int(rows.max()) + 1, int(columns.max()) + 1), dtype=np.int64)
    np.add.at(table, (rows, columns), 1)
    squares = int((table**2).sum())
    tp = squares - n
    fp = int(table.dot(table.sum(axis=0)).sum()) - squares
    fn = int(table.T.dot(table.sum(axis=1)).sum()) - squares
    tn = n * n - fp - fn - squares
    if fn == 0 and fp == 0:
        return 1.0
    return 2.0 * (tp * tn - fn * fp) / ((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn))


def stability(vectors: sp.csr_matrix, k: int, seed: int) -> float | None:
    """Mean adjusted Rand index between the labels of runs with five different seeds.

    Each run is a single k-means start: how much single starts agree is what is measured.
    """
    if k < 2:
        return None
    seeds = [(seed + i) % SEED_LIMIT for i in range(STABILITY_SEEDS)]
    runs = [fit_labels(vectors, k, s, n_init=1) for s in seeds]
    scores = [adjusted_rand(a, b) for a, b in combinations(runs, 2)]
    return round(float(np.mean(scores)), 6)


class TopicModel:
    """Seeded k-means topics over comment vectors, scikit-learn style.

    Parameters are stored by ``__init__`` and used by :meth:`fit`, which learns:

    * ``labels_``: the cluster number of each comment (0 = largest; ties: earliest comment);
    * ``n_clusters_``: clusters actually formed (fewer than asked when comments repeat);
    * ``k_scores_``: the silhouette behind an automatic choice (empty when K was given);
    * ``candidates_``: each K of the automatic choice fitted on the sample, in K order (empty
      when K was given), kept so the K panel (:mod:`threads.analysis.k_panel`) reuses them
      instead of fitting again;
    * ``sample_rows_``: the comments silhouette is computed on (all of them up to
      ``SAMPLE_SIZE``, then a fixed random sample of that size).

    ``n_clusters=None`` chooses K in 2..min(8, n - 1) by the best cosine silhouette.
    """

    def __init__(self, n_clusters: int | None = None, random_state: int = 0) -> None:
        self.n_clusters = n_clusters
        self.random_state = random_state

    def fit(self, vectors: sp.csr_matrix, distinct_texts: int | None = None) -> TopicModel:
        """Cluster the rows of ``vectors``; ``distinct_texts`` bounds K (default: the rows)."""
        n = vectors.shape[0]
        distinct = n if distinct_texts is None else distinct_texts
        seed = self.random_state
        check_seed(seed)
        if self.n_clusters is not None:
            check_clusters(self.n_clusters, distinct)
        self.sample_rows_ = sample_rows(n, seed)
        sample = vectors[self.sample_rows_]
        auto_ks = auto_range(n, distinct) if self.n_clusters is None else []
        distances = sample_distances(sample) if auto_ks else None
        self.candidates_ = fit_candidates(sample, auto_ks, seed, distances)
        if self.n_clusters is None:
            k, scores = choose_k(self.candidates_, auto_ks, n)
        else:
            k, scores = self.n_clusters, []
        self.k_scores_ = scores
        if k in self.candidates_ and len(self.sample_rows_) == n:
            # The sample is everything: the same fit.
            self.labels_ = np.asarray(self.candidates_[k].labels, dtype=int)
        else:
            self.labels_ = ordered(fit_labels(vectors, k, seed))
        self.n_clusters_ = int(self.labels_.max()) + 1 if n else 0
        return self
