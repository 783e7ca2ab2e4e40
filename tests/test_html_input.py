"""Saved wpDiscuz HTML pages: exact trees, fields from the markup, same result as the text dump."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

import threads
from threads.cli import cli

from .conftest import CORPUS, FIXTURES

HTML = FIXTURES / "html"


def tree(discussion: threads.Discussion) -> list[tuple[str, str | None, str, int]]:
    return [(c.id, c.parent_id, c.parent_status, c.depth) for c in discussion]


def test_article_002_as_html_matches_the_text_dump() -> None:
    html = threads.load(HTML / "unherd-north-korea.html")
    text = threads.load(CORPUS)
    assert html.input_format == "html"
    assert [c.author for c in html] == [c.author for c in text]
    assert [c.text for c in html] == [c.text for c in text]
    to_text_id = {c.id: str(int(c.id) - 1000) for c in html}
    assert [(to_text_id[c.id], to_text_id.get(c.parent_id or ""), c.depth) for c in html] == [
        (c.id, c.parent_id, c.depth) for c in text
    ]
    assert {c.parent_status for c in html} == {"top-level", "exact"}
    assert html.get("1007").parent_id == "1006"  # exact: no ambiguity in HTML
    assert html.announced_total == 16


def test_article_fields_from_meta_and_markup() -> None:
    html = threads.load(HTML / "unherd-north-korea.html")
    text = threads.load(CORPUS)
    assert html.article.title == text.article.title
    assert html.article.author == "Ian Birrell"
    assert html.article.published == "2023-11-21T07:00:00+00:00"
    assert html.article.paragraphs == text.article.paragraphs


def test_dates_votes_and_reply_names() -> None:
    html = threads.load(HTML / "unherd-north-korea.html")
    first = html.get("1001")
    assert (first.posted, first.posted_at, first.votes) == (
        "10 months ago",
        "June 2, 2023 9:41 am",
        -4,
    )
    assert html.get("1014").reply_to == "Michael Layman"
    assert html.get("1014").author is None


def test_flattened_thread_keeps_true_parents() -> None:
    discussion = threads.load(HTML / "flattened.html")
    assert tree(discussion) == [
        ("201", None, "top-level", 0),
        ("202", "201", "exact", 1),
        ("203", "202", "exact", 2),
        ("204", "203", "exact", 3),
        ("205", "204", "exact", 4),
    ]


def test_anonymous_commenters() -> None:
    discussion = threads.load(HTML / "anonymous.html")
    assert [c.author for c in discussion] == [None, "Anonymous", "Cy Dee"]
    assert discussion.get("302").parent_id == "301"  # from the id, though the name is empty
    assert discussion.get("302").reply_to == ""


def test_entities_inline_html_and_inline_feedback() -> None:
    comment = threads.load(HTML / "entities.html").get("401")
    assert comment.author == "Dee & Co"
    assert comment.text == (
        'Fish & chips, <not a tag>, "quoted" \u2019curly\u2019\n\n'
        "An emphasised word and a link.\nNew line.\n\nA quotation.\n\none\n\ntwo"
    )
    assert "Quoted article passage" not in comment.text
    assert comment.votes == 1200
    assert comment.edited == "Last edited 2 months ago by Dee"


def test_partly_loaded_page_orphans_and_says_so(tmp_path: Path) -> None:
    discussion = threads.load(HTML / "partial.html")
    assert tree(discussion) == [("501", None, "top-level", 0), ("503", None, "orphan", 0)]
    assert [str(r) for r in discussion.repairs] == [
        "comment 503: parent '502' is not in the input; made top-level (orphan)"
    ]
    out = tmp_path / "partial.html"
    result = CliRunner().invoke(cli, ["report", str(HTML / "partial.html"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "1 reply names a parent that is not on the page, shown as top-level: #503." in page
    assert "read as a saved wpDiscuz HTML page" in page
    assert "The page announced 40 comments; 2 were in the file" in page


def test_legacy_wc_markup() -> None:
    discussion = threads.load(HTML / "legacy.html")
    assert tree(discussion) == [("601", None, "top-level", 0), ("602", "601", "exact", 1)]
    assert [c.author for c in discussion] == ["Old Timer", "Newer"]
    assert [c.votes for c in discussion] == [3, -1]


def test_form_avatar_is_not_a_comment() -> None:
    assert all(c.author != "guest" for c in threads.load(HTML / "unherd-north-korea.html"))


def test_html_saved_as_txt_is_detected_by_content(tmp_path: Path) -> None:
    renamed = tmp_path / "page.txt"
    renamed.write_bytes((HTML / "legacy.html").read_bytes())
    assert threads.load(renamed).input_format == "html"


def test_input_format_override(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli,
        ["comments", str(HTML / "legacy.html"), "--input-format", "text", "--no-analysis",
         "--format", "json"],
    )  # fmt: skip
    assert result.exit_code == 0
    assert json.loads(result.stdout)["comments"] == []  # read as text: no comment blocks


def test_html_with_nothing_to_read(tmp_path: Path) -> None:
    page = tmp_path / "empty.html"
    page.write_text("<html><body><div>nothing</div></body></html>")
    result = CliRunner().invoke(cli, ["comments", str(page)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {page}: is HTML but holds no wpDiscuz comments (div id 'wpd-comm-ID_PARENT') "
        "and no article\n"
    )
