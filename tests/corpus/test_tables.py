"""The comment and article tables: schema, every comment, numbers equal each page's own."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from threads.analysis import ANALYSIS_FIELDS, stats
from threads.corpus import tables
from threads.corpus.driver import CorpusResult
from threads.models import COMMENT_COLUMNS

from .conftest import SIZES, write_corpus


def test_every_record_column_has_an_arrow_type() -> None:
    schema = tables.comment_schema()
    assert schema.names == ["page", *[*COMMENT_COLUMNS, *ANALYSIS_FIELDS]]


def test_a_column_without_a_type_is_named() -> None:
    with pytest.raises(TypeError, match="new_field"):
        tables.comment_schema([*[*COMMENT_COLUMNS, *ANALYSIS_FIELDS], "new_field"])


@pytest.mark.slow  # reads serial_out, an end-to-end run with every report
def test_comment_table_holds_every_comment_of_every_page(serial_out: Path) -> None:
    table = ds.dataset(serial_out / "comments", format="parquet").to_table()
    assert table.schema.names[0] == "page"
    assert table.schema.remove_metadata() == tables.comment_schema()
    counts = table.group_by("page").aggregate([("id", "count")]).to_pydict()
    assert dict(zip(counts["page"], counts["id_count"], strict=True)) == SIZES


@pytest.mark.slow  # reads serial_out, an end-to-end run with every report
def test_comment_rows_equal_the_pages_own_report_records(serial_out: Path) -> None:
    table = ds.dataset(serial_out / "comments", format="parquet").to_table()
    for page in SIZES:
        report = json.loads((serial_out / "reports" / f"{page}.json").read_text("utf-8"))
        rows = table.filter(ds.field("page") == page).sort_by("position").to_pylist()
        assert [{k: v for k, v in r.items() if k != "page"} for r in rows] == report["comments"]
        assert report["source"] == page


@pytest.mark.slow  # reads serial_out, an end-to-end run with every report
def test_article_numbers_equal_each_pages_own_json(serial_out: Path) -> None:
    articles = pq.read_table(serial_out / "articles.parquet").to_pylist()
    assert [a["page"] for a in articles] == sorted(SIZES)
    for row in articles:
        report = json.loads((serial_out / "reports" / f"{row['page']}.json").read_text("utf-8"))
        summary = report["summary"]
        assert row["comments"] == summary["comments"] == SIZES[row["page"]]
        assert row["off_topic_share"] == summary["off_topic_share_comments"]
        assert row["sentiment_mean"] == summary["sentiment_mean"]
        assert row["announced_total"] == report["announced_total"]
        assert row["clusters"] == report["parameters"]["clusters"]
        assert row["off_topic_low"] <= row["off_topic_share"] <= row["off_topic_high"]
        # the Wilson interval of the page's own counts (never "0 to 0%" for none off-topic)
        off, n = summary["off_topic_comments"], summary["comments"]
        assert (row["off_topic_low"], row["off_topic_high"]) == stats.wilson(off, n)
        assert row["off_topic_high"] > 0
        assert row["top_terms"].startswith(", ".join(report["clusters"][0]["terms"]))
        assert row["report"] == f"reports/{row['page']}.html"


@pytest.mark.slow  # reads serial_out, an end-to-end run with every report
def test_library_result_is_the_table_and_a_lazy_dataset(serial_out: Path) -> None:
    result = CorpusResult(serial_out, "x", 0, len(SIZES))
    assert list(result.articles["page"]) == sorted(SIZES)
    assert isinstance(result.comments, ds.Dataset)
    assert result.comments.count_rows() == sum(SIZES.values())


@pytest.mark.slow
def test_pages_done_by_another_engine_are_not_redone(tmp_path: Path) -> None:
    from threads.analysis import AnalysisOptions
    from threads.corpus import analyze_many, analyze_page

    pages = write_corpus(tmp_path / "pages", {"a.txt": 20, "b/c.txt": 22})
    out = tmp_path / "out"
    for name in ("a.txt", "b/c.txt"):
        assert analyze_page(pages / name, pages, AnalysisOptions(), out).ok
    parts = {p: p.stat().st_mtime_ns for p in (out / "comments").iterdir()}
    result = analyze_many([pages], out=out, workers=1, reports="none")
    assert {p: p.stat().st_mtime_ns for p in (out / "comments").iterdir()} == parts
    assert list(result.articles["page"]) == ["a.txt", "b/c.txt"]


def test_the_article_table_is_written_in_batches_with_every_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tables.ArticleTableWriter, "BATCH", 2)
    rows = [
        {**dict.fromkeys(tables.ARTICLE_TYPES), "page": f"p{i}.txt", "status": "ok", "comments": i}
        for i in range(5)
    ]
    writer = tables.ArticleTableWriter(tmp_path / "a.parquet", tmp_path / "a.csv", "d1g")
    for row in rows:
        writer.add(row)
    writer.close()
    parquet = pq.ParquetFile(tmp_path / "a.parquet")
    assert parquet.metadata.num_row_groups == 3
    assert parquet.schema_arrow.metadata[b"threads_corpus_digest"] == b"d1g"
    assert parquet.read().to_pylist() == rows
    lines = (tmp_path / "a.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith('"page","status",') and lines[0].endswith(',"corpus_digest"')
    assert [line.split(",")[0] for line in lines[1:]] == [f'"p{i}.txt"' for i in range(5)]
    assert all(line.endswith(',"d1g"') for line in lines[1:])
