"""Claims nearest in meaning to a text: cosine over every stored embedding.

Brute force with numpy: at 100,000 claims of 384 dimensions the matrix is
150 MB and one query a 38-million-multiply product, some milliseconds,
well below the encoding of the query itself (BENCHMARKS.md). Each process
keeps the matrix of the configured model and checks it with one query, the
number of vectors and the latest ``updated_at``, at most once every
``CLAIM_VECTORS_REFRESH_SECONDS`` (1 s by default; 0 checks at every call):
the count is a scan of the vectors' index, 15-50 ms at 100,000 claims, which
a search would otherwise pay each time. So a claim embedded in another
process is ranked by meaning within that second, as a search engine's
refresh interval has it (it is found lexically at once). New and changed
vectors are read alone and merged in; when vectors were deleted the matrix
is read again whole.

A vector whose transaction commits after a later-stamped one was already read
is not noticed until the next change: writes of embeddings are one short
transaction each, so the window is a few milliseconds wide.
"""

import math
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from django.conf import settings
from django.db.models import Count, Max

from claims import embeddings
from claims.models import ClaimEmbedding


@dataclass(frozen=True)
class ClaimMatrix:
    """Every stored vector of one model, rows in ascending claim id."""

    model: str
    count: int
    last_updated: datetime | None
    ids: np.ndarray  # int64, sorted
    vectors: np.ndarray  # float32, (len(ids), dimensions)

    def rows_of(self, claim_ids: Iterable[int]) -> np.ndarray:
        """Row numbers of those claims that have a vector."""
        wanted = np.fromiter(claim_ids, dtype=np.int64)
        rows = np.searchsorted(self.ids, wanted)
        rows = rows[rows < len(self.ids)]
        return np.unique(rows[np.isin(self.ids[rows], wanted)])


_matrix: ClaimMatrix | None = None
_checked_at = -math.inf  # time.monotonic() when _matrix was last checked
_matrix_lock = threading.Lock()


def claim_matrix() -> ClaimMatrix:
    """The configured model's vectors, read again only where they changed,
    checked at most once every ``CLAIM_VECTORS_REFRESH_SECONDS``."""
    global _matrix, _checked_at
    model = embeddings.model_name()
    started = time.monotonic()
    with _matrix_lock:
        cached = _matrix
        if (
            cached is not None
            and cached.model == model
            and started - _checked_at < settings.CLAIM_VECTORS_REFRESH_SECONDS
        ):
            return cached
    stamp = ClaimEmbedding.objects.filter(model=model).aggregate(
        count=Count("pk"), last=Max("updated_at")
    )
    with _matrix_lock:
        # Stamped with the time before the query: what was written after it
        # began is looked for at the next check.
        _checked_at = started
        cached = _matrix
        if cached is not None and cached.model == model:
            if (cached.count, cached.last_updated) == (stamp["count"], stamp["last"]):
                return cached
            if stamp["count"] >= cached.count and cached.last_updated is not None:
                merged = _merge_changes(cached, stamp["count"], stamp["last"])
                if merged is not None:
                    _matrix = merged
                    return merged
        _matrix = _read(model, stamp["count"], stamp["last"])
        return _matrix


def semantic_similar(
    text_or_vector: str | np.ndarray,
    *,
    limit: int,
    candidate_ids: Sequence[int] | None = None,
) -> list[tuple[int, float]]:
    """``[(claim_id, cosine)]`` of the claims nearest the text, best first.

    Only claims with a stored vector of the configured model take part; with
    ``candidate_ids``, only those among them (to rerank a lexical list). A
    text is encoded here (``embeddings.EmbeddingsUnavailable`` when it cannot
    be); a vector must be L2-normalised, as ``embeddings.encode`` gives.
    Equal cosines rank the lower claim id first.
    """
    if limit < 1:
        raise ValueError("limit must be 1 or more.")
    if isinstance(text_or_vector, str):
        query = embeddings.encode([text_or_vector])[0]
    else:
        query = np.asarray(text_or_vector, dtype=np.float32).reshape(-1)
    if candidate_ids is None:
        return nearest_claims(query.reshape(1, -1), limit=limit)[0].ranked
    matrix = claim_matrix()
    if not len(matrix.ids):
        return []
    _check_dimensions(query.shape[0], matrix)
    rows = matrix.rows_of(candidate_ids)
    ids, scores = matrix.ids[rows], matrix.vectors[rows] @ query
    return [(int(ids[i]), float(scores[i])) for i in _top(scores, limit)]


@dataclass(frozen=True)
class Nearest:
    """One query's nearest claims, and the cosines of the claims asked about."""

    ranked: list[tuple[int, float]]  # the nearest, best first
    cosines: dict[int, float]  # ``ranked``'s, then those of ``also`` with a vector


