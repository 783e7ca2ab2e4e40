"""CSV and JSON comment files: columns, repairs, encodings, and the JSON round trip."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import threads
from threads import export
from threads.cli import cli
from threads.errors import InputError
from threads.inputs.tabular import article_from_text, parse_tabular

from ..conftest import CORPUS, FIXTURES

TABULAR = FIXTURES / "tabular"
HTML = FIXTURES / "html"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def tree(discussion: threads.Discussion) -> list[tuple[str, str | None, str, int]]:
    return [(c.id, c.parent_id, c.parent_status, c.depth) for c in discussion]


def exported(discussion: threads.Discussion) -> str:
    """What ``threads comments --format json --no-analysis`` prints."""
    header = export.discussion_header(discussion)
    return export.to_json(export.document(header, discussion.records()))


def test_csv_repairs_are_listed_and_nothing_is_lost() -> None:
    discussion = threads.load(TABULAR / "repairs.csv")
    assert discussion.input_format == "csv"
    assert tree(discussion) == [
        ("1", None, "top-level", 0),
        ("2", "1", "exact", 1),
        ("3", None, "orphan", 0),
        ("4", None, "top-level", 0),
        ("5", None, "top-level", 0),
        ("6", "5", "exact", 1),
        ("2~2", "1", "exact", 1),
    ]
    assert [c.author for c in discussion][-1] == "Gus Ivy"
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


def test_json_repairs_with_numeric_ids() -> None:
    discussion = threads.load(TABULAR / "repairs.json")
    assert discussion.input_format == "json"
    assert tree(discussion) == [
        ("1", None, "top-level", 0),
        ("2", "1", "exact", 1),
        ("3", None, "orphan", 0),
        ("4", None, "top-level", 0),
        ("5", None, "top-level", 0),
        ("6", "5", "exact", 1),
        ("7", "6", "exact", 2),
        ("2~2", "1", "exact", 1),
        ("8", "2", "exact", 2),  # a reply to a duplicated id stays with the first
    ]
    assert [str(r) for r in discussion.repairs] == [
        "comment 2~2: duplicate id '2'; kept as '2~2'",
        "comment 3: parent '99' is not in the input; made top-level (orphan)",
        "comment 4: names itself as parent; made top-level",
        "comment 5: reply cycle (5, 6, 7); made top-level",
    ]
    assert discussion.get("2~2").text == "Same id as comment 2."


def test_crlf_and_utf16_csv_read_the_same() -> None:
    crlf = threads.load(TABULAR / "crlf.csv")
    utf16 = threads.load(TABULAR / "utf16-bom.csv")
    for discussion in (crlf, utf16):
        assert [c.text for c in discussion] == ["First, with a comma", "Two\nlines"]
        assert [c.author for c in discussion] == ["Ann Lee", "Bob Ray"]
        assert tree(discussion) == [("1", None, "top-level", 0), ("2", "1", "exact", 1)]
        assert discussion.input_format == "csv"


def test_pandas_style_ids_and_announced_total_column() -> None:
    # pandas writes a parent column with blanks as floats: 1.0 is comment 1.
    discussion = threads.load(TABULAR / "pandas.csv")
    assert tree(discussion) == [
        ("1", None, "top-level", 0),
        ("2", "1", "exact", 1),
        ("3", "2", "exact", 2),
    ]
    assert [c.author for c in discussion] == ["Ann Lee", "Bob Ray", None]
    assert discussion.announced_total == 12
    assert discussion.repairs == ()


def test_json_list_with_numeric_ids() -> None:
    discussion = threads.load(TABULAR / "list.json")
    assert [(c.id, c.parent_id, c.author) for c in discussion] == [
        ("10", None, "Ann Lee"),
        ("11", "10", None),
    ]


def test_position_column_sets_page_order(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text("id,parent_id,text,position,colour\nb,a,Second.,2,red\na,,First.,1,\n")
    discussion = threads.load(path)
    assert [(c.id, c.position, c.text) for c in discussion] == [
        ("a", 1, "First."),
        ("b", 2, "Second."),
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


def test_plain_text_article() -> None:
    article = article_from_text("A title\n\nFirst paragraph,\nstill first.\n\nSecond.\n")
    assert (article.title, article.paragraphs) == (
        "A title",
        ("First paragraph,\nstill first.", "Second."),
    )


def test_a_body_column_is_read_as_the_text_and_said() -> None:
    path = TABULAR / "missing-text.csv"
    code, out, err = run("comments", str(path), "--no-analysis", "--format", "jsonl")
    assert code == 0
    assert [json.loads(line)["text"] for line in out.splitlines()] == ["hello"]
    assert err == f"warning: {path}: read column body as text (--columns chooses others)\n"


def test_no_text_column_is_a_one_line_error_naming_the_columns(tmp_path: Path) -> None:
    path = tmp_path / "notes.csv"
    path.write_text("id,parent_id,author,note\n1,,Ann,hello\n", encoding="utf-8")
    code, _, err = run("comments", str(path))
    assert code == 1
    assert err == (
        f"Error: {path}: has no text column (text, body, content, comment, message; or name "
        "one with --columns text=COLUMN); its columns are: id, parent_id, author, note\n"
    )


@pytest.mark.parametrize(
    ("text", "input_format", "problem"),
    [
        ("author,note\nAnn,hi\n", "csv", "has no text column"),
        ('[{"id": 1}]', "json", "has no text column"),
        ('[{"id": 1, "text": "a"}, {"id": 2}]', "json", "comment 2 has no text"),
        ('{"a": 1}', "json", "JSON must be a list of comments or an object with 'comments'"),
        ('[{"id": 1, "text": "a", "position": "x"}]', "json", "has position 'x'"),
        ("[1, 2]", "json", "comment 1 is not an object"),
    ],
)
def test_bad_tables_raise_input_error(text: str, input_format: str, problem: str) -> None:
    with pytest.raises(InputError, match=problem.replace("(", r"\(")):
        parse_tabular(text, input_format, "t")  # type: ignore[arg-type]


def test_broken_json_is_a_one_line_error() -> None:
    path = TABULAR / "not-json.json"
    code, _, err = run("comments", str(path))
    assert code == 1
    assert err.startswith(f"Error: {path}: is not valid JSON (line 1, column ")
    assert err.count("\n") == 1


def test_file_of_no_known_kind_is_a_one_line_error(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    path.write_text('{"rows": []}')
    code, _, err = run("comments", str(path))
    assert code == 1
    assert err.startswith(f"Error: {path}: JSON must be a list of comments")
    assert err.count("\n") == 1


def test_comments_json_on_csv_and_json() -> None:
    for name, kind in (("repairs.csv", "csv"), ("repairs.json", "json")):
        code, out, _ = run("comments", str(TABULAR / name), "--format", "json", "--no-analysis")
        assert code == 0
        document = json.loads(out)
        assert (document["input_format"], document["source"]) == (kind, str(TABULAR / name))
        assert document["comments"][2] | {"text": ""} == {
            "id": "3",
            "position": 3,
            "author": "Cy Dee",
            "posted": "1 day ago" if kind == "csv" else None,
            "posted_at": None,
            "posted_iso": None,
            "reply_to": None,
            "parent_id": None,
            "parent_status": "orphan",
            "parent_alternatives": [],
            "thread_id": "3",
            "depth": 0,
            "edited": None,
            "truncated": False,
            "votes": None,
            "text": "",
        }


def test_input_format_override_chooses_the_parser() -> None:
    path = TABULAR / "list.json"
    code, _, err = run("comments", str(path), "--input-format", "csv")
    assert code == 1
    assert err.startswith(f"Error: {path}: has no text column")


@pytest.mark.slow
def test_threads_json_round_trip_is_identical(tmp_path: Path) -> None:
    for args in ([], ["--no-analysis"], ["--clusters", "3", "--seed", "2"]):
        code, first, _ = run("comments", str(CORPUS), "--format", "json", *args)
        assert code == 0
        saved = tmp_path / "saved.json"
        saved.write_text(first, encoding="utf-8")
        code, second, _ = run("comments", str(saved), "--format", "json", *args)
        assert code == 0 and second == first
        assert json.loads(second)["input_format"] == "text"
        assert json.loads(second)["source"] == str(CORPUS)


def test_round_trip_keeps_statuses_and_fields(tmp_path: Path) -> None:
    saved = tmp_path / "saved.json"
    saved.write_text(exported(threads.load(CORPUS)), encoding="utf-8")
    again = threads.load(saved)
    assert again.get("7").parent_status == "ambiguous"
    assert again.get("7").parent_alternatives == ("1",)
    assert again.input_format == "text"
    assert again.article == threads.load(CORPUS).article


@pytest.mark.parametrize(
    "path", [TABULAR / "repairs.csv", TABULAR / "repairs.json", HTML / "partial.html"]
)
def test_round_trip_keeps_repairs(tmp_path: Path, path: Path) -> None:
    code, first, _ = run("comments", str(path), "--format", "json")
    assert code == 0 and json.loads(first)["repairs"]
    saved = tmp_path / "saved.json"
    saved.write_text(first, encoding="utf-8")
    code, second, _ = run("comments", str(saved), "--format", "json")
    assert (code, second) == (0, first)


@pytest.mark.slow
def test_report_says_which_kind_was_read(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    code, _, err = run("report", str(TABULAR / "repairs.csv"), "--out", str(out))
    assert code == 0, err
    page = out.read_text(encoding="utf-8")
    assert "read as a CSV comment file" in page
    assert "Repaired in the input: comment 4: names itself as parent; made top-level." in page
    # The orphan is told once, in the orphan notice, not again as a repair.
    assert "1 reply names a parent that is not on the page, shown as top-level: #3." in page
    assert "Repaired in the input: comment 3" not in page


@pytest.mark.slow
def test_report_lists_ten_repairs_then_counts_the_rest(tmp_path: Path) -> None:
    rows = "".join(f"{i},{i},Ann,Comment {i}.\n" for i in range(1, 16))  # 15 self-replies
    source = tmp_path / "selfish.csv"
    source.write_text("id,parent_id,author,text\n" + rows, encoding="utf-8")
    out = tmp_path / "r.html"
    code, _, err = run("report", str(source), "--out", str(out), "--clusters", "2")
    assert code == 0, err
    page = out.read_text(encoding="utf-8")
    assert page.count("Repaired in the input: ") == 10
    assert "Repaired in the input: comment 10: names itself as parent" in page
    assert "Repaired in the input: comment 11:" not in page
    assert "5 more repairs are listed in the JSON beside this report." in page


TEXTS = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00\r"),
    max_size=60,
)
NAMES = st.one_of(st.none(), st.sampled_from(["Ann", "Bob", " ", "Zoë Ångström"]))


def _load_json(data: Any) -> threads.Discussion:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "comments.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        return threads.load(path)


@st.composite
def valid_threads(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Comment records with unique ids (int or str) whose parents are earlier comments."""
    # At least one: a file with no comments and no article is an error (tests/inputs/).
    rows = draw(st.lists(st.tuples(NAMES, TEXTS, st.booleans()), min_size=1, max_size=15))
    records: list[dict[str, Any]] = []
    for i, (author, text, as_number) in enumerate(rows):
        parent = draw(st.one_of(st.none(), st.integers(0, i - 1))) if i else None
        records.append(
            {
                "id": i + 1 if as_number else str(i + 1),
                "parent_id": None if parent is None else records[parent]["id"],
                "author": author,
                "text": text,
            }
        )
    return records


