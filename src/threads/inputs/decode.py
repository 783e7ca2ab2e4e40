"""Turn a file's bytes into text, and decide which parser reads it.

Decoding: a BOM's encoding (UTF-8, UTF-16, UTF-32); UTF-16 without a BOM; UTF-8; the
encoding an HTML page declares; else one detected by charset-normalizer, with a warning
naming it; undecodable bytes become U+FFFD with a warning. Line endings become ``\\n``. NUL
bytes are dropped with a warning; a file that is mostly control bytes is refused as binary.
"""

from __future__ import annotations

import codecs
import json
import re
from dataclasses import dataclass
from pathlib import Path

from threads.errors import InputError
from threads.inputs.columns import ALIASES
from threads.inputs.csvfile import csv_delimiter
from threads.inputs.tabular import is_json_lines
from threads.models import InputFormat

INPUT_FORMATS: tuple[InputFormat, ...] = ("text", "html", "csv", "json")
#: The names a table's text column goes by.
TEXT_COLUMNS = frozenset({"text", *ALIASES["text"]})

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
        data = _read_bytes(Path(path), source)
    except FileNotFoundError:
        raise InputError(source, "no such file") from None
    except IsADirectoryError:
        raise InputError(source, "is a directory, not a file") from None
    except PermissionError:
        raise InputError(source, "permission denied") from None
    except OSError as error:
        raise InputError(source, f"cannot be read ({error.strerror or error})") from None
    return decode(data, source)


#: The largest input read (1 GiB): a comment page is far smaller; past this it is refused,
#: before it can exhaust memory (``/dev/zero``, a disk image named by mistake).
MAX_INPUT_BYTES = 1 << 30
_CHUNK = 1 << 20


def _read_bytes(path: Path, source: str) -> bytes:
    """The file's bytes, read in chunks: a stream that is binary from its first megabyte,
    or grows past MAX_INPUT_BYTES, is refused without reading the rest."""
    chunks: list[bytes] = []
    size = 0
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            if not chunks and _binary_start(chunk):
                raise InputError(source, "looks like a binary file, not a comment page")
            size += len(chunk)
            if size > MAX_INPUT_BYTES:
                raise InputError(
                    source, f"is larger than {MAX_INPUT_BYTES >> 30} GiB, too large for a page"
                )
            chunks.append(chunk)
    return b"".join(chunks)


def _binary_start(chunk: bytes) -> bool:
    """The first bytes are binary by :func:`decode`'s rules and no text encoding explains them."""
    if chunk.startswith(tuple(bom for bom, _ in _BOMS)) or _utf16_without_bom(chunk):
        return False
    return _looks_binary(chunk)


def decode(data: bytes, source: str) -> DecodedFile:
    if not data.strip():
        raise InputError(source, "is empty")
    text, warnings = _to_text(data, source)
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


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)  # fmt: skip
# <meta charset=X>, <meta http-equiv=Content-Type content="text/html; charset=X">,
# <?xml version="1.0" encoding="X"?>: where an HTML page says its encoding.
_DECLARED = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?\s*([-\w.:]+)|<\?xml[^>]*?encoding\s*=\s*["']([-\w.:]+)""",
    re.I,
)


def _to_text(data: bytes, source: str) -> tuple[str, list[str]]:
    """Decode: a BOM's encoding; else UTF-16 recognised by its NUL bytes; else UTF-8 when
    the bytes are valid UTF-8, or mostly so (U+FFFD for the few bad bytes); else the
    encoding an HTML page declares; else the one charset-normalizer detects (preferring
    windows-1252 among equally good Western candidates, as browsers do); else UTF-8 with
    replacement characters. A warning names the encoding whenever it is not UTF-8 and no
    BOM stated it."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), []
            except UnicodeDecodeError:
                name = encoding.replace("-sig", "").upper()
                text = data.decode(encoding, errors="replace")
                return text, [f"{source}: invalid {name} bytes were replaced with \ufffd"]
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return data.decode(utf16, errors="replace"), [
            f"{source}: no BOM, but the NUL bytes say {utf16.upper()}; read as {utf16.upper()}"
        ]
    declared = _declared_encoding(data)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        bad_at = error.start
    else:
        warnings = []
        if declared is not None and declared != "utf-8" and not data.isascii():
            warnings.append(f"{source}: declares {declared} but is valid UTF-8; read as UTF-8")
        return text, warnings
    not_utf8 = f"{source}: not valid UTF-8 (first bad byte at offset {bad_at})"
    damaged = data.decode("utf-8", errors="replace")
    bad = damaged.count("\ufffd")
    if sum(1 for char in damaged if char > "\x7f") - bad > bad:
        # More valid multi-byte sequences than bad bytes: UTF-8 with a few damaged bytes
        # (a legacy encoding almost never forms valid UTF-8 sequences).
        return damaged, [f"{not_utf8}; undecodable bytes were replaced with \ufffd"]
    if declared is not None and declared != "utf-8":
        return data.decode(declared, errors="replace"), [
            f"{not_utf8}; decoded as {declared}, the encoding the page declares"
        ]
    detected = None if _looks_binary(data) else _detected_encoding(data)
    if detected is not None:
        return data.decode(detected, errors="replace"), [
            f"{not_utf8}; decoded as {detected} (detected)"
        ]
    return data.decode("utf-8", errors="replace"), [
        f"{not_utf8}; undecodable bytes were replaced with \ufffd"
    ]


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a BOM: mostly-ASCII text has a NUL in every other byte."""
    sample = data[:4096]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    if odd > 0.4 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.4 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def _declared_encoding(data: bytes) -> str | None:
    """The encoding an HTML or XML prolog declares in its first 4 KB, if Python knows it."""
    match = _DECLARED.search(data[:4096])
    if match is None:
        return None
    name = (match.group(1) or match.group(2)).decode("ascii", "replace")
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    # WHATWG: a page labelled Latin-1 or ASCII is read as windows-1252.
    return "cp1252" if codec in ("latin-1", "iso8859-1", "ascii") else codec


def _looks_binary(data: bytes) -> bool:
    sample = data[:65536]
    return len(re.findall(rb"[\x00-\x08\x0e-\x1f\x7f]", sample)) > BINARY_CONTROL_SHARE * len(
        sample
    )


def _detected_encoding(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data))
    if not matches:
        return None
    best = min(m.chaos for m in matches)
    good = [m for m in matches if m.chaos <= best + 0.01]
    for match in good:
        if "cp1252" in match.could_be_from_charset:
            return "cp1252"
    encoding = str(good[0].encoding)
    return None if encoding in ("utf_8", "ascii") else encoding


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
    # The whole first line: a table's header may be far longer than the head looked at.
    stripped = text.lstrip()
    end = stripped.find("\n")
    first_line = stripped if end < 0 else stripped[:end]
    rest = "" if end < 0 else stripped[end + 1 : end + 2]
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
    # Or a header of two or more known column names (``body,in_reply_to,user``) over a row.
    if rest[:1] not in ("", "\n") and (
        csv_delimiter(first_line) is not None
        or first_line.strip().strip('"').strip().lower() in TEXT_COLUMNS  # a one-column table
    ):
        return "csv"
    if is_json_lines(stripped):
        return "json"
    return "text"
