"""One TF-IDF space over the article and the comments, shared by clustering and drift.

The vectorizer is fitted once on the article's paragraphs and the comments together, so
every similarity (to the article, to a parent, to a cluster centre) is measured in the same
space. Rows are L2-normalised, so a dot product is a cosine similarity.

**Word forms.** A column is a word *stem* (Snowball's English stemmer, ``snowballstemmer``),
so "republicans" and "Republicanism", "defector" and "defectors" are one term; each column
is shown as its most frequent surface form on the page (:attr:`TextSpace.vocabulary_`), never
as a stem. Two kinds of token are not words and are left out: the pieces a contraction
leaves when split at its apostrophe ("ve", "ll", "don"), and the last word of a comment the
saved page cut off mid-word ("collectiv").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from numbers import Real

import numpy as np
import scipy.sparse as sp
import snowballstemmer
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
from sklearn.preprocessing import normalize

from threads.analysis.options import is_whole
from threads.errors import AnalysisError, OptionError

# Typographic quotes and apostrophes become ASCII, so "don’t" and "don't" are one token.
_QUOTES = str.maketrans(
    {"\u2019": "'", "\u2018": "'", "\u201b": "'", "\u2032": "'", "\u201c": '"', "\u201d": '"',
     "\u201e": '"', "\u2033": '"', "`": "'"}
)  # fmt: skip


def normalise_quotes(text: str) -> str:
    return text.translate(_QUOTES)


#: What scikit-learn's tokenizer leaves of English contractions split at the apostrophe
#: ("I've" -> "ve", "don't" -> "don"): not words. The list is NLTK's English stop words that
#: are such pieces; "won" and "ma" (real words too) are kept.
CONTRACTION_PIECES = frozenset(
    "ve ll re don didn doesn isn wasn weren aren couldn wouldn shouldn hasn haven hadn "
    "mustn needn shan mightn ain".split()
)
#: A text that ends inside a word (letters or digits to its last character).
_CUT_WORD = re.compile(r"(?u)\b(\w\w+)$")
_STEMMER = snowballstemmer.stemmer("english")
#: Words whose stems are kept: pages share most of their words, and Snowball in pure Python
#: was the largest single cost of fitting a page's space (about 0.1 ms a word).
STEM_CACHE = 100_000


@functools.lru_cache(maxsize=STEM_CACHE)
def _stem(word: str) -> str:
    stem: str = _STEMMER.stemWord(word)
    return stem


def stems(words: Iterable[str]) -> list[str]:
    """Snowball's English stem of each (lowercase) word."""
    return [_stem(word) for word in words]


