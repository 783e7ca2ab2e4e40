"""The discussion thread by thread: each thread's subject and its digressions (:func:`digest`).

A digression is defined in :class:`~threads.analysis.results.Digression`: where the
conversation turned away from the subject (a reply that departs from what it answers and
from its thread so far, off the subject while its parent was on it; or an off-topic
top-level comment) and the off-topic replies that went on from there
(:func:`~threads.analysis.drift.departures`), so a branch that leaves the subject is one
event however many reply chains run through it. What a thread, a digression or the on-topic
discussion was about are its distinctive terms by class-based TF-IDF against every other
comment (:func:`~threads.analysis.topics.class_tfidf_terms`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

from threads.analysis import drift, topics
from threads.analysis.results import (
    ClusterSummary,
    CommentResult,
    Digest,
    Digression,
    LoneComments,
    ThreadRecord,
)
from threads.models import Discussion

#: A quote is a comment's first this many words.
QUOTE_WORDS = 12
#: On-topic comments quoted as examples of what the on-topic discussion was about.
EXAMPLES = 3


def quote(text: str, words: int = QUOTE_WORDS) -> str:
    """The first ``words`` words of ``text`` on one line, with an ellipsis when cut."""
    parts = text.split()
    head = " ".join(parts[:words]).rstrip(".,;:")  # the quote marks close it, or the ellipsis
    return head + ("\u2026" if len(parts) > words else "")


def _terms(
    counts: sp.csr_matrix, labels: np.ndarray, vocabulary: list[str], k: int
) -> list[tuple[str, ...]]:
    return [tuple(t) for t in topics.class_tfidf_terms(counts, labels, vocabulary, k)]


def _groups(discussion: Discussion, results: Sequence[CommentResult]) -> dict[str, list[str]]:
    """Off-topic comments by where they left the subject (the start's id), for those a
    departure led to (:func:`drift.departures`)."""
    comments = discussion.comments
    parents = [-1 if c.parent_id is None else discussion.index_of(c.parent_id) for c in comments]
    left = drift.departures(parents, [r.turned for r in results], [r.off_topic for r in results])
    groups: dict[str, list[str]] = {}
    for i, start in enumerate(left):
        if start >= 0:
            groups.setdefault(comments[start].id, []).append(comments[i].id)
    return groups


def digest(
    discussion: Discussion,
    results: Sequence[CommentResult],
    clusters: Sequence[ClusterSummary],
    counts: sp.csr_matrix,
    vectors: sp.csr_matrix,
    vocabulary: list[str],
) -> Digest:
    """Every thread's record, every digression (largest first) and the on-topic examples.

    ``counts`` and ``vectors`` are the comments' term counts and normalised TF-IDF rows.
    A comment has words when it has a term in the vocabulary and is not ``too_short``.
    """
    comments = discussion.comments
    n = len(comments)
    if n == 0:
        return Digest()
    index = {c.id: i for i, c in enumerate(comments)}
    off = {r.id: r.off_topic for r in results}
    words = np.asarray(counts.sum(axis=1)).ravel() > 0 if counts.shape[1] else np.zeros(n, bool)
    has_words = {
        c.id: bool(words[i]) and not getattr(results[i], "too_short", False)
        for i, c in enumerate(comments)
    }
    cluster_off = {k.number: k.off_topic for k in clusters}

    # What each digression turned to: its comments against every other comment. Its start
    # turned, or is an off-topic top-level comment: either has words to judge.
    groups = _groups(discussion, results)
    kept = [(key, key, ids) for key, ids in sorted(groups.items(), key=lambda g: index[g[0]])]
    in_digression = {i for ids in groups.values() for i in ids}
    labels = np.full(n, len(kept), dtype=int)
    for number, (_, _, ids) in enumerate(kept):
        labels[[index[i] for i in ids]] = number
    digression_terms = _terms(counts, labels, vocabulary, len(kept) + 1)
    sizes = Counter(len(ids) for _, _, ids in kept)
    found = []
    for number, (_, start, ids) in enumerate(kept):
        topic, votes = Counter(results[index[i]].cluster for i in ids).most_common(1)[0]
        majority = topic if votes * 2 > len(ids) else None
        found.append(
            Digression(
                start_id=start,
                parent_id=discussion.get(start).parent_id,
                root_id=discussion.root_of(start).id,
                ids=tuple(ids),
                terms=digression_terms[number],
                topic=majority,
                topic_off_topic=None if majority is None else cluster_off.get(majority),
                quote=quote(discussion.get(start).text),
                tied=sizes[len(ids)] > 1,
            )
        )
    found.sort(key=lambda d: (-d.comments, index[d.start_id]))

    # What each thread was about: its comments against the rest; lone comments as one class.
    threads = list(discussion.threads())
    multi = [t for t in threads if len(t) > 1]
    labels = np.full(n, len(multi), dtype=int)
    for number, thread in enumerate(multi):
        labels[[index[c.id] for c in thread]] = number
    thread_terms = _terms(counts, labels, vocabulary, len(multi) + 1)
    terms_of = {t[0].id: thread_terms[number] for number, t in enumerate(multi)}
    by_root: dict[str, list[str]] = {}
    for d in found:
        by_root.setdefault(d.root_id, []).append(d.start_id)
    records = tuple(
        ThreadRecord(
            root_id=thread[0].id,
            author=thread[0].author,
            ids=tuple(c.id for c in thread),
            off_topic=sum(off[c.id] for c in thread),
            terms=terms_of.get(thread[0].id, ()),
            quote=quote(thread[0].text),
            digressions=tuple(by_root.get(thread[0].id, ())),
        )
        for thread in threads
    )
    ranked = sorted(
        (r for r in records if r.comments > 1),
        key=lambda r: (-r.off_topic, -r.comments, index[r.root_id]),
    )
    lone_ids = tuple(t[0].id for t in threads if len(t) == 1)
    lone = LoneComments(
        ids=lone_ids,
        off_topic_ids=tuple(i for i in lone_ids if off[i]),
        terms=thread_terms[len(multi)] if lone_ids else (),
    )

    # What the on-topic discussion was about, and the comments nearest its centre.
    on = np.array([not r.off_topic for r in results], dtype=bool)
    on_terms = _terms(counts, on.astype(int), vocabulary, 2)[1] if on.any() else ()
    examples = _examples(discussion, results, vectors, on, has_words)
    named = {*examples, *lone.off_topic_ids, *(r.root_id for r in records)}
    named |= {d.start_id for d in found}
    return Digest(
        on_topic_terms=on_terms,
        on_topic_examples=examples,
        threads=records,
        ranked=tuple(r.root_id for r in ranked),
        lone=lone,
        digressions=tuple(found),
        off_topic_without_turn=tuple(
            c.id for c in comments if off[c.id] and c.id not in in_digression
        ),
        quotes={c.id: quote(c.text) for c in comments if c.id in named},
    )


def _examples(
    discussion: Discussion,
    results: Sequence[CommentResult],
    vectors: sp.csr_matrix,
    on: np.ndarray,
    has_words: dict[str, bool],
) -> tuple[str, ...]:
    """Up to ``EXAMPLES`` on-topic comments closest to the on-topic centroid (ties: the more
    similar to the article, then page order)."""
    rows = [int(i) for i in np.flatnonzero(on) if has_words[discussion.comments[i].id]]
    if not rows:
        return ()
    block = vectors[rows]
    centre = np.asarray(block.mean(axis=0)).ravel() if block.shape[1] else np.zeros(0)
    closeness = (
        np.round(np.asarray(block @ centre).ravel(), 6) if centre.size else np.zeros(len(rows))
    )
    order = sorted(
        range(len(rows)),
        key=lambda j: (-closeness[j], -results[rows[j]].article_similarity, rows[j]),
    )
    return tuple(discussion.comments[rows[j]].id for j in order[:EXAMPLES])
