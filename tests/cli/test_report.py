"""`threads report`: the HTML with its JSON and CSV, or the HTML alone on standard output."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from threads.cli import cli

from ..conftest import SOURCE


@pytest.mark.slow
def test_out_dash_prints_the_html_and_writes_no_file(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    data = Path(SOURCE).read_bytes()
    result = runner.invoke(cli, ["report", "-", "--out", "-", "--clusters", "3"], input=data)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("<!doctype html>")
    assert result.stdout.rstrip().endswith("</html>")
    assert list(tmp_path.iterdir()) == []


def test_report_help_says_out_dash_writes_no_data_files(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["report", "--help"])
    text = " ".join(result.stdout.split())
    assert "'-' prints the HTML to standard output and writes no JSON or CSV" in text


@pytest.mark.slow
def test_no_progress_when_stderr_is_not_a_terminal(tmp_path: Path) -> None:
    import subprocess
    import sys

    run = subprocess.run(
        [sys.executable, "-m", "threads", "report", SOURCE, "-k", "3", "--out", "r.html"],
        cwd=tmp_path, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert run.stderr == ""
    assert run.stdout.splitlines() == ["r.html", "r.json", "r.csv"]


@pytest.mark.slow
def test_a_progress_bar_on_a_terminal(tmp_path: Path) -> None:
    import os
    import pty
    import subprocess
    import sys

    leader, follower = pty.openpty()
    try:
        run = subprocess.run(
            [sys.executable, "-m", "threads", "report", SOURCE, "-k", "3", "--out", "r.html"],
            cwd=tmp_path, stderr=follower, stdout=subprocess.PIPE, text=True, check=True,
        )  # fmt: skip
        os.close(follower)
        seen = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal's other end is closed: all read
                break
            if not chunk:
                break
            seen += chunk
    finally:
        os.close(leader)
    text = seen.decode()
    assert "scoring sentiment 16/16 [########################]" in text
    assert "drawing charts 7/7" in text and "writing files 1/1" in text
    assert text.rstrip().endswith("done")
    assert run.stdout.splitlines() == ["r.html", "r.json", "r.csv"]
