"""CSV and JSON comment files: columns, repairs, encodings, and the JSON round trip."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import threads
from threads.cli import cli

from .conftest import CORPUS, FIXTURES

TABULAR = FIXTURES / "tabular"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_csv_repairs_are_listed_and_nothing_is_lost() -> None:
    discussion = threads.load(TABULAR / "repairs.csv")
    assert discussion.input_format == "csv"
    assert [(c.id, c.parent_id, c.parent_status) for c in discussion] == [
        ("1", None, "top-level"),
        ("2", "1", "exact"),
        ("3", None, "orphan"),
        ("4", None, "top-level"),
        ("5", None, "top-level"),
        ("6", "5", "exact"),
        ("2~2", "1", "exact"),
    ]
    assert [str(r) for r in discussion.repairs] == [
        "comment 2~2: duplicate id '2'; kept as '2~2'",
        "comment 3: parent '99' is not in the input; made top-level (orphan)",
        "comment 4: names itself as parent; made top-level",
        "comment 5: reply cycle (5, 6); made top-level",
    ]
    code, out, err = run("comments", str(TABULAR / "repairs.csv"), "--format", "json")
    assert code == 0
    assert len(json.loads(out)["comments"]) == 7
    assert "repaired: comment 5: reply cycle (5, 6); made top-level" in err
    assert json.loads(out)["repairs"][0]["problem"] == "duplicate id '2'"


def test_crlf_and_utf16_csv_read_the_same() -> None:
    crlf = threads.load(TABULAR / "crlf.csv")
    utf16 = threads.load(TABULAR / "utf16-bom.csv")
    assert (
        [c.text for c in crlf] == [c.text for c in utf16] == ["First, with a comma", "Two\nlines"]
    )
    assert [c.parent_id for c in crlf] == [None, "1"]


def test_json_list_with_numeric_ids() -> None:
    discussion = threads.load(TABULAR / "list.json")
    assert [(c.id, c.parent_id, c.author) for c in discussion] == [
        ("10", None, "Ann Lee"),
        ("11", "10", None),
    ]


def test_json_with_article_and_article_file() -> None:
    discussion = threads.load(TABULAR / "with-article.json")
    assert discussion.article.title == "Escape from North Korea"
    assert discussion.article.paragraphs == (
        "Defectors cross the border.",
        "The pastor helps them.",
    )
    from_file = threads.load(TABULAR / "list.json", article_path=TABULAR / "article.txt")
    assert from_file.article.title == "Escape from North Korea"
    assert from_file.article.published == "November 21, 2023"
    assert from_file.article.paragraphs == ("Defectors cross the border.", "The pastor helps them.")


def test_missing_column_is_a_one_line_error() -> None:
    path = TABULAR / "missing-text.csv"
    code, _, err = run("comments", str(path))
    assert code == 1
    assert err == (
        f"Error: {path}: CSV lacks column text; expected columns id and text "
        "(optional: parent_id, author, posted, position)\n"
    )


def test_broken_json_is_a_one_line_error() -> None:
    path = TABULAR / "not-json.json"
    code, _, err = run("comments", str(path))
    assert code == 1
    assert err.startswith(f"Error: {path}: is not valid JSON (line 1, column ")


def test_threads_json_round_trip_is_identical(tmp_path: Path) -> None:
    for args in ([], ["--no-analysis"], ["--clusters", "3", "--seed", "2"]):
        code, first, _ = run("comments", str(CORPUS), "--format", "json", *args)
        assert code == 0
        saved = tmp_path / "saved.json"
        saved.write_text(first, encoding="utf-8")
        code, second, _ = run("comments", str(saved), "--format", "json", *args)
        assert code == 0 and second == first


def test_report_says_which_kind_was_read(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    code, _, err = run("report", str(TABULAR / "repairs.csv"), "--out", str(out))
    assert code == 0, err
    page = out.read_text(encoding="utf-8")
    assert "read as a CSV comment file" in page
    assert "Repaired in the input: comment 4: names itself as parent; made top-level." in page


TEXTS = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r"),
    max_size=60,
)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["Ann", "Bob", None]), TEXTS), max_size=12))
def test_generated_comment_files_round_trip(rows: list[tuple[str | None, str]]) -> None:
    import tempfile

    records = [
        {"id": str(i + 1), "parent_id": str(i) if i % 2 else None, "author": author, "text": text}
        for i, (author, text) in enumerate(rows)
    ]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "comments.json"
        path.write_text(json.dumps(records), encoding="utf-8")
        discussion = threads.load(path)
    assert [c.id for c in discussion] == [r["id"] for r in records]
    assert [c.text for c in discussion] == [r["text"] for r in records]
    assert [c.author for c in discussion] == [
        r["author"] if r["author"] and r["author"].strip() else None for r in records
    ]
    assert [c.parent_id for c in discussion] == [r["parent_id"] for r in records]
