"""Turn a file's bytes into text, and decide which parser reads it.

Decoding: UTF-8 with or without BOM, UTF-16 with BOM; any other bytes are decoded as UTF-8
with replacement characters and a warning. Line endings become ``\\n``. NUL bytes are dropped
with a warning; a file that is mostly control bytes is refused as binary.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

from threads.errors import InputError
from threads.models import InputFormat

INPUT_FORMATS: tuple[InputFormat, ...] = ("text", "html", "csv", "json")

# Share of control bytes (other than tab, newline, carriage return, form feed) above which a
# file is taken to be binary rather than text with a few stray bytes.
BINARY_CONTROL_SHARE = 0.05
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_HTML_START = re.compile(r"\s*(<!doctype html|<html|<head|<body|<div|<!--|<\?xml|<meta)", re.I)
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
    return DecodedFile(text, tuple(warnings))


def detect_format(text: str) -> InputFormat:
    """Guess the input kind from the content (never from the file name)."""
    head = text.lstrip()[:2000]
    # JSON opens with an object, or a list of objects; a text dump's title may open with a
    # bracket too ("[Video] ..."), so a list must continue like JSON.
    if head.startswith("{") or re.match(r"\[\s*(?:[\[{\]\"\d-]|$)", head):
        return "json"
    if _HTML_START.match(head) or (head.startswith("<") and _HTML_MARKERS.search(text)):
        return "html"
    first_line, _, rest = head.partition("\n")
    columns = {c.strip().strip('"').strip().lower() for c in first_line.split(",")}
    # A header row naming an id column and another comment column, or followed directly by
    # a row (a dump's title line is followed by a blank line): a comment table. Whether it
    # has the text column is the CSV reader's to say, with a clear message.
    known = {"text", "parent_id", "author", "posted", "position"}
    if "id" in columns and len(columns) >= 2 and (columns & known or rest[:1] not in ("", "\n")):
        return "csv"
    return "text"
