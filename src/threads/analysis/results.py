"""What an analysis found: typed, documented records, one per level.

:class:`CommentResult` per comment, :class:`ClusterSummary` per topic, :class:`Summary` for
the discussion (computed once, in :mod:`threads.analysis.summary`), all gathered in
:class:`Analysis`. Views (the report, the terminal) format these; they compute nothing.
Column lists derive from the fields, so a new figure is added in one place.
"""

from __future__ import annotations

import dataclasses
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from threads.analysis.drift import ChainDrift, drift_point
from threads.analysis.sentiment import SentimentLabel
from threads.analysis.stats import Comparison
from threads.analysis.topics import Candidate, KScore, SweepRow
from threads.models import Discussion

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class CommentResult:
    """The figures for one comment (``Analysis.comments[i]`` is ``discussion.comments[i]``)."""

    id: str  # the comment's id, as in the parse record
    cluster: int  # topic cluster number (0 = largest)
    cluster_terms: tuple[str, ...]  # that cluster's distinctive terms
    sentiment: float  # mean VADER compound over the comment's sentences, -1..1
    sentiment_whole: float | None  # VADER compound of the whole text at once (None: not asked)
    sentiment_label: SentimentLabel  # positive >= 0.05, negative <= -0.05, else neutral
    article_similarity: float  # relevance to the reference, 0..1 (see analysis.relevance)
    parent_similarity: float | None  # cosine to the comment replied to (None at top level)
    root_similarity: float | None  # cosine to the thread's top-level comment
    thread_similarity: float | None  # cosine to its thread so far (drift.CONTEXT comments above)
    turned: bool  # departs from what it answers and from its thread so far (drift.find_turns)
    off_topic: bool  # judged off the subject: below the cut and its band (see judgement)
    judgement: str = "on"  # "on", "off" or "cant_tell" (too short, near the cut, thin reference)
    too_short: bool = False  # too few content words to judge, even with its parent's; not flagged
    judged_with_parent: bool = False  # a short reply judged together with the comment it answers
    cluster_name: str | None = None  # the name given to its topic (None: none given)

    def fields(self, named: bool = False) -> dict[str, Any]:
        """The analysis fields of the comment's record (everything but the id); ``named``
        adds ``cluster_name`` (topics were named)."""
        data = {name: getattr(self, name) for name in analysis_fields(named)}
        data["cluster_terms"] = list(self.cluster_terms)
        return data


#: The analysis columns of a comment record, after the parse columns (without topic names).
ANALYSIS_FIELDS = [
    f.name for f in dataclasses.fields(CommentResult) if f.name not in ("id", "cluster_name")
]


def analysis_fields(named: bool) -> list[str]:
    """The analysis columns; with named topics, ``cluster_name`` follows ``cluster_terms``."""
    if not named:
        return ANALYSIS_FIELDS
    at = ANALYSIS_FIELDS.index("cluster_terms") + 1
    return [*ANALYSIS_FIELDS[:at], "cluster_name", *ANALYSIS_FIELDS[at:]]


@dataclass(frozen=True)
class ClusterSummary:
    """One topic cluster."""

    number: int  # 0 = largest; ties: the cluster whose first comment comes first
    terms: tuple[str, ...]  # most distinctive terms (class-based TF-IDF)
    size: int  # comments in the cluster
    share_comments: float  # size over all comments, 0..1
    share_words: float  # the cluster's words over all comments' words, 0..1
    mean_sentiment: float  # mean of its comments' ``sentiment``
    article_similarity: float  # mean of its members' similarities to the article
    off_topic: bool  # more than half of its members are flagged off-topic
    representative_id: str  # the comment closest to the centre
    off_topic_comments: int = 0  # members flagged off-topic
    name: str | None = None  # the name given to the topic (``topic_names``), else None

    @property
    def label(self) -> str:
        """``3 \u201cCanada\u201d`` for a named topic, else ``3``: how sentences name it."""
        return f"{self.number} \u201c{self.name}\u201d" if self.name else str(self.number)

    def to_dict(self) -> dict[str, Any]:
        """The JSON's cluster record; ``name`` (after ``number``) only for a named topic."""
        data = asdict(self)
        data["terms"] = list(self.terms)
        name = data.pop("name")
        if name is None:
            return data
        return {"number": data.pop("number"), "name": name, **data}


