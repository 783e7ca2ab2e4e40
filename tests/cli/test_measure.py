"""``--embeddings`` and ``--lexical``: which measure a command uses, and its errors."""

from __future__ import annotations

import math

import pytest
from click.testing import CliRunner

import threads
from threads.analysis import analyze
from threads.cli import cli

from ..conftest import CORPUS


def test_lexical_and_a_model_together_are_refused_in_one_line() -> None:
    result = CliRunner().invoke(
        cli, ["summary", str(CORPUS), "--lexical", "--embeddings", "minishlab/potion-base-8M"]
    )
    assert result.exit_code == 2
    assert "--embeddings names a model ('minishlab/potion-base-8M') but lexical asks" in (
        result.output
    )
    assert "Traceback" not in result.output


def test_a_model_folder_that_does_not_exist_is_named() -> None:
    result = CliRunner().invoke(cli, ["summary", str(CORPUS), "--embeddings", "./no/such/model"])
    assert result.exit_code == 2
    assert "--embeddings names a folder that does not exist: ./no/such/model" in result.output


def test_summary_counts_on_off_and_cant_tell_with_a_wilson_interval() -> None:
    summary = analyze(threads.load(CORPUS), clusters=1).summary
    counts = (summary.on_topic_comments, summary.off_topic_comments, summary.cant_tell_comments)
    assert counts == (9, 6, 1)
    assert summary.off_topic_share_judged == round(6 / 15, 6)
    n, p, z = 15, 6 / 15, 1.959964  # Wilson's score interval, by hand
    centre, half = p + z * z / (2 * n), z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    low, high = summary.off_topic_share_judged_interval or (0, 0)
    assert (low, high) == pytest.approx(
        ((centre - half) / (1 + z * z / n), (centre + half) / (1 + z * z / n)), abs=1e-5
    )
    result = CliRunner().invoke(cli, ["summary", str(CORPUS)])
    assert result.output.startswith(
        "9 of 16 comments stayed on the subject of the article (6 left it, 1 can't tell: "
    )


def test_lexical_summary_uses_the_words_cut() -> None:
    result = CliRunner().invoke(cli, ["summary", str(CORPUS), "--lexical"])
    assert result.exit_code == 0, result.output
    # by words only the comments that share no content word (stem) with the article are off:
    # #12, "The American version of our language is simply incorrect"
    assert result.output.startswith(
        "15 of 16 comments stayed on the subject of the article (1 left it, 0 can't tell"
    )
