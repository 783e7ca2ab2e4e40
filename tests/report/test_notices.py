"""What the report tells the reader about the reference the flag was measured against."""

from __future__ import annotations

import json
from collections.abc import Mapping

import threads
from threads.analysis import analyze
from threads.analysis.options import SHORT_REFERENCE_WORDS
from threads.report import method

from ..conftest import CORPUS

TEXTS = [
    "The offer of 8000 riyals with a room and meals is enough if you are single.",
    "Transport in Doha is poor; the company bus is the usual way to work.",
    "Did anyone watch the football last night? What a match that was.",
    "Salaries in Qatar and Dubai are about the same for that kind of job.",
    "Ask the company for a transport allowance before you accept the offer.",
]
COMMENTS = [{"id": str(i), "text": text} for i, text in enumerate(TEXTS, start=1)]


def page(article: Mapping[str, object] | None) -> threads.Discussion:
    document: dict[str, object] = {"comments": COMMENTS}
    if article is not None:
        document["article"] = article
    return threads.load_text(json.dumps(document), "json")


def test_a_question_for_an_article_is_said_to_be_too_short_to_tell() -> None:
    question = {
        "title": "From Dubai to Qatar",
        "paragraphs": ["Is a salary of 8000 riyals with a room enough? How is the transport?"],
    }
    analysis = analyze(page(question), lexical=True)  # the notice is for shared words
    words = analysis.parameters.reference_words
    # dubai qatar salary 8000 riyals room transport (stop words and "is", "how" removed)
    assert words == 7
    assert analysis.parameters.to_dict()["reference_words"] == 7
    found = [n for n in method.notices(analysis) if "distinct content words" in n]
    assert found == [
        "The article has only 7 distinct content words: too few to tell reliably by shared "
        "words which comments left its subject. On 197 labelled forum pages whose 'article' "
        "was a question this short, the word-overlap flag agreed with people no better than "
        "flagging nothing; read the flags as hints."
    ]


def test_a_news_article_gets_no_such_notice() -> None:
    analysis = analyze(threads.load(CORPUS))
    assert analysis.parameters.reference_words > SHORT_REFERENCE_WORDS
    assert not [n for n in method.notices(analysis) if "distinct content words" in n]


def test_no_article_says_the_comment_is_compared_with_the_others() -> None:
    analysis = analyze(page(None))
    assert analysis.parameters.reference == "discussion"
    assert analysis.parameters.reference_words == 0
    notices = method.notices(analysis)
    assert any("with the words of all the other comments (never with itself)" in n for n in notices)
    assert not any("distinct content words" in n for n in notices)


def test_a_title_alone_is_named_as_the_reference() -> None:
    analysis = analyze(page({"title": "Moving from Dubai to Qatar for a job offer"}), lexical=True)
    assert analysis.parameters.reference == "title"
    notices = method.notices(analysis)
    assert "compared with the title alone" in notices[0]
    assert any(n.startswith("The title has only ") for n in notices)


