"""What every command shares: the entry points, option errors, a light import."""

from __future__ import annotations

import json
import os
import subprocess
import sys

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
def test_bad_k_and_seed_are_usage_errors_in_every_command(runner: CliRunner, command) -> None:
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


def test_analysis_to_dict_is_json_and_stable(runner: CliRunner) -> None:
    code = (
        "import json, sys, threads\n"
        f"analysis = threads.analyze(threads.load({SOURCE!r}), seed=5)\n"
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
