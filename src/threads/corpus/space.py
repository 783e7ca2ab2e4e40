"""The frozen comparison space: hashed terms weighted by an IDF computed once per corpus.

Figures that compare pages cannot come from each page's own TF-IDF (every page has its own
vocabulary). The comparison space is sklearn's ``HashingVectorizer`` (no vocabulary to fit)
with inverse document frequencies counted once over the corpus's comments and saved in
``OUT/space-model.json``; later runs reuse it until ``--refit``, so adding pages never moves
the figures of the others. Recurring topics are a second, seeded k-means over the per-page
cluster centres in this space.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from threads.corpus.task import N_FEATURES
from threads.errors import OutputError

MODEL_FILE = "space-model.json"
#: Recurring topics across articles (fewer when there are fewer page clusters).
RECURRING_TOPICS = 8
RECURRING_TERMS = 6
RECURRING_N_INIT = 4
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
            raise OutputError(
                f"{path}: not a comparison-space model ({error}); rerun with --refit"
            ) from None

    def idf(self, indices: np.ndarray) -> np.ndarray:
        weights: np.ndarray = np.log((1 + self.documents) / (1 + self.df[indices].astype(float)))
        return weights + 1

    def weigh(self, indices: np.ndarray, counts: np.ndarray) -> np.ndarray:
        """The space's weighting of hashed-term counts: sublinear TF x IDF."""
        weights: np.ndarray = (1 + np.log(counts)) * self.idf(indices)
        return weights

    def vector(self, pair: Sequence[Any]) -> sp.csr_matrix:
        """A sketch's [indices, counts] as a unit row vector (:meth:`weigh`)."""
        indices = np.asarray(pair[0], dtype=np.int64)
        counts = np.asarray(pair[1], dtype=float)
        values = self.weigh(indices, counts) if len(indices) else counts
        norm = np.linalg.norm(values)
        if norm > 0:
            values = values / norm
        return sp.csr_matrix((values, indices, [0, len(indices)]), shape=(1, self.n_features))


def compact(sketch: dict[str, Any]) -> dict[str, Any]:
    """A sketch without its document frequencies, its lists as small arrays (the driver
    holds every page's at once)."""

    def pair(p: Sequence[Any]) -> tuple[np.ndarray, np.ndarray]:
        return np.asarray(p[0], dtype=np.int32), np.asarray(p[1], dtype=np.float32)

    return {
        "article": pair(sketch["article"]),
        "all": pair(sketch["all"]),
        "clusters": [
            {"size": c["size"], "terms": c["terms"], "counts": pair(c["counts"])}
            for c in sketch["clusters"]
        ],
    }


def digest_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class RecurringTopic:
    """A topic that recurs across articles: page clusters grouped in the comparison space."""

    number: int  # 0 = the most comments
    terms: tuple[str, ...]  # the most frequent cluster terms of its member clusters
    pages: tuple[str, ...]  # pages with a cluster in it, most comments first
    clusters: int  # page clusters in it
    comments: int  # comments in those clusters


@dataclass(frozen=True)
class PageFigures:
    """The comparison-space figures of one page."""

    article_similarity: float | None  # the page's comments (all together) to its article
    corpus_similarity: float | None  # the page's comments to the corpus's comments
    recurring: tuple[int, ...]  # recurring topics its clusters fall in, largest cluster first


def compare(
    space: ComparisonSpace, sketches: dict[str, dict[str, Any]], seed: int
) -> tuple[dict[str, PageFigures], list[RecurringTopic]]:
    """Comparison figures for every page (``sketches`` by page, in page order)."""
    import warnings

    from sklearn.cluster import KMeans
    from sklearn.exceptions import ConvergenceWarning
    from threadpoolctl import threadpool_limits

    pages = list(sketches)
    centres = {p: space.vector(s["all"]) for p, s in sketches.items()}
    mean = sp.vstack(list(centres.values())).mean(axis=0) if centres else np.zeros((1, 1))
    mean = np.asarray(mean).ravel()
    mean_norm = float(np.linalg.norm(mean)) or 1.0

    rows, owners = [], []
    for page in pages:
        for cluster in sketches[page]["clusters"]:
            rows.append(space.vector(cluster["counts"]))
            owners.append((page, cluster))
    labels = np.zeros(len(rows), dtype=int)
    k = min(RECURRING_TOPICS, len(rows))
    if k >= 2:
        matrix = sp.vstack(rows).tocsr()
        with threadpool_limits(limits=1), warnings.catch_warnings():
            # Pages that repeat each other's comments give identical clusters: fewer
            # distinct centres than K, which k-means warns of; the empty topics drop out.
            warnings.simplefilter("ignore", ConvergenceWarning)
            model = KMeans(n_clusters=k, n_init=RECURRING_N_INIT, random_state=seed)
            labels = model.fit_predict(matrix)
    sizes: Counter[int] = Counter()
    for (_, cluster), label in zip(owners, labels, strict=True):
        sizes[int(label)] += int(cluster["size"])
    # Topic 0 has the most comments; ties: the topic whose first cluster comes first.
    first = {int(label): i for i, label in reversed(list(enumerate(labels)))}
    order = sorted(sizes, key=lambda label: (-sizes[label], first[label]))
    renumber = {old: new for new, old in enumerate(order)}

    topics = []
    for old in order:
        members = [owners[i] for i in range(len(owners)) if int(labels[i]) == old]
        weights: dict[str, float] = {}
        by_page: Counter[str] = Counter()
        for page, cluster in members:
            by_page[page] += int(cluster["size"])
            for rank, term in enumerate(cluster["terms"]):
                weights[term] = weights.get(term, 0.0) + int(cluster["size"]) / (rank + 1)
        terms = tuple(t for t, _ in sorted(weights.items(), key=lambda kv: (-kv[1], kv[0])))
        topics.append(
            RecurringTopic(
                number=renumber[old],
                terms=terms[:RECURRING_TERMS],
                pages=tuple(p for p, _ in sorted(by_page.items(), key=lambda kv: (-kv[1], kv[0]))),
                clusters=len(members),
                comments=sizes[old],
            )
        )

    figures = {}
    for page in pages:
        sketch = sketches[page]
        centre = centres[page]
        article = space.vector(sketch["article"]) if len(sketch["article"][0]) else None
        has_comments = centre.nnz > 0
        recurring = []
        for (owner, _), label in zip(owners, labels, strict=True):
            if owner == page and renumber[int(label)] not in recurring:
                recurring.append(renumber[int(label)])
        figures[page] = PageFigures(
            article_similarity=_cos(centre, article)
            if has_comments and article is not None
            else None,
            corpus_similarity=round(float((centre @ mean)[0]) / mean_norm, 6)
            if has_comments
            else None,
            recurring=tuple(recurring),
        )
    return figures, topics


def _cos(a: sp.csr_matrix, b: sp.csr_matrix) -> float:
    return round(float((a @ b.T).toarray()[0, 0]), 6)
