"""How well the off-topic flag agrees with people's labels: every figure of ``threads agree``.

A comment's *score* is its ``article_similarity`` (higher: more on the subject); its *flag* is
``off_topic`` (a comment too short to judge, ``too_short``, is never flagged). Against the
labels this gives ROC AUC of the score, the confusion table of the flag, its accuracy beside
the accuracy of flagging nothing (calling every comment on-topic), and Cohen's kappa. Each
comes with a seeded percentile bootstrap 95% interval (the resampling is
:mod:`threads.analysis.stats`'): pages are resampled when there are several (comments of one
page are not independent), comments otherwise. The point figures are scikit-learn's; the
resamples use the same formulas on weighted counts, many resamples at once (a per-page
table over 200 pages would otherwise take minutes).

**Length control** (:class:`LengthControl`): a score that rises with a comment's length can
look like agreement when people call short comments off the subject. Beside every AUC come
the AUC inside word-count bands (quartiles of the comments' word counts; each band's AUC
weighted by its comments) and the gain over length alone: the out-of-fold AUC of a logistic
regression on log word count and the score, minus that of one on log word count alone
(stratified ``FOLDS``-fold cross-fitting, seeded; only with ``MIN_PER_LABEL`` comments of
each label). A gain near 0 says the score knows nothing that length does not.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from threads.analysis.stats import (
    CONFIDENCE,
    RESAMPLES,
    Draw,
    percentile_interval,
    resample_blocks,
    resampled_means,
    rounded,
)

if TYPE_CHECKING:
    from threads.analysis.results import Analysis

#: Length groups, in words: (label, fewest, most); None is no upper end.
LENGTH_GROUPS = (("<= 10 words", 0, 10), ("11-30 words", 11, 30), ("> 30 words", 31, None))
#: Words of a comment shown in the list of disagreements.
FIRST_WORDS = 12
#: The score and the flag do not depend on the topic clusters: analysing with one cluster
#: skips the search for K (about 20 times faster on small pages). A test holds this true.
CLUSTERS = 1
#: Resamples computed together (bounds memory on large pools).
_CHUNK = 250
#: Word-count bands of the length control: quartiles.
LENGTH_BANDS = 4
#: Folds of the length control's cross-fitting ...
FOLDS = 5
#: ... done when each label has at least one comment per fold (fewer: no gain, "-").
MIN_PER_LABEL = FOLDS


@dataclass(frozen=True)
class LabelledComment:
    """One labelled comment beside what the tool made of it."""

    page: str  # the page's name
    id: str
    on_topic: bool  # the person's label
    flagged: bool  # the tool's off-topic flag (never for a comment too short to judge)
    similarity: float  # article_similarity, the score
    too_short: bool  # too few words for the tool to judge
    words: int
    text: str

    @property
    def agrees(self) -> bool:
        return self.flagged != self.on_topic

    def first_words(self, count: int = FIRST_WORDS) -> str:
        words = self.text.split()
        return " ".join(words[:count]) + (" ..." if len(words) > count else "")


@dataclass(frozen=True)
class Figure:
    """A figure with its bootstrap interval (None where it is undefined: one class only)."""

    value: float | None
    low: float | None
    high: float | None


@dataclass(frozen=True)
class Confusion:
    """The flag against the labels, in comments."""

    flagged_off: int  # labelled off-topic and flagged
    kept_off: int  # labelled off-topic, not flagged (missed)
    flagged_on: int  # labelled on-topic but flagged (false alarm)
    kept_on: int  # labelled on-topic, not flagged


@dataclass(frozen=True)
class LengthControl:
    """How much of the score's AUC is comment length (see the module's docstring); None
    where undefined (one class, or fewer than ``MIN_PER_LABEL`` comments of a label to
    cross-fit)."""

    auc_within_length: float | None  # AUC inside word-count quartile bands, weighted mean
    bands: int  # bands with both classes, behind that mean
    auc_length_alone: float | None  # cross-fitted AUC of log word count alone
    auc_length_and_score: float | None  # cross-fitted AUC of log word count and the score
    gain_over_length: float | None  # the second minus the first


@dataclass(frozen=True)
class Agreement:
    """Agreement over one set of labelled comments."""

    comments: int
    pages: int
    on_topic: int  # comments labelled on-topic
    too_short: int  # comments the tool marked too short to judge (counted as not flagged)
    too_short_share: float | None
    confusion: Confusion
    auc: Figure  # ROC AUC of the score against the labels (on-topic = positive)
    accuracy: Figure  # share of comments where the flag agrees with the label
    accuracy_flag_nothing: Figure  # the same when nothing is flagged: the on-topic share
    kappa: Figure  # Cohen's kappa between the flag and the labels
    resampled: str  # what the bootstrap resampled: "pages" or "comments"
    length: LengthControl  # the AUC inside word-count bands, and the gain over length alone


@dataclass(frozen=True)
class AgreementReport:
    """Everything ``threads agree`` prints."""

    pooled: Agreement  # every labelled comment together
    mean_page_auc: Figure  # mean of the per-page AUCs over pages with both classes
    pages_with_both: int  # pages whose labels have both classes
    by_length: tuple[tuple[str, Agreement], ...]  # per LENGTH_GROUPS group (non-empty)
    by_page: tuple[tuple[str, Agreement], ...]  # per page, in the order given
    disagreements: tuple[LabelledComment, ...]  # where flag and label differ, page order
    thresholds: tuple[float, ...]  # the off-topic threshold of each page
    resamples: int
    seed: int
    labelled: tuple[LabelledComment, ...] = ()  # every labelled comment, page order

    def to_dict(self) -> dict[str, Any]:
        return {
            "pooled": asdict(self.pooled),
            "mean_page_auc": asdict(self.mean_page_auc),
            "pages_with_both_classes": self.pages_with_both,
            "by_length": {label: asdict(a) for label, a in self.by_length},
            "by_page": {page: asdict(a) for page, a in self.by_page},
            "disagreements": [
                {
                    "page": c.page,
                    "id": c.id,
                    "on_topic": c.on_topic,
                    "flagged": c.flagged,
                    "similarity": c.similarity,
                    "too_short": c.too_short,
                    "words": c.words,
                    "first_words": c.first_words(),
                }
                for c in self.disagreements
            ],
            "thresholds": list(self.thresholds),
            "resamples": self.resamples,
            "confidence": CONFIDENCE,
            "seed": self.seed,
        }


def labelled_comments(
    page: str, analysis: Analysis, labels: dict[str, bool]
) -> list[LabelledComment]:
    """The page's labelled comments in page order (every id must be on the page)."""
    found = []
    for comment, result in zip(analysis.discussion.comments, analysis.comments, strict=True):
        if comment.id not in labels:
            continue
        too_short = bool(getattr(result, "too_short", False))
        found.append(
            LabelledComment(
                page=page,
                id=comment.id,
                on_topic=labels[comment.id],
                flagged=result.off_topic and not too_short,
                similarity=result.article_similarity,
                too_short=too_short,
                words=len(comment.text.split()),
                text=comment.text,
            )
        )
    return found


