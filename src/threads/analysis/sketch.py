"""A page's comparison sketch: its terms in the corpus's hashed feature space, before any IDF.

Pages are compared in one space whatever their vocabularies: scikit-learn's
``HashingVectorizer`` with ``N_FEATURES`` columns (no vocabulary to fit), weighted later by
the corpus's IDF (:mod:`threads.analysis.comparison_space`). A page's sketch holds its
document frequencies, its article's term counts, and per topic cluster its summed term
counts, each cut to its ``SKETCH_FEATURES`` largest entries; it depends on the page alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp

#: Comparison-space vectors keep this many of their largest entries (the rest are noise in
#: a cosine between pages, and would make the cache and the driver's memory grow).
SKETCH_FEATURES = 400
#: Hashed features of the comparison space.
N_FEATURES = 2**18


def hasher() -> Any:
    """The comparison space's vectorizer: hashed terms, English stop words left out, raw
    counts (no sign flipping, no norm)."""
    from sklearn.feature_extraction.text import HashingVectorizer

    return HashingVectorizer(
        n_features=N_FEATURES,
        alternate_sign=False,
        norm=None,
        stop_words="english",
        dtype=np.float64,
    )


def hashed_features(terms: Sequence[str]) -> np.ndarray:
    """Each term's feature in the comparison space: the column ``HashingVectorizer`` (as
    :func:`hasher` builds it) counts the term in, computed from the term alone."""
    from sklearn.utils import murmurhash3_32

    # HashingVectorizer's rule: abs(signed MurmurHash3 of the UTF-8 bytes, seed 0) modulo
    # the number of features (abs(-2**31) is 2**31, which N_FEATURES divides: feature 0).
    return np.array([abs(int(murmurhash3_32(t, seed=0))) % N_FEATURES for t in terms], np.int64)


def page_sketch(
    discussion: Any, records: Sequence[dict[str, Any]], counts: Any, terms: Sequence[str]
) -> dict[str, Any]:
    """The page in the comparison space's hashed features, before any IDF: document
    frequencies over its comments, the article's term counts, and per topic cluster its
    summed term counts (largest entries only). Independent of every other page.

    ``counts`` (comments x ``terms``) are the page's own term counts: hashing each term once
    gives what hashing every comment's text again would, without tokenising it again.
    """
    texts = [r["text"] for r in records]
    sketch: dict[str, Any] = {
        "documents": len(texts),
        "df": [[], []],
        "article": [[], []],
        "all": [[], []],
        "clusters": [],
    }
    if texts:
        counts = sp.csr_matrix(counts)
        # Columns: the hashed features the page uses (``features``, ascending), not all
        # N_FEATURES: a product over 2**18 columns costs a small page more than its words.
        features, columns = np.unique(hashed_features(terms)[counts.indices], return_inverse=True)
        counts = sp.csr_matrix(
            (counts.data.copy(), columns.ravel(), counts.indptr.copy()),
            shape=(counts.shape[0], len(features)),
        )
        counts.sum_duplicates()  # terms that hash to one feature add up, as when hashing text
        df = np.bincount(counts.indices, minlength=len(features))
        sketch["df"] = [features.tolist(), df.tolist()]
        labels = np.array([int(r["cluster"]) for r in records])
        k = int(labels.max()) + 1
        # One sparse product sums every cluster's rows (row k: the whole page).
        members = sp.csr_matrix(
            (
                np.ones(2 * len(labels)),
                (
                    np.r_[labels, np.full(len(labels), k)],
                    np.r_[np.arange(len(labels)), np.arange(len(labels))],
                ),
            ),
            shape=(k + 1, len(labels)),
        )
        sums = (members @ counts).tocsr()
        sizes = np.bincount(labels, minlength=k)
        first = {int(label): i for i, label in reversed(list(enumerate(labels)))}
        sketch["all"] = _top(sums, k, features)
        for number in range(k):
            if sizes[number]:
                sketch["clusters"].append(
                    {
                        "number": number,
                        "size": int(sizes[number]),
                        "terms": list(records[first[number]]["cluster_terms"]),
                        "counts": _top(sums, number, features),
                    }
                )
    if discussion.article.text:
        sketch["article"] = _top(hasher().transform([discussion.article.text]).tocsr(), 0)
    return sketch


def _top(matrix: Any, row: int, features: np.ndarray | None = None) -> list[list[Any]]:
    """Row ``row``'s SKETCH_FEATURES largest entries as [indices, values] (ties: lower
    index), indices ascending; ``features`` (ascending) names the matrix's columns."""
    start, stop = matrix.indptr[row], matrix.indptr[row + 1]
    indices = np.asarray(matrix.indices[start:stop], dtype=np.int64)
    if features is not None:
        indices = np.asarray(features[indices], dtype=np.int64)
    values = np.asarray(matrix.data[start:stop], dtype=float)
    keep = values != 0
    indices, values = indices[keep], values[keep]
    if len(indices) > SKETCH_FEATURES:
        chosen = np.lexsort((indices, -values))[:SKETCH_FEATURES]
        indices, values = indices[chosen], values[chosen]
    order = np.argsort(indices, kind="stable")
    return [indices[order].tolist(), [round(float(v), 6) for v in values[order]]]
