"""The command tests share each page's analysis.

These tests are about the commands: their options, errors and views of an analysis. Dozens
of them analyse the same page with the same options (the corpus article alone, 33 times;
about 6 s of the default run's CPU, measured). Here each distinct (page, options) is
analysed once per test process and the commands get that frozen
:class:`~threads.analysis.Analysis`.
The analysis itself, and that it gives the same bytes every time, is tested uncached in
tests/analysis/, tests/report/ and the identity tests.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Iterator
from typing import Any

import pytest

from threads import analysis
from threads.analysis import Analysis

_ANALYZE = analysis.analyze
_ANALYSED: dict[str, Analysis] = {}


def _memo_analyze(discussion: Any, options: Any = None, **parameters: Any) -> Analysis:
    if parameters.get("space") is not None or parameters.get("progress") is not None:
        return _ANALYZE(discussion, options, **parameters)
    call = (discussion, options, sorted(parameters.items()))
    key = hashlib.sha256(pickle.dumps(call, protocol=5)).hexdigest()
    if key not in _ANALYSED:
        _ANALYSED[key] = _ANALYZE(discussion, options, **parameters)
    return _ANALYSED[key]


@pytest.fixture(autouse=True)
def analysis_memo() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(analysis, "analyze", _memo_analyze)
        yield
