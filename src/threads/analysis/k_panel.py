"""The K panel: how the clustering behaves with each K of a sweep (silhouette, stability,
off-topic share) and the automatic K made again with four more seeds.

A report's page and ``threads clusters`` show these; no other figure depends on them, and
they cost more than the rest of a small page's analysis. :func:`k_figures` reuses the fits
the automatic choice of K made (``Analysis.k_fits``), so the panel can be added to an
analysis made without it (:func:`threads.analysis.with_k_figures`) with no K fitted twice
and nothing else computed again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from threads.analysis import summary, topics
from threads.analysis.options import SEED_LIMIT, STABILITY_SEEDS


@dataclass(frozen=True)
class KPanel:
    """The panel's figures, as ``Analysis.sweep`` and ``Analysis.k_by_seed`` hold them."""

    sweep: tuple[topics.SweepRow, ...] = ()  # per K of the sweep, in the order asked
    k_by_seed: tuple[tuple[int, int], ...] = ()  # (seed, K chosen) from the seed on


def k_figures(
    vectors: sp.csr_matrix,
    fits: Sequence[topics.Candidate],
    off_topic: Sequence[bool] | np.ndarray,
    seed: int,
    clusters: int | None,
    distinct_texts: int,
    sweep_ks: Sequence[int] = (),
    across_seeds: bool = False,
) -> KPanel:
    """The sweep over ``sweep_ks`` (those from 1 to the distinct texts and the sample size)
    and, when K is chosen automatically (``clusters`` None) and ``across_seeds``, the K chosen
    with the ``STABILITY_SEEDS`` seeds from ``seed`` on.

    ``vectors`` are the comments' TF-IDF rows the topics were fitted on, ``fits`` the
    automatic choice's candidates (``TopicModel.candidates_``, empty when K was given),
    ``off_topic`` each comment's flag. A K of the sweep among ``fits`` is not fitted again.
    """
    n = vectors.shape[0]
    rows = topics.sample_rows(n, seed)
    ks = [k for k in sweep_ks if 1 <= k <= min(distinct_texts, len(rows))]
    auto_ks = topics.auto_range(n, distinct_texts) if clusters is None else []
    across = across_seeds and bool(auto_ks)
    if not ks and not across:
        return KPanel()
    sample = vectors[rows]
    candidates = {fit.k: fit for fit in fits}
    missing = sorted(set(ks) - set(candidates))
    distances = topics.sample_distances(sample) if missing or across else None
    candidates.update(topics.fit_candidates(sample, missing, seed, distances))
    flags = np.asarray(off_topic, dtype=bool)[rows]
    sweep = tuple(summary.sweep_row(candidates[k], sample, flags, seed) for k in ks)
    if not across:
        return KPanel(sweep)
    chosen = topics.choose_k(candidates, auto_ks, n)[0]
    seeds = [(seed + i) % SEED_LIMIT for i in range(STABILITY_SEEDS)]
    by_seed = tuple(
        (s, chosen if s == seed else _choice(sample, auto_ks, s, distances, n)) for s in seeds
    )
    return KPanel(sweep, by_seed)


def _choice(
    sample: sp.csr_matrix, ks: list[int], seed: int, distances: np.ndarray | None, n: int
) -> int:
    """The K chosen automatically with another seed."""
    return topics.choose_k(topics.fit_candidates(sample, ks, seed, distances), ks, n)[0]
