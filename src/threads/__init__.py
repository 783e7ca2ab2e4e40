"""threads: how a news article's comment section drifted away from the article.

Library API (usable from a notebook)::

    import threads
    discussion = threads.load("corpus/unherd-how-to-escape-north-korea.txt")
    discussion.to_frame()
"""

from __future__ import annotations

from threads.errors import (
    AnalysisError,
    InputError,
    OptionError,
    OutputError,
    ThreadsError,
    UnknownCommentError,
)
from threads.loader import load, load_text
from threads.models import Article, Comment, Discussion, RawComment, Repair

__version__ = "0.1.0"

__all__ = [
    "AnalysisError",
    "Article",
    "Comment",
    "Discussion",
    "InputError",
    "OptionError",
    "OutputError",
    "RawComment",
    "Repair",
    "ThreadsError",
    "UnknownCommentError",
    "__version__",
    "load",
    "load_text",
]
