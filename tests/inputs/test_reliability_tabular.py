"""CSV and JSON comment files: every comment with its exact text and parent, or a one-line
error naming the file and the problem. Numbers of any size, lone surrogates and NULs in any
field, and CSV files as spreadsheets and other tools really write them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import threads
from threads.cli import cli
from threads.errors import InputError

BOM = b"\xef\xbb\xbf"
BIG = "9" * 4400  # over Python's 4,300-digit int() limit


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def load_bytes(tmp_path: Path, data: bytes, name: str = "comments.csv") -> threads.Discussion:
    path = tmp_path / name
    path.write_bytes(data)
    return threads.load(path)


def shape(discussion: threads.Discussion) -> list[tuple[str, str | None, str]]:
    return [(c.id, c.parent_id, c.text) for c in discussion.comments]


TWO = [("1", None, "hello, all"), ("2", "1", "a reply")]


@pytest.mark.parametrize(
    "data",
    [
        BOM + BOM + b'id,parent_id,text\n1,,"hello, all"\n2,1,a reply\n',
        b"id\tparent_id\ttext\n1\t\thello, all\n2\t1\ta reply\n",
        b'\n\nid,parent_id,text\n1,,"hello, all"\n2,1,a reply\n',
        b"id,parent_id,text\n1,,hello, all\n2,1,a reply\n",  # unquoted comma in the last column
    ],
    ids=["bom-twice", "tab-separated", "leading-blank-lines", "row-wider-than-header"],
)
def test_csv_as_tools_write_it_gives_every_comment(tmp_path: Path, data: bytes) -> None:
    discussion = load_bytes(tmp_path, data)
    assert shape(discussion) == TWO
    assert bool(discussion.warnings) == (b"1,,hello, all" in data)  # extra cells joined


def test_csv_cell_over_128_kb_is_read(tmp_path: Path) -> None:
    text = "x" * 300_000
    discussion = load_bytes(tmp_path, f'id,text\n1,"{text}"\n2,short\n'.encode())
    assert [c.text for c in discussion.comments] == [text, "short"]


def test_csv_duplicated_text_column_is_an_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "dup.csv"
    path.write_text("id,text,author,text\n1,hello,Ann,other\n", encoding="utf-8")
    code, _, err = run("comments", str(path))
    assert code == 1
    assert err == f"Error: {path}: CSV has column 'text' 2 times (columns 2, 4); keep one\n"


def test_csv_unbalanced_quote_is_an_error_naming_its_line(tmp_path: Path) -> None:
    path = tmp_path / "quote.csv"
    path.write_text('id,text\n1,fine\n2,"never closed\n3,swallowed\n4,too\n', encoding="utf-8")
    code, _, err = run("comments", str(path))
    assert code == 1
    assert err.startswith(f"Error: {path}: line 3: a quoted cell opens and never closes")
    assert err.count("\n") == 1


def test_csv_extra_cells_before_the_text_column_are_an_error(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_text("id,text,author\n1,hello, all,Ann\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 2 has 4 cells but the header has 3 columns"):
        threads.load(path)


@pytest.mark.parametrize(
    ("name", "data"),
    [("header-only.csv", b"id,text,parent_id\n"), ("empty.json", b"[]"),
     ("empty-object.json", b'{"comments": []}')],
)  # fmt: skip
def test_no_comments_and_no_article_is_an_error_naming_the_file(
    tmp_path: Path, name: str, data: bytes
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    for command in ("comments", "report"):
        code, _, err = run(
            command, str(path), *(["--out", str(tmp_path / "r.html")] * (command == "report"))
        )
        assert code == 1
        assert err.startswith(f"Error: {path}: ") and "no article" in err
        assert err.count("\n") == 1
    # With an article to go with it, the same file is a discussion with no comments.
    article = tmp_path / "article.txt"
    article.write_text("A title\n\nThe article paragraph.\n", encoding="utf-8")
    code, out, err = run("comments", str(path), "--article", str(article))
    assert (code, err) == (0, "")
    assert "no comments" in out


def test_json_lone_surrogates_replaced_and_nul_kept_in_texts_with_a_warning(
    tmp_path: Path,
) -> None:
    data = (
        '{"source": "page\\u0000.html", "article": {"title": "T"}, "comments": ['
        '{"id": 1, "text": "cut in an emoji \\ud83d", "author": "Ann\\udc00"},'
        '{"id": 2, "parent_id": 1, "text": "whole \\ud83d\\ude00 and NUL\\u0000"}]}'
    )
    path = tmp_path / "cut.json"
    path.write_text(data, encoding="utf-8")
    discussion = threads.load(path)
    assert shape(discussion) == [
        ("1", None, "cut in an emoji \ufffd"),
        ("2", "1", "whole \U0001f600 and NUL\x00"),
    ]
    assert discussion.get("1").author == "Ann\ufffd"
    assert discussion.source == "page.html"
    assert any("2 lone surrogate" in w for w in discussion.warnings)
    notes = discussion.warnings
    assert any("1 NUL characters (\\u0000) in comment texts, kept" in w for w in notes)
    assert any("1 NUL characters (\\u0000) outside comment texts" in w for w in notes)
    out = tmp_path / "r.html"
    code, _, err = run("report", str(path), "--out", str(out))
    assert code == 0, err
    assert "Traceback" not in err
    html = out.read_text(encoding="utf-8")
    assert "\x00" not in html and "NUL\u2400" in html
    for kind in ("json", "csv"):
        code, printed, _ = run("comments", str(path), "--format", kind, "--no-analysis")
        assert code == 0 and "\ufffd" in printed
        assert "NUL\\u0000" in printed and "\x00" not in printed


def test_json_huge_numbers_keep_ids_as_digits_and_order_exact(tmp_path: Path) -> None:
    records = (
        f'[{{"id": {BIG}, "text": "a", "votes": {BIG}, "position": {BIG}1}},'
        f'{{"id": 2, "text": "b", "parent_id": {BIG}, "position": {BIG}}},'
        f'{{"id": 3, "text": "c", "position": 10000000000000000001.0}},'
        f'{{"id": 4, "text": "d", "position": 10000000000000000000.0}}]'
    )
    discussion = load_bytes(tmp_path, records.encode(), "big.json")
    assert [c.id for c in discussion.comments] == ["4", "3", "2", BIG]
    assert [c.position for c in discussion.comments] == [1, 2, 3, 4]
    assert discussion.get("2").parent_id == BIG
    assert discussion.get(BIG).votes is None  # an absurd count is no count
    assert any("positions" in w for w in discussion.warnings)
    code, out, err = run(
        "comments", str(tmp_path / "big.json"), "--format", "json", "--no-analysis"
    )
    assert code == 0, err
    assert [c["id"] for c in json.loads(out)["comments"]] == ["4", "3", "2", BIG]


def test_csv_huge_position_orders_exactly(tmp_path: Path) -> None:
    data = f"id,text,position\n1,a,{BIG}1\n2,b,{BIG}\n3,c,12345678901234567891.0\n"
    discussion = load_bytes(tmp_path, data.encode())
    assert [c.id for c in discussion.comments] == ["3", "2", "1"]


def test_load_text_with_lone_surrogate_warns() -> None:
    discussion = threads.load_text('[{"id": 1, "text": "x\ud83d"}]')
    assert discussion.comments[0].text == "x\ufffd"
    assert any("1 lone surrogates" in w for w in discussion.warnings)
