"""Faults stay local, runs resume from what is done, and no partial file is ever left."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from threads.corpus import task
from threads.corpus.outfolder import JOURNAL_FILE

from .conftest import SIZES, files_of, write_corpus
from .conftest import run_lexical as run

# These tests are about the corpus machinery, not the drift measure: every run uses the word
# measure (``run`` is ``threads corpus ... --lexical``), a third of the bundled model's CPU.


def pages_analysed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The pages the run analyses from now on, as it analyses them."""
    done: list[str] = []
    original = task.run_page

    def counting(job: task.PageJob) -> task.PageResult:
        done.append(job.page)
        return original(job)

    monkeypatch.setattr(task, "run_page", counting)
    return done


def two_pages_done(tmp_path: Path) -> tuple[Path, Path, bytes]:
    """Two pages run once on one worker: the pages, the output folder, its articles.csv."""
    pages = write_corpus(tmp_path / "pages", {"a.txt": 20, "b.txt": 30})
    out = tmp_path / "out"
    assert run(str(pages), "--out", str(out), "--workers", "1").exit_code == 0
    return pages, out, (out / "articles.csv").read_bytes()


@pytest.mark.slow
def test_a_failing_page_is_listed_and_the_others_are_written(tmp_path: Path) -> None:
    pages = write_corpus(tmp_path / "pages", {"a.txt": 20, "b.txt": 30}, broken=False)
    (pages / "broken.bin").write_bytes(b"\x00\x01\x02" * 500)
    out = tmp_path / "out"
    result = run(str(pages), "--out", str(out), "--workers", "1")
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1] == (
        f"Error: 1 of 3 pages failed (their errors are in {out / 'articles.csv'} and corpus.html)"
    )
    rows = {r["page"]: r for r in pq.read_table(out / "articles.parquet").to_pylist()}
    assert rows["broken.bin"]["status"] == "failed"
    assert rows["broken.bin"]["error"].startswith("broken.bin: ")
    assert "\n" not in rows["broken.bin"]["error"]
    assert rows["a.txt"]["status"] == rows["b.txt"]["status"] == "ok"
    html = (out / "corpus.html").read_text(encoding="utf-8")
    assert "failed: broken.bin: " in html
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["failed"] == 1


@pytest.mark.slow
def test_a_rerun_redoes_only_changed_pages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pages = write_corpus(tmp_path / "pages", {"a.txt": 20, "b.txt": 30, "c.txt": 25})
    out = tmp_path / "out"
    assert run(str(pages), "--out", str(out), "--workers", "1").exit_code == 0
    before = files_of(out, "comments", "reports")
    done = pages_analysed(monkeypatch)
    assert run(str(pages), "--out", str(out), "--workers", "1").exit_code == 0
    assert done == []
    assert files_of(out, "comments", "reports") == before
    write_corpus(tmp_path / "other", {"b.txt": 35})
    (pages / "b.txt").write_bytes((tmp_path / "other" / "b.txt").read_bytes())
    assert run(str(pages), "--out", str(out), "--workers", "1").exit_code == 0
    assert done == ["b.txt"]
    assert run(str(pages), "--out", str(out), "--workers", "1", "--seed", "3").exit_code == 0
    assert sorted(done[1:]) == ["a.txt", "b.txt", "c.txt"]
    parts = list((out / "comments").glob("*.parquet"))
    assert len(parts) == 3  # the parts of earlier options are gone


@pytest.mark.slow
def test_a_page_whose_sketch_is_gone_is_redone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pages, out, before = two_pages_done(tmp_path)
    sketches = sorted((out / "cache").glob("*.sketch.json"))
    entries = [p.with_name(p.name.replace(".sketch", "")) for p in sketches]
    assert len(sketches) == 2 and all(p.is_file() for p in entries)
    assert all("sketch" not in json.loads(p.read_text(encoding="utf-8")) for p in entries)
    gone = json.loads(entries[0].read_text(encoding="utf-8"))["page"]
    sketches[0].unlink()
    done = pages_analysed(monkeypatch)
    assert run(str(pages), "--out", str(out), "--workers", "1").exit_code == 0
    assert done == [gone]
    assert (out / "articles.csv").read_bytes() == before


