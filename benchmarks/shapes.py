"""How parsing and the reply tree grow with the input for hostile tree shapes.

``python benchmarks/shapes.py`` parses each shape at N and at 2N and prints the time ratio;
near-linear work gives about 2x (the target: at most 2.5x). Measured here, not in the unit
tests, where a busy machine would make a timed assertion fail at random.

Shapes: off-path text replies alternating between two deep chains (re-rooting the path was
O(depth) per reply), and a saved HTML comment body of N nested blocks (quadratic before).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.inputs.markup import records  # noqa: E402
from tests.inputs.test_reliability_html import html_of  # noqa: E402
from tests.inputs.test_reliability_text import alternating_chains  # noqa: E402

import threads  # noqa: E402

TARGET = 2.5


def nested_html(levels: int) -> str:
    items = records(["x", "A second comment about the border."])
    items[0]["raw_html"] = "<div>" * levels + "deep" + "</div>" * levels
    return html_of(items)


def seconds(text: str, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        threads.load_text(text)
        best = min(best, time.perf_counter() - started)
    return best


def main() -> int:
    shapes: list[tuple[str, Callable[[int], str], int]] = [
        ("off-path replies, two deep chains", alternating_chains, 6000),
        ("HTML body of nested blocks", nested_html, 20_000),
    ]
    failed = 0
    print(f"{'shape':36} {'N':>7} {'t(N) s':>8} {'t(2N) s':>8} {'ratio':>6}  target <= {TARGET}x")
    for name, build, n in shapes:
        one, two = seconds(build(n)), seconds(build(2 * n))
        ratio = two / one
        failed += ratio > TARGET
        verdict = "ok" if ratio <= TARGET else "NOT MET"
        print(f"{name:36} {n:>7} {one:>8.3f} {two:>8.3f} {ratio:>5.2f}x  {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
