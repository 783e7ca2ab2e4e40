"""CSV and JSON files from other tools: columns mapped loudly, chosen with --columns, ids
numbered when missing; never a comment dropped with exit 0."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import threads
from threads.cli import cli
from threads.errors import InputError, OptionError


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def records(out: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.splitlines()]


def test_common_names_are_mapped_and_named_on_stderr(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        "comment_id,body,in_reply_to,username,created_at\n"
        "a,first,,Ann,2024-01-02T10:00:00Z\n"
        "b,second,a,Bob,2024-01-02T11:30:00+01:00\n",
        "utf-8",
    )
    code, out, err = run("comments", str(path), "--no-analysis", "--format", "jsonl")
    assert code == 0
    assert err == (
        f"warning: {path}: read column body as text, in_reply_to as parent_id, username as "
        "author, created_at as posted (--columns chooses others)\n"
        f"warning: {path}: no id column; comments are numbered 1, 2, ... in file order "
        "(--columns id=COLUMN names one)\n"
        "repaired: comment 2: parent 'a' is not in the input; made top-level (orphan)\n"
    )
    got = [(r["id"], r["parent_id"], r["author"], r["posted_iso"], r["text"]) for r in records(out)]
    # in_reply_to names "a", which is no id here (ids are row numbers): an orphan, said so.
    assert got == [
        ("1", None, "Ann", "2024-01-02T10:00:00+00:00", "first"),
        ("2", None, "Bob", "2024-01-02T11:30:00+01:00", "second"),
    ]


def test_columns_option_chooses_ids_and_parents(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("comment_id,body,in_reply_to,username\na,first,,Ann\nb,second,a,Bob\n", "utf-8")
    code, out, err = run(
        "comments", str(path), "--no-analysis", "--format", "jsonl", "--columns", "id=comment_id"
    )
    assert code == 0
    assert "comment_id as id" in err and "no id column" not in err
    got = [(r["id"], r["parent_id"], r["thread_id"], r["depth"]) for r in records(out)]
    assert got == [("a", None, "a", 0), ("b", "a", "a", 1)]


def test_columns_option_overrides_a_column_of_the_same_name(tmp_path: Path) -> None:
    path = tmp_path / "two.json"
    path.write_text(json.dumps([{"id": 1, "text": "summary", "full_text": "the whole"}]), "utf-8")
    discussion = threads.load(path, columns="text=full_text")
    assert [c.text for c in discussion] == ["the whole"]
    assert threads.load(path, columns={"text": "full_text"}).records() == discussion.records()


@pytest.mark.parametrize(
    ("spec", "problem"),
    [
        ("text", "--columns must be NAME=COLUMN pairs separated by commas; got 'text'"),
        ("colour=body", "--columns names 'colour'; it can set id, text, parent_id"),
        ("text=body,text=note", "--columns sets text twice"),
        ("text=nowhere", "--columns names column 'nowhere' for text;"),
    ],
)
def test_bad_columns_are_usage_errors(tmp_path: Path, spec: str, problem: str) -> None:
    path = tmp_path / "c.csv"
    path.write_text("id,body,note\n1,hi,x\n", "utf-8")
    code, _, err = run("comments", str(path), "--columns", spec)
    assert code == 2
    assert problem in err
    with pytest.raises(OptionError):
        threads.load(path, columns=spec)


def test_no_text_column_names_the_columns(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    path.write_text('[{"id": 1, "note": "x"}]', "utf-8")
    with pytest.raises(InputError, match="has no text column .* its columns are: id, note$"):
        threads.load(path)


def test_json_records_without_ids_are_numbered(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text('{"message": "one"}\n{"message": "two", "parent": 1}\n', "utf-8")
    discussion = threads.load(path)
    assert [(c.id, c.parent_id, c.text) for c in discussion] == [
        ("1", None, "one"),
        ("2", "1", "two"),
    ]
    assert any("no id column" in w for w in discussion.warnings)
    assert any("message as text, parent as parent_id" in w for w in discussion.warnings)


def test_a_very_wide_header_is_still_a_table(tmp_path: Path) -> None:
    # The header is read whole, not only its first 2,000 characters.
    path = tmp_path / "wide.csv"
    filler = ",".join(f"extra_column_{i}" for i in range(300))
    cells = "," * 300
    path.write_text(f"{filler},id,text\n{cells}1,hello there\n{cells}2,second one\n", "utf-8")
    code, out, err = run("comments", str(path), "--no-analysis", "--format", "jsonl")
    assert (code, err) == (0, "")
    assert [(r["id"], r["text"]) for r in records(out)] == [
        ("1", "hello there"),
        ("2", "second one"),
    ]


def test_a_literal_tilde_id_keeps_its_replies(tmp_path: Path) -> None:
    # Duplicates are renamed ID~2, ID~3...: never to an id the file uses itself.
    path = tmp_path / "t.csv"
    path.write_text(
        "id,text,parent_id\n5,first,\n5,duplicate,\n5~2,literal tilde,\n9,reply,5~2\n", "utf-8"
    )
    discussion = threads.load(path)
    assert [(c.id, c.text, c.parent_id) for c in discussion] == [
        ("5", "first", None),
        ("5~3", "duplicate", None),
        ("5~2", "literal tilde", None),
        ("9", "reply", "5~2"),
    ]
    assert discussion.get("9").thread_id == "5~2"
    assert [str(r) for r in discussion.repairs] == ["comment 5~3: duplicate id '5'; kept as '5~3'"]


def test_a_one_column_table_of_texts_is_read_with_numbered_ids(tmp_path: Path) -> None:
    path = tmp_path / "bodies.csv"
    path.write_text("body\nfirst comment\nsecond comment\n", "utf-8")
    code, out, err = run("comments", str(path), "--no-analysis", "--format", "jsonl")
    assert code == 0
    got = [(r["id"], r["text"]) for r in records(out)]
    assert got == [("1", "first comment"), ("2", "second comment")]
    assert "read column body as text" in err and "no id column" in err


def test_unquoted_commas_join_back_into_a_mapped_last_text_column(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text("id,user,body\n1,Ann,hello, world\n", "utf-8")
    discussion = threads.load(path)
    assert [(c.author, c.text) for c in discussion] == [("Ann", "hello, world")]
    assert any("joined back into the text" in w for w in discussion.warnings)