# Query vectors multiplied at once: 64 × 100,000 claims of float32 cosines is
# 26 MB, where a whole batch of a suggest chunk's statements would be hundreds.
_QUERIES_A_PRODUCT = 64


def nearest_claims(
    vectors: np.ndarray, *, limit: int, also: Sequence[Sequence[int]] = ()
) -> list[Nearest]:
    """``semantic_similar`` for each row of ``vectors`` (L2-normalised), with
    the matrix read once for them all; ``also[i]`` names claims whose cosine
    to the i-th query is wanted too (its lexical candidates, to fuse)."""
    if limit < 1:
        raise ValueError("limit must be 1 or more.")
    vectors = np.asarray(vectors, dtype=np.float32)
    if not len(vectors):
        return []
    matrix = claim_matrix()
    if not len(matrix.ids):
        return [Nearest([], {}) for _ in vectors]
    _check_dimensions(vectors.shape[1], matrix)
    found = []
    for start in range(0, len(vectors), _QUERIES_A_PRODUCT):
        products = vectors[start : start + _QUERIES_A_PRODUCT] @ matrix.vectors.T
        for offset, scores in enumerate(products):
            ranked = [
                (int(matrix.ids[i]), float(scores[i])) for i in _top(scores, limit)
            ]
            cosines = dict(ranked)
            asked = also[start + offset] if start + offset < len(also) else ()
            for row in matrix.rows_of(asked):
                cosines.setdefault(int(matrix.ids[row]), float(scores[row]))
            found.append(Nearest(ranked, cosines))
    return found


def _check_dimensions(dimensions: int, matrix: ClaimMatrix) -> None:
    if dimensions != matrix.vectors.shape[1]:
        raise ValueError(
            f"The query has {dimensions} dimensions, the stored vectors "
            f"{matrix.vectors.shape[1]}."
        )


def _top(scores: np.ndarray, limit: int) -> np.ndarray:
    """Indices of the ``limit`` highest scores, highest first, ties by index."""
    if limit < len(scores):
        # Everything tied with the limit-th score is kept, so that the
        # tie-break by index below sees all of them.
        threshold = np.partition(scores, len(scores) - limit)[len(scores) - limit]
        candidates = np.flatnonzero(scores >= threshold)
    else:
        candidates = np.arange(len(scores))
    order = np.lexsort((candidates, -scores[candidates]))
    return candidates[order][:limit]


def _read(model: str, count: int, last: datetime | None) -> ClaimMatrix:
    rows = (
        ClaimEmbedding.objects.filter(model=model)
        .order_by("claim_id")
        .values_list("claim_id", "dimensions", "vector")
    )
    ids, vectors = _unpack(rows.iterator(chunk_size=2000))
    # The count is what was read, so that a write between the two queries
    # shows as a change at the next call.
    stamp = last if len(ids) == count else None
    return ClaimMatrix(model, len(ids), stamp, ids, vectors)


def _merge_changes(
    cached: ClaimMatrix, count: int, last: datetime
) -> ClaimMatrix | None:
    """The cached matrix with the vectors written since, or None if it must be
    read whole (some were deleted)."""
    rows = (
        ClaimEmbedding.objects.filter(
            model=cached.model, updated_at__gte=cached.last_updated
        )
        .order_by("claim_id")
        .values_list("claim_id", "dimensions", "vector")
    )
    new_ids, new_vectors = _unpack(rows, cached.vectors.shape[1])
    if new_vectors.shape[1] != cached.vectors.shape[1]:
        return None
    if len(cached.ids):
        at = np.minimum(np.searchsorted(cached.ids, new_ids), len(cached.ids) - 1)
        known = cached.ids[at] == new_ids
    else:
        at = np.zeros(len(new_ids), dtype=np.int64)
        known = np.zeros(len(new_ids), dtype=bool)
    vectors = cached.vectors
    if known.any():
        vectors = vectors.copy()  # The cached one is read-only and in use.
        vectors[at[known]] = new_vectors[known]
    ids = np.concatenate([cached.ids, new_ids[~known]])
    vectors = np.concatenate([vectors, new_vectors[~known]])
    if len(ids) != count:
        return None
    order = np.argsort(ids, kind="stable")
    return ClaimMatrix(cached.model, count, last, ids[order], vectors[order])


def _unpack(rows, dimensions: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    ids, chunks = [], []
    for claim_id, row_dimensions, data in rows:
        if dimensions is None:
            dimensions = row_dimensions
        if row_dimensions != dimensions:
            raise ValueError(
                f"Claim {claim_id}'s vector has {row_dimensions} dimensions, "
                f"the others {dimensions}."
            )
        ids.append(claim_id)
        chunks.append(bytes(data))
    vectors = np.frombuffer(b"".join(chunks), dtype=embeddings.VECTOR_DTYPE)
    return (
        np.array(ids, dtype=np.int64),
        vectors.reshape(len(ids), dimensions or 0).astype(np.float32, copy=False),
    )
