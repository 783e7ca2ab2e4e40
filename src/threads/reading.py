"""Turn a file's bytes into text, and decide which parser reads it.

Decoding: UTF-8 with or without BOM, UTF-16 with BOM; any other bytes are decoded as UTF-8
with replacement characters and a warning. Line endings become ``\\n``. NUL bytes are dropped
with a warning; a file that is mostly control bytes is refused as binary.
"""

from __future__ import annotations

import codecs
import json
import re
from dataclasses import dataclass
from pathlib import Path

from threads.errors import InputError
from threads.models import InputFormat

INPUT_FORMATS: tuple[InputFormat, ...] = ("text", "html", "csv", "json")

# Share of control bytes (other than tab, newline, carriage return, form feed and vertical
# tab) above which a file is taken to be binary rather than text with a few stray bytes.
# U+000B is Word's manual line break (Shift+Enter), pasted into comments: it is text, kept
# as it is in the comment (it is white space to sentence splitting and header matching).
BINARY_CONTROL_SHARE = 0.05
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_HTML_START = re.compile(r"\s*(<!doctype html|<html|<head|<body|<div|<!--|<\?xml|<meta)", re.I)
_SURROGATE = re.compile("[\ud800-\udfff]")
_JSON_START = re.compile(r'\s*(?:\{\s*(?:"|\})|\[\s*(?:\{|\]|\[|"|-?\d|$))')
_HTML_MARKERS = re.compile(r"wpd-comm-|wc-comm-|wpd-thread-list|<p>|</div>", re.I)


@dataclass(frozen=True)
class DecodedFile:
    text: str
    warnings: tuple[str, ...]


def read_source(path: str | Path) -> DecodedFile:
    """Read and decode a file, or raise :class:`InputError` naming it."""
    source = str(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(source, "no such file") from None
    except IsADirectoryError:
        raise InputError(source, "is a directory, not a file") from None
    except PermissionError:
        raise InputError(source, "permission denied") from None
    except OSError as error:
        raise InputError(source, f"cannot be read ({error.strerror or error})") from None
    return decode(data, source)


def decode(data: bytes, source: str) -> DecodedFile:
    if not data.strip():
        raise InputError(source, "is empty")
    warnings: list[str] = []
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            text = data.decode("utf-16", errors="replace")
            warnings.append(f"{source}: invalid UTF-16 bytes were replaced with \ufffd")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            text = data.decode("utf-8-sig", errors="replace")
            warnings.append(
                f"{source}: not valid UTF-8 (first bad byte at offset {error.start}); "
                "undecodable bytes were replaced with \ufffd"
            )
    controls = len(_CONTROL.findall(text))
    if controls > BINARY_CONTROL_SHARE * len(text) or text.count("\ufffd") > len(text) / 4:
        raise InputError(source, "looks like a binary file, not a comment page")
    if "\x00" in text:
        warnings.append(f"{source}: {text.count(chr(0))} NUL bytes were removed")
        text = text.replace("\x00", "")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # A BOM is never content: a file saved twice through a BOM-writing tool has two.
    text = text.lstrip("\ufeff")
    return DecodedFile(text, tuple(warnings))


def _is_json(text: str) -> bool:
    """JSON when it parses as a list or an object; a text dump's title may open with a
    bracket too (``[1] ...``, ``{Video} ...``). Text that fails to parse is still JSON (so
    the JSON reader names the error) when it opens like a JSON object or list of objects
    and the error is past the first line or at the very end (a file cut short), or when a
    whole value spanning lines is followed by more: a dump's title line is never valid JSON
    up to its end, nor the whole first line a value followed by more text."""
    stripped = text.strip()
    if not stripped.startswith(("{", "[")):
        return False
    try:
        data = json.loads(stripped)
    except RecursionError:
        return True
    except ValueError as error:
        if not isinstance(error, json.JSONDecodeError):
            return True  # valid JSON syntax that Python refuses (e.g. a huge number)
        if error.msg == "Extra data":  # a whole value, then more: where did the value end?
            end = json.JSONDecoder().raw_decode(stripped)[1]
            return "\n" in stripped[:end]
        if not _JSON_START.match(stripped):
            return False
        return error.lineno > 1 or "\n" not in stripped or error.pos >= len(stripped) - 1
    return isinstance(data, list | dict)


def replace_lone_surrogates(text: str) -> tuple[str, int]:
    """Text with every lone UTF-16 surrogate (which no output can encode) replaced by U+FFFD,
    and how many there were."""
    return _SURROGATE.subn("\ufffd", text)


def detect_format(text: str) -> InputFormat:
    """Guess the input kind from the content (never from the file name)."""
    head = text.lstrip()[:2000]
    if _is_json(text):
        return "json"
    if _HTML_START.match(head) or (head.startswith("<") and _HTML_MARKERS.search(text)):
        return "html"
    first_line, _, rest = head.partition("\n")
    # A header row naming an id column and another comment column, or followed directly by
    # a row (a dump's title line is followed by a blank line): a comment table, its cells
    # separated by commas, tabs, semicolons or bars. Whether it has the text column is the
    # CSV reader's to say, with a clear message.
    known = {"text", "parent_id", "author", "posted", "position"}
    for delimiter in (",", "\t", ";", "|"):
        columns = {c.strip().strip('"').strip().lower() for c in first_line.split(delimiter)}
        if (
            "id" in columns
            and len(columns) >= 2
            and (columns & known or rest[:1] not in ("", "\n"))
        ):
            return "csv"
    return "text"
