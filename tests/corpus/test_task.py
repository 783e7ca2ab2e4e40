"""One page's corpus task: the comparison sketch it writes."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from threads.corpus import _page_api, task
from threads.corpus.options import PageOptions

from .conftest import write_page


def test_the_sketch_counts_what_hashing_every_comment_would(tmp_path: Path) -> None:
    page = tmp_path / "p.txt"
    write_page(300, page, seed=4)
    job = task.PageJob(str(page), "p.txt", "k", PageOptions(), "")
    space = _page_api.text_space()
    discussion, analysis = task._analysed(job, with_sweep=False, space=space)
    records = _page_api.records(analysis)
    sketch = task.page_sketch(discussion, records, *_page_api.comment_term_counts(space))

    hashed = task._hasher().transform([r["text"] for r in records]).tocsr()
    df = np.bincount(hashed.indices, minlength=task.N_FEATURES)
    assert sketch["df"] == [np.flatnonzero(df).tolist(), df[df > 0].tolist()]
    assert sketch["documents"] == 300
    whole = np.asarray(hashed.sum(axis=0)).ravel()
    indices, values = sketch["all"]
    assert len(indices) == min(task.SKETCH_FEATURES, np.count_nonzero(whole))
    assert values == [round(float(v), 6) for v in whole[indices]]
    assert min(values) >= np.sort(whole)[-len(values)]  # the largest entries
