"""The options table: every flag the commands show, the library parameter it sets, and the
two objects commands get instead of loose values.

:data:`FLAGS` maps each library parameter to its flag, so a library error naming the
parameter (``clusters must be ...``) is shown with the flag (``--clusters must be ...``).
:func:`analysis_options` declares the analysis flags and hands the command one
:class:`~threads.analysis.options.AnalysisOptions` (``options``); :func:`reading_options`
declares how a page is read and hands it one :class:`PageReading` (``reading``). Library
errors become one-line messages: ``OptionError`` exits 2 (a usage error), every other
``ThreadsError`` exits 1.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import click

from threads.analysis.options import AUTO_K_RANGE, AnalysisOptions
from threads.errors import InputError, OptionError, ThreadsError
from threads.inputs.topic_names import read_topic_names

F = TypeVar("F", bound=Callable[..., Any])

#: The exit code when the reader of standard output went away (128 + SIGPIPE).
PIPE_CLOSED = 141

#: The command-line option for each library parameter an OptionError can name.
FLAGS = {
    "clusters": "--clusters",
    "seed": "--seed",
    "off_topic_threshold": "--off-topic-threshold",
    "sweep": "--sweep",
    "compare": "--compare",
    "input_format": "--input-format",
    "topic_names": "--topic-labels",
    "merge": "--merge",
    "columns": "--columns",
    "saved_at": "--saved-at",
    "to": "--to",
    "sources": "SOURCE",
    "embeddings": "--embeddings",
    "n": "--n",
    "out": "--out",
    "reports": "--reports",
    "workers": "--workers",
    "scheduler": "--scheduler",
    "comment_topics": "--comment-topics",
}


def one_line(message: str) -> str:
    return " ".join(message.split())


def option_message(error: OptionError) -> str:
    """The library's message with the option's name in place of the parameter's."""
    return one_line(f"{FLAGS.get(error.param, error.param)} {error.problem}")


def click_error(error: ThreadsError) -> click.ClickException:
    """The one-line click error for a library error: a usage error (exit 2) for an option."""
    if isinstance(error, OptionError):
        return click.UsageError(option_message(error))
    return click.ClickException(one_line(str(error)))


def handle_errors(command: F) -> F:
    """Turn library errors (and anything unforeseen) into one-line messages, never tracebacks."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except ThreadsError as error:
            raise click_error(error) from None
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except BrokenPipeError:  # the reader went away (``| head``): nothing left to say
            raise click.exceptions.Exit(PIPE_CLOSED) from None
        except KeyboardInterrupt:
            raise click.Abort() from None
        except Exception as error:  # noqa: BLE001 - the last line of defence
            if os.environ.get("THREADS_DEBUG"):
                raise
            raise click.ClickException(
                one_line(
                    f"internal error ({type(error).__name__}: {error}); "
                    "rerun with THREADS_DEBUG=1 for details"
                )
            ) from None

    return wrapper  # type: ignore[return-value]


def _applied(command: F, *options: Callable[[F], F]) -> F:
    """``command`` under these click options, the first listed shown first in --help."""
    for option in reversed(options):
        command = option(command)
    return command


# --- Analysis: the flags behind AnalysisOptions (and --title, read with the page).

clusters_option = click.option(
    "--clusters",
    "-k",
    type=int,
    default=None,
    help="Number of topic clusters K (default: chosen by silhouette from "
    f"{AUTO_K_RANGE[0]} to {AUTO_K_RANGE[1]}).",
)
seed_option = click.option(
    "--seed", type=int, default=0, show_default=True, help="Random seed for k-means."
)
threshold_option = click.option(
    "--off-topic-threshold",
    type=float,
    default=None,
    help="Similarity to the article below which a comment is off-topic (default: the cut "
    "chosen on development data for the measure in use, with a can't-tell band around it).",
)
title_option = click.option(
    "--title",
    default=None,
    help="The article's title, for pages that have none (used before the analysis).",
)


def _merge_groups(
    _ctx: click.Context, _param: click.Parameter, values: tuple[str, ...]
) -> tuple[tuple[int, ...], ...]:
    groups = []
    for value in values:
        try:
            groups.append(tuple(int(part) for part in value.split(",")))
        except ValueError:
            raise click.BadParameter(
                f"expected topic numbers separated by commas, such as 2,3; got {value!r}",
                param_hint="--merge",
            ) from None
    return tuple(groups)


topic_labels_option = click.option(
    "--topic-labels",
    "topic_labels",
    type=click.Path(dir_okay=False),
    default=None,
    help='Names for topics, a JSON object such as {"0": "the film", "3": "Canada"}; the '
    "numbers are those after --merge.",
)
merge_option = click.option(
    "--merge",
    multiple=True,
    metavar="N,M",
    callback=_merge_groups,
    help="Merge these topics (numbered as clustered) into one, then renumber largest first; "
    "repeatable.",
)
embeddings_option = click.option(
    "--embeddings",
    metavar="MODEL",
    default=None,
    help="Measure meaning with this model2vec or sentence-transformers model (hub name or "
    "local folder) instead of the bundled all-MiniLM-L6-v2.",
)
lexical_option = click.option(
    "--lexical",
    is_flag=True,
    help="Measure shared content words instead of meaning (the older, faster measure).",
)
whole_sentiment_option = click.option(
    "--whole-sentiment",
    is_flag=True,
    help="Also score each comment's whole text at once (sentiment_whole; slower).",
)

#: The command's parameters that make its AnalysisOptions (``topic_labels`` is a file).
ANALYSIS_PARAMS = (
    "clusters",
    "seed",
    "off_topic_threshold",
    "topic_labels",
    "merge",
    "embeddings",
    "lexical",
    "whole_sentiment",
)


def make_options(values: dict[str, Any]) -> AnalysisOptions:
    """The AnalysisOptions of these parameter values; the --topic-labels file is read here
    (a file that cannot be read is a bad option, like a value out of range)."""
    values = dict(values)
    path = values.pop("topic_labels", None)
    if path is not None:
        try:
            values["topic_names"] = read_topic_names(path)
        except InputError as error:
            raise OptionFileError(one_line(str(error))) from None
    return AnalysisOptions(**values)


class OptionFileError(click.ClickException):
    """A file an option names cannot be read: a bad option (exit 2), said in one line."""

    exit_code = 2


def analysis_options(command: F) -> F:
    """The analysis flags (and --title); the command gets ``options`` (an AnalysisOptions)
    and ``title``."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        values = {name: kwargs.pop(name) for name in ANALYSIS_PARAMS}
        try:
            options = make_options(values)
        except ThreadsError as error:
            raise click_error(error) from None
        return command(*args, options=options, **kwargs)

    return _applied(
        wrapper,  # type: ignore[return-value]
        clusters_option,
        seed_option,
        threshold_option,
        title_option,
        topic_labels_option,
        merge_option,
        embeddings_option,
        lexical_option,
        whole_sentiment_option,
    )


