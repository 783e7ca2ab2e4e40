"""Interrupted runs: whatever signal ends ``threads report``, it leaves no process and no
temporary file behind, and the earlier report as it was."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import write_thread_page
from threads import _atomic
from threads.cli import install_signal_handlers

EARLIER = {"r.html": "<p>earlier report</p>", "r.json": "{}", "r.csv": "id\n"}


def children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found |= {int(c) for c in (task / "children").read_text().split()}
        except OSError:
            pass
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")  # a zombie has ended; only its exit code is left


def wait_until(condition: Callable[[], object], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux's /proc")
@pytest.mark.parametrize(
    ("signum", "group"),
    [
        (signal.SIGINT, True),  # Ctrl-C: the whole process group
        (signal.SIGINT, False),
        (signal.SIGTERM, False),
        (signal.SIGHUP, False),
        (signal.SIGKILL, False),
    ],
    ids=["SIGINT-group", "SIGINT", "SIGTERM", "SIGHUP", "SIGKILL"],
)
def test_an_interrupted_report_leaves_nothing_behind(
    tmp_path: Path, signum: int, group: bool
) -> None:
    page = write_thread_page(tmp_path / "big.txt", 700)  # 2,100 comments: workers start
    out = tmp_path / "out"
    out.mkdir()
    for name, text in EARLIER.items():
        (out / name).write_text(text, encoding="utf-8")
    command = [sys.executable, "-m", "threads", "report", str(page), "--out", str(out / "r.html")]
    process = subprocess.Popen(
        command, start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        assert wait_until(lambda: children(process.pid), 60), "no worker process started"
        workers = children(process.pid)
        time.sleep(0.3)  # into the analysis
        if group:
            os.killpg(process.pid, signum)
        else:
            os.kill(process.pid, signum)
        process.communicate(timeout=30)
        assert process.returncode != 0
        assert wait_until(lambda: not any(alive(w) for w in workers), 5), "a worker survived"
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert sorted(p.name for p in out.iterdir()) == sorted(EARLIER)  # no .r.json.XXXX.tmp
    for name, text in EARLIER.items():
        assert (out / name).read_text(encoding="utf-8") == text


@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="POSIX signals")
def test_sigterm_while_writing_leaves_the_earlier_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, text in EARLIER.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    real_chmod = os.chmod
    staged: list[str] = []

    def chmod_then_terminate(path: str, mode: int) -> None:
        real_chmod(path, mode)
        staged.append(path)
        if len(staged) == 2:  # the JSON and CSV are staged, the HTML not yet
            os.kill(os.getpid(), signal.SIGTERM)

    previous = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGHUP)}
    install_signal_handlers()
    monkeypatch.setattr("threads._atomic.os.chmod", chmod_then_terminate)
    try:
        with pytest.raises(SystemExit) as stop:
            _atomic.write_all({tmp_path / n: "new " * 100_000 for n in EARLIER})
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    assert stop.value.code == 128 + signal.SIGTERM
    assert len(staged) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(EARLIER)
    for name, text in EARLIER.items():
        assert (tmp_path / name).read_text(encoding="utf-8") == text


def test_a_failure_while_staging_streamed_files_leaves_the_earlier_ones(tmp_path: Path) -> None:
    for name, text in EARLIER.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(RuntimeError, match="half way"), _atomic.staged() as stage:
        for name in EARLIER:
            stage.temporary(tmp_path / name).write_text("new", encoding="utf-8")
        raise RuntimeError("half way")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(EARLIER)
    for name, text in EARLIER.items():
        assert (tmp_path / name).read_text(encoding="utf-8") == text
