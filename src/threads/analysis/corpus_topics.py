"""The opt-in corpus topic model: one k-means over every comment of the corpus.

Recurring topics group the pages' own clusters; this groups the comments themselves, so a
topic that runs through many articles in a few comments each is found as one. Each comment
is a vector in the frozen comparison space (hashed terms, sublinear counts times the saved
IDF, unit length), and scikit-learn's ``MiniBatchKMeans`` learns K centres from the comment
tables streamed in fixed blocks of ``BLOCK`` comments, pages in page order: the driver never
holds more than one block, whatever the corpus size, and the same corpus, K and seed give the
same topics whatever the engine or the order pages finished in. A second pass assigns every
comment its topic and sums each topic's terms; a topic is named by its most distinctive terms
(class-based TF-IDF over the topics, as for the page clusters).

Nothing here changes a page's own figures: the assignments go to their own table
(``comment-topics.parquet``: page, id, corpus_topic) and the topics to the comparison page.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from threads.analysis.comparison_space import ComparisonSpace
from threads.analysis.options import check_comment_topics
from threads.analysis.sketch import hasher
from threads.analysis.topics import class_tfidf_ranking
from threads.errors import OptionError
from threads.pools import one_thread

COMMENT_TOPICS_PARQUET = "comment-topics.parquet"
#: Comments per block: one MiniBatchKMeans step, and the most the driver holds at once.
BLOCK = 4096
#: Steps the centres get at least: a small corpus is passed over again until it has had
#: this many (a corpus of one block would otherwise get a single step).
MIN_STEPS = 30
#: The most passes over the corpus.
MAX_EPOCHS = 10
#: Terms that name a topic, and pages listed with it.
TERMS = 6


@dataclass(frozen=True)
class CorpusTopic:
    """One topic of the corpus topic model."""

    number: int  # 0 = the most comments (ties: the lower centre)
    terms: tuple[str, ...]  # its most distinctive terms
    comments: int  # comments assigned to it
    share: float  # its comments over the corpus's
    pages: int  # pages with at least one of them
    top_pages: tuple[str, ...]  # pages with the most of its comments, most first (up to 10)


def _blocks(parts: Sequence[tuple[str, Path]]) -> Iterator[tuple[list[str], list[str], list[str]]]:
    """(pages, ids, texts) in blocks of ``BLOCK`` comments (the last one shorter), pages in
    the order given and comments in page order: the same blocks however the run went."""
    import pyarrow.parquet as pq

    pages: list[str] = []
    ids: list[str] = []
    texts: list[str] = []
    for page, path in parts:
        table = pq.read_table(path, columns=["id", "text"])
        for comment_id, text in zip(
            table.column("id").to_pylist(), table.column("text").to_pylist(), strict=True
        ):
            pages.append(page)
            ids.append(str(comment_id))
            texts.append(text or "")
            if len(texts) == BLOCK:
                yield pages, ids, texts
                pages, ids, texts = [], [], []
    if texts:
        yield pages, ids, texts


class _Vectors:
    """Texts as unit rows in the comparison space (its weighting, then unit length)."""

    def __init__(self, space: ComparisonSpace) -> None:
        self.hasher = hasher()
        self.space = space

    def counts(self, texts: list[str]) -> sp.csr_matrix:
        return sp.csr_matrix(self.hasher.transform(texts))

    def unit(self, counts: sp.csr_matrix) -> sp.csr_matrix:
        from sklearn.preprocessing import normalize

        weighted = counts.copy()
        weighted.data = self.space.weigh(weighted.indices, weighted.data)
        return sp.csr_matrix(normalize(weighted))


def fit(
    parts: Sequence[tuple[str, Path]], space: ComparisonSpace, k: int, seed: int, comments: int
) -> tuple[list[CorpusTopic], bytes]:
    """The topics and the ``comment-topics.parquet`` bytes for the comment tables ``parts``
    ((page, path) in page order) holding ``comments`` comments in all."""
    import warnings

    from sklearn.cluster import MiniBatchKMeans
    from sklearn.exceptions import ConvergenceWarning

    check_comment_topics(k)
    if comments < k:
        raise OptionError(
            "comment_topics", f"asks for {k} topics but the corpus has {comments} comments"
        )
    vectors = _Vectors(space)
    model = MiniBatchKMeans(n_clusters=k, random_state=seed, batch_size=BLOCK, n_init=3)
    blocks = math.ceil(comments / BLOCK)
    epochs = min(MAX_EPOCHS, max(1, math.ceil(MIN_STEPS / blocks)))
    # One thread: the centres are then the same numbers on any machine's core count.
    with one_thread(), warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # fewer distinct texts than K
        for _ in range(epochs):
            for _, _, texts in _blocks(parts):
                model.partial_fit(vectors.unit(vectors.counts(texts)))
        return _assign(parts, vectors, model, k, space.n_features)


def _assign(
    parts: Sequence[tuple[str, Path]], vectors: _Vectors, model: Any, k: int, n_features: int
) -> tuple[list[CorpusTopic], bytes]:
    """Every comment's topic, each topic's terms and pages; the table's bytes."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    sums = sp.csr_matrix((k, n_features))
    sizes = np.zeros(k, dtype=np.int64)
    per_page: dict[str, np.ndarray] = {}
    words: dict[int, tuple[str, int]] = {}
    analyzer = vectors.hasher.build_analyzer()
    schema = pa.schema([("page", pa.string()), ("id", pa.string()), ("corpus_topic", pa.int32())])
    raw_sink = pa.BufferOutputStream()
    with pq.ParquetWriter(raw_sink, schema, compression="zstd") as writer:
        for pages, ids, texts in _blocks(parts):
            counts = vectors.counts(texts)
            raw = np.asarray(model.predict(vectors.unit(counts)), dtype=np.int64)
            members = sp.csr_matrix(
                (np.ones(len(raw)), (raw, np.arange(len(raw)))), shape=(k, len(raw))
            )
            sums = sp.csr_matrix(sums + members @ counts)
            sizes += np.bincount(raw, minlength=k)
            for page, label in zip(pages, raw.tolist(), strict=True):
                per_page.setdefault(page, np.zeros(k, dtype=np.int32))[label] += 1
            _name_features(words, vectors, analyzer, texts)
            table = pa.table({"page": pages, "id": ids, "corpus_topic": raw.astype(np.int32)})
            writer.write_table(table.cast(schema))
    # Topics numbered by size, largest first (ties: the lower centre), as page clusters are;
    # the table is renumbered block by block from its compressed bytes.
    order = sorted(range(k), key=lambda t: (-int(sizes[t]), t))
    renumber = np.empty(k, dtype=np.int32)
    renumber[order] = np.arange(k, dtype=np.int32)
    sink = pa.BufferOutputStream()
    with pq.ParquetWriter(sink, schema, compression="zstd") as writer:
        source = pq.ParquetFile(pa.BufferReader(raw_sink.getvalue()))
        for batch in source.iter_batches(batch_size=BLOCK):
            labels = renumber[batch.column(2).to_numpy()]
            writer.write_table(
                pa.Table.from_arrays(
                    [batch.column(0), batch.column(1), pa.array(labels, pa.int32())],
                    schema=schema,
                )
            )
    terms = _terms(sums, words)
    total = int(sizes.sum())
    topics = []
    for old in order:
        holding = sorted(
            ((int(v[old]), p) for p, v in per_page.items() if v[old]), key=lambda x: (-x[0], x[1])
        )
        topics.append(
            CorpusTopic(
                number=int(renumber[old]),
                terms=terms[old],
                comments=int(sizes[old]),
                share=int(sizes[old]) / total,
                pages=len(holding),
                top_pages=tuple(p for _, p in holding[:10]),
            )
        )
    return topics, sink.getvalue().to_pybytes()


