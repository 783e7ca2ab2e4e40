"""A corpus page that gets a report is read, embedded and scored once: its report is written
from the analysis its task stored, and is the report a second, full analysis would write."""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from threads.analysis import AnalysisOptions, embeddings, sentiment
from threads.corpus import analyze_page, task
from threads.corpus.cache import cache_problem, read_cache
from threads.corpus.reports import ReportJob, ReportResult, run_report
from threads.pipeline import page_analysis
from threads.report import write_report

from ..conftest import CORPUS
from .conftest import files_of, run_lexical, write_page

SUFFIXES = (".html", ".json", ".csv")


def counted(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How often, from now on, a page is read, embedded and scored for its sentiment."""
    calls: Counter[str] = Counter()
    read, encode = task.read_page, embeddings.MiniLM.encode  # encode: the tests' memo

    def reading(job: task.PageJob) -> bytes:
        calls["read"] += 1
        return read(job)

    def embedding(self: embeddings.MiniLM, texts: Sequence[str]) -> np.ndarray:
        calls["embedded"] += 1
        return encode(self, texts)

    class Scoring(sentiment.Scoring):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            calls["scored"] += 1
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(task, "read_page", reading)
    monkeypatch.setattr(embeddings.MiniLM, "encode", embedding)
    monkeypatch.setattr("threads.analysis._analyze.Scoring", Scoring)
    return calls


def page_done(tmp_path: Path, options: AnalysisOptions, comments: int | None = 6) -> ReportJob:
    """A page of ``comments`` comments (the corpus article for None) analysed as a corpus
    page into ``tmp_path / "out"``; its report's job."""
    root = tmp_path / "pages"
    root.mkdir()
    if comments is None:
        shutil.copy(CORPUS, root / "a.txt")
    else:
        write_page(comments, root / "a.txt", seed=3)
    out = tmp_path / "out"
    result = analyze_page(root / "a.txt", root, options, out)
    assert result.ok, result.error
    job = task.PageJob(str(root / "a.txt"), result.page, result.key, options, str(out))
    return ReportJob(job, str(out / "reports" / "a.txt.html"))


def reference(job: ReportJob, folder: Path) -> dict[str, bytes]:
    """The page's report as the corpus wrote it before: from a second, full analysis."""
    html = folder / "a.txt.html"
    write_report(page_analysis(task.read_discussion(job.page), job.page.options), html)
    return {s: html.with_suffix(s).read_bytes() for s in SUFFIXES}


def written(job: ReportJob) -> dict[str, bytes]:
    html = Path(job.html)
    return {s: html.with_suffix(s).read_bytes() for s in SUFFIXES}


def test_a_report_page_is_read_embedded_and_scored_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = counted(monkeypatch)
    report = page_done(tmp_path, AnalysisOptions())
    assert run_report(report) == ReportResult()
    assert calls == {"read": 1, "embedded": 1, "scored": 1}
    assert all(Path(report.html).with_suffix(s).is_file() for s in SUFFIXES)


@pytest.mark.slow
@pytest.mark.parametrize("measure", [AnalysisOptions(), AnalysisOptions(lexical=True)])
def test_the_report_is_the_one_a_second_analysis_writes(
    tmp_path: Path, measure: AnalysisOptions
) -> None:
    report = page_done(tmp_path, measure, comments=None)
    assert run_report(report) == ReportResult()
    assert written(report) == reference(report, tmp_path / "reference")


def damaged(report: ReportJob, damage: str) -> tuple[Path, str]:
    """The page's stored analysis damaged as ``damage`` says; its path and the reason the
    report's warning gives."""
    out, key = Path(report.page.out), report.page.key
    stored = task.analysis_path(out, key)
    if damage == "changed":  # same size: only its SHA-256 tells
        data = bytearray(stored.read_bytes())
        data[len(data) // 2] ^= 1
        stored.write_bytes(bytes(data))
        return stored, "its bytes are not those the page's task wrote (SHA-256)"
    if damage == "removed":
        stored.unlink()
        return stored, "cannot be read ([Errno 2] No such file or directory: "
    task.cache_path(out, key).write_text('{"format": 3}', encoding="utf-8")
    return stored, "its cache entry cannot be used (not an entry of this threads version)"


def test_a_stored_analysis_that_cannot_be_used_is_made_again_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = page_done(tmp_path, AnalysisOptions(lexical=True))
    stored, reason = damaged(report, "changed")
    calls = counted(monkeypatch)
    result = run_report(report)
    assert result.error is None and result.warning is not None
    assert result.warning == (
        f"{stored}: the cached analysis of a.txt cannot be used ({reason}); its report is "
        "written from a new analysis of the page"
    )
    assert calls == {"read": 1, "scored": 1}  # analysed again, as before analyses were kept


@pytest.mark.slow
@pytest.mark.parametrize("damage", ["changed", "removed", "other entry"])
def test_a_report_made_again_is_the_same_report(tmp_path: Path, damage: str) -> None:
    report = page_done(tmp_path, AnalysisOptions(lexical=True), comments=None)
    stored, reason = damaged(report, damage)
    result = run_report(report)
    assert result.error is None and result.warning is not None
    assert result.warning.startswith(f"{stored}: the cached analysis of a.txt cannot be used")
    assert reason in result.warning
    assert written(report) == reference(report, tmp_path / "reference")


def test_an_entry_whose_analysis_is_cut_short_is_not_used(tmp_path: Path) -> None:
    report = page_done(tmp_path, AnalysisOptions(lexical=True))
    out, key = Path(report.page.out), report.page.key
    assert read_cache(out, key) is not None and cache_problem(out, key) is None
    stored = task.analysis_path(out, key)
    stored.write_bytes(stored.read_bytes()[:-10])
    assert cache_problem(out, key) == "its analysis is not the page's (another size)"
    stored.unlink()
    assert read_cache(out, key) is None
    assert cache_problem(out, key) is not None  # the run analyses the page again


@pytest.mark.slow
def test_a_rerun_that_asks_for_reports_writes_them_from_the_cache(
    small_corpus: Path, serial_out: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    args = (str(small_corpus), "--out", str(out), "--workers", "1")
    first = run_lexical(*args, "--reports", "none")
    assert first.exit_code == 0, first.output
    assert not (out / "reports").exists()
    calls = counted(monkeypatch)
    again = run_lexical(*args, "--reports", "all")
    assert again.exit_code == 0, again.output
    assert "warning" not in again.output
    assert calls == {}  # every page from the cache, every report from its stored analysis
    assert files_of(out, "comments", "reports") == files_of(serial_out, "comments", "reports")
    for name in ("articles.parquet", "articles.csv", "corpus.html"):
        assert (out / name).read_bytes() == (serial_out / name).read_bytes(), name


@pytest.mark.slow
def test_a_rerun_warns_of_a_stored_analysis_it_cannot_use(
    small_corpus: Path, serial_out: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    args = (str(small_corpus), "--out", str(out), "--workers", "1")
    assert run_lexical(*args, "--reports", "none").exit_code == 0
    stored = sorted((out / "cache").glob("*.analysis.json"))[0]
    data = bytearray(stored.read_bytes())
    data[-5] ^= 1
    stored.write_bytes(bytes(data))
    again = run_lexical(*args, "--reports", "all")
    assert again.exit_code == 0, again.output
    assert f"warning: {stored}: the cached analysis of " in again.output
    assert "its report is written from a new analysis of the page" in again.output
    assert files_of(out, "reports") == files_of(serial_out, "reports")