#: The columns of ``Analysis.clusters_frame()``.
CLUSTER_FIELDS = [f.name for f in dataclasses.fields(ClusterSummary)]


@dataclass(frozen=True)
class Parameters:
    """Every setting behind the figures, as the JSON's ``parameters`` records them."""

    clusters: int  # K used
    clusters_requested: int | None  # K asked for (None: chosen automatically)
    clusters_chosen_automatically: bool
    seed: int  # k-means and sampling seed
    off_topic_threshold: float  # similarity below which a comment is off-topic
    off_topic_threshold_rule: str  # how the threshold was set
    off_topic_band: tuple[float, float]  # scores in [low, high) are "can't tell"
    measure: str  # "meaning" (sentence embeddings) or "words" (shared content words)
    embedding_model: str | None  # the model meaning was measured with (None: by words)
    embedding_library: str | None  # the library that ran it
    embedding_sha256: str | None  # a hash of the model's file or weights
    reference_thin: bool  # the reference was too thin to judge against: no comment judged
    reference: str  # what similarity is measured against: "article", "title" or "discussion"
    reference_words: int  # distinct content words of the article or title (0: the discussion)
    turn_vectors: str  # what turns are measured on: "all-MiniLM-L6-v2" or "tfidf"
    turn_cut: float  # a reply below this cosine to its parent and its thread turned
    vectorizer: dict[str, object]  # TF-IDF settings
    vocabulary_size: int  # terms in the shared vector space
    kmeans: str  # "KMeans" or "MiniBatchKMeans"
    kmeans_n_init: int  # k-means starts per fit
    kmeans_max_iter: int  # iterations per start, at most
    silhouette_sample: int  # comments silhouette, stability and the sweep are computed on
    versions: dict[str, str]  # library versions
    #: topics merged after clustering (numbers before merging; groups sharing one joined)
    merge: tuple[tuple[int, ...], ...] = ()
    #: names given to topics, by number after merging
    topic_names: dict[int, str] = field(default_factory=dict)
    #: whether each text was also scored at once (``sentiment_whole``); off by default
    whole_sentiment: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The JSON's ``parameters``; ``merge`` and ``topic_names`` only when given (the
        default run's JSON stays as it was)."""
        data = asdict(self)
        data["merge"] = [list(group) for group in self.merge]
        data["topic_names"] = {str(k): v for k, v in self.topic_names.items()}
        return {k: v for k, v in data.items() if k not in ("merge", "topic_names") or v}


@dataclass(frozen=True)
class DepthGroup:
    """The comments at one reply depth (see ``summary.DEPTH_CAP`` for the deepest group)."""

    depth: int  # 0 = top-level; the last group holds every depth from ``DEPTH_CAP`` on
    label: str  # "0", "1", ... and "5+" for the last group when it holds deeper comments too
    comments: int
    mean_similarity: float  # mean similarity to the reference
    mean_sentiment: float


@dataclass(frozen=True)
class GroupMean:
    """A mean over one named group of comments (a topic, a depth, on- or off-topic)."""

    label: str
    comments: int
    mean: float


@dataclass(frozen=True)
class HistogramBin:
    """Comments whose score is in [low, high) (the last bin also holds ``high``)."""

    low: float
    high: float
    comments: int


@dataclass(frozen=True)
class Digression:
    """A branch that left the subject where the conversation turned away from it.

    It starts at a reply that turned (departs from what it answers and from its thread so
    far: ``CommentResult.turned``) from an on-topic comment to an off-topic reply, or at an
    off-topic top-level comment (the thread started off the subject, ``parent_id`` None);
    the off-topic replies reached from it through off-topic comments went with it. An
    off-topic comment belongs to at most one; one that no turn led to belongs to none
    (``Digest.off_topic_without_turn``).
    """

    start_id: str  # where it left the subject: the reply that turned away
    parent_id: str | None  # the comment it turned from (None: it is a top-level comment)
    root_id: str  # the thread's top-level comment
    ids: tuple[str, ...]  # its comments, in page order
    terms: tuple[str, ...]  # what it turned to: class-based TF-IDF of its comments vs the rest
    topic: int | None  # the topic most (more than half) of its comments are in, else None
    topic_off_topic: bool | None  # that topic's tag (None without a majority topic)
    quote: str  # the start comment's first words (``threads.QUOTE_WORDS``)
    tied: bool  # another digression has as many comments

    @property
    def comments(self) -> int:
        return len(self.ids)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["ids"], data["terms"] = list(self.ids), list(self.terms)
        return {"comments": self.comments, **data}


