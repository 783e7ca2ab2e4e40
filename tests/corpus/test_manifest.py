"""manifest.json: every input by relative path with its SHA-256 and size, options, versions."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from threads import __version__

from .conftest import SIZES


@pytest.mark.slow  # reads serial_out, an end-to-end run with every report
def test_manifest_lists_every_input_with_digest_and_size(
    small_corpus: Path, serial_out: Path
) -> None:
    manifest = json.loads((serial_out / "manifest.json").read_text(encoding="utf-8"))
    assert [i["page"] for i in manifest["inputs"]] == sorted(SIZES)
    for item in manifest["inputs"]:
        data = (small_corpus / item["page"]).read_bytes()
        assert item["sha256"] == hashlib.sha256(data).hexdigest()
        assert item["bytes"] == len(data)
    assert manifest["options"] == {  # every AnalysisOptions field a page's figures depend on
        "clusters": None,
        "seed": 0,
        "off_topic_threshold": None,
        "embeddings": None,
        "lexical": True,  # serial_out is run by the word measure
        "merge": [],
        "topic_names": {},
        "whole_sentiment": False,
        "input_format": None,
        "title": None,
        "reports": "all",
    }
    assert manifest["versions"]["threads"] == __version__
    assert {"numpy", "scikit-learn", "vaderSentiment"} <= set(manifest["versions"])
    model = serial_out / manifest["model"]["file"]
    assert hashlib.sha256(model.read_bytes()).hexdigest() == manifest["model"]["sha256"]
    assert manifest["failed"] == 0


@pytest.mark.slow  # reads serial_out, an end-to-end run with every report
def test_digest_is_stamped_on_every_corpus_level_output(serial_out: Path) -> None:
    digest = json.loads((serial_out / "manifest.json").read_text(encoding="utf-8"))["digest"]
    metadata = pq.read_schema(serial_out / "articles.parquet").metadata
    assert metadata[b"threads_corpus_digest"].decode() == digest
    csv_lines = (serial_out / "articles.csv").read_text(encoding="utf-8").splitlines()
    assert csv_lines[0].endswith('"corpus_digest"')
    assert all(line.endswith(f'"{digest}"') for line in csv_lines[1:])
    assert f'content="{digest}"' in (serial_out / "corpus.html").read_text(encoding="utf-8")


@pytest.mark.slow  # reads serial_out, an end-to-end run with every report
def test_the_digest_can_be_checked_from_the_manifest_alone(serial_out: Path) -> None:
    text = (serial_out / "manifest.json").read_text(encoding="utf-8")
    manifest = json.loads(text)
    body = {k: manifest[k] for k in ("format", "inputs", "options", "versions", "model")}
    compact = json.dumps(body, sort_keys=True, separators=(",", ":"))
    assert manifest["digest"] == hashlib.sha256(compact.encode("utf-8")).hexdigest()
    assert text == json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    assert manifest["skipped"] == []
