"""Folder walks: special files are never opened, what cannot be read is named, odd and
non-UTF-8 file names work and their report links open their reports."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from urllib.parse import unquote

import pyarrow.parquet as pq
import pytest

from threads.corpus import inputs
from threads.corpus.inputs import collect
from threads.errors import InputError

from .conftest import run_lexical as run
from .conftest import write_corpus

# These tests are about the corpus machinery, not the drift measure: every run uses the word
# measure (``run`` is ``threads corpus ... --lexical``), a third of the bundled model's CPU.


def test_a_fifo_and_a_socket_are_left_out_unopened(tmp_path: Path) -> None:
    import socket

    pages = write_corpus(tmp_path / "pages", {"a.txt": 20})
    os.mkfifo(pages / "pipe.txt")  # opening it to read would wait for a writer forever
    unix = socket.socket(socket.AF_UNIX)
    unix.bind(str(pages / "sock.txt"))
    try:
        found = collect([pages])
    finally:
        unix.close()
    assert [p.page for p in found.pages] == ["a.txt"]
    assert found.skipped_names() == [
        ("pipe.txt", "not a regular file (a FIFO)"),
        ("sock.txt", "not a regular file (a socket)"),
    ]


def test_a_fifo_named_by_itself_is_refused(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    with pytest.raises(InputError, match="is not a regular file \\(a FIFO\\), not a page"):
        collect([tmp_path / "pipe"])


def test_links_that_loop_are_not_followed(tmp_path: Path) -> None:
    pages = write_corpus(tmp_path / "pages", {"a.txt": 20})
    (pages / "loop").symlink_to(pages)  # a folder link back up
    (pages / "self.txt").symlink_to(pages / "self.txt")  # a link to itself
    found = collect([pages])
    assert [p.page for p in found.pages] == ["a.txt"]
    assert found.skipped_names() == [("self.txt", "a link that leads to no file")]


@pytest.mark.slow
def test_an_unreadable_folder_is_named_and_the_run_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pages = write_corpus(tmp_path / "pages", {"a.txt": 20, "locked/b.txt": 22})
    real = os.scandir

    def denied(path: str | os.PathLike[str] = ".") -> Iterator[os.DirEntry[str]]:
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", denied)  # as a folder without read permission
    out = tmp_path / "out"
    result = run(str(pages), "--out", str(out), "--workers", "1")
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == (
        "Error: 1 not read: 'locked' (cannot read (Permission denied))"
    )
    rows = pq.read_table(out / "articles.parquet").to_pylist()
    assert [r["page"] for r in rows] == ["a.txt"]


@pytest.mark.slow
def test_an_unreadable_file_is_named_and_the_run_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pages = write_corpus(tmp_path / "pages", {"a.txt": 20, "b.txt": 22})
    real = inputs._hash

    def denied(path: Path) -> tuple[str, int]:
        if path.name == "b.txt":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(inputs, "_hash", denied)  # as a file without read permission
    result = run(str(pages), "--out", str(tmp_path / "out"), "--workers", "1")
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == (
        "Error: 1 not read: 'b.txt' (cannot read (Permission denied))"
    )


ODD = ["%41.txt", "what?.txt", "two\nlines.txt", "hash#.txt", "sp ace.txt"]


@pytest.mark.slow
def test_odd_and_non_utf8_names_are_read_and_their_links_open_their_reports(
    tmp_path: Path,
) -> None:
    pages = write_corpus(tmp_path / "pages", {name: 20 + i for i, name in enumerate(ODD)})
    latin = os.fsencode(str(pages)) + b"/caf\xe9.txt"  # not UTF-8
    with open(latin, "wb") as stream:
        stream.write((pages / ODD[0]).read_bytes())
    out = tmp_path / "out"
    result = run(str(pages), "--out", str(out), "--workers", "1", "--reports", "all")
    assert result.exit_code == 0, result.output
    rows = pq.read_table(out / "articles.parquet").to_pylist()
    assert sorted(r["page"] for r in rows) == sorted([*ODD, "caf\\xe9.txt"])
    html = (out / "corpus.html").read_text(encoding="utf-8")
    links = [unescape(h) for h in re.findall(r'href="(reports/[^"#]*)"', html)]
    assert len(set(links)) == 6
    for link in links:
        assert "?" not in link and "\n" not in link and "#" not in link
        assert (out / unquote(link)).is_file(), link


def test_a_list_file_with_a_typo_is_refused(tmp_path: Path) -> None:
    write_corpus(tmp_path / "pages", {"a.txt": 20, "b.txt": 22})
    listing = tmp_path / "pages.list"
    listing.write_text("pages/a.txt\npages/bb.txt\n", encoding="utf-8")
    result = run(str(listing), "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {listing}: looks like a list of pages, but line 2 names no file or folder: "
        "'pages/bb.txt'\n"
    )


def dated_page(path: Path, published: str, texts: list[str]) -> None:
    article = {"title": "Buses", "published": published, "paragraphs": ["Buses to Wakra."]}
    comments = [{"id": str(i), "parent_id": "", "text": t} for i, t in enumerate(texts)]
    path.write_text(json.dumps({"article": article, "comments": comments}), encoding="utf-8")


def test_a_date_before_year_one_does_not_stop_the_chart(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    texts = ["The bus to Wakra is late.", "I like cats.", "Buses run at noon to Wakra."]
    for name, date in (
        ("a.json", "0000-12-31"),
        ("b.json", "0001-01-01"),
        ("c.json", "2020-05-01"),
    ):
        dated_page(pages / name, date, texts)
    out = tmp_path / "out"
    result = run(str(pages), "--out", str(out), "--workers", "1", "--reports", "none")
    assert result.exit_code == 0, result.output
    rows = pq.read_table(out / "articles.parquet").to_pylist()
    assert [r["published"] for r in rows] == ["0000-12-31", "0001-01-01", "2020-05-01"]
    html = (out / "corpus.html").read_text(encoding="utf-8")
    assert "Pages whose article has a date from the years 1000 to 9000 (1 of 3)" in html
