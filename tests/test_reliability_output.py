"""Outputs and conditions around them: never over an input, never an element id from the
input colliding with the report's own, unreadable streams refused early."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import IO, Any

import pytest
from bs4 import BeautifulSoup

import threads
from threads.report.conversation import anchor_for

from .conftest import present


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "threads", *args], capture_output=True, text=True, cwd=cwd,
        timeout=120,
    )  # fmt: skip


def comments_csv(path: Path, ids: list[str]) -> Path:
    rows = ["id,parent_id,author,text"]
    rows += [f"{i},,Ann {n},A comment about North Korea number {n}." for n, i in enumerate(ids)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.mark.slow
def test_report_never_overwrites_its_input(tmp_path: Path) -> None:
    data = comments_csv(tmp_path / "data.csv", ["1", "2", "3"])
    before = data.read_bytes()
    for out in ("data.html", "data"):
        done = run("report", str(data), "--out", str(tmp_path / out))
        assert done.returncode == 1
        assert done.stderr == (
            f"Error: {data}: is the input file; give the report another name "
            "(it writes .html, .json and .csv side by side)\n"
        )
    assert data.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.csv"]


@pytest.mark.slow
def test_comment_ids_never_collide_with_the_reports_own_ids(tmp_path: Path) -> None:
    own = ["chain-paths", "c-p2", "conversation", "topic-0", "page-1", "method", "drift"]
    ids = own + ["hain-paths", "-p2", "onversation", "1", "01", "x y", "1~2"]
    data = comments_csv(tmp_path / "ids.csv", ids)
    done = run("report", str(data), "--out", str(tmp_path / "r.html"), "--clusters", "2")
    assert done.returncode == 0, done.stderr
    soup = BeautifulSoup((tmp_path / "r.html").read_text(encoding="utf-8"), "html.parser")
    element_ids = [tag["id"] for tag in soup.find_all(id=True)]
    assert len(element_ids) == len(set(element_ids)), "an id is given twice"
    discussion = threads.load(data)
    for comment in discussion:
        element = present(soup.find(id=anchor_for(comment)))
        assert element.name == "li"  # each comment's own element
    records = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["comments"]
    assert [r["id"] for r in records] == ids


def test_an_endless_stream_is_refused_at_once() -> None:
    done = run("comments", "/dev/zero", "--no-analysis")
    assert done.returncode == 1
    assert done.stderr == "Error: /dev/zero: looks like a binary file, not a comment page\n"


# --- Standard output that cannot take the text: closed, full, or in a narrow encoding.

PAGE_WITH_NAMES = (
    "A page\n\nBy Someone\n\nŁukasz 😀\nŁukasz 😀\n1 day ago\n\nA comment about North Korea.\n"
)


def run_with(
    args: list[str], *, stdout: int | IO[Any] = subprocess.PIPE, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "threads", *args], stdout=stdout, stderr=subprocess.PIPE,
        env={**os.environ, **(env or {})}, timeout=120,
    )  # fmt: skip


@pytest.mark.parametrize(
    "close",
    [
        '"$0" -m threads comments "$1" --no-analysis >&-',  # no standard output at all
        '"$0" -c "import os, runpy, sys; os.close(1); sys.argv[1:] = sys.argv[2:]; '
        "runpy.run_module('threads', run_name='__main__')\" x comments \"$1\" --no-analysis",
    ],
    ids=["closed-before", "closed-after-start"],
)
def test_closed_standard_output_is_a_one_line_error(tmp_path: Path, close: str) -> None:
    page = tmp_path / "p.txt"
    page.write_text(PAGE_WITH_NAMES, encoding="utf-8")
    done = subprocess.run(
        ["sh", "-c", close, sys.executable, str(page)], stderr=subprocess.PIPE, timeout=120
    )
    assert done.returncode == 1
    assert done.stderr == b"Error: cannot write to standard output (Bad file descriptor)\n"


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("big", [False, True], ids=["buffered", "large"])
def test_full_standard_output_is_a_one_line_error(tmp_path: Path, big: bool) -> None:
    page = tmp_path / "p.txt"
    page.write_text(PAGE_WITH_NAMES, encoding="utf-8")
    source = str(page) if not big else str(Path(__file__).parent.parent / "corpus" /
                                            "unherd-how-to-escape-north-korea.txt")  # fmt: skip
    with open("/dev/full", "w") as full:
        done = run_with(["comments", source, "--no-analysis"], stdout=full)
    assert done.returncode == 1
    assert done.stderr == b"Error: cannot write to standard output (No space left on device)\n"


def test_a_narrow_encoding_on_a_pipe_gets_utf8(tmp_path: Path) -> None:
    page = tmp_path / "p.txt"
    page.write_text(PAGE_WITH_NAMES, encoding="utf-8")
    done = run_with(["comments", str(page), "--no-analysis"], env={"PYTHONIOENCODING": "latin-1"})
    assert done.returncode == 0, done.stderr
    assert done.stderr == b""
    assert "Łukasz 😀" in done.stdout.decode("utf-8")


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_a_narrow_encoding_on_a_terminal_gets_escapes(tmp_path: Path) -> None:
    import pty

    page = tmp_path / "p.txt"
    page.write_text(PAGE_WITH_NAMES, encoding="utf-8")
    leader, follower = pty.openpty()
    try:
        done = run_with(
            ["comments", str(page), "--no-analysis"], stdout=follower,
            env={"PYTHONIOENCODING": "latin-1", "COLUMNS": "120"},
        )  # fmt: skip
        os.close(follower)
        shown = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: every byte read
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(leader)
    assert done.returncode == 0, done.stderr
    assert done.stderr == b""
    assert b"\\u0141ukasz \\U0001f600" in shown


# --- Output names the file system refuses.


@pytest.mark.slow
def test_a_report_name_too_long_is_a_one_line_error(tmp_path: Path) -> None:
    data = comments_csv(tmp_path / "data.csv", ["1", "2", "3"])
    out = tmp_path / ("r" * 300 + ".html")
    done = run("report", str(data), "--out", str(out))
    assert done.returncode == 1
    assert done.stderr == f"Error: {out}: cannot write (File name too long)\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.csv"]


@pytest.mark.slow
def test_a_report_name_near_the_limit_still_writes(tmp_path: Path) -> None:
    data = comments_csv(tmp_path / "data.csv", ["1", "2", "3"])
    out = tmp_path / ("r" * 250 + ".html")  # 255 bytes: its temporary file must be shorter
    done = run("report", str(data), "--out", str(out), "--clusters", "1")
    assert done.returncode == 0, done.stderr
    assert out.is_file() and out.with_suffix(".json").is_file()
    assert not list(tmp_path.glob("*.tmp"))


# --- An unusable home folder: matplotlib quiet, nothing left in the temporary folder.


@pytest.mark.slow
@pytest.mark.parametrize("home", ["/nonexistent", "file"])
def test_an_unusable_home_leaves_matplotlib_quiet_and_nothing_behind(
    tmp_path: Path, home: str
) -> None:
    if home == "/nonexistent" and (Path(home).exists() or os.geteuid() == 0):
        pytest.skip("root could create /nonexistent (the file HOME covers root)")
    if home == "file":
        home = str(tmp_path / "home-is-a-file")
        Path(home).write_text("", encoding="utf-8")
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    unset = ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "MPLCONFIGDIR")
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(HOME=home, TMPDIR=str(temporary))
    data = comments_csv(tmp_path / "data.csv", ["1", "2", "3"])
    for n in range(2):
        done = subprocess.run(
            [sys.executable, "-m", "threads", "report", str(data), "--out",
             str(tmp_path / f"r{n}.html"), "--quiet"],
            capture_output=True, text=True, env=env, timeout=120,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert done.stderr == ""
        assert list(temporary.iterdir()) == []


# --- Text from the input never acts on the reader: bidi overrides, terminal controls.

HOSTILE_NAMES = ["Evil\u202e override", "Iso\u2067late", "Bell\x07 \x1b[31mred\x1b[0m"]


def hostile_csv(path: Path) -> Path:
    rows = ["id,parent_id,author,text"]
    for n, name in enumerate(HOSTILE_NAMES, start=1):
        rows.append(f'{n},,"{name}","A comment on North Korea \x1b[2J\x9b{n}\u202e tail."')
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.mark.slow
def test_every_name_in_the_report_is_isolated(tmp_path: Path) -> None:
    data = hostile_csv(tmp_path / "data.csv")
    done = run("report", str(data), "--out", str(tmp_path / "r.html"), "--clusters", "1")
    assert done.returncode == 0, done.stderr
    soup = BeautifulSoup((tmp_path / "r.html").read_text(encoding="utf-8"), "html.parser")
    for name in HOSTILE_NAMES[:2]:
        places = [s for s in soup.find_all(string=True) if name in s]
        assert places, name
        for place in places:
            assert (
                place.find_parent(["bdi"]) is not None
                or place.find_parent(attrs={"dir": "auto"}) is not None
            ), (name, place.parent)
            if place.strip() == name:  # the name on its own: in a <bdi>
                assert present(place.parent).name == "bdi", place.parent
    bodies = [s for s in soup.find_all(string=True) if "\u202e tail" in s]
    assert bodies and all(b.find_parent(attrs={"dir": "auto"}) or b.find_parent("bdi")
                          for b in bodies)  # fmt: skip


@pytest.mark.slow
def test_terminal_views_escape_control_characters(tmp_path: Path) -> None:
    data = hostile_csv(tmp_path / "data.csv")
    table = run("comments", str(data), "--no-analysis")
    assert table.returncode == 0, table.stderr
    assert "\x1b" not in table.stdout and "\x07" not in table.stdout
    assert "\x9b" not in table.stdout
    assert "Bell\\x07 \\x1b[31mre" in table.stdout  # cut to the column's width
    for command in (  # fmt: skip
        ["chain", "3", str(data), "--full"],
        ["author", HOSTILE_NAMES[2], str(data)],
        ["summary", str(data)],
        ["clusters", str(data), "--clusters", "1"],
    ):
        done = run(*command)
        assert done.returncode == 0, (command, done.stderr)
        assert not any(c in done.stdout for c in "\x1b\x07\x9b"), command
    shown = run("chain", "3", str(data), "--full").stdout
    assert "\\x1b[2J\\x9b3" in shown and "Bell\\x07 \\x1b[31mred\\x1b[0m" in shown


@pytest.mark.slow
def test_exports_keep_control_characters_as_they_are(tmp_path: Path) -> None:
    data = hostile_csv(tmp_path / "data.csv")
    csv_out = run("comments", str(data), "--no-analysis", "--format", "csv").stdout
    assert "Bell\x07 \x1b[31mred\x1b[0m" in csv_out and "\x1b[2J\x9b1\u202e tail" in csv_out
    records = json.loads(run("comments", str(data), "--no-analysis", "--format", "json").stdout)
    texts = [r["text"] for r in records["comments"]]
    assert texts[0] == "A comment on North Korea \x1b[2J\x9b1\u202e tail."
    done = run("report", str(data), "--out", str(tmp_path / "r.html"), "--clusters", "1")
    assert done.returncode == 0, done.stderr
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert [c["author"] for c in report["comments"]] == HOSTILE_NAMES
    assert "\x1b[2J\x9b1" in (tmp_path / "r.csv").read_text(encoding="utf-8")


# --- Outputs grow linearly with the comments.


def side_reply_page(path: Path, depth: int) -> Path:
    """A text dump: one chain ``depth`` comments deep with a side reply at every step."""
    blocks = []
    for i in range(depth):
        reply = f"\nReply to  U{i - 1}" if i else ""
        blocks.append(f"U{i}\nU{i}\n1 day ago{reply}\n\nStep {i} of the chain about North Korea.")
        blocks.append(f"S{i}\nS{i}\n1 day ago\nReply to  U{i}\n\nA side remark on cooking {i}.")
    path.write_text("A page\n\nBy Someone\n\n" + "\n\n".join(blocks) + "\n", encoding="utf-8")
    return path


@pytest.mark.slow
def test_the_report_json_grows_linearly_with_the_comments(tmp_path: Path) -> None:
    # The JSON's shape, not the measure: by words, as the bundled model would take most of
    # the two-minute limit on 12,000 distinct comments on a busy 2-core machine.
    sizes = []
    for depth in (3000, 6000):
        page = side_reply_page(tmp_path / f"deep{depth}.txt", depth)
        out = tmp_path / f"r{depth}.html"
        done = run(
            "report", str(page), "--out", str(out), "--clusters", "2", "--lexical", "--quiet"
        )
        assert done.returncode == 0, done.stderr
        size = out.with_suffix(".json").stat().st_size
        assert size < 40 * page.stat().st_size, (depth, size, page.stat().st_size)
        sizes.append(size)
    assert sizes[1] < 2.5 * sizes[0], sizes
