"""`threads corpus --sqlite`: the corpus as the database `threads export --to sqlite` writes."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from threads.cli import cli

from .conftest import run, write_corpus

TABLES = ("pages", "comments", "topics", "digressions")


def rows(path: Path, table: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(path) as db:
        return db.execute(f"select * from {table} order by rowid").fetchall()


def schema(path: Path) -> dict[str, str]:
    with sqlite3.connect(path) as db:
        found = db.execute("select name, sql from sqlite_master where sql is not null").fetchall()
    return dict(found)


@pytest.mark.slow
def test_the_corpus_database_holds_what_export_writes_for_the_same_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pages = write_corpus(tmp_path / "pages", {"one/a.txt": 12, "two/b.txt": 20}, broken=True)
    out = tmp_path / "out"
    result = run(str(pages), "--out", str(out), "--workers", "1", "--reports", "none",
                 "--lexical", "--sqlite")  # fmt: skip
    assert result.exit_code == 1, result.output  # the binary file fails; the rest is written
    db = out / "corpus.db"
    monkeypatch.chdir(pages)  # export names each page as given: the corpus's relative names
    exported = tmp_path / "export.db"
    done = CliRunner().invoke(
        cli, ["export", "one/a.txt", "two/b.txt", "--to", "sqlite", "--out", str(exported),
              "--lexical"],
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    for table in TABLES:
        assert rows(db, table) == rows(exported, table), table
    found = schema(db)
    assert {k: v for k, v in found.items() if k != "failures"} == schema(exported)
    failures = rows(db, "failures")
    assert [page for page, _ in failures] == ["two/broken.bin"]
    assert failures[0][1].startswith("two/broken.bin: ")
    assert [row[0] for row in rows(db, "pages")] == ["one/a.txt", "two/b.txt"]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert "corpus.db" in manifest["files"]


@pytest.mark.slow
def test_a_rerun_writes_the_database_from_the_cache_and_without_sqlite_removes_it(
    tmp_path: Path,
) -> None:
    pages = write_corpus(tmp_path / "pages", {"a.txt": 12, "b.txt": 15})
    out = tmp_path / "out"
    args = [str(pages), "--out", str(out), "--workers", "1", "--reports", "none", "--lexical"]
    assert run(*args, "--sqlite").exit_code == 0
    first = {table: rows(out / "corpus.db", table) for table in TABLES}
    assert len(first["comments"]) == 12 + 15
    (out / "corpus.db").unlink()
    assert run(*args, "--sqlite").exit_code == 0  # every page from the cache
    assert {table: rows(out / "corpus.db", table) for table in TABLES} == first
    assert run(*args).exit_code == 0
    assert not (out / "corpus.db").exists()  # threads' own file, no longer asked for
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert "corpus.db" not in manifest["files"]


def test_a_database_threads_did_not_write_is_never_replaced(tmp_path: Path) -> None:
    pages = write_corpus(tmp_path / "pages", {"a.txt": 12})
    out = tmp_path / "out"
    args = [str(pages), "--out", str(out), "--workers", "1", "--reports", "none", "--lexical"]
    assert run(*args).exit_code == 0
    (out / "corpus.db").write_bytes(b"mine")
    result = run(*args, "--sqlite", "--force")
    assert result.exit_code == 1
    assert "corpus.db: a file threads did not write is there, and is never replaced" in (
        result.output
    )
    assert (out / "corpus.db").read_bytes() == b"mine"