@dataclass(frozen=True)
class ThreadSummary:
    """One thread: a top-level comment and every reply under it."""

    root_id: str
    comments: int
    off_topic: int  # how many of them are off-topic


@dataclass(frozen=True)
class ThreadRecord:
    """One thread as the digest tells it: its size, what it was about, where it left the subject."""

    root_id: str  # the top-level comment
    author: str | None  # who wrote it (None: no display name)
    ids: tuple[str, ...]  # every comment of the thread, depth first
    off_topic: int  # how many of them are off-topic
    terms: tuple[str, ...]  # class-based TF-IDF of the thread's comments vs every other comment
    quote: str  # the top-level comment's first words
    digressions: tuple[str, ...]  # start ids of its digressions, largest first (ties: page order)

    @property
    def comments(self) -> int:
        return len(self.ids)

    def to_dict(self, digressions: dict[str, Digression]) -> dict[str, Any]:
        main = digressions[self.digressions[0]] if self.digressions else None
        return {
            "root_id": self.root_id,
            "author": self.author,
            "comments": self.comments,
            "off_topic": self.off_topic,
            "terms": list(self.terms),
            "quote": self.quote,
            "digression_start": main.start_id if main else None,
            "digression_ids": list(main.ids) if main else [],
            "digressions": list(self.digressions),
            "ids": list(self.ids),
        }


@dataclass(frozen=True)
class LoneComments:
    """The top-level comments nobody answered, told together in the digest."""

    ids: tuple[str, ...]  # page order
    off_topic_ids: tuple[str, ...]  # those flagged off-topic, page order
    terms: tuple[str, ...]  # class-based TF-IDF of the lone comments together vs the rest


@dataclass(frozen=True)
class Digest:
    """The discussion thread by thread (:func:`threads.analysis.threads.digest`)."""

    on_topic_terms: tuple[str, ...] = ()  # class-based TF-IDF: on-topic comments vs off-topic
    on_topic_examples: tuple[str, ...] = ()  # on-topic comments nearest the on-topic centroid
    threads: tuple[ThreadRecord, ...] = ()  # every thread, in page order
    ranked: tuple[str, ...] = ()  # root ids of threads of 2+ comments: most off-topic first,
    # then largest, then page order (the digest's order)
    lone: LoneComments = LoneComments((), (), ())
    digressions: tuple[Digression, ...] = ()  # largest first; ties: the earliest start first
    wordless_digressions: int = 0  # left out: no comment at their top has words to judge
    #: off-topic comments in no digression: no turn led there (they stay close to what they
    #: answer), page order
    off_topic_without_turn: tuple[str, ...] = ()
    quotes: dict[str, str] = field(default_factory=dict)  # first words of each comment named

    @property
    def starts(self) -> frozenset[str]:
        """Where each digression left the subject (one "drift starts here" per digression)."""
        return frozenset(d.start_id for d in self.digressions)

    @property
    def largest(self) -> tuple[Digression, ...]:
        """The largest digression, or every one tied for largest."""
        if not self.digressions:
            return ()
        size = self.digressions[0].comments
        return tuple(d for d in self.digressions if d.comments == size)

    def thread(self, root_id: str) -> ThreadRecord:
        return next(t for t in self.threads if t.root_id == root_id)

    def overview(self) -> dict[str, Any]:
        """What the digest says above its thread lines (``threads summary --format json``)."""
        return {
            "on_topic": {
                "terms": list(self.on_topic_terms),
                "examples": list(self.on_topic_examples),
            },
            "lone_comments": {
                "ids": list(self.lone.ids),
                "off_topic_ids": list(self.lone.off_topic_ids),
                "terms": list(self.lone.terms),
            },
            "ranked_threads": list(self.ranked),
            "wordless_digressions": self.wordless_digressions,
            "off_topic_without_turn": list(self.off_topic_without_turn),
        }

    def to_dict(self) -> dict[str, Any]:
        """The JSON's ``threads`` and ``digressions``."""
        by_start = {d.start_id: d for d in self.digressions}
        return {
            "threads": [t.to_dict(by_start) for t in self.threads],
            "digressions": [d.to_dict() for d in self.digressions],
        }


