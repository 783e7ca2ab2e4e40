"""The pages' HTML: one Jinja2 environment over the package's templates, for the one-page
report (``report.html.j2``) and the corpus's comparison page (``corpus.html.j2``).

Templates are autoescaped, control characters are shown as symbols (:func:`visible_controls`)
and an undefined variable is an error. Each page's script is read from its template
(``templates/report.js``, ``templates/corpus.js``) and allowed by the Content-Security-Policy
through its hash, so the page runs that script and nothing else.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping
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


@lru_cache(maxsize=2)
def script(name: str = SCRIPT_TEMPLATE) -> tuple[str, str]:
    """The script template ``name`` as written and its CSP source (``sha256-...``)."""
    env = environment()
    assert env.loader is not None
    text, _, _ = env.loader.get_source(env, name)
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return text, "sha256-" + base64.b64encode(digest).decode("ascii")


def render_page(template: str, script_template: str, values: Mapping[str, Any]) -> str:
    """Fill ``template`` with ``values``, the script ``script_template`` and its hash."""
    text, source_hash = script(script_template)
    return (
        environment().get_template(template).render(**values, script=text, script_hash=source_hash)
    )


def render_html(context: ReportContext) -> str:
    """Fill the report template."""
    return render_page("report.html.j2", SCRIPT_TEMPLATE, context.as_template_vars())


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
