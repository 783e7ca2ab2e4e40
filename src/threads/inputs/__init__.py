"""``threads.load``: from a file to a :class:`~threads.models.Discussion`."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from threads.errors import InputError, OptionError, ThreadsError
from threads.inputs.decode import (
    INPUT_FORMATS,
    decode,
    detect_format,
    read_source,
    replace_lone_surrogates,
)
from threads.models import Discussion, InputFormat, ParsedPage
from threads.tree import build_discussion


def _parse(text: str, input_format: InputFormat | None, source: str) -> ParsedPage:
    kind = input_format or detect_format(text)
    try:
        return parse_text(text, kind, source)
    except ThreadsError:
        raise
    except RecursionError:
        raise InputError(source, f"is nested too deeply to read as {kind}") from None
    except (ValueError, TypeError, KeyError, IndexError, AttributeError) as error:
        # A parser bug or an input shape nobody foresaw: still one line, naming the file.
        raise InputError(source, f"cannot be read as {kind}: {error}") from None


def parse_text(text: str, input_format: InputFormat, source: str) -> ParsedPage:
    """Run the parser for ``input_format`` over decoded text."""
    if input_format == "text":
        from threads.inputs.textdump import TextDumpParser

        return TextDumpParser().parse(text)
    if input_format == "html":
        from threads.inputs.wpdiscuz import HtmlPageParser

        return HtmlPageParser().parse(text, source)
    from threads.inputs.tabular import parse_tabular

    return parse_tabular(text, input_format, source)


def load(
    path: str | Path,
    input_format: InputFormat | None = None,
    article_path: str | Path | None = None,
) -> Discussion:
    """Read a comment page (text dump, saved HTML, CSV or JSON) into a Discussion.

    The kind of input is detected from the content unless ``input_format`` names it.
    ``article_path`` supplies the article as plain text for inputs that lack one.
    """
    if input_format is not None and input_format not in INPUT_FORMATS:
        raise OptionError(
            "input_format", f"must be one of {', '.join(INPUT_FORMATS)}; got {input_format!r}"
        )
    source = str(path)
    decoded = read_source(path)
    page = _parse(decoded.text, input_format, source)
    if article_path is not None:
        from threads.inputs.tabular import article_from_text

        article_decoded = read_source(article_path)
        page = dataclasses.replace(
            _with_warnings(page, article_decoded.warnings),
            article=article_from_text(article_decoded.text),
        )
    return build_discussion(_with_warnings(_not_blank(page, source), decoded.warnings), source)


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
    text: str, input_format: InputFormat | None = None, source: str = "<text>"
) -> Discussion:
    """Like :func:`load`, for text already in memory (handy in notebooks and tests)."""
    text, surrogates = replace_lone_surrogates(text)
    decoded = decode(text.encode("utf-8"), source)
    page = _parse(decoded.text, input_format, source)
    warnings = decoded.warnings
    if surrogates:
        warnings = (f"{source}: {surrogates} lone surrogates were replaced with \ufffd", *warnings)
    return build_discussion(_with_warnings(_not_blank(page, source), warnings), source)