@settings(max_examples=100, deadline=None)
@given(valid_threads())
def test_generated_comment_files_round_trip(records: list[dict[str, Any]]) -> None:
    discussion = _load_json(records)
    parents = {str(r["id"]): r["parent_id"] and str(r["parent_id"]) for r in records}
    depth: dict[str, int] = {}
    thread: dict[str, str] = {}
    for comment_id, parent in parents.items():  # parents come first
        depth[comment_id] = 0 if parent is None else depth[parent] + 1
        thread[comment_id] = comment_id if parent is None else thread[parent]
    assert [c.to_dict() | {"position": 0} for c in discussion] == [
        {
            "id": str(r["id"]),
            "position": 0,
            "author": r["author"] if r["author"] and r["author"].strip() else None,
            "posted": None,
            "posted_at": None,
            "posted_iso": None,
            "reply_to": None,
            "parent_id": parents[str(r["id"])],
            "parent_status": "top-level" if r["parent_id"] is None else "exact",
            "parent_alternatives": [],
            "thread_id": thread[str(r["id"])],
            "depth": depth[str(r["id"])],
            "edited": None,
            "truncated": False,
            "votes": None,
            "text": r["text"],
        }
        for r in records
    ]
    assert [c.position for c in discussion] == list(range(1, len(records) + 1))
    assert discussion.repairs == ()
    # ... and the export of what was read reads back to the same export.
    first = exported(discussion)
    assert exported(_load_json(json.loads(first))) == first


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["1", "2", "3", "4", 5, 6.0]),  # duplicates likely
            st.one_of(st.none(), st.sampled_from(["1", "2", "3", 4, "5", "6", "99", ""])),
            NAMES,
            TEXTS,
        ),
        min_size=1,  # no comments and no article is an error (tests/inputs/)
        max_size=12,
    )
)
def test_any_comment_file_exports_and_reads_back_identically(
    rows: list[tuple[Any, Any, str | None, str]],
) -> None:
    records = [{"id": i, "parent_id": p, "author": a, "text": t} for i, p, a, t in rows]
    discussion = _load_json(records)
    assert len(discussion) == len(records)  # nothing lost, whatever was repaired
    first = exported(discussion)
    assert exported(_load_json(json.loads(first))) == first
