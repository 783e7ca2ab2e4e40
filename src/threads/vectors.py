"""One TF-IDF space over the article and the comments, shared by clustering and drift.

The vectorizer is fitted once on the article's paragraphs and the comments together, so
every similarity (to the article, to a parent, to a cluster centre) is measured in the same
space. Rows are L2-normalised, so a dot product is a cosine similarity.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from threads.errors import OptionError

# Typographic quotes and apostrophes become ASCII, so "don’t" and "don't" are one token.
_QUOTES = str.maketrans(
    {"\u2019": "'", "\u2018": "'", "\u201b": "'", "\u2032": "'", "\u201c": '"', "\u201d": '"',
     "\u201e": '"', "\u2033": '"', "`": "'"}
)  # fmt: skip


def normalise_quotes(text: str) -> str:
    return text.translate(_QUOTES)


class TextSpace:
    """TF-IDF vectors for the article and the comments, scikit-learn style.

    Parameters mirror :class:`~sklearn.feature_extraction.text.TfidfVectorizer`; English stop
    words and sublinear term frequency are always on. After :meth:`fit`:

    * ``comment_vectors_``: one L2-normalised row per comment (an all-zero row for a comment
      with no words left after stop words, emoji and punctuation are removed);
    * ``reference_``: the L2-normalised vector comments are compared against: the mean of the
      article's paragraph vectors, or, for pages without an article, of the comment vectors;
    * ``reference_kind_``: ``"article"`` or ``"discussion"``;
    * ``reference_similarities_``: cosine of each article paragraph (or comment, without an
      article) to the reference, the baseline behind the off-topic threshold;
    * ``vocabulary_``: the terms, in column order.
    """

    def __init__(
        self,
        min_df: int | float = 1,
        max_df: int | float = 1.0,
        ngram_range: tuple[int, int] = (1, 1),
        max_features: int | None = None,
    ) -> None:
        self.min_df = min_df
        self.max_df = max_df
        self.ngram_range = ngram_range
        self.max_features = max_features

    def settings(self) -> dict[str, object]:
        return {
            "stop_words": "english",
            "sublinear_tf": True,
            "min_df": self.min_df,
            "max_df": self.max_df,
            "ngram_range": list(self.ngram_range),
            "max_features": self.max_features,
        }

    def fit(self, article_paragraphs: Sequence[str], comment_texts: Sequence[str]) -> TextSpace:
        if self.ngram_range[0] < 1 or self.ngram_range[0] > self.ngram_range[1]:
            raise OptionError(
                f"ngram_range must be (low, high) with 1 <= low <= high, got {self.ngram_range!r}"
            )
        documents = [normalise_quotes(t) for t in (*article_paragraphs, *comment_texts)]
        self.vectorizer_ = TfidfVectorizer(
            stop_words="english",
            sublinear_tf=True,
            min_df=self.min_df,
            max_df=self.max_df,
            ngram_range=self.ngram_range,
            max_features=self.max_features,
            dtype=np.float64,
        )
        try:
            matrix = sp.csr_matrix(self.vectorizer_.fit_transform(documents))
            self.vocabulary_ = list(self.vectorizer_.get_feature_names_out())
        except ValueError:
            # Only stop words, emoji or punctuation (or min_df/max_df pruned everything):
            # an empty space, in which every similarity is 0.
            matrix = sp.csr_matrix((len(documents), 0))
            self.vocabulary_ = []
        n_article = len(article_paragraphs)
        article = matrix[:n_article]
        self.comment_vectors_ = matrix[n_article:]
        has_article = article.nnz > 0
        self.reference_kind_ = "article" if has_article else "discussion"
        basis = article if has_article else self.comment_vectors_
        if basis.shape[0] and basis.shape[1]:
            self.reference_ = normalize(np.asarray(basis.mean(axis=0)))
            self.reference_similarities_ = np.asarray(basis @ self.reference_.T).ravel()
        else:
            self.reference_ = np.zeros((1, matrix.shape[1]))
            self.reference_similarities_ = np.zeros(0)
        return self

    def similarity_to_reference(self) -> np.ndarray:
        """Cosine of every comment to the reference, clipped to [0, 1]."""
        values = np.asarray(self.comment_vectors_ @ self.reference_.T).ravel()
        return np.clip(values, 0.0, 1.0)

    def pair_similarity(self, rows: np.ndarray, other_rows: np.ndarray) -> np.ndarray:
        """Cosine between comment ``rows[i]`` and comment ``other_rows[i]``, for each i."""
        if len(rows) == 0:
            return np.zeros(0)
        left = self.comment_vectors_[rows]
        right = self.comment_vectors_[other_rows]
        values = np.asarray(left.multiply(right).sum(axis=1)).ravel()
        return np.clip(values, 0.0, 1.0)
