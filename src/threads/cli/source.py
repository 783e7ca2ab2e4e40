"""SOURCE: which page a single-page command reads, and what it says about the reading."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path
from typing import TYPE_CHECKING, cast

import click

from threads.cli.options import PageReading
from threads.errors import ThreadsError
from threads.inputs import load, load_bytes
from threads.models import Discussion

if TYPE_CHECKING:
    from threads.models import InputFormat

#: The article ``threads`` analyses when no SOURCE is given (relative to the current folder).
CORPUS_ARTICLE = Path("corpus") / "unherd-how-to-escape-north-korea.txt"
#: SOURCE ``-`` reads standard input; ``report --out -`` writes the HTML to standard output.
STDIO = "-"


def resolve_source(source: str | None) -> str:
    if source is not None:  # ``-`` (standard input) included
        return source
    if not CORPUS_ARTICLE.is_file():
        raise ThreadsError(
            f"no SOURCE given and no corpus article at {CORPUS_ARTICLE} "
            "(run from the repository root, or name a file)"
        )
    return str(CORPUS_ARTICLE)


def report_notes(discussion: Discussion) -> None:
    """Say on stderr what was repaired or doubtful in the input (nothing is dropped silently)."""
    for warning in discussion.warnings:
        click.echo(f"warning: {warning}", err=True)
    for repair in discussion.repairs:
        click.echo(f"repaired: {repair}", err=True)


def load_source(source: str | None, reading: PageReading) -> Discussion:
    """The discussion of SOURCE (standard input for ``-``), read as ``reading`` says, its
    warnings and repairs said on stderr."""
    # click.Choice has checked the format: one of InputFormat's.
    form = cast("InputFormat | None", reading.input_format)
    if source == STDIO:
        data = sys.stdin.buffer.read()
        discussion = load_bytes(
            data, form, reading.article_path, columns=reading.columns, saved_at=reading.saved_at
        )
    else:
        path = resolve_source(source)
        discussion = load(
            path, form, reading.article_path, columns=reading.columns, saved_at=reading.saved_at
        )
    report_notes(discussion)
    if reading.title and not discussion.article.title:
        article = dataclasses.replace(discussion.article, title=reading.title)
        discussion = dataclasses.replace(discussion, article=article)
    return discussion
