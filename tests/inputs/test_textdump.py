"""The UnHerd text-dump parser against the corpus article, the real dumps and tricky bodies."""

from __future__ import annotations

import pytest

import threads

from ..conftest import CORPUS, FIXTURES, shared_path

REAL = FIXTURES / "real-dumps"


def tree_of(discussion: threads.Discussion) -> list[tuple[str, str | None, str, int]]:
    return [(c.id, c.parent_id, c.parent_status, c.depth) for c in discussion.comments]


@pytest.fixture(scope="module")
def corpus() -> threads.Discussion:
    return threads.load(CORPUS)


def test_corpus_file_is_the_seed_byte_for_byte() -> None:
    seed = shared_path("seeds", "002_42081d3b1d94c9aa.txt")
    assert CORPUS.read_bytes() == seed.read_bytes()


def test_corpus_tree_is_exact(corpus: threads.Discussion) -> None:
    assert tree_of(corpus) == [
        ("1", None, "top-level", 0),
        ("2", "1", "unique", 1),
        ("3", "1", "unique", 1),
        ("4", "1", "unique", 1),
        ("5", "4", "unique", 2),
        ("6", "4", "unique", 2),
        ("7", "6", "ambiguous", 3),
        ("8", None, "top-level", 0),
        ("9", None, "top-level", 0),
        ("10", None, "top-level", 0),
        ("11", None, "top-level", 0),
        ("12", "11", "unique", 1),
        ("13", None, "top-level", 0),
        ("14", "13", "unique", 1),
        ("15", None, "top-level", 0),
        ("16", None, "top-level", 0),
    ]
    assert corpus.get("7").parent_alternatives == ("1",)
    assert corpus.get("7").reply_to == "Jim Veenbaas"


def test_corpus_authors_and_dates(corpus: threads.Discussion) -> None:
    assert [c.author for c in corpus.comments] == [
        "Jim Veenbaas", "Julian Farrows", "Charles Stanhope", "Mark Goodhand", "Bret Larson",
        "Jim Veenbaas", "Bret Larson", "Mrs R", "Benedict Waterson", "Allison Barrows",
        "Tony Price", "Benedict Waterson", "Michael Layman", None, None, "William Brand",
    ]  # fmt: skip
    assert {c.posted for c in corpus.comments} == {"10 months ago"}
    assert not any(c.truncated or c.edited for c in corpus.comments)
    assert corpus.announced_total is None


def test_corpus_texts_keep_paragraphs_and_lines(corpus: threads.Discussion) -> None:
    raw = CORPUS.read_text(encoding="utf-8")
    for comment in corpus.comments:
        assert comment.text in raw
        assert comment.text == comment.text.strip()
    assert corpus.get("4").text == (
        "It\u2019s not North Korea yet, to be sure, but year-on-year Canadians have less freedom."
        "\n\nThe same is true for the rest of \u201cCANZUK\u201d, and the USA.\n\n"
        "Aside from drug legalisation, which suits the ruling class to the extent that it keeps "
        "people quiet, what examples can you point to that show freedom increasing?"
    )
    # Comment 10 has three single-newline lines: kept as single newlines.
    lines = corpus.get("10").text.split("\n")
    assert len(lines) == 3 and lines[2] == (
        "Incidentally, the word for stopping the flow is stanched, not staunched."
    )
    assert corpus.get("15").text == (
        "Someone should inform Wokes about the slavery happening TODAY in non-Western countries."
    )
    assert corpus.get("16").text.endswith("remember wat it was like to be free.")


def test_corpus_article_fields(corpus: threads.Discussion) -> None:
    article = corpus.article
    assert article.title == "How to escape North Korea Defectors are often left traumatised"
    assert article.published == "November 21, 2023"
    assert article.author == "Ian Birrell"
    assert (
        article.caption == "Life doesn't start when you get over the border. (Beyond Utopia/IMDB)"
    )
    assert len(article.paragraphs) == 17
    assert article.paragraphs[0].startswith("When Kim Seungeun first visited North Korea")
    assert article.paragraphs[-1].startswith("The Hermit Kingdom is a country that crushes")
    assert article.bio is not None and article.bio.startswith("Ian Birrell is an award-winning")
    # No comment text leaks into the article.
    assert not any("Jim Veenbaas" in p for p in article.paragraphs)


REAL_EXPECTED = {
    "unherd-appcomments-01.txt": (
        10,
        [
            ("David Slade", None, False, False),
            ("Fraser Bailey", "1", False, False),
            ("Rob Grayson", "1", False, False),
            ("Raymond Hayes", None, False, False),
            ("Fraser Bailey", None, False, True),
        ],
    ),
    "unherd-appcomments-02.txt": (
        124,
        [
            ("Howard Clegg", None, True, False),
            ("Jane Watson", "1", False, False),
            ("Mark Burbidge", "2", False, False),
            ("Colin Elliott", "3", False, False),
            ("Howard Clegg", "2", True, False),
            ("Neven Curlin", None, False, True),
        ],
    ),
    "unherd-appcomments-04.txt": (
        55,
        [
            ("Stephen Walsh", None, True, False),
            ("Steve Murray", "1", False, False),
            ("Billy Bob", "2", False, False),
            ("Steve Murray", "3", False, True),
        ],
    ),
}


