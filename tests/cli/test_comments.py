"""`threads comments` as a user runs it: every comment, its place in the tree, its figures."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import threads
from threads.cli import cli

from ..conftest import PARSE_FIELDS, ROOT, SOURCE, run_json


def test_json_document_shape_and_parents(runner: CliRunner) -> None:
    data = run_json(runner, SOURCE)
    assert data["source"] == SOURCE
    assert data["input_format"] == "text"
    assert (
        data["article"]["title"] == "How to escape North Korea Defectors are often left traumatised"
    )
    assert data["article"]["published"] == "November 21, 2023"
    assert data["article"]["author"] == "Ian Birrell"
    assert len(data["article"]["paragraphs"]) == 17
    comments = data["comments"]
    assert len(comments) == 16
    for record in comments:
        assert list(record)[: len(PARSE_FIELDS)] == PARSE_FIELDS
    # The tree itself is asserted at parse level (tests/inputs/test_textdump.py).
    assert [{k: c[k] for k in PARSE_FIELDS} for c in comments] == threads.load(SOURCE).records()
    seven = comments[6]
    assert (seven["parent_status"], seven["parent_alternatives"]) == ("ambiguous", ["1"])
    assert [c["author"] for c in comments if c["author"] is None] == [None, None]
    assert comments[13]["id"] == "14" and comments[13]["author"] is None
    assert comments[13]["reply_to"] == "Michael Layman"
    assert comments[0]["position"] == 1 and comments[0]["depth"] == 0
    assert comments[6]["depth"] == 3


def test_json_texts_equal_the_file(runner: CliRunner) -> None:
    raw = Path(SOURCE).read_text(encoding="utf-8")
    comments = run_json(runner, SOURCE)["comments"]
    assert all(c["text"] in raw for c in comments)
    assert "\n\n" in comments[3]["text"]  # Mark Goodhand's three paragraphs


def test_default_source_is_the_corpus_article(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    data = run_json(runner)
    assert data["source"] == "corpus/unherd-how-to-escape-north-korea.txt"
    assert len(data["comments"]) == 16


def test_no_source_outside_the_repository_is_a_clear_error(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["comments"])
    assert result.exit_code == 1
    assert "no SOURCE given and no corpus article" in result.stderr


def test_missing_file_is_one_line_exit_1(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["comments", "missing.txt"])
    assert result.exit_code == 1
    assert result.stderr == "Error: missing.txt: no such file\n"


def test_directory_as_source(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["comments", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr == f"Error: {tmp_path}: is a directory, not a file\n"


def test_bad_format_option_is_exit_2(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["comments", SOURCE, "--format", "xml"])
    assert result.exit_code == 2
    assert "'xml' is not one of 'table', 'json', 'jsonl', 'csv'" in result.stderr


def test_csv_has_every_comment_and_exact_text(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["comments", SOURCE, "--format", "csv"])
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 16
    assert rows[6]["parent_id"] == "6" and rows[6]["parent_alternatives"] == '["1"]'
    assert rows[3]["text"] == run_json(runner, SOURCE)["comments"][3]["text"]


def test_table_lists_every_comment(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["comments", SOURCE], env={"COLUMNS": "160"})
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 17  # header + 16
    assert "Bret Larson" in lines[7] and "ambiguous" in lines[7]


def test_comments_table_shows_the_main_figures(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["comments", SOURCE, "--clusters", "3"])
    assert result.exit_code == 0, result.output
    header = result.stdout.splitlines()[0].split()
    assert header[-5:] == ["topic", "sentiment", "article", "off-topic", "text"]


def test_csv_carries_the_analysis_columns(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["comments", SOURCE, "--format", "csv", "--clusters", "3"])
    assert result.exit_code == 0, result.output
    header = result.stdout.splitlines()[0].split(",")
    assert header[-14:] == [
        "cluster", "cluster_terms", "sentiment", "sentiment_whole", "sentiment_label",
        "article_similarity", "parent_similarity", "root_similarity", "thread_similarity",
        "turned", "off_topic", "judgement", "too_short", "judged_with_parent",
    ]  # fmt: skip


def test_no_analysis_prints_parse_fields_without_loading_analysis_libraries() -> None:
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from threads.cli import cli\n"
        f"result = CliRunner().invoke(cli, ['comments', {SOURCE!r}, '--no-analysis',"
        " '--format', 'json'])\n"
        "assert result.exit_code == 0, result.output\n"
        "print(result.stdout)\n"
        "heavy = ('sklearn', 'scipy', 'vaderSentiment', 'sentencex')\n"
        "print('LOADED', [m for m in heavy if m in sys.modules], file=sys.stderr)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "LOADED []" in out.stderr
    record = json.loads(out.stdout)["comments"][0]
    assert list(record)[-1] == "text" and "cluster" not in record


def test_jsonl_is_one_record_per_line(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["comments", SOURCE, "--format", "jsonl", "--clusters", "3"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    document = run_json(runner, SOURCE, "--clusters", "3")
    assert [json.loads(line) for line in lines] == document["comments"]


def test_dash_reads_standard_input_of_any_format(runner: CliRunner) -> None:
    data = Path(SOURCE).read_bytes()
    result = runner.invoke(cli, ["comments", "-", "--no-analysis", "--format", "json"], input=data)
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["source"] == "stdin" and document["input_format"] == "text"
    assert document["comments"] == threads.load(SOURCE).records()
    csv_input = "id,parent_id,author,text\n1,,Ann,Hello\n2,1,Bob,Hi back\n"
    result = runner.invoke(cli, ["comments", "-", "--no-analysis", "--format", "jsonl"],
                           input=csv_input)  # fmt: skip
    assert [json.loads(line)["parent_id"] for line in result.stdout.splitlines()] == [None, "1"]


def test_empty_standard_input_is_a_one_line_error(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["comments", "-"], input=b"")
    assert result.exit_code == 1
    assert result.stderr == "Error: stdin: is empty\n"


def test_table_fits_the_terminal_and_is_left_aligned(runner: CliRunner) -> None:
    cases = [(["--no-analysis"], 80), (["--clusters", "3"], 80), (["--clusters", "3"], 120),
             ([], 200)]  # fmt: skip
    for args, width in cases:
        result = runner.invoke(cli, ["comments", SOURCE, *args], env={"COLUMNS": str(width)})
        assert result.exit_code == 0, result.output
        lines = result.stdout.splitlines()
        assert len(lines) == 17
        assert max(len(line) for line in lines) <= width
        start = lines[0].index("text")
        assert all(line[start - 2 : start] == "  " and line[start] != " " for line in lines)
        assert lines[1].startswith("1   Jim Vee")  # left-aligned cells
    assert "\u2026" in lines[1] and len(lines[1]) > 150  # the text gets the room there is


def test_an_analysed_table_at_80_columns_leaves_out_the_lesser_columns(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["comments", SOURCE, "--clusters", "3"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].split() == [
        "id", "author", "parent", "topic", "sentiment", "article", "off-topic", "text"
    ]  # fmt: skip


def test_csv_is_what_pandas_wrote(runner: CliRunner) -> None:
    import pandas as pd

    from threads import export
    from threads.analysis import ANALYSIS_FIELDS, analyze
    from threads.models import COMMENT_COLUMNS

    html = next((ROOT / "tests" / "fixtures" / "html").glob("*.html"))
    for records, columns in [
        (analyze(threads.load(SOURCE), clusters=3).records(), COMMENT_COLUMNS + ANALYSIS_FIELDS),
        (threads.load(html).records(), COMMENT_COLUMNS),  # votes: numbers with gaps
    ]:
        frame = pd.DataFrame(
            {name: export._csv_cells([r[name] for r in records]) for name in columns},
            columns=columns,
        ).replace({"": None})
        expected = frame.to_csv(index=False, lineterminator="\n")
        assert export.to_csv(records, columns) == expected


def test_no_analysis_loads_no_numpy_or_pandas_in_any_format() -> None:
    code = (
        "import sys\n"
        "from threads.cli import main\n"
        "sys.argv = ['threads', 'comments', sys.argv[1], '--no-analysis', '--format',"
        " sys.argv[2]]\n"
        "import os\n"
        "real_exit = os._exit\n"
        "def check(code):\n"
        "    heavy = [m for m in ('numpy', 'pandas', 'sklearn', 'scipy') if m in sys.modules]\n"
        "    print('LOADED', heavy, file=sys.stderr)\n"
        "    sys.stderr.flush()\n"
        "    real_exit(code)\n"
        "os._exit = check\n"
        "main()\n"
    )
    for output_format in ("table", "json", "jsonl", "csv"):
        out = subprocess.run([sys.executable, "-c", code, SOURCE, output_format],
                             capture_output=True, text=True, check=True)  # fmt: skip
        assert "LOADED []" in out.stderr, output_format
        assert out.stdout
