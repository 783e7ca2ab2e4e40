"""Names for topics, read from a JSON file: ``{"0": "the film", "3": "Canada"}``.

The numbers are the topics' after any merge; :func:`threads.analysis.analyze` checks them
against the topics it found (``topic_names``).
"""

from __future__ import annotations

import json
from pathlib import Path

from threads.errors import OptionError
from threads.inputs.decode import read_source

#: JSON's names for the Python types ``json`` reads.
JSON_TYPES = {list: "an array", str: "a string", int: "a number", float: "a number",
              bool: "a boolean", type(None): "null"}  # fmt: skip
#: How the file should look, as errors quote it.
EXAMPLE = '{"0": "the film", "3": "Canada"}'


def read_topic_names(path: str | Path) -> dict[int, str]:
    """Topic number -> name. A missing or unreadable file is an
    :class:`~threads.errors.InputError`; anything but a JSON object from whole numbers to
    strings an :class:`~threads.errors.OptionError` on ``topic_names``."""
    text = read_source(path).text

    def wrong(what: str) -> OptionError:
        return OptionError(
            "topic_names", f"file {path} must be a JSON object such as {EXAMPLE}; {what}"
        )

    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise wrong(f"it is not JSON ({error.msg}, line {error.lineno})") from None
    if not isinstance(data, dict):
        raise wrong(f"got {JSON_TYPES.get(type(data), 'something else')}")
    names = {}
    for key, name in data.items():
        if not key.strip().lstrip("-").isdigit():
            raise wrong(f"got the key {key!r} (keys are topic numbers)")
        if not isinstance(name, str):
            raise wrong(f"got {json.dumps(name)} for topic {key} (names are strings)")
        names[int(key)] = name
    return names
