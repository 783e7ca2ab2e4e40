"""`--out` holds threads' own files only: a run never removes or replaces a file threads did
not write, one run at a time holds the folder, and an output folder inside an input is
refused."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from threads.corpus.outfolder import LOCK_FILE, OutputFolder

from .conftest import run_lexical as run
from .conftest import write_corpus

# These tests are about the corpus machinery, not the drift measure: every run uses the word
# measure (``run`` is ``threads corpus ... --lexical``), a third of the bundled model's CPU.

#: Files a user keeps where a run might write (the issue's cases).
USER_FILES = {
    "reports/notes.txt": b"my notes",
    "reports/old-report-k6.html": b"<p>an old report</p>",
    "cache/keep.txt": b"keep",
    "comments/part-mine.parquet": b"not threads'",
    ".draft.tmp": b"a draft",
}


def user_files(out: Path) -> None:
    for name, data in USER_FILES.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(data)


def kept(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in USER_FILES if (out / name).is_file()}


def test_a_folder_with_other_files_is_refused_and_untouched(tmp_path: Path) -> None:
    pages = write_corpus(tmp_path / "pages", {"a.txt": 20, "b.txt": 24})
    out = tmp_path / "out"
    user_files(out)
    result = run(str(pages), "--out", str(out), "--workers", "1")
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {out}: holds 5 file(s) threads did not write ('.draft.tmp', "
        "'cache/keep.txt', 'comments/part-mine.parquet' and 2 more); give an empty or new "
        "folder, or --force to write beside them (they are never removed or replaced)\n"
    )
    assert kept(out) == USER_FILES
    assert not (out / "manifest.json").exists()


@pytest.mark.slow
def test_force_writes_beside_other_files_and_never_removes_them(tmp_path: Path) -> None:
    pages = write_corpus(tmp_path / "pages", {"a.txt": 20, "b.txt": 24, "c.txt": 22})
    out = tmp_path / "out"
    user_files(out)
    args = [str(pages), "--out", str(out), "--workers", "1", "--force"]
    assert run(*args, "--reports", "all").exit_code == 0
    # Fewer reports, other options, fewer pages: threads' own old files go, the user's stay.
    assert run(*args, "--reports", "top:1", "--seed", "3").exit_code == 0
    (pages / "c.txt").unlink()
    assert run(*args, "--reports", "none").exit_code == 0
    assert kept(out) == USER_FILES
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    on_disk = {
        p.relative_to(out).as_posix()
        for p in out.rglob("*")
        if p.is_file() and p.relative_to(out).as_posix() not in USER_FILES
    }
    assert on_disk == set(manifest["files"])  # every file of threads is listed, no other
    assert not any(name.startswith("reports/") for name in on_disk)
    assert len([n for n in on_disk if n.startswith("comments/")]) == 2


@pytest.mark.slow
def test_a_report_where_a_user_file_is_is_not_written_and_named(tmp_path: Path) -> None:
    pages = write_corpus(tmp_path / "pages", {"a.txt": 20, "b.txt": 24})
    out = tmp_path / "out"
    (out / "reports").mkdir(parents=True)
    (out / "reports" / "a.txt.html").write_bytes(b"mine")
    result = run(str(pages), "--out", str(out), "--workers", "1", "--reports", "all", "--force")
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == (
        f"Error: 1 report(s) not written: 'reports/a.txt.html' ({out / 'reports' / 'a.txt.html'}"
        ": a file threads did not write is there)"
    )
    assert (out / "reports" / "a.txt.html").read_bytes() == b"mine"
    assert (out / "reports" / "b.txt.html").is_file()
    rows = {r["page"]: r["report"] for r in pq.read_table(out / "articles.parquet").to_pylist()}
    assert rows == {"a.txt": None, "b.txt": "reports/b.txt.html"}


def test_out_equal_to_or_inside_the_input_is_refused(tmp_path: Path) -> None:
    pages = write_corpus(tmp_path / "pages", {"a.txt": 20, "cache/b.txt": 24})
    before = sorted(p for p in pages.rglob("*"))
    for out in (pages, pages / "out"):
        result = run(str(pages), "--out", str(out), "--workers", "1")
        assert result.exit_code == 1
        where = "the" if out == pages else "inside the"
        assert result.output == (
            f"Error: {out}: the output folder is {where} input folder {pages}; "
            "give an output folder outside it\n"
        )
    assert sorted(p for p in pages.rglob("*")) == before


@pytest.mark.slow
def test_a_second_run_on_the_same_out_is_refused_naming_the_first(tmp_path: Path) -> None:
    pages = write_corpus(tmp_path / "pages", {"a.txt": 20})
    out = tmp_path / "out"
    holder = OutputFolder(out).open()  # as a run in progress holds it
    try:
        result = run(str(pages), "--out", str(out), "--workers", "1")
    finally:
        holder.close()
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {out / LOCK_FILE}: another threads corpus run (process {os.getpid()}) is "
        f"writing to {out}; wait for it to end\n"
    )
    assert not (out / "manifest.json").exists()
    assert run(str(pages), "--out", str(out), "--workers", "1").exit_code == 0
    assert not (out / LOCK_FILE).exists()  # released and removed at the end


@pytest.mark.slow
def test_an_interrupted_run_leaves_files_the_next_run_owns(tmp_path: Path) -> None:
    # No manifest yet: the journal says which files the interrupted run wrote.
    pages = write_corpus(tmp_path / "pages", {"a.txt": 20, "b.txt": 24})
    out = tmp_path / "out"
    from threads.analysis import AnalysisOptions
    from threads.corpus import analyze_page

    assert analyze_page(pages / "a.txt", pages, AnalysisOptions(seed=5, lexical=True), out).ok
    assert run(str(pages), "--out", str(out), "--workers", "1").exit_code == 0
    assert len(list((out / "comments").iterdir())) == 2  # the seed-5 part was threads': gone