def _plain(value: Any) -> Any:
    return value.to_dict() if isinstance(value, Comparison) else value


def _json(help: str) -> Any:
    return field(metadata={"json": True, "help": help})


def _view(help: str) -> Any:
    return field(metadata={"json": False, "help": help})


@dataclass(frozen=True)
class Summary:
    """Every discussion-level figure, computed once (:func:`threads.analysis.summary.summarise`).

    Fields marked ``json`` are the JSON's ``summary``; the others serve the report and the
    terminal views. A mean or share over no comments is None.
    """

    comments: int = _json("comments analysed")
    off_topic_comments: int = _json("comments flagged off-topic")
    too_short_comments: int = _json("comments too short to judge (never flagged)")
    on_topic_comments: int = _json("comments judged on the subject")
    cant_tell_comments: int = _json(
        "comments not judged: too short, near the cut, or the reference too thin (never flagged)"
    )
    off_topic_share_judged: float | None = _json(
        "off-topic comments over the comments judged (on or off; None: none judged)"
    )
    off_topic_share_judged_interval: tuple[float, float] | None = _json(
        "Wilson 95% interval of off_topic_share_judged"
    )
    off_topic_share_comments: float | None = _json("off-topic comments over all comments")
    off_topic_share_words: float | None = _json("words in off-topic comments over all words")
    similarity_by_depth: dict[str, float] = _json("mean similarity per depth group (DEPTH_CAP)")
    similarity_by_position: list[dict[str, float]] = _json("mean similarity per tenth of the page")
    off_topic_by_cluster: dict[str, int] = _json("off-topic comments per topic cluster")
    sentiment_mean: float | None = _json("mean sentiment")
    sentiment_by_cluster: dict[str, float] = _json("mean sentiment per topic cluster")
    sentiment_by_depth: dict[str, float] = _json("mean sentiment per depth group (DEPTH_CAP)")
    sentiment_on_topic: float | None = _json("mean sentiment of on-topic comments")
    sentiment_off_topic: float | None = _json("mean sentiment of off-topic comments")
    sentiment_change_parent_to_reply: float | None = _json("mean of reply minus parent sentiment")
    threads: int = _view("threads (top-level comments)")
    commenters: int = _view("distinct named commenters")
    anonymous_comments: int = _view("comments without a display name")
    deepest_reply: int = _view("the largest reply depth")
    truncated_ids: tuple[str, ...] = _view("comments cut off on the saved page")
    orphan_ids: tuple[str, ...] = _view("replies whose parent is not on the page")
    ambiguous_replies: int = _view("replies whose parent's author wrote several comments")
    depth_groups: tuple[DepthGroup, ...] = _view("similarity and sentiment by reply depth")
    off_topic_clusters: tuple[tuple[int, int], ...] = _view(
        "(cluster, off-topic comments), most first; ties: the first met on the page"
    )
    sentiment_labels: dict[str, int] = _view("comments per sentiment label")
    sentiment_histogram: tuple[HistogramBin, ...] = _view("sentiment distribution")
    sentiment_groups: tuple[GroupMean, ...] = _view(
        "mean sentiment per topic, per depth group, on- and off-topic (non-empty groups)"
    )
    drift_points: frozenset[str] = _view("every chain's drift point")
    chain_drift_points: frozenset[str] = _view(
        "drift points of chains of two or more comments (all chains when there are none)"
    )
    thread_summaries: tuple[ThreadSummary, ...] = _view("each thread's size and off-topic count")
    sentiment_off_vs_on: Comparison | None = field(
        default=None,
        metadata={"json": True, "help": "off- minus on-topic mean sentiment, bootstrap interval"},
    )
    similarity_reply_vs_parent: Comparison | None = field(
        default=None,
        metadata={"json": True, "help": "reply minus parent similarity, paired bootstrap"},
    )
    words_reply_vs_parent: Comparison | None = field(
        default=None,
        metadata={"json": True, "help": "reply minus parent word count, paired bootstrap"},
    )

    def to_dict(self) -> dict[str, Any]:
        """The JSON's ``summary``."""
        return {
            f.name: _plain(getattr(self, f.name))
            for f in dataclasses.fields(self)
            if f.metadata["json"]
        }