def cut_word(text: str) -> str | None:
    """The word a cut-off text ends in (lowercase), or None when it ends outside a word."""
    found = _CUT_WORD.search(text.rstrip("\u2026")) if text and text[-1:] != " " else None
    return found.group(1).lower() if found else None


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
    * ``comment_counts_``: raw term counts per comment, same columns (for cluster terms);
    * ``article_counts_``: raw term counts per article text (title and paragraphs);
    * ``vocabulary_``: each column's most frequent surface form (ties: the shorter, then
      alphabetical), the word views show;
    * ``stems_``: each column's stem;
    * ``words_`` and ``comment_word_counts_``: the words as scikit-learn's tokenizer finds
      them, before stemming, and their counts per comment (what the corpus hashes).

    The vectors are TfidfVectorizer's, computed as its documentation describes it: term counts
    (CountVectorizer) then TfidfTransformer, so the counts are kept without tokenising twice;
    the word counts become stem counts by summing the columns of each stem.
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
            "word_forms": "snowball english stems",
            "sublinear_tf": True,
            "min_df": self.min_df,
            "max_df": self.max_df,
            "ngram_range": list(self.ngram_range),
            "max_features": self.max_features,
        }

    def fit(
        self,
        article_paragraphs: Sequence[str],
        comment_texts: Sequence[str],
        truncated: Sequence[bool] = (),
    ) -> TextSpace:
        """Fit over the article's texts and the comments; ``truncated[i]`` says comment i was
        cut off by the saved page (its last word, when cut mid-word, is no word)."""
        documents = [normalise_quotes(t) for t in (*article_paragraphs, *comment_texts)]
        self._check_settings(len(documents))
        counter = CountVectorizer(
            stop_words="english",
            min_df=self.min_df,
            max_df=self.max_df,
            ngram_range=tuple(self.ngram_range),
            max_features=self.max_features,
            dtype=np.float64,  # as TfidfVectorizer counts: the same vectors to the last bit
        )
        try:
            words = sp.csr_matrix(counter.fit_transform(documents))
            self.words_ = list(counter.get_feature_names_out())
        except ValueError as error:
            if not str(error).startswith("empty vocabulary"):
                # Words were there, but min_df / max_df / max_features removed them all.
                raise AnalysisError(
                    f"the vectorizer settings {self._describe()} leave no terms in this "
                    "discussion; lower min_df or raise max_df"
                ) from None
            # Only stop words, emoji or punctuation: an empty space, every similarity 0.
            words = sp.csr_matrix((len(documents), 0), dtype=np.float64)
            self.words_ = []
        n_article = len(article_paragraphs)
        self.comment_word_counts_ = words[n_article:]
        counts = self._stem_counts(words, n_article, documents, truncated)
        if counts.shape[1]:
            matrix = sp.csr_matrix(TfidfTransformer(sublinear_tf=True).fit_transform(counts))
        else:
            matrix = sp.csr_matrix(counts.shape, dtype=np.float64)
        article = matrix[:n_article]
        self.comment_vectors_ = matrix[n_article:]
        self.comment_counts_ = counts[n_article:]
        self.article_counts_ = counts[:n_article]
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

    def _stem_counts(
        self,
        words: sp.csr_matrix,
        n_article: int,
        documents: Sequence[str],
        truncated: Sequence[bool],
    ) -> sp.csr_matrix:
        """Word counts summed per stem, without contraction pieces and cut-off last words;
        sets ``stems_`` and ``vocabulary_``."""
        words = sp.csr_matrix(words, copy=True)
        column = {w: i for i, w in enumerate(self.words_)}
        for row in [n_article + i for i, cut in enumerate(truncated) if cut]:
            found = cut_word(documents[row])
            j = column.get(found) if found else None
            if j is not None:  # one use fewer: the cut-off piece
                start, end = words.indptr[row], words.indptr[row + 1]
                hit = start + np.flatnonzero(words.indices[start:end] == j)
                words.data[hit] -= 1
        words.eliminate_zeros()
        used = np.asarray(words.sum(axis=0)).ravel()
        keep = [i for i, w in enumerate(self.words_) if used[i] > 0 and w not in CONTRACTION_PIECES]
        stem_of = stems(self.words_[i] for i in keep)
        self.stems_ = sorted(set(stem_of))
        stem_column = {s: i for i, s in enumerate(self.stems_)}
        merge = sp.csr_matrix(
            (np.ones(len(keep)), (keep, [stem_column[s] for s in stem_of])),
            shape=(len(self.words_), len(self.stems_)),
        )
        counts = sp.csr_matrix(words @ merge)
        counts.eliminate_zeros()
        # Each stem shown as its most used word on the page (ties: shorter, then alphabetical).
        best: dict[int, tuple[float, int, str]] = {}
        for i, s in zip(keep, stem_of, strict=True):
            word, c = self.words_[i], stem_column[s]
            key = (-float(used[i]), len(word), word)
            if c not in best or key < best[c]:
                best[c] = key
        self.vocabulary_ = [best[c][2] for c in range(len(self.stems_))]
        return counts

    def _describe(self) -> str:
        return (
            f"min_df={self.min_df!r}, max_df={self.max_df!r}, "
            f"max_features={self.max_features!r}, ngram_range={self.ngram_range!r}"
        )

    def _check_settings(self, n_documents: int) -> None:
        """The settings scikit-learn would reject, rejected first in threads' own words.

        A document frequency is a count of documents (a whole number >= 0) or a share of them
        (a fraction from 0 to 1); min_df must not ask for more documents than max_df allows.
        """
        counts: dict[str, float] = {}
        for name in ("min_df", "max_df"):
            value: object = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, Real):
                raise OptionError(name, f"must be a number; got {value!r}")
            number = float(value)
            if is_whole(value):
                if number < 0:
                    raise OptionError(name, f"must be a count >= 0 or a fraction; got {value!r}")
                counts[name] = number
            elif not 0.0 <= number <= 1.0:
                raise OptionError(
                    name, f"as a fraction of documents must be between 0 and 1; got {value!r}"
                )
            else:
                counts[name] = number * n_documents
        if counts["max_df"] < counts["min_df"]:
            raise OptionError(
                "min_df",
                f"({self.min_df!r}) asks for more documents than max_df={self.max_df!r} "
                f"allows ({n_documents} documents)",
            )
        features = self.max_features
        if features is not None and not (is_whole(features) and features >= 1):
            raise OptionError(
                "max_features", f"must be a whole number >= 1 or None; got {features!r}"
            )
        pair: object = self.ngram_range
        low_high = tuple(pair) if isinstance(pair, tuple | list) else ()
        if not (
            len(low_high) == 2
            and all(is_whole(v) for v in low_high)
            and 1 <= low_high[0] <= low_high[1]
        ):
            raise OptionError(
                "ngram_range",
                f"must be (low, high) with 1 <= low <= high; got {self.ngram_range!r}",
            )

    def similarity_to_reference(self) -> np.ndarray:
        """Cosine of every comment to the reference, clipped to [0, 1]."""
        values = np.asarray(self.comment_vectors_ @ self.reference_.T).ravel()
        clipped: np.ndarray = np.clip(values, 0.0, 1.0)
        return clipped

    def pair_similarity(self, rows: np.ndarray, other_rows: np.ndarray) -> np.ndarray:
        """Cosine between comment ``rows[i]`` and comment ``other_rows[i]``, for each i."""
        if len(rows) == 0:
            return np.zeros(0)
        left = self.comment_vectors_[rows]
        right = self.comment_vectors_[other_rows]
        values = np.asarray(left.multiply(right).sum(axis=1)).ravel()
        clipped: np.ndarray = np.clip(values, 0.0, 1.0)
        return clipped
