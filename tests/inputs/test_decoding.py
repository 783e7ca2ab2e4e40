"""Encodings: the one a BOM states, UTF-16 without a BOM, the one an HTML page declares, or the
one charset-normalizer detects, with a warning naming it whenever it is not UTF-8."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from click.testing import CliRunner

import threads
from threads.cli import cli

from .markup import comment_html, page, records

WESTERN = (
    "Caf\u00e9 \u201cquoted\u201d \u2013 na\u00efve r\u00e9sum\u00e9, \u00a3100 \u2026 "
    "Gr\u00fc\u00dfe."
)
DUMP = (
    f"A title\n\nThe article.\n\nAnn\nAnn\n1 day ago\n\n{WESTERN}\n\n"
    "Bob\nBob\n1 day ago\nReply to  Ann\n\nPlain reply.\n"
)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def write(tmp_path: Path, data: bytes, name: str = "page.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_western_text_dump_is_detected_and_warned(tmp_path: Path, encoding: str) -> None:
    text = DUMP if encoding == "cp1252" else DUMP.replace("\u201c", '"').replace("\u201d", '"')
    text = text.replace("\u2013", "-").replace("\u2026", "...") if encoding == "latin-1" else text
    path = write(tmp_path, text.encode(encoding))
    discussion = threads.load(path)
    assert [c.text for c in discussion] == [text.split("\n\n")[3], "Plain reply."]
    assert any("decoded as cp1252" in w for w in discussion.warnings)
    code, _, err = run("comments", str(path), "--no-analysis")
    assert code == 0 and "decoded as cp1252" in err
    # UTF-8 with one damaged byte stays UTF-8: only that byte becomes U+FFFD.
    damaged = threads.load(write(tmp_path, DUMP.encode().replace(b"Plain", b"Pl\xffain")))
    assert [c.text for c in damaged] == [WESTERN, "Pl\ufffdain reply."]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_read(tmp_path: Path, encoding: str) -> None:
    discussion = threads.load(write(tmp_path, DUMP.encode(encoding)))
    assert [c.text for c in discussion] == [WESTERN, "Plain reply."]
    assert any(encoding.upper() in w for w in discussion.warnings)


@pytest.mark.parametrize("bom", ["utf-32-le", "utf-32-be"])
def test_utf32_with_bom_is_read(tmp_path: Path, bom: str) -> None:
    data = (codecs.BOM_UTF32_LE if bom.endswith("le") else codecs.BOM_UTF32_BE) + DUMP.encode(bom)
    discussion = threads.load(write(tmp_path, data))
    assert [c.text for c in discussion] == [WESTERN, "Plain reply."]
    assert not discussion.warnings


@pytest.mark.parametrize(
    "declaration",
    [
        '<meta charset="windows-1252">',
        "<meta charset=iso-8859-1>",
        '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">',
    ],
)
def test_html_follows_its_declared_encoding(tmp_path: Path, declaration: str) -> None:
    html = page(
        "".join(comment_html(r)
                for r in records([WESTERN, "Second \u2019quote\u2019."]))
    ).replace('<meta charset="utf-8">', declaration)  # fmt: skip
    path = write(tmp_path, html.encode("cp1252"), "page.html")
    discussion = threads.load(path)
    assert [c.text for c in discussion] == [WESTERN, "Second \u2019quote\u2019."]
    assert any("cp1252, the encoding the page declares" in w for w in discussion.warnings)