@pytest.mark.slow
def test_a_damaged_sketch_is_redone_with_a_warning(tmp_path: Path) -> None:
    pages, out, before = two_pages_done(tmp_path)
    damaged = sorted((out / "cache").glob("*.sketch.json"))[0]
    entry = damaged.with_name(damaged.name.replace(".sketch", ""))
    page = json.loads(entry.read_text("utf-8"))["page"]
    damaged.write_text('{"documents": 3, "df"', encoding="utf-8")
    result = run(str(pages), "--out", str(out), "--workers", "1")
    assert result.exit_code == 0, result.output
    assert (
        f"warning: {entry}: the cache entry of {page} cannot be used (its comparison sketch "
        "cannot be read); the page is analysed again"
    ) in result.output
    assert (out / "articles.csv").read_bytes() == before


@pytest.mark.slow
def test_a_failure_mid_run_leaves_no_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pages = write_corpus(tmp_path / "pages", {"a.txt": 20, "b.txt": 30})
    out = tmp_path / "out"
    from threads.corpus import tables

    original = tables.parquet_bytes
    calls = []

    def interrupted(table: pa.Table) -> bytes:
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return original(table)

    monkeypatch.setattr(tables, "parquet_bytes", interrupted)
    result = run(str(pages), "--out", str(out), "--workers", "1")
    assert result.exit_code == 1  # click's Abort
    leftovers = [p for p in out.rglob("*") if p.name.startswith(".") or p.suffix == ".tmp"]
    assert leftovers == [out / JOURNAL_FILE]  # the files the run wrote, for the next run
    assert len(list((out / "comments").glob("*.parquet"))) == 1
    assert not (out / "manifest.json").exists()
    monkeypatch.setattr(tables, "parquet_bytes", original)
    assert run(str(pages), "--out", str(out), "--workers", "1").exit_code == 0
    assert len(list((out / "comments").glob("*.parquet"))) == 2


