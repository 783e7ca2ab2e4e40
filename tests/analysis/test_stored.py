"""An analysis stored as bytes reads back equal, and bytes that are not one never read as one."""

from __future__ import annotations

import functools
import json

import numpy as np
import pytest

import threads
from threads._typed_json import TypedJSONError, decode, encode
from threads.analysis import Analysis, AnalysisOptions, analyze
from threads.analysis.stored import StoredAnalysisError, analysis_bytes, read_analysis
from threads.analysis.topics import Candidate

from ..conftest import CORPUS

#: Replies, merged and named topics, the whole-text sentiment: every optional figure.
MERGE, NAMES = ((0, 1),), ((0, "Korea"), (2, "Défecteurs \u2019"))


#: Each made when a test first asks for it (the bundled model's load is paid by one test).
OPTIONS = {
    "words": AnalysisOptions(lexical=True),
    "words, merged and named": AnalysisOptions(
        lexical=True, whole_sentiment=True, merge=MERGE, topic_names=NAMES
    ),
    "meaning, merged and named": AnalysisOptions(
        whole_sentiment=True, merge=MERGE, topic_names=NAMES
    ),
    "words, K given, K panel": AnalysisOptions(
        lexical=True, clusters=3, sweep_ks=(2, 3, 9), k_across_seeds=True
    ),
}


@functools.cache
def analysis_of(name: str) -> Analysis:
    return analyze(threads.load(CORPUS), OPTIONS[name])


@pytest.mark.parametrize("name", list(OPTIONS))
def test_a_stored_analysis_reads_back_equal(name: str) -> None:
    analysis = analysis_of(name)
    assert any(c.parent_id for c in analysis.discussion.comments)  # replies, chains
    back = read_analysis(analysis_bytes(analysis))
    assert back == analysis
    # What == leaves out: the chains' hops, and the records every output is made from.
    assert [c.to_dict() for c in back.chains] == [c.to_dict() for c in analysis.chains]
    assert back.records() == analysis.records()
    assert back.to_dict() == analysis.to_dict()
    assert analysis_bytes(back) == analysis_bytes(analysis)


def test_the_figures_that_depend_on_options_are_there() -> None:
    named = read_analysis(analysis_bytes(analysis_of("meaning, merged and named")))
    assert named.parameters.topic_names == {0: "Korea", 2: "Défecteurs \u2019"}
    assert named.parameters.merge == ((0, 1),)
    assert named.parameters.measure == "meaning"
    assert all(c.sentiment_whole is not None for c in named.comments)
    plain = read_analysis(analysis_bytes(analysis_of("words")))
    assert plain.k_fits and [f.k for f in plain.k_fits] == list(range(2, 9))
    assert isinstance(plain.k_fits[0].labels, tuple)
    given = read_analysis(analysis_bytes(analysis_of("words, K given, K panel")))
    assert given.k_fits == () and [row.k for row in given.sweep] == [2, 3, 9]


def test_other_bytes_never_read_as_an_analysis() -> None:
    data = analysis_bytes(analysis_of("words"))
    document = json.loads(data)

    def stored(changed: object) -> bytes:
        return json.dumps(changed).encode("utf-8")

    cut = data[: len(data) // 2]
    wrong_type = json.loads(data)
    wrong_type["analysis"]["comments"]["sentiment"][3] = "0.5"
    short_column = json.loads(data)
    short_column["analysis"]["comments"]["turned"].pop()
    other_version = dict(document, threads="0.0.1")
    missing = json.loads(data)
    del missing["analysis"]["summary"]
    bad_key = json.loads(data)
    bad_key["analysis"]["parameters"]["topic_names"] = {"01": "x"}
    for damaged in (
        cut,
        b"\xff" + data[1:],
        stored(wrong_type),
        stored(short_column),
        stored(other_version),
        stored(missing),
        stored(bad_key),
        stored([document]),
    ):
        with pytest.raises(StoredAnalysisError):
            read_analysis(damaged)


def test_values_keep_their_json_types() -> None:
    # An int where a float is typed stays an int (the report prints it the same); NumPy
    # scalars are written as the numbers they hold.
    assert decode(float | None, 1) == 1 and type(decode(float | None, 1)) is int
    with pytest.raises(TypedJSONError):
        decode(int, True)
    with pytest.raises(TypedJSONError):
        decode(int, 1.0)
    with pytest.raises(TypedJSONError):
        decode(dict[int, str], {"x": "y"})
    fit = Candidate(3, (0, 1, 2, 0), np.float64(0.25))
    assert decode(Candidate, json.loads(json.dumps(encode(Candidate, fit)))) == fit
    assert decode(frozenset[str], encode(frozenset[str], frozenset({"b", "a"}))) == {"a", "b"}