@dataclass(frozen=True)
class Analysis:
    """Everything threads measured about one discussion. Floats are rounded to 6 decimals,
    so the same input and options give byte-identical output."""

    discussion: Discussion  # what was analysed
    parameters: Parameters  # every setting: K, seed, threshold, vectorizer, versions...
    comments: tuple[CommentResult, ...]  # aligned with discussion.comments
    clusters: tuple[ClusterSummary, ...]  # largest first
    k_scores: tuple[KScore, ...]  # silhouette per K when K was chosen automatically
    chains: tuple[ChainDrift, ...]  # every root-to-leaf reply chain
    summary: Summary  # discussion-level figures (see README)
    sweep: tuple[SweepRow, ...] = ()  # per K, when asked for (``sweep_ks``)
    digest: Digest = Digest()  # thread by thread: sizes, terms, digressions
    #: (seed, K chosen) for the seeds from ``parameters.seed`` on, when K was chosen
    #: automatically and ``k_across_seeds`` asked for it: how firm the choice is (empty
    #: otherwise; the report and ``threads clusters`` ask)
    k_by_seed: tuple[tuple[int, int], ...] = ()
    #: each K the automatic choice fitted on the sampled comments, in K order (empty when K
    #: was given): what :func:`threads.analysis.with_k_figures` reuses (not in the JSON)
    k_fits: tuple[Candidate, ...] = ()

    def result(self, comment_id: str) -> CommentResult:
        """The figures of one comment (:class:`~threads.errors.UnknownCommentError` if none)."""
        self.discussion.get(comment_id)
        return self.comments[self.discussion.index_of(comment_id)]

    def drift_point_of_path(self, comment_id: str) -> str | None:
        """Where the chain from the top-level comment down to ``comment_id`` left the subject
        (the turn from an on-topic comment to an off-topic reply, or an off-topic top-level
        comment, whose off-topic run reaches ``comment_id``), or None."""
        path = self.discussion.path_to(comment_id)
        ids = [c.id for c in path]
        results = [self.result(i) for i in ids]
        return drift_point(ids, [r.turned for r in results], [r.off_topic for r in results])

    @property
    def named(self) -> bool:
        """True when topics were given names (the records then carry ``cluster_name``)."""
        return bool(self.parameters.topic_names)

    @property
    def fields(self) -> list[str]:
        """The analysis columns of this analysis's comment records."""
        return analysis_fields(self.named)

    def records(self) -> list[dict[str, Any]]:
        """Each comment's parse record followed by its analysis fields."""
        named = self.named
        return [
            {**comment.to_dict(), **result.fields(named)}
            for comment, result in zip(self.discussion.comments, self.comments, strict=True)
        ]

    def to_frame(self) -> pd.DataFrame:
        import pandas as pd

        from threads.models import COMMENT_COLUMNS

        frame = pd.DataFrame.from_records(self.records(), columns=COMMENT_COLUMNS + self.fields)
        return frame.set_index("id", drop=False)

    def clusters_frame(self) -> pd.DataFrame:
        import pandas as pd

        rows = [c.to_dict() for c in self.clusters]
        return pd.DataFrame.from_records(rows, columns=CLUSTER_FIELDS).set_index(
            "number", drop=False
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "parameters": self.parameters.to_dict(),
            "clusters": [c.to_dict() for c in self.clusters],
            "k_scores": [asdict(s) for s in self.k_scores],
            "sweep": [asdict(row) for row in self.sweep],
            "summary": self.summary.to_dict(),
            "chains": [c.leaf_record() for c in self.chains],
            **self.digest.to_dict(),
        }
