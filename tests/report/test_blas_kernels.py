"""The same report bytes whatever BLAS kernel OpenBLAS picks for the processor.

OpenBLAS chooses a kernel per processor (``OPENBLAS_CORETYPE`` forces one); kernels differ in
the last bits of a dot product. Clustering and the silhouette run on scikit-learn's sparse
code paths, which do not call BLAS (``threads.analysis.topics.blas_free``), so k-means ties
break the same way on every kernel. Each kernel this processor can run reports the corpus
article and a 300-comment page in a fresh process (the two newest kernels the processor
runs and the oldest); every JSON and CSV must be the same bytes.
"""

from __future__ import annotations

import platform
from pathlib import Path

import pytest

from ..conftest import CORPUS, write_thread_page
from .test_outputs_unchanged import report_digests

pytestmark = pytest.mark.slow

#: x86-64 kernels and the processor flags each needs, newest first.
X86_KERNELS = {
    "SkylakeX": {"avx512f", "avx512bw", "avx512dq", "avx512vl", "avx512cd"},
    "Haswell": {"avx2", "fma"},
    "Sandybridge": {"avx"},
    "Nehalem": {"sse4_2"},
    "Prescott": {"sse3"},
}


def runnable_kernels() -> list[str]:
    """The kernels this processor can execute (forcing one it lacks dies of SIGILL)."""
    machine = platform.machine()
    if machine in ("aarch64", "arm64"):
        return ["ARMV8", "NEOVERSEN1"] if _cpu_flags() >= {"asimd", "atomics"} else ["ARMV8"]
    if machine not in ("x86_64", "AMD64"):
        return []
    flags = _cpu_flags()
    return [name for name, needs in X86_KERNELS.items() if needs <= flags]


def _cpu_flags() -> set[str]:
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text(encoding="utf-8")
    except OSError:
        return set()
    flags: set[str] = set()
    for line in cpuinfo.splitlines():
        key, _, value = line.partition(":")
        if key.strip() in ("flags", "Features"):
            flags |= set(value.split())
    return flags


def test_every_runnable_kernel_gives_the_same_bytes(tmp_path: Path) -> None:
    runnable = runnable_kernels()
    # The two newest this processor runs (SkylakeX and Haswell where it has AVX-512) and the
    # oldest: the kernels furthest apart in how they add.
    kernels = list(dict.fromkeys(runnable[:2] + runnable[-1:]))
    if len(kernels) < 2:
        pytest.skip(f"this processor runs fewer than two OpenBLAS kernels ({kernels})")
    page = write_thread_page(tmp_path / "page.txt", 100)
    for source in (CORPUS, page):
        found = {
            kernel: report_digests(tmp_path, str(source), "0", OPENBLAS_CORETYPE=kernel)
            for kernel in kernels
        }
        first = found[kernels[0]]
        differ = [kernel for kernel, files in found.items() if files != first]
        assert not differ, f"{source.name}: {differ} differ from {kernels[0]}"
