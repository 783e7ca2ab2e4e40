"""wpDiscuz markup for the input tests, from the fixture generator (fixtures/html)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import TYPE_CHECKING, Any

_PATH = Path(__file__).resolve().parent.parent / "fixtures" / "html" / "make_fixtures.py"
_SPEC = importlib.util.spec_from_file_location("make_fixtures", _PATH)
assert _SPEC is not None and _SPEC.loader is not None
make_fixtures: Any = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(make_fixtures)

if TYPE_CHECKING:  # mypy reads the generator as a module of the tests' namespace
    from ..fixtures.html.make_fixtures import comment_html as comment_html
    from ..fixtures.html.make_fixtures import nested as nested
    from ..fixtures.html.make_fixtures import page as page
else:
    comment_html = make_fixtures.comment_html
    nested = make_fixtures.nested
    page = make_fixtures.page
HTML_FIXTURES = _PATH.parent


def records(texts: list[str], parents: list[str | None] | None = None) -> list[dict[str, Any]]:
    """Comment records 1, 2, ... with the given texts (and parents: top-level by default)."""
    parents = parents or [None] * len(texts)
    return [
        {"id": str(i), "parent": parent, "author": f"Name {i}", "text": text,
         "reply_name": None if parent is None else f"Name {parent}", "level": 1}
        for i, (text, parent) in enumerate(zip(texts, parents, strict=True), start=1)
    ]  # fmt: skip