@pytest.mark.parametrize("name", sorted(REAL_EXPECTED))
def test_real_dumps_give_their_listed_structure(name: str) -> None:
    total, expected = REAL_EXPECTED[name]
    discussion = threads.load(REAL / name)
    assert discussion.announced_total == total
    got = [(c.author, c.parent_id, c.edited is not None, c.truncated) for c in discussion]
    assert got == expected
    assert discussion.article.title is None and discussion.article.paragraphs == ()


def test_real_dump_edited_note_is_metadata_not_body() -> None:
    discussion = threads.load(REAL / "unherd-appcomments-02.txt")
    first = discussion.get("1")
    assert first.edited == "Last edited 2 years ago by Howard Clegg"
    assert "Last edited" not in first.text
    assert first.text.endswith("We weren\u2019t wrong all those years.")
    assert discussion.get("5").text.endswith("casual distain \U0001f609")


def test_real_dump_bare_reply_to_at_the_end() -> None:
    last = threads.load(REAL / "unherd-appcomments-02.txt").get("6")
    assert (last.reply_to, last.parent_id, last.parent_status) == ("", None, "orphan")
    assert last.truncated and last.text == ""


def test_real_dump_cut_mid_word_keeps_the_fragment() -> None:
    last = threads.load(REAL / "unherd-appcomments-01.txt").get("5")
    assert last.truncated
    assert last.text.endswith("great analysis and int")


def dump(*blocks: str) -> str:
    return "\n\n".join(blocks) + "\n"


def test_body_lines_that_look_like_headers_stay_in_the_body() -> None:
    body = (
        "Jim Veenbaas\nsaid this first.\nIt was\n3 years ago\nthat I wrote a Reply to  Jim "
        "about it.\nReply to  Jim is what the button says."
    )
    text = dump(
        "Ann Lee\nAnn Lee\n2 days ago",
        body,
        "Bob Stone\nBob Stone\n1 day ago\nReply to  Ann Lee",
        "Fine.",
    )
    discussion = threads.load_text(text)
    assert len(discussion) == 2
    assert discussion.get("1").text == body
    assert discussion.get("2").parent_id == "1"


def test_name_like_paragraph_and_single_name_line_stay_in_the_body() -> None:
    text = dump("Ann Lee\nAnn Lee\n2 days ago", "First.", "Bob Stone", "Bob Stone wrote this.")
    discussion = threads.load_text(text)
    assert len(discussion) == 1
    assert discussion.get("1").text == "First.\n\nBob Stone\n\nBob Stone wrote this."


def test_comment_section_chrome_without_blank_line_after_guest() -> None:
    text = (
        "Subscribe\nNotify of\nguest\n3 Comments\nMost Voted\nNewest Oldest\nInline Feedbacks\n"
        "View all comments\nAnn Lee\nAnn Lee\n1 day ago\n\nHello.\n"
    )
    discussion = threads.load_text(text)
    assert discussion.announced_total == 3
    assert [(c.author, c.text) for c in discussion] == [("Ann Lee", "Hello.")]


def test_commenter_called_guest_is_not_chrome() -> None:
    discussion = threads.load_text(dump("guest\nguest\n1 day ago", "I am a guest."))
    assert [(c.author, c.text) for c in discussion] == [("guest", "I am a guest.")]


def test_role_label_line_between_the_names() -> None:
    text = dump("Ian Birrell\nAuthor\nIan Birrell\n1 day ago", "Thanks all.")
    assert [c.author for c in threads.load_text(text)] == ["Ian Birrell"]


def test_edited_note_followed_by_blank_line_then_next_comment() -> None:
    text = dump(
        "Ann Lee\nAnn Lee\n2 days ago", "Body.", "Last edited 1 day ago by Ann Lee",
        "Bob Stone\nBob Stone\n1 day ago", "Next.",
    )  # fmt: skip
    discussion = threads.load_text(text)
    assert [(c.text, c.edited) for c in discussion] == [
        ("Body.", "Last edited 1 day ago by Ann Lee"),
        ("Next.", None),
    ]


def test_edited_line_mid_body_is_body_text() -> None:
    body = "Before.\n\nLast edited 1 day ago by Ann Lee\n\nAfter."
    discussion = threads.load_text(dump("Ann Lee\nAnn Lee\n2 days ago", body))
    assert (discussion.get("1").text, discussion.get("1").edited) == (body, None)


def test_cut_off_inside_the_name_lines() -> None:
    discussion = threads.load_text("Ann Lee\nAnn Lee\n1 day ago\n\nHi.\n\nBob Stone\nBob Stone")
    last = discussion.get("2")
    assert (last.author, last.posted, last.truncated, last.text) == ("Bob Stone", None, True, "")


def test_unicode_names_right_to_left_and_combining() -> None:
    rtl, combining = "\u0645\u062d\u0645\u062f \u0639\u0644\u064a", "Zoe\u0301 Ade\u0300le"
    text = dump(
        f"{rtl}\n{rtl}\n1 day ago",
        "One.",
        f"{combining}\n{combining}\n1 day ago\nReply to  {rtl}",
        "Two.",
    )
    discussion = threads.load_text(text)
    assert [c.author for c in discussion] == [rtl, combining]
    assert discussion.get("2").parent_id == "1"


def test_page_with_no_comments_is_an_article_only() -> None:
    discussion = threads.load_text("A title\n\nNovember 1, 2023  5 mins\n\nOne paragraph.\n")
    assert len(discussion) == 0
    assert discussion.article.title == "A title"
    assert discussion.article.paragraphs == ("One paragraph.",)
