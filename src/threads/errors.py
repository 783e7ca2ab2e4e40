"""The one exception hierarchy of threads.

The library raises only these; the CLI maps them to one-line messages and exit codes
(``OptionError`` -> 2, every other ``ThreadsError`` -> 1).
"""

from __future__ import annotations


class ThreadsError(Exception):
    """Base class of every error threads raises on purpose."""


class InputError(ThreadsError):
    """An input file is missing, unreadable, or not in a format threads can read."""

    def __init__(self, source: str, problem: str) -> None:
        super().__init__(f"{source}: {problem}")
        self.source = source
        self.problem = problem


class OptionError(ThreadsError):
    """A parameter value is out of range (for example ``clusters=0``)."""


class UnknownCommentError(ThreadsError):
    """A comment id that the discussion does not contain."""


class AnalysisError(ThreadsError):
    """The discussion cannot be analysed as asked (for example, an empty vocabulary)."""


class OutputError(ThreadsError):
    """An output file cannot be written where asked."""
