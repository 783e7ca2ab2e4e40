"""The report's HTML: a Jinja2 environment over the package's templates.

Templates are autoescaped, control characters are shown as symbols (:func:`visible_controls`)
and an undefined variable is an error. The script is read from
``templates/report.js`` and allowed by the Content-Security-Policy through its hash, so the
page runs that script and nothing else.
"""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache
from typing import TYPE_CHECKING, Any

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
        finalize=visible_controls,
    )


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


#: C0 controls but tab, line feed and carriage return as their U+2400 pictures (NUL -> ␀,
#: ESC -> ␛, BEL -> ␇), DEL as ␡, C1 controls as ``\x85``: a browser would otherwise drop
#: them, show boxes, or (in a copied name) carry them into a terminal.
_CONTROLS = {
    **{code: chr(0x2400 + code) for code in range(0x20) if chr(code) not in "\t\n\r"},
    0x7F: "\u2421",
    **{code: f"\\x{code:02x}" for code in range(0x80, 0xA0)},
}


def visible_controls(value: Any) -> Any:
    """Jinja's ``finalize``: every text a template prints, control characters made visible
    (markup stays markup: the replacements hold no ``<``, ``&`` or quotes)."""
    from markupsafe import Markup

    if isinstance(value, Markup):
        return Markup(str.translate(value, _CONTROLS))
    if isinstance(value, str):
        return value.translate(_CONTROLS)
    return value
