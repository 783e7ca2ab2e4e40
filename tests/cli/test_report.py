"""`threads report`: the HTML with its JSON and CSV, or the HTML alone on standard output."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from threads.cli import cli

from ..conftest import SOURCE


def test_out_dash_prints_the_html_and_writes_no_file(runner: CliRunner, tmp_path, monkeypatch):
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