@pytest.mark.slow
def test_leftover_temporary_files_of_a_killed_worker_are_removed(tmp_path: Path) -> None:
    pages = write_corpus(tmp_path / "pages", {"a.txt": 20})
    out = tmp_path / "out"
    (out / "comments").mkdir(parents=True)
    (out / "comments" / ".part-x.parquet.threads-ab12cd34.tmp").write_bytes(b"half")
    assert run(str(pages), "--out", str(out), "--workers", "1").exit_code == 0
    assert not list(out.rglob("*.tmp"))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--clusters", "0"], "clusters"),
        (["--reports", "some"], "reports must be all, none or top:N"),
        (["--seed", "-1"], "seed"),
    ],
)
def test_bad_options_exit_2_with_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    result = run(str(tmp_path), "--out", str(tmp_path / "out"), *args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_a_missing_path_is_named(tmp_path: Path) -> None:
    result = run(str(tmp_path / "nope"), "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: {tmp_path / 'nope'}: no such file or folder"


def test_a_list_file_names_the_pages(tmp_path: Path) -> None:
    pages = write_corpus(tmp_path / "pages", {"x/a.txt": 20, "y/b.txt": 22})
    listing = tmp_path / "pages.list"
    listing.write_text("pages/x/a.txt\npages/y/b.txt\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run(str(listing), "--out", str(out), "--workers", "1", "--reports", "none")
    assert result.exit_code == 0, result.output
    assert [r["page"] for r in pq.read_table(out / "articles.parquet").to_pylist()] == [
        "x/a.txt",
        "y/b.txt",
    ]
    assert not (out / "reports").exists()
    assert pages.is_dir()
    assert SIZES  # the shared corpus is untouched by these tests


@pytest.mark.slow
def test_reports_of_pages_no_longer_chosen_are_removed(tmp_path: Path) -> None:
    pages = write_corpus(tmp_path / "pages", {"a.txt": 20, "b.txt": 24})
    out = tmp_path / "out"
    assert run(str(pages), "--out", str(out), "--workers", "1", "--reports", "all").exit_code == 0
    assert len(list((out / "reports").glob("*"))) == 6
    assert run(str(pages), "--out", str(out), "--workers", "1", "--reports", "top:1").exit_code == 0
    rows = pq.read_table(out / "articles.parquet").to_pylist()
    kept = [r["report"] for r in rows if r["report"]]
    assert len(kept) == 1
    assert sorted(p.name for p in (out / "reports").glob("*")) == sorted(
        Path(kept[0]).with_suffix(s).name for s in (".csv", ".html", ".json")
    )


def test_pages_that_repeat_each_other_give_recurring_topics_without_a_warning(
    tmp_path: Path,
) -> None:
    # Identical pages give identical clusters: fewer distinct centres than recurring topics.
    pages = write_corpus(tmp_path / "pages", {"a.txt": 20})
    for copy in ("b.txt", "c.txt"):
        (pages / copy).write_bytes((pages / "a.txt").read_bytes())
    out = tmp_path / "out"
    result = run(str(pages), "--out", str(out), "--workers", "1", "--reports", "none")
    assert result.exit_code == 0, result.output
    assert "Warning" not in result.output
    rows = pq.read_table(out / "articles.parquet").to_pylist()
    assert len({r["recurring_topics"] for r in rows}) == 1  # the same topics for the three


@pytest.mark.slow
def test_a_row_lost_during_the_run_stops_it_and_the_next_run_redoes_its_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pages, out, before = two_pages_done(tmp_path)
    from threads.corpus import driver
    from threads.corpus.cache import read_cache

    real = read_cache  # what driver.read_cache is
    reads: list[str] = []

    def lost_at_the_end(where: Path, key: str) -> dict[str, object] | None:
        reads.append(key)
        # The cached check reads each entry once; the article table reads them again.
        return None if len(reads) == 3 else real(where, key)

    monkeypatch.setattr(driver, "read_cache", lost_at_the_end)
    result = run(str(pages), "--out", str(out), "--workers", "1")
    assert result.exit_code == 1
    entry = task.cache_path(out, reads[2])
    page = "a.txt" if reads[2] == reads[0] else "b.txt"
    assert result.output.strip().splitlines()[-1] == (
        f"Error: {entry}: the cached article row of {page} cannot be read; "
        "its cache entry is removed: run again to redo the page"
    )
    assert not entry.exists()
    assert (out / "articles.csv").read_bytes() == before
    monkeypatch.setattr(driver, "read_cache", real)
    done = pages_analysed(monkeypatch)
    assert run(str(pages), "--out", str(out), "--workers", "1").exit_code == 0
    assert done == [page]
    assert (out / "articles.csv").read_bytes() == before


@pytest.mark.slow  # two runs on two spawned workers: about 11 s
def test_an_error_while_the_workers_write_reports_stops_them_cleanly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # On local workers the reports are written while this process compares the pages: an
    # error there stops the workers mid-report, and no report or stamp is left half-made.
    pages = write_corpus(tmp_path / "pages", {f"p{i}.txt": 40 for i in range(6)})
    out = tmp_path / "out"
    from threads.corpus import driver
    from threads.errors import OutputError

    def failing(*args: object, **kwargs: object) -> None:
        raise OutputError("comparison failed here")

    monkeypatch.setattr(driver, "compare", failing)
    result = run(str(pages), "--out", str(out), "--workers", "2", "--reports", "all")
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1] == "Error: comparison failed here"
    assert [p for p in out.rglob("*") if p.suffix == ".tmp"] == []
    for html in (out / "reports").glob("*.html"):
        assert html.read_text(encoding="utf-8").rstrip().endswith("</html>")
    assert not (out / "manifest.json").exists()
    monkeypatch.undo()
    assert run(str(pages), "--out", str(out), "--workers", "2", "--reports", "all").exit_code == 0
    assert len(list((out / "reports").glob("*.html"))) == 6
