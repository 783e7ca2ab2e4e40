"""`threads export`: a SQLite database datasette serves, and a ConvoKit corpus folder."""

from __future__ import annotations

import json
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import threads
from threads.cli import cli

from ..conftest import FIXTURES, SOURCE

HTML = str(FIXTURES / "html" / "unherd-north-korea.html")


def export(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(cli, ["export", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("db") / "pages.db"
    code, printed, err = export(CliRunner(), SOURCE, HTML, "--to", "sqlite", "--out", str(out))
    assert (code, printed) == (0, f"{out}\n"), err
    return out


def query(path: Path, sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(path) as db:
        return db.execute(sql).fetchall()


def test_sqlite_tables_keys_and_indexes(database: Path) -> None:
    tables = {
        name for (name,) in query(database, "select name from sqlite_master where type='table'")
    }
    assert tables == {"pages", "comments", "topics", "digressions"}
    primary = {
        table: [
            row[1]
            for row in sorted(query(database, f"pragma table_info({table})"), key=lambda r: r[5])
            if row[5]
        ]
        for table in tables
    }
    assert primary == {
        "pages": ["page"],
        "comments": ["page", "id"],
        "topics": ["page", "number"],
        "digressions": ["page", "start_id"],
    }
    for table in ("comments", "topics", "digressions"):
        foreign = query(database, f"pragma foreign_key_list({table})")
        assert [(row[2], row[3], row[4]) for row in foreign] == [("pages", "page", "page")]
    indexed = {
        row[2]
        for (name,) in query(
            database, "select name from sqlite_master where type='index' and tbl_name='comments'"
        )
        for row in query(database, f"pragma index_info('{name}')")
        if not name.startswith("sqlite_autoindex")
    }
    assert {"page", "thread_id", "parent_id"} <= indexed
    assert query(database, "pragma foreign_key_check") == []


def test_sqlite_rows_are_the_comment_records(database: Path) -> None:
    expected = threads.analyze(threads.load(SOURCE)).records()
    with sqlite3.connect(database) as db:
        db.row_factory = sqlite3.Row
        rows = [
            dict(r)
            for r in db.execute(
                "select * from comments where page = ? order by position", (SOURCE,)
            )
        ]
    assert [(r["id"], r["parent_id"], r["thread_id"], r["depth"], r["text"]) for r in rows] == [
        (e["id"], e["parent_id"], e["thread_id"], e["depth"], e["text"]) for e in expected
    ]
    # Booleans are 1/0: summing the flag counts the off-topic comments.
    assert sum(r["off_topic"] for r in rows) == sum(e["off_topic"] for e in expected) == 6
    assert json.loads(rows[0]["cluster_terms"]) == expected[0]["cluster_terms"]
    pages = query(database, "select page, comments, off_topic_comments from pages order by page")
    assert pages == sorted([(SOURCE, 16, 6), (HTML, 16, 6)])
    counts = query(database, "select page, count(*) from comments group by page order by page")
    assert counts == sorted([(SOURCE, 16), (HTML, 16)])
    # Every parent and thread is a comment of the same page.
    assert query(
        database,
        "select count(*) from comments c where parent_id is not null and not exists "
        "(select 1 from comments p where p.page = c.page and p.id = c.parent_id)",
    ) == [(0,)]
    topics = query(database, "select page, sum(size) from topics group by page order by page")
    assert topics == sorted([(SOURCE, 16), (HTML, 16)])
    digressed = query(
        database, "select page, sum(comments) from digressions group by page order by page"
    )
    # 4 of the 6 off-topic comments: #6 and #7 stay close to what they answer (no turn).
    assert digressed == sorted([(SOURCE, 4), (HTML, 4)])


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.slow
def test_datasette_serves_the_comments_table(database: Path) -> None:
    pytest.importorskip("datasette")
    executable = shutil.which("datasette", path=str(Path(sys.executable).parent))
    assert executable is not None
    port = _free_port()
    server = subprocess.Popen(
        [executable, "serve", str(database), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}/{database.stem}/comments.json?_shape=array&_size=max"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    rows = json.load(response)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"datasette did not serve {url}") from None
                time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(timeout=10)
        assert server.stderr is not None
        server.stderr.close()
    assert len(rows) == 32
    mine = sorted((r["id"], r["parent_id"]) for r in rows if r["page"] == SOURCE)
    records = threads.load(SOURCE).records()
    assert mine == sorted((r["id"], r["parent_id"]) for r in records)


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("ck") / "corpus"
    code, _, err = export(
        CliRunner(),
        SOURCE,
        "--to",
        "convokit",
        "--out",
        str(out),
        "--saved-at",
        "2024-04-02T10:00Z",
    )
    assert code == 0, err
    return out


def _read_corpus(
    folder: Path,
) -> tuple[list[dict[str, Any]], dict[str, Any], dict[str, Any], dict[str, Any], dict[str, Any]]:
    utterances = [
        json.loads(line) for line in (folder / "utterances.jsonl").read_text("utf-8").splitlines()
    ]
    speakers, conversations, corpus, index = (
        json.loads((folder / name).read_text("utf-8"))
        for name in ("speakers.json", "conversations.json", "corpus.json", "index.json")
    )
    return utterances, speakers, conversations, corpus, index


def check_convokit_format(folder: Path) -> list[dict[str, Any]]:
    """The files as ConvoKit's data-format documentation describes them; the utterances."""
    utterances, speakers, conversations, corpus, index = _read_corpus(folder)
    ids = [u["id"] for u in utterances]
    assert len(set(ids)) == len(ids)
    by_id = {u["id"]: u for u in utterances}
    for u in utterances:
        assert list(u) == [
            "id",
            "speaker",
            "conversation_id",
            "reply_to",
            "timestamp",
            "text",
            "meta",
        ]
        assert isinstance(u["id"], str) and isinstance(u["speaker"], str)
        assert isinstance(u["text"], str) and isinstance(u["meta"], dict)
        assert u["timestamp"] is None or isinstance(u["timestamp"], int)
        assert u["reply_to"] is None or u["reply_to"] in by_id
        root = by_id[u["conversation_id"]]
        assert root["reply_to"] is None and root["conversation_id"] == root["id"]
        assert u["speaker"] in speakers
        assert u["conversation_id"] in conversations
    for table in (speakers, conversations):
        for value in table.values():
            assert set(value) == {"meta", "vectors"} and value["vectors"] == []
    assert set(index) == {
        "utterances-index",
        "speakers-index",
        "conversations-index",
        "overall-index",
        "version",
        "vectors",
    }
    assert isinstance(index["version"], int)
    for kind, metas in (
        ("utterances-index", [u["meta"] for u in utterances]),
        ("speakers-index", [s["meta"] for s in speakers.values()]),
        ("conversations-index", [c["meta"] for c in conversations.values()]),
        ("overall-index", [corpus]),
    ):
        keys = {k for meta in metas for k in meta}
        assert set(index[kind]) == keys
        for key, types in index[kind].items():
            assert isinstance(types, list) and all(t.startswith("<class '") for t in types)
            present = {str(type(m[key])) for m in metas if m.get(key) is not None}
            assert present <= set(types) or types == ["<class 'NoneType'>"] and not present
    return utterances


def test_convokit_files_follow_the_data_format(corpus_dir: Path) -> None:
    utterances = check_convokit_format(corpus_dir)
    expected = threads.analyze(threads.load(SOURCE, saved_at="2024-04-02T10:00Z")).records()
    assert [(u["id"], u["reply_to"], u["conversation_id"], u["text"]) for u in utterances] == [
        (e["id"], e["parent_id"], e["thread_id"], e["text"]) for e in expected
    ]
    first = utterances[0]
    # "10 months ago" on a page saved 2024-04-02 10:00 UTC.
    assert first["meta"]["posted_iso"] == "2023-06-02T10:00:00+00:00"
    assert first["timestamp"] == 1685700000
    assert sum(u["meta"]["off_topic"] for u in utterances) == 6
    anonymous = [u for u in utterances if u["meta"]["comment_id"] == "14"]
    assert anonymous[0]["speaker"] == "[no name] 14"


def test_convokit_ids_name_the_page_when_there_are_several(
    tmp_path: Path, runner: CliRunner
) -> None:
    out = tmp_path / "two"
    code, _, err = export(runner, SOURCE, HTML, "--to", "convokit", "--out", str(out))
    assert code == 0, err
    utterances = check_convokit_format(out)
    assert len(utterances) == 32
    assert utterances[0]["id"] == f"{SOURCE}/1" and utterances[16]["id"] == f"{HTML}/1001"
    assert all(u["timestamp"] is None for u in utterances[:16])  # relative dates, no saved date


def test_convokit_corpus_loads_when_convokit_is_installed(corpus_dir: Path) -> None:
    convokit = pytest.importorskip("convokit")
    corpus = convokit.Corpus(filename=str(corpus_dir))
    assert len(list(corpus.iter_utterances())) == 16
    assert len(list(corpus.iter_conversations())) == 8


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (["--to", "excel", "--out", "x"], "Invalid value for '--to'"),
        (["--to", "sqlite"], "Missing option '--out'"),
        (["--to", "sqlite", "--out", "x.db", "--columns", "text"], "--columns must be NAME=COLUMN"),
    ],
)
def test_bad_options_are_usage_errors(runner: CliRunner, args: list[str], problem: str) -> None:
    code, _, err = export(runner, SOURCE, *args)
    assert code == 2 and problem in err


def test_same_source_twice_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "x.db"
    code, _, err = export(runner, SOURCE, SOURCE, "--to", "sqlite", "--out", str(out))
    assert code == 2 and f"SOURCE names {SOURCE!r} twice" in err
    assert not out.exists()


def test_a_bad_source_writes_nothing(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("id,note\n1,hello\n", encoding="utf-8")
    out = tmp_path / "x.db"
    code, _, err = export(runner, SOURCE, str(bad), "--to", "sqlite", "--out", str(out))
    assert code == 1 and err.startswith(f"Error: {bad}: has no text column")
    assert list(tmp_path.iterdir()) == [bad]
