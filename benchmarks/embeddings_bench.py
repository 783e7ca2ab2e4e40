"""Embedding throughput of the bundled all-MiniLM-L6-v2: threads' batching against a naive run.

    python benchmarks/embeddings_bench.py [--comments N] [--threads T]

Texts are real comments (the SemEval-2015 development answers and the corpus article's
comments, so real comment lengths), repeated comments included as a page has them. The naive
run is what a first attempt does: every text tokenized, padded to the longest of batches of
32 in page order, no deduplication. threads' run: duplicates once, batches sorted by length
(at most 20% padding), the same session settings. Both use the same model, the same number
of threads, and check that they give the same vectors. Prints comments per second per core.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from threads.analysis import embeddings

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "validity" / "semeval2015-dev"


def comment_texts(limit: int) -> list[str]:
    texts = []
    for path in sorted(DEV.glob("*[0-9].json")):
        texts += [c["text"] for c in json.loads(path.read_text(encoding="utf-8"))["comments"]]
    return texts[:limit]


def naive(texts: list[str], threads: int, batch: int = 32) -> np.ndarray:
    onnx, tokenizer_path = embeddings.model_files()
    tokenizer = embeddings._tokenizer(str(tokenizer_path))
    session = embeddings._session(str(onnx), threads)
    out = []
    for start in range(0, len(texts), batch):
        ids = [tokenizer.encode(t).ids for t in texts[start : start + batch]]
        width = max(len(i) for i in ids)
        tokens = np.zeros((len(ids), width), dtype=np.int64)
        mask = np.zeros_like(tokens)
        for j, row in enumerate(ids):
            tokens[j, : len(row)], mask[j, : len(row)] = row, 1
        (hidden,) = session.run(
            None,
            {"input_ids": tokens, "attention_mask": mask, "token_type_ids": np.zeros_like(tokens)},
        )
        weights = mask[:, :, None].astype(np.float32)
        out.append((hidden * weights).sum(axis=1) / weights.sum(axis=1))
    return embeddings.normalised(np.vstack(out))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--comments", type=int, default=1500)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    texts = comment_texts(args.comments)
    words = sorted(len(t.split()) for t in texts)
    print(
        f"{len(texts):,} comments ({len(set(texts)):,} distinct), words: median "
        f"{words[len(words) // 2]}, 90th percentile {words[int(len(words) * 0.9)]}, "
        f"longest {words[-1]}; {args.threads} thread(s)"
    )
    model = embeddings.MiniLM(threads=args.threads)
    model.encode(texts[:8])
    naive(texts[:8], args.threads)  # both warmed up: session loaded, first-run costs paid
    results = {}
    run: Callable[[], np.ndarray]
    for name, run in (
        ("naive", lambda: naive(texts, args.threads)),
        ("threads", lambda: model.encode(texts)),
    ):
        start = time.process_time()
        wall = time.perf_counter()
        vectors = run()
        cpu, seconds = time.process_time() - start, time.perf_counter() - wall
        results[name] = vectors
        print(
            f"{name:8} {seconds:7.2f} s wall, {cpu:7.2f} s CPU: "
            f"{len(texts) / cpu:7.1f} comments/s per core"
        )
    gap = float(np.abs(results["naive"] - results["threads"]).max())
    print(f"largest difference between the two runs' vectors: {gap:.2e}")


if __name__ == "__main__":
    main()
