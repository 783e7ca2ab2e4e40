"""``manifest.json``: what a corpus run read, with which options and libraries.

Its ``digest`` (SHA-256 over the inputs, the options, the versions and the comparison
model's digest) is stamped on every corpus-level output, so a table can be matched with
the run that wrote it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from threads.corpus.inputs import InputPage, Inputs

MANIFEST_FILE = "manifest.json"
MANIFEST_FORMAT = 1


@dataclass(frozen=True)
class Manifest:
    inputs: Inputs
    options: dict[str, Any]  # the page options and the report selection
    versions: dict[str, str]  # threads and the libraries behind the figures
    model: dict[str, Any]  # the comparison-space model file and its SHA-256
    failed: int  # pages that failed
    files: tuple[str, ...] = ()  # every file the run left in the output folder, relative

    @cached_property
    def digest(self) -> str:
        # SHA-256 of the body as compact JSON with sorted keys, hashed as it is encoded
        # (an archive's inputs list is megabytes of text).
        hasher = hashlib.sha256()
        encoder = json.JSONEncoder(sort_keys=True, separators=(",", ":"))
        for chunk in encoder.iterencode(self._body()):
            hasher.update(chunk.encode("utf-8"))
        return hasher.hexdigest()

    def _body(self) -> dict[str, Any]:
        return {
            "format": MANIFEST_FORMAT,
            "inputs": [_input(p) for p in self.inputs.pages],
            "options": self.options,
            "versions": self.versions,
            "model": self.model,
        }

    def json_chunks(self) -> Iterator[str]:
        """The manifest file's text (indented JSON and a newline) in pieces, to write as it
        is encoded."""
        body = self._body()
        document = {
            "format": body["format"],
            "digest": self.digest,
            "pages": len(self.inputs.pages),
            "failed": self.failed,
            **{k: v for k, v in body.items() if k != "format"},
            # Files a folder walk left out (documentation, label files): not in the digest,
            # as they change no output.
            "skipped": [
                {"path": name, "reason": reason} for name, reason in self.inputs.skipped_names()
            ],
            # What threads owns in the folder: a later run replaces or removes these only.
            "files": list(self.files),
        }
        yield from json.JSONEncoder(indent=2, ensure_ascii=False).iterencode(document)
        yield "\n"


def _input(page: InputPage) -> dict[str, Any]:
    """A page as the manifest lists it: its facts from outside the page only when known."""
    found: dict[str, Any] = {"page": page.page, "sha256": page.sha256, "bytes": page.size}
    facts = page.facts
    found.update(
        (name, value)
        for name, value in (
            ("url", facts.url),
            ("title", facts.title),
            ("published", facts.published),
        )
        if value is not None
    )
    return found
