"""The report's HTML: a Jinja2 environment over the package's templates.

Templates are autoescaped and an undefined variable is an error. The script is read from
``templates/report.js`` and allowed by the Content-Security-Policy through its hash, so the
page runs that script and nothing else.
"""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jinja2 import Environment

    from threads.report.context import ReportContext

SCRIPT_TEMPLATE = "report.js"


@lru_cache(maxsize=1)
def environment() -> Environment:
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    return Environment(
        loader=PackageLoader("threads.report", "templates"),
        autoescape=select_autoescape(["html", "j2"], default=True),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        finalize=_visible_nul,
    )


def _visible_nul(value: object) -> object:
    """A NUL kept in a comment's text shows as U+2400 (HTML has no way to carry one)."""
    if isinstance(value, str) and "\x00" in value:
        return value.replace("\x00", "\u2400")
    return value


@lru_cache(maxsize=1)
def script() -> tuple[str, str]:
    """The page's script and its CSP source (``sha256-...``)."""
    env = environment()
    assert env.loader is not None
    text, _, _ = env.loader.get_source(env, SCRIPT_TEMPLATE)
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return text, "sha256-" + base64.b64encode(digest).decode("ascii")


def render_html(context: ReportContext) -> str:
    """Fill the report template."""
    text, source_hash = script()
    return (
        environment()
        .get_template("report.html.j2")
        .render(**context.as_template_vars(), script=text, script_hash=source_hash)
    )