def agreement(
    comments: Sequence[LabelledComment], seed: int = 0, resamples: int = RESAMPLES, stream: int = 0
) -> Agreement:
    """Agreement of the score and the flag with the labels over ``comments``, with intervals
    (``stream`` picks an independent random stream for the same seed)."""
    on = np.array([c.on_topic for c in comments], dtype=bool)
    flagged = np.array([c.flagged for c in comments], dtype=bool)
    score = np.array([c.similarity for c in comments], dtype=float)
    pages = list(dict.fromkeys(c.page for c in comments))
    point = _point(on, flagged, score)
    rng = np.random.default_rng([seed, stream])
    if len(pages) > 1:
        unit = np.array([pages.index(c.page) for c in comments])
        draws = _resampled(
            rng, len(pages), resamples, lambda w: _stats(w[:, unit], on, flagged, score)
        )
    else:
        draws = _resampled(rng, len(comments), resamples, lambda w: _stats(w, on, flagged, score))
    short = sum(c.too_short for c in comments)
    n = len(comments)
    return Agreement(
        comments=n,
        pages=len(pages),
        on_topic=int(on.sum()),
        too_short=short,
        too_short_share=rounded(short / n) if n else None,
        confusion=Confusion(
            flagged_off=int((~on & flagged).sum()),
            kept_off=int((~on & ~flagged).sum()),
            flagged_on=int((on & flagged).sum()),
            kept_on=int((on & ~flagged).sum()),
        ),
        **{name: _figure(point[name], draws[name]) for name in _FIGURES},
        resampled="pages" if len(pages) > 1 else "comments",
        length=length_control(on, score, np.array([c.words for c in comments]), seed),
    )


