"""Which files a corpus reads: folders, list files, and what a folder walk leaves out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from threads.corpus.inputs import collect
from threads.errors import InputError

from .conftest import run, write_corpus


def test_a_folder_walk_leaves_out_documentation_labels_and_hidden_files(tmp_path: Path) -> None:
    pages = write_corpus(tmp_path / "pages", {"a.txt": 5, "sub/b.txt": 5})
    (pages / "README.md").write_text("# about these pages\n", encoding="utf-8")
    (pages / "sub" / "LICENSE").write_text("CC BY\n", encoding="utf-8")
    (pages / ".hidden.txt").write_text("x\n", encoding="utf-8")
    (pages / "q.json").write_text('{"comments": []}', encoding="utf-8")
    (pages / "q.labels.json").write_text('{"comments": []}', encoding="utf-8")
    (pages / "lone.labels.json").write_text('{"comments": []}', encoding="utf-8")  # no q.json
    # The address a browser saved beside a page (Windows' internet shortcut format).
    (pages / "a.txt.url").write_text("[InternetShortcut]\nURL=https://unherd.com/x\n", "utf-8")
    inputs = collect([pages])
    assert [p.page for p in inputs.pages] == ["a.txt", "lone.labels.json", "q.json", "sub/b.txt"]
    assert inputs.skipped_names() == [
        ("README.md", "documentation"),
        ("a.txt.url", "link file"),
        ("q.labels.json", "labels"),
        ("sub/LICENSE", "documentation"),
    ]


def test_a_file_named_by_itself_is_always_read(tmp_path: Path) -> None:
    pages = write_corpus(tmp_path / "pages", {"a.txt": 5})
    (pages / "README.md").write_text("# notes\n", encoding="utf-8")
    inputs = collect([pages / "a.txt", pages / "README.md"])
    assert [(p.page, p.named) for p in inputs.pages] == [("README.md", True), ("a.txt", True)]
    assert inputs.skipped == ()


def test_a_list_file_names_its_pages_from_its_folder(tmp_path: Path) -> None:
    pages = write_corpus(tmp_path / "pages", {"a.txt": 5, "deep/b.txt": 5, "c.txt": 5})
    listing = tmp_path / "pages" / "chosen.lst"
    listing.write_text("a.txt\n\ndeep/b.txt\n", encoding="utf-8")
    inputs = collect([listing])
    assert inputs.root == pages.resolve()
    assert [p.page for p in inputs.pages] == ["a.txt", "deep/b.txt"]


def test_a_folder_of_documentation_only_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("# nothing here\n", encoding="utf-8")
    expected = r"holds no pages \(only documentation, label or link files: 1\)"
    with pytest.raises(InputError, match=expected):
        collect([tmp_path])


def test_the_run_says_which_files_it_left_out(tmp_path: Path) -> None:
    pages = write_corpus(tmp_path / "pages", {"a.txt": 20, "b.txt": 25})
    (pages / "README.md").write_text("# about\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run(str(pages), "--out", str(out), "--workers", "1", "--reports", "none")
    assert result.exit_code == 0, result.output
    assert (
        "warning: 1 file is not a page, not read: README.md (documentation); "
        "manifest.json lists it"
    ) in result.output
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["skipped"] == [{"path": "README.md", "reason": "documentation"}]
    assert [i["page"] for i in manifest["inputs"]] == ["a.txt", "b.txt"]
