"""The one exception hierarchy of threads.

The library raises only these; the CLI maps them to one-line messages and exit codes
(``OptionError`` -> 2, every other ``ThreadsError`` -> 1). Each is also the builtin a Python
caller would expect (``OptionError`` is a ``ValueError``, ``UnknownCommentError`` a
``KeyError``), so ``except ValueError`` works too.
"""

from __future__ import annotations


class ThreadsError(Exception):
    """Base class of every error threads raises on purpose."""


class InputError(ThreadsError):
    """An input file is missing, unreadable, or not in a format threads can read."""

    def __init__(self, source: str, problem: str) -> None:
        super().__init__(f"{source}: {problem}")
        #: The file, as the caller named it.
        self.source = source
        #: What is wrong with it, in a phrase.
        self.problem = problem


class OptionError(ThreadsError, ValueError):
    """A parameter value is out of range (for example ``clusters=0``).

    The message names the parameter as the library calls it (``clusters must be between 1
    and 16 ...; got 17``); the CLI puts its own option name (``--clusters``) in its place.
    """

    def __init__(self, param: str, problem: str) -> None:
        super().__init__(f"{param} {problem}")
        #: The parameter's name in the library (``clusters``, ``seed``, ``min_df`` ...).
        self.param = param
        #: What is wrong, starting with a verb: the allowed range and the value given.
        self.problem = problem


class UnknownCommentError(ThreadsError, KeyError):
    """A comment id that the discussion does not contain."""

    def __str__(self) -> str:
        # KeyError would print the message in quotes, as a key.
        return str(self.args[0]) if self.args else ""


class AnalysisError(ThreadsError):
    """The discussion cannot be analysed as asked (for example, an empty vocabulary)."""


class OutputError(ThreadsError):
    """An output file cannot be written where asked."""
