"""Which files a corpus reads: folders, list files, and what a folder walk leaves out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from threads.corpus.inputs import collect
from threads.errors import InputError

from .conftest import run_lexical as run
from .conftest import write_corpus

# These tests are about the corpus machinery, not the drift measure: every run uses the word
# measure (``run`` is ``threads corpus ... --lexical``), a third of the bundled model's CPU.


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
    assert inputs.pages[0].facts.url == "https://unherd.com/x"
    assert inputs.skipped_names() == [
        ("README.md", "documentation"),
        ("a.txt.url", "the address of a.txt"),
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
    expected = r"holds no pages \(only documentation, label, link or other non-comment files: 1\)"
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


def test_a_walked_json_file_without_comments_is_left_out_not_failed(tmp_path: Path) -> None:
    pages = write_corpus(tmp_path / "pages", {"a.txt": 20})
    (pages / "expected.json").write_text('{"off_topic": [3, 5], "pages": 1}', encoding="utf-8")
    records = [{"id": "1", "text": "A comment on the article."}, {"id": "2", "text": "Yes."}]
    (pages / "comments.json").write_text(json.dumps(records), encoding="utf-8")
    (pages / "broken.json").write_text('{"comments": [', encoding="utf-8")
    out = tmp_path / "out"
    result = run(str(pages), "--out", str(out), "--workers", "1", "--reports", "none")
    assert "expected.json (JSON without comments)" in result.output
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["skipped"] == [{"path": "expected.json", "reason": "JSON without comments"}]
    # A JSON list of comments is a page; JSON that does not parse is a page that fails.
    assert [i["page"] for i in manifest["inputs"]] == ["a.txt", "broken.json", "comments.json"]
    assert result.exit_code == 1
    assert "1 of 3 pages failed" in result.output
    # Named by itself, the file is read: it fails as a page, naming why.
    result = run(str(pages / "expected.json"), "--out", str(tmp_path / "named"), "--workers",
                 "1", "--reports", "none")  # fmt: skip
    assert result.exit_code == 1
    assert "1 of 1 pages failed" in result.output
