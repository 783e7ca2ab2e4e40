"""The JSON and CSV of two reference reports stay byte for byte what they were.

The corpus article (16 comments) and a 2,000-comment synthetic page are reported by the
command line in fresh processes with two different hash seeds; their files must match the
SHA-256 recorded in ``tests/fixtures/golden/outputs.sha256``. A change to any figure, field
or format therefore fails here until it is made on purpose: regenerate with
``THREADS_UPDATE_GOLDEN=1 pytest tests/report/test_outputs_unchanged.py`` and say in the
commit what changed.

The digests hold for the library versions of ``requirements.lock`` (the Quick start installs
them); with other versions the test skips and says which differ. They hold whatever BLAS
kernel OpenBLAS picks: ``tests/report/test_blas_kernels.py`` runs the report under each.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import threads

from ..conftest import CORPUS, FIXTURES, ROOT, require_locked_versions

GOLDEN = FIXTURES / "golden" / "outputs.sha256"
REGENERATE = "THREADS_UPDATE_GOLDEN=1 pytest tests/report/test_outputs_unchanged.py"


def report_digests(
    folder: Path, source: str, hash_seed: str, **environment: str
) -> dict[str, str]:
    """SHA-256 of the JSON and CSV that `threads report SOURCE` writes, run in ``folder`` in a
    fresh process with this hash seed and these extra ``environment`` variables."""
    label = "-".join([hash_seed, *environment.values()])
    out = f"out-{label}/{Path(source).stem}.html"
    # The code under test, also when this checkout is not the one installed in the venv.
    src = str(Path(threads.__file__).resolve().parents[1])
    path = os.pathsep.join(p for p in (src, os.environ.get("PYTHONPATH")) if p)
    env = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": path, **environment}
    subprocess.run(
        [sys.executable, "-m", "threads", "report", source, "--out", out, "-q"],
        cwd=folder, env=env, check=True, capture_output=True,
    )  # fmt: skip
    html = folder / out
    return {
        f"{html.stem}{suffix}": hashlib.sha256(html.with_suffix(suffix).read_bytes()).hexdigest()
        for suffix in (".json", ".csv")
    }


def _check(found: dict[str, str]) -> None:
    require_locked_versions()
    recorded = {}
    if GOLDEN.exists():
        for line in GOLDEN.read_text(encoding="utf-8").splitlines():
            digest, name = line.split()
            recorded[name] = digest
    if os.environ.get("THREADS_UPDATE_GOLDEN") == "1":
        recorded.update(found)
        GOLDEN.write_text("".join(f"{d}  {n}\n" for n, d in sorted(recorded.items())))
        pytest.fail(f"{GOLDEN.name} rewritten: commit it, then rerun without the variable")
    missing = [name for name in found if name not in recorded]
    assert not missing, f"no recorded digest for {missing}; generate with {REGENERATE}"
    changed = [name for name, digest in found.items() if recorded[name] != digest]
    assert not changed, f"{changed} changed; if that was meant: {REGENERATE}"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "corpus").mkdir()
    shutil.copy(CORPUS, tmp_path / "corpus" / CORPUS.name)
    return tmp_path


@pytest.mark.slow
def test_corpus_report_files_are_unchanged(folder: Path) -> None:
    source = f"corpus/{CORPUS.name}"
    first, second = report_digests(folder, source, "1"), report_digests(folder, source, "2")
    assert first == second  # the hash seed changes nothing
    _check(first)


@pytest.mark.slow
def test_synthetic_page_report_files_are_unchanged(folder: Path) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from synth import write_page
    finally:
        sys.path.pop(0)
    write_page(2000, folder / "synthetic-2000.txt", seed=0)
    first, second = (report_digests(folder, "synthetic-2000.txt", seed) for seed in ("1", "2"))
    assert first == second
    _check(first)
