"""A page long enough for the one-page report's own worker pool (>= 2,000 comments) runs in
one process inside a daemonic worker, where starting a pool would fail."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from threads.analysis import AnalysisOptions
from threads.corpus import analyze_page
from threads.workers import PARALLEL_FROM

from .conftest import write_page


@pytest.mark.slow
def test_a_2500_comment_page_inside_a_daemonic_worker(tmp_path: Path) -> None:
    assert 2500 >= PARALLEL_FROM
    page = tmp_path / "pages" / "big.txt"
    write_page(2500, page, seed=4)
    # multiprocessing.Pool's workers are daemonic, as Dask's nanny-started workers are.
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        result = pool.apply(
            analyze_page,
            (page, tmp_path / "pages", AnalysisOptions(lexical=True), tmp_path / "out"),
        )
    assert result.ok, result.error
    assert result.page == "big.txt"
    assert result.comments == 2500
    assert len(list((tmp_path / "out" / "comments").glob("*.parquet"))) == 1
