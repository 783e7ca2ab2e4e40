"""A page's address, title and date from outside it: saved links beside it, `--pages FILE.csv`."""

from __future__ import annotations

import json
import plistlib
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from threads.corpus.facts import link_address

from .conftest import run, write_corpus

COMMENTS = "id,parent_id,author,text\n1,,Ann,The article on housing was right.\n2,1,Bo,Rents.\n"


def rows(out: Path) -> dict[str, dict[str, object]]:
    return {str(r["page"]): r for r in pq.read_table(out / "articles.parquet").to_pylist()}


def test_each_kind_of_saved_link_gives_its_address(tmp_path: Path) -> None:
    url = tmp_path / "a.url"
    url.write_bytes(b"[InternetShortcut]\r\nIDList=\r\nURL=https://example.org/a?x=1\r\n")
    webloc = tmp_path / "b.webloc"
    webloc.write_bytes(plistlib.dumps({"URL": "https://example.org/b"}))
    desktop = tmp_path / "c.desktop"
    desktop.write_text("[Desktop Entry]\nType=Link\nURL=https://example.org/c\n", "utf-8")
    empty = tmp_path / "d.url"
    empty.write_text("[InternetShortcut]\n", encoding="utf-8")
    broken = tmp_path / "e.webloc"
    broken.write_bytes(b"<plist><dict><key>URL")
    assert [link_address(p) for p in (url, webloc, desktop, empty, broken)] == [
        "https://example.org/a?x=1", "https://example.org/b", "https://example.org/c", None, None
    ]  # fmt: skip


def test_a_saved_link_beside_a_page_is_its_address_not_a_page(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "housing.csv").write_text(COMMENTS, encoding="utf-8")
    (pages / "housing.url").write_text("[InternetShortcut]\nURL=https://example.org/h\n", "utf-8")
    (pages / "other.csv").write_text(COMMENTS, encoding="utf-8")
    (pages / "stray.url").write_text("[InternetShortcut]\nURL=https://example.org/s\n", "utf-8")
    out = tmp_path / "out"
    result = run(str(pages), "--out", str(out), "--workers", "1", "--reports", "none",
                 "--lexical")  # fmt: skip
    assert result.exit_code == 0, result.output
    found = rows(out)
    urls = [found[page]["url"] for page in ("housing.csv", "other.csv")]
    assert urls == ["https://example.org/h", None]
    # the one used is not warned about; a link no page owns is named, as before
    assert "1 file is not a page, not read: stray.url (link file)" in result.output
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["inputs"][0]["url"] == "https://example.org/h"
    assert {"path": "housing.url", "reason": "the address of housing.csv"} in manifest["skipped"]


@pytest.mark.slow
def test_a_page_list_gives_address_title_and_date_where_the_page_has_none(tmp_path: Path) -> None:
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "bare.csv").write_text(COMMENTS, encoding="utf-8")
    titled = write_corpus(tmp_path / "pages", {"titled.txt": 12})
    listing = tmp_path / "pages.csv"
    listing.write_text(
        "path,title,url,published,notes\n"
        "pages/bare.csv,Housing: who pays,https://example.org/h,2024-05-01,x\n"
        "pages/titled.txt,Not this title,https://example.org/t,,\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = run("--pages", str(listing), "--out", str(out), "--workers", "1", "--reports",
                 "all", "--lexical")  # fmt: skip
    assert result.exit_code == 0, result.output
    found = rows(out)
    assert (found["bare.csv"]["title"], found["bare.csv"]["published"]) == (
        "Housing: who pays", "2024-05-01"
    )  # fmt: skip
    assert found["bare.csv"]["url"] == "https://example.org/h"
    assert found["titled.txt"]["title"] != "Not this title"  # the page's own title comes first
    assert found["titled.txt"]["url"] == "https://example.org/t"
    report = (out / "reports" / "bare.csv.html").read_text(encoding="utf-8")
    assert "<title>threads report: Housing: who pays" in report
    assert (titled / "titled.txt").is_file()


def test_a_page_list_that_cannot_be_used_is_one_error(tmp_path: Path) -> None:
    listing = tmp_path / "pages.csv"
    listing.write_text("file,url\na.csv,https://example.org\n", encoding="utf-8")
    result = run("--pages", str(listing), "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {listing}: a page list needs a 'path' column (path, url, title, published); "
        "its columns: file, url\n"
    )
    listing.write_text("path\nmissing.csv\n", encoding="utf-8")
    result = run("--pages", str(listing), "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert result.output == f"Error: {listing}: line 2 names no file: 'missing.csv'\n"
    assert not (tmp_path / "out").exists()


def test_no_path_and_no_page_list_is_a_usage_error(tmp_path: Path) -> None:
    result = run("--out", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert "give PATH... (pages, folders, list files) or --pages FILE.csv" in result.output
