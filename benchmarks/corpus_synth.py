"""A synthetic corpus: many UnHerd pages of heavy-tailed sizes, most small, a few very large.

``python benchmarks/corpus_synth.py COMMENTS PAGES OUT [--seed S]`` writes PAGES pages
holding COMMENTS comments in all under the folder OUT (``page-0001.txt``...), each written
by ``synth.write_page`` (its own seed). Page sizes follow a Pareto law (alpha 0.8, at least
16 comments, scaled to the total, no page above 6% of it): the median page is a few times
smaller than the mean and the largest few hold a large share of the comments, as real
comment sections do (``main`` prints the spread). The output depends only on
the arguments; ``write_corpus`` is the importable entry point.
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import write_page  # noqa: E402

MIN_COMMENTS = 16
ALPHA = 0.8
#: No page is larger than this share of the corpus (one page must not be the whole job).
MAX_SHARE = 0.06


@dataclass(frozen=True)
class CorpusInfo:
    folder: Path
    sizes: tuple[int, ...]  # comments per page, in file order
    bytes: int


def page_sizes(comments: int, pages: int, seed: int = 0) -> list[int]:
    """PAGES sizes summing to COMMENTS, heavy-tailed, deterministic."""
    if comments < pages * MIN_COMMENTS:
        raise ValueError(f"need at least {MIN_COMMENTS} comments per page")
    rng = random.Random(seed)
    cap = max(MIN_COMMENTS, int(comments * MAX_SHARE))
    extra = [MIN_COMMENTS * rng.paretovariate(ALPHA) - MIN_COMMENTS for _ in range(pages)]
    spare = comments - MIN_COMMENTS * pages
    # Scale the tail to the total, clamping pages at the cap, until the clamped sum fits.
    scale = 1.0
    for _ in range(50):
        clamped = [min(e * scale, cap - MIN_COMMENTS) for e in extra]
        if abs(sum(clamped) - spare) < 1:
            break
        free = sum(e for e, c in zip(extra, clamped, strict=True) if c < cap - MIN_COMMENTS)
        fixed = sum(c for c in clamped if c >= cap - MIN_COMMENTS)
        scale = (spare - fixed) / (free or 1.0)
    sizes = [MIN_COMMENTS + int(min(e * scale, cap - MIN_COMMENTS)) for e in extra]
    sizes[max(range(pages), key=lambda i: sizes[i])] += comments - sum(sizes)
    return sizes


def write_corpus(comments: int, pages: int, folder: str | Path, seed: int = 0) -> CorpusInfo:
    folder = Path(folder)
    sizes = page_sizes(comments, pages, seed)
    total = 0
    for i, n in enumerate(sizes):
        total += write_page(n, folder / f"page-{i + 1:04d}.txt", seed=seed * 100_003 + i).bytes
    return CorpusInfo(folder, tuple(sizes), total)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("comments", type=int)
    parser.add_argument("pages", type=int)
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    info = write_corpus(args.comments, args.pages, args.out, args.seed)
    sizes = sorted(info.sizes)
    print(
        f"{len(sizes)} pages, {sum(sizes):,} comments ({info.bytes / 1e6:.1f} MB) in {args.out}: "
        f"median {sizes[len(sizes) // 2]}, largest {sizes[-1]:,}, "
        f"{sum(s < 100 for s in sizes)} pages under 100 comments"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
