"""The frozen comparison space: hashed terms weighted by an IDF computed once per corpus.

Figures that compare pages cannot come from each page's own TF-IDF (every page has its own
vocabulary). The comparison space is sklearn's ``HashingVectorizer`` (no vocabulary to fit)
with inverse document frequencies counted once over the corpus's comments and saved in
``OUT/space-model.json``; later runs reuse it until ``--refit``, so adding pages never moves
the figures of the others. Recurring topics are a second, seeded k-means over the per-page
cluster centres in this space. Pages come in as their sketches (:mod:`threads.analysis.sketch`).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from threads.analysis.sketch import N_FEATURES
from threads.errors import OutputError
from threads.pools import one_thread

MODEL_FILE = "space-model.json"
#: Recurring topics across articles (fewer when there are fewer page clusters).
RECURRING_TOPICS = 8
RECURRING_TERMS = 6
RECURRING_N_INIT = 4
#: Page clusters the recurring-topic k-means is fitted on, at most: a larger corpus is fitted
#: on a seeded sample of this many (k-means then needs about 35 MB) and every cluster goes
#: to its nearest topic, as a page chooses K on a sample of its comments.
RECURRING_SAMPLE = 2000
#: Page clusters assigned to their topics per call (a call per page would cost more).
PREDICT_BLOCK = 2048
#: Pages a recurring topic names, at most (those with the most comments in it).
TOP_PAGES = 10
MODEL_FORMAT = 1


@dataclass(frozen=True, eq=False)
class ComparisonSpace:
    """Smoothed IDF over hashed features (sklearn's formula: ln((1+n)/(1+df)) + 1)."""

    documents: int  # comments counted
    df: np.ndarray  # per hashed feature: comments containing it (int64, n_features long)

    @property
    def n_features(self) -> int:
        return len(self.df)

    @classmethod
    def fit(cls, sketches: Iterable[dict[str, Any]]) -> ComparisonSpace:
        total = np.zeros(N_FEATURES, dtype=np.int64)
        documents = 0
        for sketch in sketches:
            documents += int(sketch["documents"])
            indices, counts = sketch["df"]
            np.add.at(total, np.asarray(indices, dtype=np.int64), counts)
        return cls(documents, total)

    def to_json(self) -> str:
        nz = np.flatnonzero(self.df)
        document = {
            "format": MODEL_FORMAT,
            "kind": "HashingVectorizer+IDF",
            "n_features": self.n_features,
            "documents": self.documents,
            "df": [nz.tolist(), self.df[nz].tolist()],
        }
        return json.dumps(document, separators=(",", ":")) + "\n"

    @classmethod
    def read(cls, path: Path) -> ComparisonSpace:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            indices, counts = data["df"]
            df = np.zeros(int(data["n_features"]), dtype=np.int64)
            df[np.asarray(indices, dtype=np.int64)] = counts
            return cls(int(data["documents"]), df)
        except (OSError, ValueError, KeyError, TypeError, IndexError) as error:
            raise OutputError(f"{path}: not a comparison-space model ({error})") from None

    def idf(self, indices: np.ndarray) -> np.ndarray:
        weights: np.ndarray = np.log((1 + self.documents) / (1 + self.df[indices].astype(float)))
        return weights + 1

    def weigh(self, indices: np.ndarray, counts: np.ndarray) -> np.ndarray:
        """The space's weighting of hashed-term counts: sublinear TF x IDF."""
        weights: np.ndarray = (1 + np.log(counts)) * self.idf(indices)
        return weights

    def unit(self, pair: Sequence[Any]) -> tuple[np.ndarray, np.ndarray]:
        """A sketch's [indices, counts] as a unit vector (:meth:`weigh`): its indices (as
        given: ascending) and values."""
        indices = np.asarray(pair[0], dtype=np.int64)
        counts = np.asarray(pair[1], dtype=float)
        values = self.weigh(indices, counts) if len(indices) else counts
        norm = np.linalg.norm(values)
        if norm > 0:
            values = values / norm
        return indices, values

    def matrix(self, pairs: Sequence[Sequence[Any]]) -> sp.csr_matrix:
        """Sketch [indices, counts] pairs as the rows of one matrix of unit vectors."""
        units = [self.unit(pair) for pair in pairs]
        indptr = np.cumsum([0, *(len(i) for i, _ in units)])
        if not units:
            return sp.csr_matrix((0, self.n_features))
        return sp.csr_matrix(
            (np.concatenate([v for _, v in units]), np.concatenate([i for i, _ in units]), indptr),
            shape=(len(units), self.n_features),
        )


def digest_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class RecurringTopic:
    """A topic that recurs across articles: page clusters grouped in the comparison space."""

    number: int  # 0 = the most comments
    terms: tuple[str, ...]  # the most frequent cluster terms of its member clusters
    pages: int  # pages with a cluster in it
    top_pages: tuple[str, ...]  # the pages with the most comments in it, most first (up to 10)
    clusters: int  # page clusters in it
    comments: int  # comments in those clusters


@dataclass(frozen=True)
class PageFigures:
    """The comparison-space figures of one page."""

    article_similarity: float | None  # the page's comments (all together) to its article
    corpus_similarity: float | None  # the page's comments to the corpus's comments
    recurring: tuple[int, ...]  # recurring topics its clusters fall in, largest cluster first


#: Sketches in page order, afresh on every call (the comparison reads them more than once).
Sketches = Callable[[], Iterable[tuple[str, dict[str, Any]]]]


def compare(
    space: ComparisonSpace, sketches: Sketches, seed: int, clusters: int | None = None
) -> tuple[dict[str, PageFigures], list[RecurringTopic]]:
    """Comparison figures for every page, reading the pages' sketches twice (three times
    beyond ``RECURRING_SAMPLE`` clusters when ``clusters`` is not given), holding only one
    page's at a time.

    The recurring topics are a seeded k-means over the page clusters: over all of them up to
    ``RECURRING_SAMPLE``, else over a seeded sample of that many, every cluster then going to
    its nearest topic. Time and memory grow linearly with the pages, never with their square.
    ``clusters``, the number of page clusters when the caller knows it, lets the first pass
    read the sample too (else, beyond ``RECURRING_SAMPLE``, it takes a pass of its own).
    """
    chosen = _sample(clusters, seed) if clusters is not None else None
    articles, counted, mean, rows = _centres(space, sketches, chosen)
    if chosen is not None and counted != clusters:  # not the sketches' own count: read again
        chosen = None
        articles, counted, mean, rows = _centres(space, sketches)
    model, labels = _recurring_model(space, sketches, counted, seed, rows, chosen is not None)
    mean_norm = float(np.linalg.norm(mean)) or 1.0
    tally = _TopicTally()
    corpus: dict[str, float | None] = {}
    raw: dict[str, list[int]] = {}  # each page's clusters' topics, numbered as fitted
    # Pages whose clusters wait for their topics (a fit on a sample): one predict per block.
    pending: list[tuple[str, list[tuple[int, list[str]]], sp.csr_matrix]] = []
    pending_rows = 0

    def settle() -> None:
        nonlocal pending_rows
        if pending_rows:
            assert model is not None  # labels is None only when a model was fitted
            found = iter(model.predict(sp.vstack([rows for _, _, rows in pending]).tocsr()))
            for name, members, _ in pending:
                raw[name] = [int(next(found)) for _ in members]
                tally.add(name, members, raw[name])
        pending.clear()
        pending_rows = 0

    offset = 0
    for name, sketch in sketches():
        members = [(int(c["size"]), list(c["terms"])) for c in sketch["clusters"]]
        indices, values = space.unit(sketch["all"])
        corpus[name] = (
            round(float(values @ mean[indices]) / mean_norm, 6) if np.any(values) else None
        )
        if labels is not None:
            raw[name] = [int(v) for v in labels[offset : offset + len(members)]]
            tally.add(name, members, raw[name])
        elif members:
            pending.append((name, members, _cluster_rows(space, sketch)))
            pending_rows += len(members)
            if pending_rows >= PREDICT_BLOCK:
                settle()
        else:
            raw[name] = []
        offset += len(members)
    settle()
    renumber, topics = tally.topics()
    figures = {
        name: PageFigures(
            article_similarity=articles[name],
            corpus_similarity=corpus[name],
            recurring=tuple(dict.fromkeys(renumber[label] for label in raw[name])),
        )
        for name in articles
    }
    return figures, topics


def _sample(clusters: int, seed: int) -> np.ndarray | None:
    """The page clusters the recurring topics are fitted on, ascending (None: all)."""
    if clusters <= RECURRING_SAMPLE:
        return None
    return np.sort(np.random.default_rng(seed).choice(clusters, RECURRING_SAMPLE, False))


def _centres(
    space: ComparisonSpace, sketches: Sketches, chosen: np.ndarray | None = None
) -> tuple[dict[str, float | None], int, np.ndarray, list[sp.csr_matrix] | None]:
    """First pass: each page's comments-to-article similarity, the number of page clusters,
    the mean of the pages' unit centres, and the rows of the ``chosen`` page clusters, or
    of every one while there are at most ``RECURRING_SAMPLE`` (else None)."""
    total = np.zeros(space.n_features)
    articles: dict[str, float | None] = {}
    clusters = 0
    rows: list[sp.csr_matrix] | None = []
    for name, sketch in sketches():
        indices, values = space.unit(sketch["all"])
        total[indices] += values  # a page's indices are distinct
        article = space.unit(sketch["article"]) if len(sketch["article"][0]) else None
        has_comments = bool(np.any(values))
        articles[name] = (
            _cos((indices, values), article) if has_comments and article is not None else None
        )
        count = len(sketch["clusters"])
        if rows is not None and chosen is not None:
            _add_picked(rows, space, sketch, chosen, clusters)
        elif rows is not None and clusters + count <= RECURRING_SAMPLE:
            rows.append(_cluster_rows(space, sketch))
        else:
            rows = None  # beyond RECURRING_SAMPLE: the sample is read in a pass of its own
        clusters += count
    return articles, clusters, total / max(len(articles), 1), rows


def _cluster_rows(space: ComparisonSpace, sketch: dict[str, Any]) -> sp.csr_matrix:
    return space.matrix([cluster["counts"] for cluster in sketch["clusters"]])


def _add_picked(
    rows: list[sp.csr_matrix],
    space: ComparisonSpace,
    sketch: dict[str, Any],
    chosen: np.ndarray,
    offset: int,
) -> None:
    """The rows of the sketch's clusters among ``chosen`` (numbered from ``offset`` on)."""
    count = len(sketch["clusters"])
    picked = chosen[(chosen >= offset) & (chosen < offset + count)] - offset
    if len(picked):
        rows.append(_cluster_rows(space, sketch)[picked])


def _recurring_model(
    space: ComparisonSpace,
    sketches: Sketches,
    clusters: int,
    seed: int,
    rows: list[sp.csr_matrix] | None,
    sampled: bool = False,
) -> tuple[_RecurringModel | None, np.ndarray | None]:
    """The recurring-topic k-means (on ``rows`` when given: every page cluster, or the
    seeded sample when ``sampled``; else on that sample read from the sketches), and every
    cluster's label when it saw them all (else None: the caller assigns them)."""
    import warnings

    from sklearn.cluster import KMeans
    from sklearn.exceptions import ConvergenceWarning

    k = min(RECURRING_TOPICS, clusters)
    if k < 2:
        return None, np.zeros(clusters, dtype=int)
    if rows is None:
        chosen = _sample(clusters, seed)
        assert chosen is not None  # rows are None only beyond RECURRING_SAMPLE clusters
        rows, offset, sampled = [], 0, True
        for _, sketch in sketches():
            _add_picked(rows, space, sketch, chosen, offset)
            offset += len(sketch["clusters"])
    matrix = sp.vstack(rows).tocsr()
    # Only the features the clusters use: k-means keeps dense centres, k x 2 MB a copy over
    # all hashed features. A feature no fitted cluster has adds the same to a row's distance
    # from every centre, so leaving it out of a later row changes no assignment.
    features = np.unique(matrix.indices) if matrix.nnz else np.zeros(1, dtype=np.int32)
    with one_thread(), warnings.catch_warnings():
        # Pages that repeat each other's comments give identical clusters: fewer distinct
        # centres than K, which k-means warns of; the empty topics drop out.
        warnings.simplefilter("ignore", ConvergenceWarning)
        model = KMeans(n_clusters=k, n_init=RECURRING_N_INIT, random_state=seed)
        labels = model.fit_predict(_columns(matrix, features))
    return _RecurringModel(model, features), (None if sampled else labels)


@dataclass(frozen=True)
class _RecurringModel:
    kmeans: Any  # fitted on the columns ``features``
    features: np.ndarray  # the hashed features the fit saw, ascending

    def predict(self, matrix: sp.csr_matrix) -> np.ndarray:
        with one_thread():
            return np.asarray(self.kmeans.predict(_columns(matrix, self.features)))


def _columns(matrix: sp.csr_matrix, features: np.ndarray) -> sp.csr_matrix:
    """``matrix`` restricted to the columns ``features`` (ascending), renumbered 0.."""
    position = np.searchsorted(features, matrix.indices)
    keep = features[np.minimum(position, len(features) - 1)] == matrix.indices
    rows = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
    return sp.csr_matrix(
        (matrix.data[keep], (rows[keep], position[keep])), shape=(matrix.shape[0], len(features))
    )


class _TopicTally:
    """What the recurring topics add up to, page by page (topics numbered as fitted)."""

    def __init__(self) -> None:
        self.comments: Counter[int] = Counter()
        self.clusters: Counter[int] = Counter()
        self.pages: Counter[int] = Counter()
        self.first: dict[int, int] = {}
        self.weights: dict[int, dict[str, float]] = {}
        self.top: dict[int, list[tuple[int, str]]] = {}  # (-comments, page), best 10
        self.seen = 0

    def add(self, name: str, members: list[tuple[int, list[str]]], labels: list[int]) -> None:
        """A page's clusters, as (size, terms), and the topic each fell in."""
        by_label: Counter[int] = Counter()
        for (size, terms), label in zip(members, labels, strict=True):
            self.first.setdefault(label, self.seen)
            self.seen += 1
            self.comments[label] += size
            self.clusters[label] += 1
            by_label[label] += size
            weights = self.weights.setdefault(label, {})
            for rank, term in enumerate(terms):
                weights[term] = weights.get(term, 0.0) + size / (rank + 1)
        for label, size in by_label.items():
            self.pages[label] += 1
            top = self.top.setdefault(label, [])
            top.append((-size, name))
            top.sort()
            del top[TOP_PAGES:]

    def topics(self) -> tuple[dict[int, int], list[RecurringTopic]]:
        # Topic 0 has the most comments; ties: the topic whose first cluster comes first.
        order = sorted(self.comments, key=lambda label: (-self.comments[label], self.first[label]))
        renumber = {old: new for new, old in enumerate(order)}
        topics = []
        for old in order:
            weights = self.weights[old]
            terms = tuple(t for t, _ in sorted(weights.items(), key=lambda kv: (-kv[1], kv[0])))
            topics.append(
                RecurringTopic(
                    number=renumber[old],
                    terms=terms[:RECURRING_TERMS],
                    pages=self.pages[old],
                    top_pages=tuple(page for _, page in self.top[old]),
                    clusters=self.clusters[old],
                    comments=self.comments[old],
                )
            )
        return renumber, topics


def _cos(a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray]) -> float:
    """Cosine of two unit vectors given as (ascending indices, values)."""
    _, in_a, in_b = np.intersect1d(a[0], b[0], assume_unique=True, return_indices=True)
    return round(float(a[1][in_a] @ b[1][in_b]), 6)
