"""Control characters in any name or text (NUL, ESC, BEL, other C0 and C1) never reach an
HTML page raw: they are shown as their U+2400 pictures (C1 as ``\\x85``)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import SOURCE
from threads.cli import cli
from threads.report.render import visible_controls

#: Control characters no HTML output may hold (tab, line feed and carriage return may).
RAW = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def test_controls_become_visible_and_markup_stays_markup() -> None:
    from markupsafe import Markup

    assert (
        visible_controls("a\x00b\x1b[31mc\x07\x7f\x85\td\n")
        == "a\u2400b\u241b[31mc\u2407\u2421\\x85\td\n"
    )
    shown = visible_controls(Markup("<b>\x1b</b>"))
    assert isinstance(shown, Markup) and shown == Markup("<b>\u241b</b>")
    assert visible_controls(3) == 3


def test_topic_names_and_comments_with_controls_reach_the_report_as_symbols(
    tmp_path: Path,
) -> None:
    names = tmp_path / "names.json"
    names.write_text(json.dumps({"0": "nul\x00 esc\x1b[2J bel\x07"}), encoding="utf-8")
    data = tmp_path / "data.csv"
    rows = ["id,parent_id,author,text"]
    rows += [
        f'{n},,"Ann\x1b]0;title\x07",North Korea defectors \x1b[31m{n}\x9b cross.' for n in range(6)
    ]
    data.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "r.html"
    args = ["report", str(data), "--out", str(out), "--quiet", "--clusters", "1"]
    result = CliRunner().invoke(cli, [*args, "--topic-labels", str(names)])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert RAW.search(html) is None
    assert "nul\u2400 esc\u241b[2J bel\u2407" in html
    assert "Ann\u241b]0;title\u2407" in html and "\u241b[31m0\\x9b cross" in html
    assert (
        "\x1b"
        in json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))["comments"][0]["text"]
    )  # the data files keep the text exactly


@pytest.mark.slow
def test_a_page_named_with_controls_reaches_the_comparison_page_as_symbols(
    tmp_path: Path,
) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    source = Path(SOURCE).read_bytes()
    for name in ("bell\x07.txt", "esc\x1b[1m.txt"):
        (pages / name).write_bytes(source)
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["corpus", str(pages), "--out", str(out), "--workers", "1", "--reports", "all"]
    )
    assert result.exit_code == 0, result.output
    html = (out / "corpus.html").read_text(encoding="utf-8")
    assert RAW.search(html) is None
    assert "bell\u2407.txt" in html and "esc\u241b[1m.txt" in html
    assert 'href="reports/bell%07.txt.html"' in html