# --- Reading: how a page becomes a Discussion.

source_argument = click.argument(
    "source", required=False, type=click.Path(dir_okay=True, allow_dash=True)
)
sources_argument = click.argument("sources", nargs=-1, type=click.Path(dir_okay=True))
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
columns_option = click.option(
    "--columns",
    metavar="NAME=COLUMN,...",
    default=None,
    help="Which column of a CSV or JSON file holds what: text=body,parent_id=in_reply_to "
    "(NAME: id, text, parent_id, author, posted, posted_at, position, votes).",
)
saved_at_option = click.option(
    "--saved-at",
    metavar="DATE",
    default=None,
    help="When the page was saved (2024-04-02T10:00+01:00): relative dates such as "
    "'10 months ago' get a posted_iso counted back from it.",
)


@dataclass(frozen=True)
class PageReading:
    """How a single-page command reads SOURCE (:func:`threads.inputs.load`'s parameters)
    and the title a page without one gets."""

    input_format: str | None = None
    article_path: str | None = None
    columns: str | None = None
    saved_at: str | None = None
    title: str | None = None


def reading_options(command: F) -> F:
    """--input-format, --columns, --saved-at and --article: how every single-page command
    reads; the command gets ``reading`` (a PageReading, with the --title of
    :func:`analysis_options`)."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        reading = PageReading(
            kwargs.pop("input_format"),
            kwargs.pop("article_path"),
            kwargs.pop("columns"),
            kwargs.pop("saved_at"),
            kwargs.pop("title", None),
        )
        return command(*args, reading=reading, **kwargs)

    return _applied(
        wrapper,  # type: ignore[return-value]
        input_format_option,
        columns_option,
        saved_at_option,
        article_option,
    )


# --- Output formats.

RECORD_FORMATS = ["table", "json", "jsonl", "csv"]


def record_format_option(formats: list[str], default: str) -> Callable[[F], F]:
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(formats),
        default=default,
        show_default=True,
        help="How to print: json is one document, jsonl one record per line.",
    )


def text_or_json(help: str) -> Callable[[F], F]:
    """``--format text|json`` (default text), for the commands that print one view."""
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(["text", "json"]),
        default="text",
        show_default=True,
        help=help,
    )


def parse_range(text: str) -> range:
    """``--sweep LOW-HIGH`` as a range of K."""
    low, sep, high = text.partition("-")
    try:
        start, stop = int(low), int(high if sep else low)
    except ValueError:
        raise click.BadParameter(
            f"expected LOW-HIGH such as 2-8, got {text!r}", param_hint="--sweep"
        ) from None
    if not 1 <= start <= stop:
        raise click.BadParameter(f"expected 1 <= LOW <= HIGH, got {text!r}", param_hint="--sweep")
    return range(start, stop + 1)