def _name_features(
    words: dict[int, tuple[str, int]], vectors: _Vectors, analyzer: Any, texts: list[str]
) -> None:
    """Keep a word for each hashed feature seen: the one with the most uses in a block so far
    (several words can share a feature). One entry per feature, so the map stays bounded
    however large the corpus; ties keep the word seen first."""
    from collections import Counter

    used = Counter(w for text in texts for w in analyzer(text))
    if not used:
        return
    fresh = sorted(used)
    rows = vectors.counts(fresh)  # one word per row: its feature is the row's only entry
    for word, start, stop in zip(fresh, rows.indptr[:-1], rows.indptr[1:], strict=True):
        if stop == start:
            continue
        feature = int(rows.indices[start])
        held = words.get(feature)
        if held is None or held[0] == word:
            words[feature] = (word, (held[1] if held else 0) + used[word])
        elif used[word] > held[1]:
            words[feature] = (word, used[word])


def _terms(sums: sp.csr_matrix, words: dict[int, tuple[str, int]]) -> list[tuple[str, ...]]:
    """Each topic's most distinctive terms: class-based TF-IDF over the topics' summed counts,
    as for the page clusters."""
    return [
        tuple(words[f][0] for f in map(int, columns) if f in words)[:TERMS]
        for columns in class_tfidf_ranking(sums)
    ]
