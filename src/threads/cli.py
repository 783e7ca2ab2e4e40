"""The ``threads`` command line: parses options, calls the library, maps its errors.

Library errors become one-line messages: ``OptionError`` exits 2 (a usage error), every
other ``ThreadsError`` exits 1. Heavy libraries are imported only by the commands that
need them, so ``--help`` and ``--version`` stay fast.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from threads import __version__
from threads.errors import OptionError, ThreadsError
from threads.models import Discussion

#: The article ``threads`` analyses when no SOURCE is given (relative to the current folder).
CORPUS_ARTICLE = Path("corpus") / "unherd-how-to-escape-north-korea.txt"

F = TypeVar("F", bound=Callable[..., Any])


def _one_line(message: str) -> str:
    return " ".join(message.split())


def handle_errors(command: F) -> F:
    """Turn library errors (and anything unforeseen) into one-line messages, never tracebacks."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except OptionError as error:
            raise click.UsageError(_one_line(str(error))) from None
        except ThreadsError as error:
            raise click.ClickException(_one_line(str(error))) from None
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except KeyboardInterrupt:
            raise click.Abort() from None
        except Exception as error:  # noqa: BLE001 - the last line of defence
            if os.environ.get("THREADS_DEBUG"):
                raise
            raise click.ClickException(
                _one_line(
                    f"internal error ({type(error).__name__}: {error}); "
                    "rerun with THREADS_DEBUG=1 for details"
                )
            ) from None

    return wrapper  # type: ignore[return-value]


def resolve_source(source: str | None) -> str:
    if source is not None:
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


source_argument = click.argument("source", required=False, type=click.Path(dir_okay=True))
input_format_option = click.option(
    "--input-format",
    type=click.Choice(["text", "html", "csv", "json"]),
    default=None,
    help="Read SOURCE as this kind of file instead of detecting it from the content.",
)
article_option = click.option(
    "--article",
    "article_path",
    type=click.Path(dir_okay=True),
    default=None,
    help="A plain-text file holding the article, for comment files that lack one.",
)


def load_source(
    source: str | None, input_format: str | None, article_path: str | None
) -> Discussion:
    from threads.loader import load

    discussion = load(resolve_source(source), input_format, article_path)  # type: ignore[arg-type]
    report_notes(discussion)
    return discussion


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="threads")
def cli() -> None:
    """How a news article's comment section drifted away from the article.

    With no SOURCE, commands read the corpus article
    (corpus/unherd-how-to-escape-north-korea.txt, from the repository root).
    """


@cli.command()
@source_argument
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
    help="How to print the comments.",
)
@input_format_option
@article_option
@handle_errors
def comments(
    source: str | None, output_format: str, input_format: str | None, article_path: str | None
) -> None:
    """List every comment of SOURCE in page order, with its place in the reply tree."""
    from threads import export
    from threads.models import COMMENT_COLUMNS

    discussion = load_source(source, input_format, article_path)
    records = discussion.records()
    if output_format == "json":
        click.echo(
            export.to_json(export.document(discussion_header(discussion), records)), nl=False
        )
    elif output_format == "csv":
        click.echo(export.to_csv(records, COMMENT_COLUMNS), nl=False)
    else:
        columns = ["id", "author", "posted", "parent_id", "parent_status", "depth", "text"]
        click.echo(export.to_table(records, columns), nl=False)


def discussion_header(discussion: Discussion) -> dict[str, Any]:
    return {
        "source": discussion.source,
        "input_format": discussion.input_format,
        "announced_total": discussion.announced_total,
        "article": discussion.article.to_dict(),
        "repairs": [
            {"comment_id": r.comment_id, "problem": r.problem, "action": r.action}
            for r in discussion.repairs
        ],
    }


@cli.command()
@click.argument("comment_id", metavar="ID")
@source_argument
@input_format_option
@article_option
@handle_errors
def chain(
    comment_id: str, source: str | None, input_format: str | None, article_path: str | None
) -> None:
    """Show the reply chain from the top-level comment down to comment ID, and its replies."""
    from threads.display import chain_lines

    discussion = load_source(source, input_format, article_path)
    discussion.get(comment_id)  # an unknown id fails here, naming the valid range
    for line in chain_lines(discussion, comment_id):
        click.echo(line)


def main() -> None:
    # A broken pipe (``threads comments | head``) is not an error worth a traceback.
    try:
        cli(prog_name="threads")
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)
