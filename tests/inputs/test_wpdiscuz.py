"""Saved wpDiscuz HTML pages: exact trees, fields from the markup, same result as the text dump.

The pages under fixtures/html are written by fixtures/html/make_fixtures.py from the markup
reference (wpDiscuz 7.x layout 1; the legacy ``wc-`` markup for legacy.html).
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import threads
from threads.cli import cli
from threads.errors import InputError
from threads.inputs.wpdiscuz import HtmlPageParser

from ..conftest import CORPUS, FIXTURES

HTML = FIXTURES / "html"
PAGE_002 = HTML / "unherd-north-korea.html"


def tree(discussion: threads.Discussion) -> list[tuple[str, str | None, str, int]]:
    return [(c.id, c.parent_id, c.parent_status, c.depth) for c in discussion]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_article_002_tree_is_exact() -> None:
    # The tree the text parser finds (1; 2,3,4->1; 5,6->4; 7->6; 8-11; 12->11; 13; 14->13;
    # 15; 16), with ids 1001...: every reply's parent comes from its element id.
    assert tree(threads.load(PAGE_002)) == [
        ("1001", None, "top-level", 0),
        ("1002", "1001", "exact", 1),
        ("1003", "1001", "exact", 1),
        ("1004", "1001", "exact", 1),
        ("1005", "1004", "exact", 2),
        ("1006", "1004", "exact", 2),
        ("1007", "1006", "exact", 3),
        ("1008", None, "top-level", 0),
        ("1009", None, "top-level", 0),
        ("1010", None, "top-level", 0),
        ("1011", None, "top-level", 0),
        ("1012", "1011", "exact", 1),
        ("1013", None, "top-level", 0),
        ("1014", "1013", "exact", 1),
        ("1015", None, "top-level", 0),
        ("1016", None, "top-level", 0),
    ]


def test_article_002_as_html_matches_the_text_dump() -> None:
    html = threads.load(PAGE_002)
    text = threads.load(CORPUS)
    assert html.input_format == "html"
    assert [c.author for c in html] == [c.author for c in text]
    assert [c.text for c in html] == [c.text for c in text]
    assert [c.reply_to for c in html] == [c.reply_to for c in text]
    assert [c.posted for c in html] == [c.posted for c in text]
    to_text_id = {c.id: str(int(c.id) - 1000) for c in html}
    assert [(to_text_id[c.id], to_text_id.get(c.parent_id or ""), c.depth) for c in html] == [
        (c.id, c.parent_id, c.depth) for c in text
    ]
    # Only the status differs: the dump resolves names, so comment 7 (a reply to Jim
    # Veenbaas, who wrote 1 and 6) is ambiguous there and exact here.
    assert [c.parent_status for c in text if c.parent_status not in ("top-level", "unique")] == [
        "ambiguous"
    ]
    assert text.get("7").parent_alternatives == ("1",)
    assert html.get("1007").parent_status == "exact"
    assert html.get("1007").parent_alternatives == ()
    assert html.announced_total == 16


def test_article_fields_from_markup_and_meta() -> None:
    html = threads.load(PAGE_002).article
    text = threads.load(CORPUS).article
    # The same article as the dump shows it; the date is the machine-readable one.
    assert dataclasses.replace(html, published=text.published) == text
    assert html.published == "2023-11-21T07:00:00+00:00"
    assert html.author == "Ian Birrell"
    assert html.caption == "Life doesn't start when you get over the border. (Beyond Utopia/IMDB)"
    assert "Related: another article" not in html.text  # an aside in the body is no paragraph
    comment_texts = [c.text for c in threads.load(PAGE_002)]
    assert not any(c[:40] in p for c in comment_texts for p in html.paragraphs)


def test_dates_votes_and_reply_names() -> None:
    html = threads.load(PAGE_002)
    first = html.get("1001")
    assert (first.posted, first.posted_at, first.votes, first.edited, first.truncated) == (
        "10 months ago",
        "June 2, 2023 9:41 am",
        -4,
        None,
        False,
    )
    assert [c.votes for c in html] == list(range(-4, 12))
    assert html.get("1014").reply_to == "Michael Layman"
    assert (html.get("1014").author, html.get("1015").author) == (None, None)


def test_flattened_thread_keeps_true_parents() -> None:
    # Depth limit 3: 203-206 are printed as siblings inside 202. 206 answers 202 although
    # its preceding sibling (and the visual parent) is something else.
    discussion = threads.load(HTML / "flattened.html")
    assert tree(discussion) == [
        ("201", None, "top-level", 0),
        ("202", "201", "exact", 1),
        ("203", "202", "exact", 2),
        ("204", "203", "exact", 3),
        ("205", "204", "exact", 4),
        ("206", "202", "exact", 2),
    ]
    assert [c.reply_to for c in discussion] == [
        None, "Ann Lee", "Bob Ray", "Ann Lee", "Bob Ray", "Bob Ray",
    ]  # fmt: skip
    assert [c.text for c in discussion][-2:] == ["Point 205 about Korea.", "Back to 202."]
    assert discussion.repairs == ()


def test_anonymous_commenters() -> None:
    discussion = threads.load(HTML / "anonymous.html")
    assert [c.author for c in discussion] == [None, "Anonymous", "Cy Dee"]
    assert tree(discussion) == [
        ("301", None, "top-level", 0),
        ("302", "301", "exact", 1),  # from the id, though the parent's name is empty
        ("303", "302", "exact", 2),
    ]
    assert [c.reply_to for c in discussion] == [None, "", "Anonymous"]


def test_entities_inline_html_and_inline_feedback() -> None:
    comment = threads.load(HTML / "entities.html").get("401")
    assert comment.author == "Dee & Co"
    assert comment.text == (
        'Fish & chips, <not a tag>, "quoted" \u2019curly\u2019\n\n'
        "An emphasised word and a link.\nNew line.\n\nA quotation.\n\none\n\ntwo"
    )
    assert "Quoted article passage" not in comment.text
    assert comment.votes == 1200  # the title's exact number, not the visible "1.2K"
    assert comment.edited == "Last edited 2 months ago by Dee"


def test_like_dislike_votes_links_read_more_and_blank_names() -> None:
    discussion = threads.load(HTML / "fields.html")
    assert tree(discussion) == [
        ("701", None, "top-level", 0),
        ("702", "701", "exact", 1),
        ("703", None, "top-level", 0),
        ("704", "703", "exact", 1),  # no parent in the element id: the Reply to link's href
    ]
    first, second, blank, linked = discussion
    assert (first.author, first.votes, first.posted, first.posted_at) == (
        "Ann & Bo",  # the name inside a profile link, entity decoded
        1200,  # likes 1204 + dislikes -4, from the titles
        "1 year ago",
        "March 3, 2023 10:15 am",
    )
    assert (second.reply_to, second.votes, second.posted, second.truncated) == (
        "Ann & Bo",
        0,
        "right now",
        True,
    )
    assert second.text == "The start of a long comment"  # "Read more" is not text
    assert (blank.author, blank.votes, blank.text) == (None, -3, "Blank name.")
    assert (linked.author, linked.reply_to) == ("Cy Dee", "")
    assert discussion.announced_total == 4


def test_partly_loaded_page_orphans_and_says_so(tmp_path: Path) -> None:
    discussion = threads.load(HTML / "partial.html")
    assert tree(discussion) == [("501", None, "top-level", 0), ("503", None, "orphan", 0)]
    assert discussion.get("503").reply_to == "Gone Person"
    assert [str(r) for r in discussion.repairs] == [
        "comment 503: parent '502' is not in the input; made top-level (orphan)"
    ]
    out = tmp_path / "partial.html"
    result = CliRunner().invoke(cli, ["report", str(HTML / "partial.html"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "1 reply names a parent that is not on the page, shown as top-level: #503." in page
    assert "Repaired in the input" not in page  # the orphan is told once
    assert "read as a saved wpDiscuz HTML page" in page
    assert "The page announced 40 comments; 2 were in the file" in page


def test_legacy_wc_markup() -> None:
    discussion = threads.load(HTML / "legacy.html")
    assert tree(discussion) == [("601", None, "top-level", 0), ("602", "601", "exact", 1)]
    assert [c.author for c in discussion] == ["Old Timer", "Newer"]
    assert [c.text for c in discussion] == ["Legacy markup.", "Reply in wc markup."]
    assert [c.votes for c in discussion] == [3, -1]


def test_form_avatar_is_not_a_comment() -> None:
    assert all(c.author != "guest" for c in threads.load(PAGE_002))


def test_fields_come_from_the_comment_not_its_replies() -> None:
    # 300 replies each nested in the one before; only the innermost has votes and a date.
    depth = 300
    opening = "".join(
        f'<div id="wpd-comm-{i}_{i - 1}" class="wpd-comment"><div class="wpd-comment-wrap">'
        f'<div class="wpd-comment-text"><p>Text {i}</p></div></div>'
        for i in range(1, depth)
    )
    innermost = (
        f'<div id="wpd-comm-{depth}_{depth - 1}" class="wpd-comment"><div class="wpd-comment-wrap">'
        '<div class="wpd-comment-author">Last</div>'
        '<div class="wpd-comment-date" title="May 1, 2024 1:00 pm">1 day ago</div>'
        f'<div class="wpd-comment-text"><p>Text {depth}</p></div>'
        '<div class="wpd-vote-result" title="7">7</div></div></div>'
    )
    page = f'<div class="wpd-thread-list">{opening}{innermost}{"</div>" * (depth - 1)}</div>'
    discussion = threads.load_text(page, "html")
    assert [c.text for c in discussion] == [f"Text {i}" for i in range(1, depth + 1)]
    assert [c.depth for c in discussion] == list(range(depth))
    assert {c.author for c in discussion} == {None, "Last"}
    assert [c.votes for c in discussion].count(None) == depth - 1
    assert discussion.get(str(depth)).posted_at == "May 1, 2024 1:00 pm"


def test_cut_off_page_reads_what_is_there() -> None:
    text = PAGE_002.read_text(encoding="utf-8")
    cut = text[: text.index('id="wpd-comm-1009_0"') + 200]  # ends inside comment 1009
    discussion = threads.load_text(cut, "html")
    assert [c.id for c in discussion] == [str(i) for i in range(1001, 1010)]
    assert discussion.get("1008").text == threads.load(PAGE_002).get("1008").text


def test_article_without_comments_is_valid() -> None:
    page = (
        "<html><head><meta property='og:title' content='A title'></head><body>"
        "<article><div class='entry-content'><p>One.</p><p>Two &amp; three.</p></div>"
        "</article></body></html>"
    )
    discussion = threads.load_text(page)
    assert (discussion.input_format, len(discussion)) == ("html", 0)
    assert discussion.article.title == "A title"
    assert discussion.article.paragraphs == ("One.", "Two & three.")


def test_parser_raises_only_input_error() -> None:
    with pytest.raises(InputError, match="no wpDiscuz comments"):
        HtmlPageParser().parse("<html><head><title>Just a title</title></head></html>", "x.html")


def test_html_saved_as_txt_is_detected_by_content(tmp_path: Path) -> None:
    renamed = tmp_path / "page.txt"
    renamed.write_bytes((HTML / "legacy.html").read_bytes())
    assert threads.load(renamed).input_format == "html"


def test_comments_json_on_html() -> None:
    code, out, _ = run("comments", str(HTML / "fields.html"), "--format", "json", "--no-analysis")
    assert code == 0
    document = json.loads(out)
    assert (document["input_format"], document["announced_total"]) == ("html", 4)
    assert document["comments"][1] == {
        "id": "702",
        "position": 2,
        "author": "Bob Ray",
        "posted": "right now",
        "posted_at": "April 1, 2024 8:00 pm",
        "posted_iso": "2024-04-01T20:00:00",
        "reply_to": "Ann & Bo",
        "parent_id": "701",
        "parent_status": "exact",
        "parent_alternatives": [],
        "thread_id": "701",
        "depth": 1,
        "edited": None,
        "truncated": True,
        "votes": 0,
        "text": "The start of a long comment",
    }


@pytest.mark.parametrize("name", ["unherd-north-korea.html", "flattened.html", "fields.html"])
def test_json_export_of_html_reads_back_identically(tmp_path: Path, name: str) -> None:
    code, first, _ = run("comments", str(HTML / name), "--format", "json")
    assert code == 0
    saved = tmp_path / "saved.json"
    saved.write_text(first, encoding="utf-8")
    code, second, _ = run("comments", str(saved), "--format", "json")
    assert (code, second) == (0, first)
    assert json.loads(second)["input_format"] == "html"


def test_input_format_override() -> None:
    code, out, _ = run(
        "comments", str(HTML / "legacy.html"), "--input-format", "text", "--no-analysis",
        "--format", "json",
    )  # fmt: skip
    assert code == 0
    assert json.loads(out)["comments"] == []  # read as text: no comment blocks


def test_html_with_nothing_to_read(tmp_path: Path) -> None:
    page = tmp_path / "empty.html"
    page.write_text("<html><body><div>nothing</div></body></html>")
    code, _, err = run("comments", str(page))
    assert code == 1
    assert err == (
        f"Error: {page}: is HTML but holds no wpDiscuz comments (div id 'wpd-comm-ID_PARENT') "
        "and no article\n"
    )
