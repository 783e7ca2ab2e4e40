"""``manifest.json``: what a corpus run read, with which options and libraries.

Its ``digest`` (SHA-256 over the inputs, the options, the versions and the comparison
model's digest) is stamped on every corpus-level output, so a table can be matched with
the run that wrote it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from threads.corpus.inputs import Inputs

MANIFEST_FILE = "manifest.json"
MANIFEST_FORMAT = 1


@dataclass(frozen=True)
class Manifest:
    inputs: Inputs
    options: dict[str, Any]  # the page options and the report selection
    versions: dict[str, str]  # threads and the libraries behind the figures
    model: dict[str, Any]  # the comparison-space model file and its SHA-256
    failed: int  # pages that failed

    @property
    def digest(self) -> str:
        body = self._body()
        text = json.dumps(body, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def _body(self) -> dict[str, Any]:
        return {
            "format": MANIFEST_FORMAT,
            "inputs": [
                {"page": p.page, "sha256": p.sha256, "bytes": p.size} for p in self.inputs.pages
            ],
            "options": self.options,
            "versions": self.versions,
            "model": self.model,
        }

    def to_json(self) -> str:
        body = self._body()
        document = {
            "format": body["format"],
            "digest": self.digest,
            "pages": len(self.inputs.pages),
            "failed": self.failed,
            **{k: v for k, v in body.items() if k != "format"},
        }
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
