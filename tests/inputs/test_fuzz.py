"""Seeded mutations of the real text dumps and the saved HTML fixtures: only
``threads.ThreadsError`` is ever raised, and Unicode-space variants of header lines lose no
comment and change no text or parent."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

import threads
from threads.inputs.textdump import COMMENT_COUNT, DATE_LINE, EDITED_LINE, REPLY_LINE

from ..conftest import FIXTURES

pytestmark = pytest.mark.slow

DUMPS = sorted((FIXTURES / "real-dumps").glob("*.txt"))
PAGES = sorted((FIXTURES / "html").glob("*.html"))
SPACES = ["\u00a0", "\u2007", "\u202f", "\u3000", "\t", "  ", " \u00a0", "\u2009", "\u205f"]
CASES = 40  # per input and kind of mutation


def load_or_refuse(data: bytes, tmp_path: Path, suffix: str) -> threads.Discussion | None:
    path = tmp_path / f"mutant{suffix}"
    path.write_bytes(data)
    try:
        return threads.load(path)
    except threads.ThreadsError:
        return None  # a one-line error is a fine answer; any other exception fails the test


def mutate_bytes(data: bytes, rng: random.Random) -> bytes:
    buffer = bytearray(data)
    kind = rng.choice(["flip", "truncate", "insert", "delete"])
    if kind == "truncate":
        return bytes(buffer[: rng.randrange(len(buffer))])
    for _ in range(rng.randint(1, 8)):
        at = rng.randrange(len(buffer))
        if kind == "flip":
            buffer[at] ^= 1 << rng.randrange(8)
        elif kind == "insert":
            buffer[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 4)))
        else:
            del buffer[at : at + rng.randint(1, 4)]
    return bytes(buffer)


def mutate_lines(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    for _ in range(rng.randint(1, 6)):
        i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
        kind = rng.choice(["delete", "duplicate", "swap", "blank"])
        if kind == "delete" and len(lines) > 1:
            del lines[i]
        elif kind == "duplicate":
            lines.insert(i, lines[j])
        elif kind == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        else:
            lines.insert(i, "")
    return "\n".join(lines)


def header_lines(text: str, discussion: threads.Discussion) -> set[int]:
    """Indexes of the lines that are header or chrome lines, never part of a body."""
    body = {line for c in discussion for line in c.text.split("\n")}
    names = {c.author for c in discussion if c.author}
    found = set()
    for i, line in enumerate(text.split("\n")):
        s = line.strip()
        if not s or s in body:
            continue
        if (
            s in names
            or DATE_LINE.fullmatch(s)
            or REPLY_LINE.fullmatch(s)
            or EDITED_LINE.fullmatch(s)
            or COMMENT_COUNT.fullmatch(s)
            or s.casefold() in {"notify of", "most voted", "newest oldest", "inline feedbacks",
                                "view all comments"}
        ):  # fmt: skip
            found.add(i)
    return found


@pytest.mark.parametrize("dump", DUMPS, ids=[p.stem for p in DUMPS])
def test_space_variants_of_header_lines_lose_nothing(dump: Path, tmp_path: Path) -> None:
    text = dump.read_text(encoding="utf-8")
    original = threads.load(dump)
    expected = [(c.text, c.parent_id, c.parent_status) for c in original]
    headers = header_lines(text, original)
    assert len(original) >= 3 and headers
    rng = random.Random(f"spaces-{dump.name}")
    for case in range(CASES):
        lines = text.split("\n")
        for i in headers:
            if rng.random() < 0.7:
                lines[i] = lines[i].replace(" ", rng.choice(SPACES))
        mutant = load_or_refuse("\n".join(lines).encode(), tmp_path, ".txt")
        assert mutant is not None, case
        assert [(c.text, c.parent_id, c.parent_status) for c in mutant] == expected, case


@pytest.mark.parametrize("source", DUMPS + PAGES, ids=[p.name for p in DUMPS + PAGES])
def test_mutations_raise_only_threads_errors(source: Path, tmp_path: Path) -> None:
    data = source.read_bytes()
    text = data.decode("utf-8")
    rng = random.Random(f"mutate-{source.name}")
    for _ in range(CASES // 2):
        load_or_refuse(mutate_bytes(data, rng), tmp_path, source.suffix)
        load_or_refuse(mutate_lines(text, rng).encode(), tmp_path, source.suffix)
