"""What every command shares: the entry points, option errors, a light import."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from threads.cli import cli

from ..conftest import SOURCE


def test_version_and_module_entry() -> None:
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-m", "threads", "--version"], capture_output=True, text=True, check=True
    )
    assert out.stdout.startswith("threads, version ")


@pytest.mark.parametrize("command", [["clusters"], ["chain", "7"], ["comments"]])
def test_bad_k_and_seed_are_usage_errors_in_every_command(
    runner: CliRunner, command: list[str]
) -> None:
    args = [*command, SOURCE]
    bad_k = runner.invoke(cli, [*args, "--clusters", "0"])
    assert bad_k.exit_code == 2
    assert "--clusters must be between 1 and 16 for this discussion" in bad_k.stderr
    bad_seed = runner.invoke(cli, [*args, "--seed", "-1"])
    assert bad_seed.exit_code == 2
    assert "--seed must be a whole number from 0 to 4294967295; got -1" in bad_seed.stderr


def test_import_threads_is_light() -> None:
    code = "import sys, threads; print([m for m in ('sklearn', 'pandas') if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# Two fresh processes each (about 9 s with words, 8 s more with the bundled model): CI runs
# both measures.
@pytest.mark.parametrize("lexical", [True, False], ids=["lexical", "minilm"])
@pytest.mark.slow
def test_analysis_to_dict_is_json_and_stable(runner: CliRunner, lexical: bool) -> None:
    code = (
        "import json, sys, threads\n"
        f"analysis = threads.analyze(threads.load({SOURCE!r}), seed=5, lexical={lexical})\n"
        "sys.stdout.write(json.dumps(analysis.to_dict(), allow_nan=False))\n"
    )
    first, second = (
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                       env={**os.environ, "PYTHONHASHSEED": seed}).stdout
        for seed in ("1", "2")
    )  # fmt: skip
    assert first == second
    data = json.loads(first)
    assert set(data) >= {"parameters", "clusters", "k_scores", "chains", "summary"}
    parameters = data["parameters"]
    assert parameters["clusters_chosen_automatically"] is True and parameters["seed"] == 5
    assert {"scikit-learn", "vaderSentiment", "sentencex"} <= set(parameters["versions"])
    assert parameters["vectorizer"]["stop_words"] == "english"


def test_a_closed_pipe_ends_quietly_with_141(runner: CliRunner) -> None:
    import click

    from threads.cli import handle_errors

    @click.command()
    @handle_errors
    def writes_to_a_closed_pipe() -> None:
        raise BrokenPipeError(32, "Broken pipe")

    result = runner.invoke(writes_to_a_closed_pipe, [])
    assert (result.exit_code, result.stderr) == (141, "")


def _piped(args: list[str], keep: int, cwd: str) -> tuple[int, str]:
    """Run threads ARGS into a real pipe, read ``keep`` bytes, close it: (exit code, stderr)."""
    process = subprocess.Popen([sys.executable, "-m", "threads", *args], cwd=cwd,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
    assert process.stdout is not None and process.stderr is not None
    process.stdout.read(keep)
    process.stdout.close()
    stderr = process.stderr.read().decode()
    process.stderr.close()
    return process.wait(), stderr


@pytest.mark.slow
def test_head_on_a_real_pipe_never_prints_an_error(tmp_path: Path) -> None:
    from ..conftest import write_thread_page

    page = str(write_thread_page(tmp_path / "big.txt", 1000))  # 3,000 comments, 1.3 MB of JSON
    for _ in range(5):  # line by line: the reader is gone before the last line
        code, stderr = _piped(["comments", page, "--no-analysis"], 100, ".")
        assert (code, stderr) == (141, "")
    for output_format in ("json", "jsonl", "csv"):  # one large write: 0 or 141, quietly
        for _ in range(3):
            code, stderr = _piped(["comments", page, "--no-analysis", "--format", output_format],
                                  10, ".")  # fmt: skip
            assert code in (0, 141) and stderr == ""
    for _ in range(3):
        # By words: the pipe is the point, not the measure (the model would cost 3 s a run).
        code, stderr = _piped(["clusters", SOURCE, "--clusters", "3", "--lexical"], 40, ".")
        assert code in (0, 141) and stderr == ""


def test_every_help_screen_has_an_example_and_whole_summaries(runner: CliRunner) -> None:
    top = runner.invoke(cli, ["--help"])
    assert top.exit_code == 0 and "Examples:" in top.stdout
    commands = sorted(cli.commands)
    listing = top.stdout.split("Commands:")[1].split("Examples:")[0]
    for name in commands:
        (summary,) = [line for line in listing.splitlines() if line.strip().startswith(name)]
        assert not summary.rstrip().endswith("..."), summary  # not cut off
        assert summary.rstrip().endswith("."), summary  # one whole line
        screen = runner.invoke(cli, [name, "--help"])
        assert screen.exit_code == 0
        assert "Examples:" in screen.stdout and f"threads {name}" in screen.stdout, name


def test_shell_completion_script_is_printed() -> None:
    out = subprocess.run([sys.executable, "-m", "threads"], capture_output=True, text=True,
                         env={**os.environ, "_THREADS_COMPLETE": "bash_source"})  # fmt: skip
    assert "_threads_completion" in out.stdout
