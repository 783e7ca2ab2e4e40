"""Word forms: one term per stem, shown as the page's most frequent real word; no contraction
pieces, no cut-off last word of a truncated comment."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import threads
from threads.analysis import analyze
from threads.analysis.space import TextSpace, cut_word


def test_forms_of_a_word_are_one_term_shown_as_its_commonest_form() -> None:
    space = TextSpace().fit(
        ["The taming of the Republicans"],
        [
            "Republicanism is finished, republicans know it.",
            "The defectors said a defector from the north told them.",
            "Defectors again: the defectors crossed.",
        ],
    )
    assert space.stems_.count("republican") == 1 and space.stems_.count("defector") == 1
    column = space.stems_.index("defector")
    assert space.vocabulary_[column] == "defectors"  # 4 uses against 1
    counts = space.comment_counts_.toarray()[:, column].tolist()
    assert counts == [0.0, 2.0, 2.0]
    assert space.vocabulary_[space.stems_.index("republican")] in {"republicans", "republicanism"}


def test_a_comment_sharing_only_other_forms_of_the_title_words_is_not_scored_0() -> None:
    page = threads.load_text(
        "The taming of the Republicans\n\nAnn\nAnn\n1 day ago\n\n"
        "Republicanism tamed, a party tamed by its voters.\n"
    )
    assert analyze(page, clusters=1).comments[0].article_similarity > 0.5


@pytest.mark.parametrize(
    ("text", "found"),
    [("tired old tropes in arti", "arti"), ("ends well.", None), ("cut at a space ", None),
     ("", None), ("collectiv\u2026", "collectiv")],
)  # fmt: skip
def test_cut_word_is_the_word_a_text_stops_inside(text: str, found: str | None) -> None:
    assert cut_word(text) == found


def test_contraction_pieces_and_cut_off_words_are_never_terms(tmp_path: Path) -> None:
    page = tmp_path / "page.json"
    comments = [
        {"id": "1", "text": "I've said it and I don't care: collectivism failed, we'll see."},
        {"id": "2", "parent_id": "1", "text": "They've tried collectivism, they didn't learn."},
        {"id": "3", "text": "You're right that we're not reading the arti", "truncated": True},
        {"id": "4", "text": "I'd say the collectiv", "truncated": True},
    ]
    page.write_text(json.dumps({"comments": comments}), encoding="utf-8")
    result = analyze(threads.load(page), clusters=2)
    terms = {t for k in result.clusters for t in k.terms}
    terms |= {t for d in result.digest.threads for t in d.terms}
    terms |= set(result.digest.lone.terms)
    assert "collectivism" in terms
    assert not terms & {"ve", "ll", "don", "didn", "re", "arti", "collectiv"}
