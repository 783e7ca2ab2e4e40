"""A page's outputs are the same bytes whatever the engine, the worker count, the other
pages in the corpus, or the path the corpus is read through; and the same as
``threads report`` on the page alone."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from threads.cli import cli

from .conftest import SIZES, files_of, run

#: Each identity holds for either measure: checked with words and with the bundled model
#: (whose int8 vectors could depend on what is batched together). Whole corpus runs, 5 to
#: 35 s a test with words and the shared serial run (about 22 s of CPU) with the model, so
#: the tests are marked slow: CI runs them.
MEASURES = [
    pytest.param(("--lexical",), id="lexical"),
    pytest.param((), id="minilm"),
]


def serial_run(request: pytest.FixtureRequest, measure: tuple[str, ...]) -> Path:
    """The one-process run of the small corpus with this measure."""
    return Path(request.getfixturevalue("serial_out" if measure else "serial_out_minilm"))


PER_PAGE = ("comments", "reports")
#: Article-table columns computed from the page alone (the rest compare pages).
PAGE_COLUMNS = [
    "page",
    "status",
    "error",
    "title",
    "published",
    "input_format",
    "comments",
    "announced_total",
    "threads",
    "max_depth",
    "clusters",
    "off_topic_share",
    "off_topic_low",
    "off_topic_high",
    "largest_digression_id",
    "largest_digression_comments",
    "top_terms",
    "sentiment_mean",
]


def page_rows(out: Path) -> dict[str, dict[str, object]]:
    rows = pq.read_table(out / "articles.parquet", columns=PAGE_COLUMNS).to_pylist()
    return {str(r["page"]): r for r in rows}


@pytest.mark.slow
@pytest.mark.parametrize("measure", MEASURES)
def test_two_workers_write_the_same_bytes_as_one(
    small_corpus: Path, tmp_path: Path, request: pytest.FixtureRequest, measure: tuple[str, ...]
) -> None:
    serial_out = serial_run(request, measure)
    out = tmp_path / "out"
    result = run(
        str(small_corpus), "--out", str(out), "--workers", "2", "--reports", "all", *measure
    )
    assert result.exit_code == 0, result.output
    assert files_of(out, *PER_PAGE) == files_of(serial_out, *PER_PAGE)
    for name in (
        "articles.parquet",
        "articles.csv",
        "corpus.html",
        "manifest.json",
        "space-model.json",
    ):
        assert (out / name).read_bytes() == (serial_out / name).read_bytes(), name


@pytest.mark.slow
@pytest.mark.parametrize("measure", MEASURES)
def test_other_pages_in_the_corpus_do_not_change_a_pages_outputs(
    small_corpus: Path, tmp_path: Path, request: pytest.FixtureRequest, measure: tuple[str, ...]
) -> None:
    serial_out = serial_run(request, measure)
    # Half the pages, and read through another path (a copy elsewhere).
    pages = tmp_path / "elsewhere"
    for name in ("one/a.txt", "two/deep/d.txt"):
        (pages / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(small_corpus / name, pages / name)
    out = tmp_path / "out"
    result = run(
        str(pages / "one"),
        str(pages / "two"),
        "--out",
        str(out),
        "--workers",
        "1",
        "--reports",
        "all",
        *measure,
    )
    assert result.exit_code == 0, result.output
    mine, full = files_of(out, *PER_PAGE), files_of(serial_out, *PER_PAGE)
    assert mine and all(full[name] == data for name, data in mine.items())
    assert page_rows(out) == {
        k: v
        for k, v in page_rows(serial_out).items()
        if k in mine or k in ("one/a.txt", "two/deep/d.txt")
    }


@pytest.mark.slow
@pytest.mark.parametrize("measure", MEASURES)
def test_a_pages_report_is_threads_report_on_the_page_alone(
    small_corpus: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
    measure: tuple[str, ...],
) -> None:
    serial_out = serial_run(request, measure)
    monkeypatch.chdir(small_corpus)
    for page in SIZES:
        out = tmp_path / f"{page}.html"
        result = CliRunner().invoke(cli, ["report", page, "--out", str(out), "--quiet", *measure])
        assert result.exit_code == 0, result.output
        for suffix in (".html", ".json", ".csv"):
            mine = (serial_out / "reports" / f"{page}{suffix}").read_bytes()
            assert mine == out.with_suffix(suffix).read_bytes(), (page, suffix)
    assert os.getcwd() == str(small_corpus)


@pytest.mark.slow
def test_dask_cluster_writes_the_same_bytes_as_one_process(
    small_corpus: Path, serial_out_minilm: Path, tmp_path: Path, dask_scheduler: str
) -> None:
    serial_out = serial_out_minilm
    out = tmp_path / "out"
    result = run(
        str(small_corpus), "--out", str(out), "--scheduler", dask_scheduler, "--reports", "all"
    )
    assert result.exit_code == 0, result.output
    assert files_of(out, *PER_PAGE) == files_of(serial_out, *PER_PAGE)
    for name in ("articles.parquet", "articles.csv", "corpus.html", "space-model.json"):
        assert (out / name).read_bytes() == (serial_out / name).read_bytes(), name
