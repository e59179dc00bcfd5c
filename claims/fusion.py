"""Two ways of putting a lexical and a semantic ranking of claims together.

Pure functions over claim ids and scores, no Django and no model:

- ``reciprocal_rank_fusion``: each list gives an item ``weight / (k + rank)``
  (Cormack, Clarke and Büttcher, SIGIR 2009; k = 60 as there), the sums
  ranked. Needs only ranks, so the lexical scores' scale does not matter.
- ``rerank``: the first ``depth`` lexical candidates put in order of their
  cosine to the query; the semantic score decides, but only among what the
  lexical ranker found.
- ``boost``: every candidate of either list by its cosine, plus a bonus for
  its place in the lexical list (``boost / sqrt(rank + 1)``). Unlike RRF it
  keeps how near in meaning each claim is, so a lexical first place lifts a
  claim that is nearly as close as the nearest, not one that is far; unlike
  a rerank it keeps what the lexical ranker missed.

``fuse`` picks one by name. Which is better is measured in BENCHMARKS.md
(Similar claims, semantic): ``bench/semantic_retrieval.py``.
"""

import math
from collections.abc import Mapping, Sequence
from typing import Literal

RRF_K = 60
# The bonus of the lexical first place is LEXICAL_BOOST / sqrt(2) = 0.18 of
# cosine, of the 100th 0.025: chosen on CLEF 2020 Task 2's train split, with
# dev confirming it (BENCHMARKS.md, Similar claims, semantic).
LEXICAL_BOOST = 0.25

FusionMethod = Literal["rrf", "rerank", "boost"]


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[int]],
    *,
    k: int = RRF_K,
    weights: Sequence[float] | None = None,
) -> list[tuple[int, float]]:
    """Items of several best-first rankings, by summed ``weight / (k + rank)``.

    Ranks count from 1. Ties keep the order in which the items were first met
    (the first ranking's order first).
    """
    if k < 0:
        raise ValueError("k must be 0 or more.")
    if weights is None:
        weights = [1.0] * len(rankings)
    if len(weights) != len(rankings):
        raise ValueError("Give one weight for each ranking.")
    scores: dict[int, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
    # sorted() is stable: equal sums stay in first-met order.
    return sorted(scores.items(), key=lambda pair: -pair[1])


def rerank(
    lexical_ranked_ids: Sequence[int],
    cosines: Mapping[int, float],
    *,
    depth: int,
) -> list[tuple[int, float]]:
    """The first ``depth`` lexical candidates, best cosine first.

    A candidate without a vector (not embedded yet) scores -1, the lowest a
    cosine can be, so it follows the others in its lexical order.
    """
    if depth < 1:
        raise ValueError("depth must be 1 or more.")
    candidates = list(dict.fromkeys(lexical_ranked_ids))[:depth]
    scored = [(item, float(cosines.get(item, -1.0))) for item in candidates]
    return sorted(scored, key=lambda pair: -pair[1])


def boost(
    lexical_ranked_ids: Sequence[int],
    cosines: Mapping[int, float],
    *,
    weight: float = LEXICAL_BOOST,
) -> list[tuple[int, float]]:
    """The claims of ``cosines`` and of the lexical list, best
    ``cosine + weight / sqrt(lexical rank + 1)`` first.

    Ranks count from 1; a claim the lexical list does not hold gains nothing,
    and one without a cosine (not embedded yet) counts 0, orthogonal. Ties
    keep the order in which the claims were first met, ``cosines``' first.
    """
    if weight < 0:
        raise ValueError("weight must be 0 or more.")
    scores = {item: float(cosine) for item, cosine in cosines.items()}
    for rank, item in enumerate(dict.fromkeys(lexical_ranked_ids), start=1):
        scores[item] = scores.get(item, 0.0) + weight / math.sqrt(rank + 1)
    return sorted(scores.items(), key=lambda pair: -pair[1])


def fuse(
    lexical_ranked_ids: Sequence[int],
    semantic_ranked: Sequence[tuple[int, float]],
    *,
    method: FusionMethod = "rrf",
    limit: int,
    k: int = RRF_K,
    lexical_weight: float = 1.0,
    depth: int = 100,
) -> list[tuple[int, float]]:
    """The lexical and semantic rankings of claims as one, best first.

    ``semantic_ranked`` is ``[(claim_id, cosine)]`` best first, as
    ``claims.semantic.semantic_similar`` answers; for ``"rerank"`` it must hold
    the cosines of the lexical candidates (``candidate_ids=``), for
    ``"boost"`` the nearest claims and then those (``nearest_claims``'
    ``cosines``). RRF counts the lexical list ``lexical_weight`` times the
    semantic one; ``boost`` adds ``LEXICAL_BOOST / sqrt(rank + 1)``. Answers
    ``[(claim_id, score)]``: the RRF sum, the cosine, or the boosted cosine.
    """
    if limit < 1:
        raise ValueError("limit must be 1 or more.")
    if method == "rrf":
        # The semantic list first: items tied on their sums (the n-th of one
        # list and the n-th of the other, often) go the semantic way, which
        # measured better (BENCHMARKS.md).
        fused = reciprocal_rank_fusion(
            [[item for item, _ in semantic_ranked], lexical_ranked_ids],
            k=k,
            weights=[1.0, lexical_weight],
        )
    elif method == "rerank":
        fused = rerank(lexical_ranked_ids, dict(semantic_ranked), depth=depth)
    elif method == "boost":
        fused = boost(lexical_ranked_ids, dict(semantic_ranked))
    else:
        raise ValueError(
            f"Unknown fusion method {method!r}: 'rrf', 'rerank' or 'boost'."
        )
    return fused[:limit]
