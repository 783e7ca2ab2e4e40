"""The embedders: the bundled model from the installed package, a model2vec model the test
builds in a folder (never the network), and the choice between words and meaning."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import threads
from threads.analysis import analyze
from threads.analysis.embeddings import (
    MODEL_SHA256,
    MiniLM,
    ModelFileError,
    _checked,
    batches,
    embedder_for,
)
from threads.errors import OptionError
from threads.models import Discussion

from ..conftest import CORPUS, _memo_encode


def _page(paragraphs: list[str], texts: list[str]) -> Discussion:
    page = {
        "article": {"title": "North Korea", "paragraphs": paragraphs},
        "comments": [{"id": str(i + 1), "text": t} for i, t in enumerate(texts)],
    }
    return threads.load_text(json.dumps(page), "json")


@pytest.mark.real_embeddings
def test_bundled_model_ranks_meaning_not_shared_words() -> None:
    vectors = MiniLM(threads=1).encode(
        [
            "Defectors escape Pyongyang's regime through China.",
            "People flee the DPRK dictatorship across the Chinese border.",
            "My sourdough starter needs more rye flour.",
        ]
    )
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    # no content word in common, yet the second is far nearer the first than the bread is
    assert vectors[0] @ vectors[1] > 0.5 > 0.1 > vectors[0] @ vectors[2]


@pytest.mark.real_embeddings
def test_bundled_model_is_deterministic_and_each_text_is_run_once() -> None:
    model = MiniLM(threads=1)
    texts = ["a comment about the film", "another one", "a comment about the film"]
    first, second = model.encode(texts), model.encode(list(reversed(texts)))
    assert np.array_equal(first[0], first[2])
    assert np.array_equal(first[0], second[0])  # the batch it sat in does not matter


@pytest.mark.slow
@pytest.mark.real_embeddings
def test_the_tests_memo_of_the_model_gives_the_models_bytes() -> None:
    """The other tests reuse the model's output per call (tests/conftest.py): the corpus
    article's analysis is the same JSON run by the model, stored, and read back."""
    discussion = threads.load(str(CORPUS))
    ran = analyze(discussion).to_dict()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(MiniLM, "encode", _memo_encode)
        stored, read_back = analyze(discussion).to_dict(), analyze(discussion).to_dict()
    assert json.dumps(stored) == json.dumps(ran) == json.dumps(read_back)


def test_batches_group_like_lengths_within_the_token_budget() -> None:
    groups = batches([3, 200, 5, 4, 199, 6])
    assert groups == [[0, 3, 2], [5], [4, 1]]  # shortest first; at most 20% padding
    for group in batches([256] * 40):
        assert len(group) * 256 <= 4096


def test_a_model_file_that_is_not_the_pinned_one_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "model.onnx"
    fake.write_bytes(b"not a model")
    with pytest.raises(ModelFileError, match="not the one threads was tested with"):
        _checked(fake, MODEL_SHA256, "model file")


def _tiny_model2vec(folder: Path) -> Path:
    """A model2vec model in its own save format: a word-level tokenizer of six words, one
    vector each (two meanings, nearly orthogonal)."""
    from model2vec import StaticModel
    from tokenizers import Tokenizer, models, pre_tokenizers

    words = ["[UNK]", "[PAD]", "korea", "pyongyang", "bread", "flour"]
    tokenizer = Tokenizer(models.WordLevel({w: i for i, w in enumerate(words)}, "[UNK]"))
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    vectors = np.array(
        [[0, 0, 0], [0, 0, 0], [1, 0.1, 0], [0.9, 0.2, 0], [0, 0.1, 1], [0, 0, 0.9]],
        dtype=np.float32,
    )
    StaticModel(vectors, tokenizer, normalize=True).save_pretrained(str(folder))
    return folder


def test_a_model2vec_model_is_loaded_from_its_folder(tmp_path: Path) -> None:
    folder = str(_tiny_model2vec(tmp_path / "tiny"))
    embedder = embedder_for(folder)
    assert embedder.library == "model2vec"
    vectors = embedder.encode(["korea", "pyongyang", "bread flour"])
    assert vectors[0] @ vectors[1] > 0.9 > 0.3 > vectors[0] @ vectors[2]
    page = _page(["korea pyongyang"], ["pyongyang korea regime", "bread flour oven", "ok"])
    analysis = analyze(page, clusters=1, embeddings=folder)
    assert [c.judgement for c in analysis.comments] == ["on", "off", "cant_tell"]
    parameters = analysis.parameters
    assert (parameters.measure, parameters.embedding_model) == ("meaning", folder)
    assert parameters.embedding_library == "model2vec"
    assert len(str(parameters.embedding_sha256)) == 64
    assert "model2vec" in parameters.versions
    assert "all-MiniLM-L6-v2; " + folder in parameters.off_topic_threshold_rule


def test_a_model_that_cannot_be_loaded_is_one_option_error(tmp_path: Path) -> None:
    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / "model.safetensors").write_bytes(b"junk")
    (folder / "config.json").write_text(json.dumps({}))
    with pytest.raises(OptionError) as error:
        embedder_for(str(folder))
    assert error.value.param == "embeddings"
    assert "could not load the model2vec model" in str(error.value)


def test_naming_a_model_and_asking_for_words_is_refused() -> None:
    page = _page(["korea"], ["korea korea korea"])
    with pytest.raises(OptionError, match="names a model"):
        analyze(page, clusters=1, embeddings="x", lexical=True)
