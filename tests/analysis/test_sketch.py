"""A page's comparison sketch (:mod:`threads.analysis.sketch`), as a corpus run writes it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import threads
from tests.corpus.conftest import write_page
from threads.analysis import AnalysisOptions, TextSpace, analyze, sketch


@pytest.mark.slow
def test_the_sketch_counts_what_hashing_every_comment_would(tmp_path: Path) -> None:
    page = tmp_path / "p.txt"
    write_page(300, page, seed=4)
    # The sketch counts words whatever the measure: by words, 300 comments need no model.
    space = TextSpace()
    discussion = threads.load(page)
    records = analyze(discussion, AnalysisOptions(lexical=True), space=space).records()
    counts, words = space.comment_word_counts_, list(space.words_)
    found = sketch.page_sketch(discussion, records, counts, words)

    hashed = sketch.hasher().transform([r["text"] for r in records]).tocsr()
    df = np.bincount(hashed.indices, minlength=sketch.N_FEATURES)
    assert found["df"] == [np.flatnonzero(df).tolist(), df[df > 0].tolist()]
    assert found["documents"] == 300
    whole = np.asarray(hashed.sum(axis=0)).ravel()
    indices, values = found["all"]
    assert len(indices) == min(sketch.SKETCH_FEATURES, np.count_nonzero(whole))
    assert values == [round(float(v), 6) for v in whole[indices]]
    assert min(values) >= np.sort(whole)[-len(values)]  # the largest entries
