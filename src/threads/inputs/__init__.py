"""``threads.load``: from a file to a :class:`~threads.models.Discussion`."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path

from threads.errors import InputError, OptionError, ThreadsError
from threads.inputs.columns import check_columns
from threads.inputs.dates import check_saved_at
from threads.inputs.decode import (
    INPUT_FORMATS,
    DecodedFile,
    decode,
    detect_format,
    read_source,
    replace_lone_surrogates,
)
from threads.inputs.parquet import file_start, is_parquet, parse_parquet
from threads.models import Discussion, InputFormat, ParsedPage
from threads.tree import build_discussion

#: How a table's columns are chosen: {threads column: file column}, or "text=body,...".
Columns = Mapping[str, str] | str | None


def _parse(
    text: str,
    input_format: InputFormat | None,
    source: str,
    columns: Mapping[str, str] | None = None,
) -> ParsedPage:
    kind = input_format or detect_format(text)
    try:
        return parse_text(text, kind, source, columns)
    except ThreadsError:
        raise
    except RecursionError:
        raise InputError(source, f"is nested too deeply to read as {kind}") from None
    except (ValueError, TypeError, KeyError, IndexError, AttributeError) as error:
        # A parser bug or an input shape nobody foresaw: still one line, naming the file.
        raise InputError(source, f"cannot be read as {kind}: {error}") from None


def parse_text(
    text: str,
    input_format: InputFormat,
    source: str,
    columns: Mapping[str, str] | None = None,
) -> ParsedPage:
    """Run the parser for ``input_format`` over decoded text (``columns``: CSV and JSON)."""
    if input_format == "text":
        from threads.inputs.textdump import TextDumpParser

        return TextDumpParser().parse(text)
    if input_format == "html":
        from threads.inputs.wpdiscuz import HtmlPageParser

        return HtmlPageParser().parse(text, source)
    from threads.inputs.tabular import parse_tabular

    return parse_tabular(text, input_format, source, columns)


def load(
    path: str | Path,
    input_format: InputFormat | None = None,
    article_path: str | Path | None = None,
    columns: Columns = None,
    saved_at: str | None = None,
) -> Discussion:
    """Read a comment page (text dump, saved HTML, CSV, JSON or JSON lines) into a Discussion.

    The kind of input is detected from the content unless ``input_format`` names it.
    ``article_path`` supplies the article as plain text for inputs that lack one.
    ``columns`` chooses a table's columns ({"text": "body"} or ``"text=body"``; common
    names are mapped without it). ``saved_at`` (a date) is when the page was saved:
    relative dates ("10 months ago") are resolved against it in ``posted_iso``.
    """
    _check_format(input_format)
    reading = _Reading(check_columns(columns), check_saved_at(saved_at))
    if input_format is None and is_parquet(file_start(path)):
        return _parquet(path, str(path), article_path, reading)
    return _discussion(read_source(path), input_format, article_path, str(path), reading)


def load_bytes(
    data: bytes,
    input_format: InputFormat | None = None,
    article_path: str | Path | None = None,
    source: str = "stdin",
    columns: Columns = None,
    saved_at: str | None = None,
) -> Discussion:
    """Like :func:`load`, for the bytes of a file already read (``threads comments -`` reads
    standard input): decoded and detected the same way, errors naming ``source``."""
    _check_format(input_format)
    reading = _Reading(check_columns(columns), check_saved_at(saved_at))
    if input_format is None and is_parquet(data):
        return _parquet(data, source, article_path, reading)
    return _discussion(decode(data, source), input_format, article_path, source, reading)


def _parquet(
    data: str | Path | bytes, source: str, article_path: str | Path | None, reading: _Reading
) -> Discussion:
    """A page of the corpus's comment table (Parquet is binary: it skips text decoding)."""
    page = _with_article(reading.apply(parse_parquet(data, source, reading.columns)), article_path)
    return build_discussion(_not_blank(page, source), source)


@dataclasses.dataclass(frozen=True)
class _Reading:
    """The checked reading options: chosen columns, and the saved date (ISO 8601)."""

    columns: dict[str, str] = dataclasses.field(default_factory=dict)
    saved_at: str | None = None

    def apply(self, page: ParsedPage) -> ParsedPage:
        """The page with the saved date given (it overrides one the file states)."""
        if self.saved_at is None:
            return page
        return dataclasses.replace(page, saved_at=self.saved_at)


def _check_format(input_format: InputFormat | None) -> None:
    if input_format is not None and input_format not in INPUT_FORMATS:
        raise OptionError(
            "input_format", f"must be one of {', '.join(INPUT_FORMATS)}; got {input_format!r}"
        )


def _discussion(
    decoded: DecodedFile,
    input_format: InputFormat | None,
    article_path: str | Path | None,
    source: str,
    reading: _Reading,
) -> Discussion:
    page = reading.apply(_parse(decoded.text, input_format, source, reading.columns))
    page = _with_article(page, article_path)
    return build_discussion(_with_warnings(_not_blank(page, source), decoded.warnings), source)


def _with_article(page: ParsedPage, article_path: str | Path | None) -> ParsedPage:
    """The page with the article read from ``article_path`` (plain text), when one is given."""
    if article_path is None:
        return page
    from threads.inputs.tabular import article_from_text

    article_decoded = read_source(article_path)
    return dataclasses.replace(
        _with_warnings(page, article_decoded.warnings),
        article=article_from_text(article_decoded.text),
    )


def _not_blank(page: ParsedPage, source: str) -> ParsedPage:
    """A page must hold comments or an article: a header-only CSV or an empty JSON list with
    no article to go with it is an error naming the file (an article-only page is fine)."""
    article = page.article
    if page.comments or article.title or article.paragraphs:
        return page
    what = {"csv": "has a header but no rows", "json": "lists no comments"}.get(
        page.input_format, "holds no comments"
    )
    raise InputError(source, f"{what} and no article (give one with --article FILE)")


def _with_warnings(page: ParsedPage, warnings: tuple[str, ...]) -> ParsedPage:
    return dataclasses.replace(page, warnings=warnings + page.warnings)


def load_text(
    text: str,
    input_format: InputFormat | None = None,
    source: str = "<text>",
    columns: Columns = None,
    saved_at: str | None = None,
) -> Discussion:
    """Like :func:`load`, for text already in memory (handy in notebooks and tests)."""
    reading = _Reading(check_columns(columns), check_saved_at(saved_at))
    text, surrogates = replace_lone_surrogates(text)
    decoded = decode(text.encode("utf-8"), source)
    page = reading.apply(_parse(decoded.text, input_format, source, reading.columns))
    warnings = decoded.warnings
    if surrogates:
        warnings = (f"{source}: {surrogates} lone surrogates were replaced with \ufffd", *warnings)
    return build_discussion(_with_warnings(_not_blank(page, source), warnings), source)
