"""The opt-in corpus topic model (:mod:`threads.analysis.corpus_topics`), fitted by corpus
runs (``threads corpus --comment-topics K``)."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest
from bs4 import BeautifulSoup

from tests.corpus.conftest import run, run_lexical, write_corpus

SPORT = [
    "The football match ended with a late goal from the striker",
    "That goal in the final minute of the match was offside, the referee missed it",
    "The striker scored twice; the football league table looks different now",
    "Best match of the football season, the goalkeeper saved a penalty",
]
TAX = [
    "The budget raises income tax again while spending on services falls",
    "Tax cuts in this budget help the richest, public spending suffers",
    "The chancellor's budget: more tax, less spending, no growth",
    "Income tax thresholds frozen in the budget is a stealth tax rise",
]


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small synthetic corpus of the corpus tests (four pages, 231 comments)."""
    return write_corpus(tmp_path_factory.mktemp("corpus") / "pages")


def two_theme_corpus(folder: Path) -> Path:
    """Three JSON pages whose comments are about football or about the budget, mixed."""
    folder.mkdir(parents=True)
    for number in range(3):
        comments = [
            {"id": f"{number}-{i}", "text": text}
            for i, text in enumerate(SPORT[number:] + TAX[: number + 2] + SPORT[:number])
        ]
        page = {"article": {"title": f"Page {number}", "paragraphs": ["A short note."]},
                "comments": comments}  # fmt: skip
        (folder / f"page-{number}.json").write_text(json.dumps(page), encoding="utf-8")
    return folder


@pytest.mark.slow
def test_every_comment_gets_one_topic_and_the_page_shows_them(
    small_corpus: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    # The corpus topics are fitted on words whatever measures a page's drift.
    result = run_lexical(str(small_corpus), "--out", str(out), "--workers", "1",
                         "--reports", "none", "--comment-topics", "3")  # fmt: skip
    assert result.exit_code == 0, result.output
    topics = pq.read_table(out / "comment-topics.parquet")
    assert topics.column_names == ["page", "id", "corpus_topic"]
    comments = ds.dataset(out / "comments", format="parquet").to_table(columns=["page", "id"])
    pairs = set(zip(topics["page"].to_pylist(), topics["id"].to_pylist(), strict=True))
    assert len(pairs) == topics.num_rows == comments.num_rows == 231
    assert pairs == set(zip(comments["page"].to_pylist(), comments["id"].to_pylist(), strict=True))
    labels = topics.column("corpus_topic").to_pylist()
    sizes = [labels.count(t) for t in range(3)]
    assert set(labels) == {0, 1, 2} and sizes == sorted(sizes, reverse=True)

    soup = BeautifulSoup((out / "corpus.html").read_text(encoding="utf-8"), "html.parser")
    rows = soup.select("#comment-topic-table tbody tr")
    assert [int(r.find_all("td")[2].text.replace(",", "")) for r in rows] == sizes
    assert soup.select_one('nav a[href="#comment-topics"]') is not None
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["options"]["comment_topics"] == 3


def test_two_themes_come_apart_with_their_words(tmp_path: Path) -> None:
    pages = two_theme_corpus(tmp_path / "pages")
    out = tmp_path / "out"
    result = run(str(pages), "--out", str(out), "--workers", "1", "--reports", "none",
                 "--comment-topics", "2")  # fmt: skip
    assert result.exit_code == 0, result.output
    table = pq.read_table(out / "comment-topics.parquet").to_pylist()
    texts = {}
    for number in range(3):
        page = json.loads((pages / f"page-{number}.json").read_text(encoding="utf-8"))
        texts.update({c["id"]: c["text"] for c in page["comments"]})
    by_topic: dict[int, set[bool]] = {}
    for row in table:
        by_topic.setdefault(row["corpus_topic"], set()).add(texts[row["id"]] in SPORT)
    assert sorted(by_topic.values(), key=sorted) == [{False}, {True}]  # one theme per topic
    soup = BeautifulSoup((out / "corpus.html").read_text(encoding="utf-8"), "html.parser")
    terms = [r.find_all("td")[1].text for r in soup.select("#comment-topic-table tbody tr")]
    assert any("budget" in t or "tax" in t for t in terms)
    assert any("football" in t or "match" in t or "goal" in t for t in terms)


# Two corpus runs with worker processes (about 9 s with words, 14 s more with the bundled
# model, which two workers each load and run): CI runs both measures.
@pytest.mark.parametrize(
    "measure",
    [pytest.param(("--lexical",), id="lexical"), pytest.param((), id="minilm")],
)
@pytest.mark.slow
def test_same_bytes_with_two_workers_and_gone_when_not_asked(
    small_corpus: Path, tmp_path: Path, measure: tuple[str, ...]
) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    for out, workers in ((first, "1"), (second, "2")):
        result = run(str(small_corpus), "--out", str(out), "--workers", workers,
                     "--reports", "none", "--comment-topics", "4", *measure)  # fmt: skip
        assert result.exit_code == 0, result.output
    name = "comment-topics.parquet"
    assert (first / name).read_bytes() == (second / name).read_bytes()
    result = run(
        str(small_corpus), "--out", str(first), "--workers", "1", "--reports", "none", *measure
    )
    assert result.exit_code == 0, result.output
    assert not (first / name).exists()
    assert "comment-topics" not in (first / "corpus.html").read_text(encoding="utf-8")


def test_a_k_out_of_range_is_a_usage_error(small_corpus: Path, tmp_path: Path) -> None:
    result = run(str(small_corpus), "--out", str(tmp_path / "o"), "--comment-topics", "1")
    assert result.exit_code == 2
    assert "--comment-topics must be a whole number from 2 to 100; got 1" in result.output
    assert not (tmp_path / "o" / "manifest.json").exists()
    pages = two_theme_corpus(tmp_path / "pages")
    result = run(str(pages), "--out", str(tmp_path / "p"), "--workers", "1",
                 "--comment-topics", "40")  # fmt: skip
    assert result.exit_code == 2
    assert "--comment-topics asks for 40 topics but the corpus has 21 comments" in result.output
    assert not (tmp_path / "p" / "manifest.json").exists()
