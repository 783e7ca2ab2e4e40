"""One page's corpus task: the comparison sketch it writes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from threads.analysis import AnalysisOptions, TextSpace, analyze
from threads.corpus import task

from .conftest import write_page


@pytest.mark.slow
def test_the_sketch_counts_what_hashing_every_comment_would(tmp_path: Path) -> None:
    page = tmp_path / "p.txt"
    write_page(300, page, seed=4)
    # The sketch counts words whatever the measure: by words, 300 comments need no model.
    job = task.PageJob(str(page), "p.txt", "k", AnalysisOptions(lexical=True), "")
    space = TextSpace()
    discussion = task.read_discussion(job)
    records = analyze(discussion, job.options, space=space).records()
    counts, words = space.comment_word_counts_, list(space.words_)
    sketch = task.page_sketch(discussion, records, counts, words)

    hashed = task._hasher().transform([r["text"] for r in records]).tocsr()
    df = np.bincount(hashed.indices, minlength=task.N_FEATURES)
    assert sketch["df"] == [np.flatnonzero(df).tolist(), df[df > 0].tolist()]
    assert sketch["documents"] == 300
    whole = np.asarray(hashed.sum(axis=0)).ravel()
    indices, values = sketch["all"]
    assert len(indices) == min(task.SKETCH_FEATURES, np.count_nonzero(whole))
    assert values == [round(float(v), 6) for v in whole[indices]]
    assert min(values) >= np.sort(whole)[-len(values)]  # the largest entries