def length_control(
    on: np.ndarray, score: np.ndarray, words: np.ndarray, seed: int = 0
) -> LengthControl:
    """The score's AUC against the labels inside word-count bands, and its cross-fitted gain
    over log word count alone (``on``: the labels, on-topic = positive)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import StratifiedKFold

    on = np.asarray(on, dtype=bool)
    if len(on) == 0 or on.all() or not on.any():
        return LengthControl(None, 0, None, None, None)
    # Quartile edges of the word counts (repeated edges merged).
    edges = np.unique(np.quantile(words, np.linspace(0, 1, LENGTH_BANDS + 1)[1:-1]))
    band = np.searchsorted(edges, words, side="left")  # a count on an edge: the band below
    aucs, sizes = [], []
    for b in np.unique(band):
        inside = band == b
        if 0 < on[inside].sum() < inside.sum():
            aucs.append(roc_auc_score(on[inside], score[inside]))
            sizes.append(int(inside.sum()))
    within = rounded(float(np.average(aucs, weights=sizes))) if aucs else None
    if min(int(on.sum()), int((~on).sum())) < MIN_PER_LABEL:
        return LengthControl(within, len(aucs), None, None, None)
    length = np.log1p(np.asarray(words, dtype=float))[:, None]
    both = np.column_stack([length, score])
    split = StratifiedKFold(FOLDS, shuffle=True, random_state=seed)
    found = []
    for features in (length, both):
        predicted = np.zeros(len(on))
        for train, test in split.split(features, on):
            # Standardised on the training fold, so the penalty weighs a score of 0..0.1 as
            # it weighs log length.
            mean, spread = features[train].mean(axis=0), features[train].std(axis=0)
            spread[spread == 0] = 1.0
            model = LogisticRegression().fit((features[train] - mean) / spread, on[train])
            predicted[test] = model.predict_proba((features[test] - mean) / spread)[:, 1]
        found.append(float(roc_auc_score(on, predicted)))
    return LengthControl(
        auc_within_length=within,
        bands=len(aucs),
        auc_length_alone=rounded(found[0]),
        auc_length_and_score=rounded(found[1]),
        gain_over_length=rounded(found[1] - found[0]) + 0.0,
    )


_FIGURES = ("auc", "accuracy", "accuracy_flag_nothing", "kappa")


def _point(on: np.ndarray, flagged: np.ndarray, score: np.ndarray) -> dict[str, float | None]:
    from sklearn.metrics import cohen_kappa_score, roc_auc_score

    n = len(on)
    if n == 0:
        return dict.fromkeys(_FIGURES)
    both = 0 < on.sum() < n
    # Kappa is undefined when chance agreement is certain (one class, and the flag constant).
    chance_certain = len(set(on.tolist())) == 1 and len(set(flagged.tolist())) == 1
    return {
        "auc": float(roc_auc_score(on, score)) if both else None,
        "accuracy": float(np.mean(flagged != on)),
        "accuracy_flag_nothing": float(np.mean(on)),
        "kappa": None if chance_certain else float(cohen_kappa_score(~on, flagged)),
    }


def _resampled(
    rng: np.random.Generator, units: int, resamples: int, stats: Any
) -> dict[str, np.ndarray]:
    """``stats`` over ``resamples`` bootstrap weightings of ``units`` (drawn in chunks)."""
    if units == 0:
        return {name: np.empty(0) for name in _FIGURES}
    blocks = resample_blocks(rng, units, resamples, draw=Draw.COUNTS, rows=_CHUNK)
    parts = [stats(counts) for counts in blocks]
    return {name: np.concatenate([p[name] for p in parts]) for name in _FIGURES}


def _stats(
    weights: np.ndarray, on: np.ndarray, flagged: np.ndarray, score: np.ndarray
) -> dict[str, np.ndarray]:
    """Every figure for each row of ``weights`` (how often each comment was drawn)."""
    w = weights.astype(float)
    off = ~on
    a = w @ (off & flagged)
    b = w @ (off & ~flagged)
    c = w @ (on & flagged)
    d = w @ (on & ~flagged)
    n = a + b + c + d
    with np.errstate(invalid="ignore", divide="ignore"):
        accuracy = (a + d) / n
        p_off, p_flag = (a + b) / n, (a + c) / n
        chance = p_off * p_flag + (1 - p_off) * (1 - p_flag)
        kappa = np.where(chance < 1, (accuracy - chance) / (1 - chance), np.nan)
        auc = _weighted_auc(w, on, score)
    return {
        "auc": auc,
        "accuracy": accuracy,
        "accuracy_flag_nothing": (c + d) / n,
        "kappa": kappa,
    }


def _weighted_auc(w: np.ndarray, on: np.ndarray, score: np.ndarray) -> np.ndarray:
    """ROC AUC per row of weights: the weighted share of (on, off) pairs ordered by score,
    ties counting half (the Mann-Whitney form roc_auc_score equals)."""
    order = np.argsort(score, kind="stable")
    ranked = score[order]
    starts = np.flatnonzero(np.r_[True, ranked[1:] != ranked[:-1]])
    ws = w[:, order]
    positives = np.add.reduceat(ws * on[order], starts, axis=1)
    negatives = np.add.reduceat(ws * ~on[order], starts, axis=1)
    below = np.cumsum(negatives, axis=1) - negatives
    pairs = positives.sum(axis=1) * negatives.sum(axis=1)
    wins = (positives * (below + 0.5 * negatives)).sum(axis=1)
    return np.where(pairs > 0, wins / np.where(pairs > 0, pairs, 1), np.nan)


def _figure(value: float | None, draws: np.ndarray) -> Figure:
    finite = draws[np.isfinite(draws)]
    if value is None or not len(finite):
        return Figure(None if value is None else rounded(value), None, None)
    low, high = percentile_interval(finite)
    # + 0.0 turns a rounded -0.0 into 0.0.
    return Figure(rounded(value) + 0.0, low + 0.0, high + 0.0)


def mean_page_auc(
    by_page: Sequence[tuple[str, Agreement]], seed: int = 0, resamples: int = RESAMPLES
) -> tuple[Figure, int]:
    """The mean within-page AUC over pages with both classes, pages resampled."""
    aucs = np.array([a.auc.value for _, a in by_page if a.auc.value is not None], dtype=float)
    if not len(aucs):
        return Figure(None, None, None), 0
    if len(aucs) == 1:  # resampling one page says nothing
        return Figure(rounded(aucs[0]), None, None), 1
    rng = np.random.default_rng([seed, 1])
    # One block, as the recorded figures were drawn (see resample_blocks).
    draws = resampled_means(aucs, rng, resamples, draw=Draw.COUNTS, rows=resamples)
    return _figure(float(aucs.mean()), draws), len(aucs)


def length_group(words: int) -> str:
    """The LENGTH_GROUPS label of a comment of ``words`` words."""
    for label, fewest, most in LENGTH_GROUPS:
        if words >= fewest and (most is None or words <= most):
            return label
    raise AssertionError(words)  # pragma: no cover - the groups cover every count


def report(
    pages: Iterable[tuple[list[LabelledComment], float]],
    seed: int = 0,
    resamples: int = RESAMPLES,
) -> AgreementReport:
    """Pooled, per-length and per-page agreement over pages of labelled comments (each with
    its off-topic threshold), and the disagreements."""
    pooled: list[LabelledComment] = []
    by_page: list[tuple[str, Agreement]] = []
    thresholds = []
    for number, (comments, threshold) in enumerate(pages):
        if not comments:
            continue
        pooled += comments
        thresholds.append(threshold)
        # Streams 0-9 serve the pooled figures; each page has its own.
        by_page.append((comments[0].page, agreement(comments, seed, resamples, 10 + number)))
    by_length = []
    for stream, (label, _, _) in enumerate(LENGTH_GROUPS, start=2):
        group = [c for c in pooled if length_group(c.words) == label]
        if group:
            by_length.append((label, agreement(group, seed, resamples, stream)))
    mean_auc, with_both = mean_page_auc(by_page, seed, resamples)
    everything = agreement(pooled, seed, resamples)
    if len(by_page) == 1:  # one page: its figures are the pooled ones, same resamples
        by_page = [(by_page[0][0], everything)]
    return AgreementReport(
        pooled=everything,
        mean_page_auc=mean_auc,
        pages_with_both=with_both,
        by_length=tuple(by_length),
        by_page=tuple(by_page),
        disagreements=tuple(c for c in pooled if not c.agrees),
        thresholds=tuple(thresholds),
        resamples=resamples,
        seed=seed,
        labelled=tuple(pooled),
    )


def for_analysis(analysis: Analysis, labels: dict[str, bool], seed: int = 0) -> AgreementReport:
    """The agreement report of one analysed page (the report's Method section shows it)."""
    page = Path(analysis.discussion.source).stem
    comments = labelled_comments(page, analysis, labels)
    return report([(comments, analysis.parameters.off_topic_threshold)], seed)
