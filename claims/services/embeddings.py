"""Claims' sentence embeddings, kept in step with their text (optional).

Called by ``claim_create`` and ``claim_update`` when ``embeddings.available()``,
and by ``manage.py embed_claims`` for claims written before, or while the
semantic packages were missing.
"""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from claims import embeddings
from claims.models import Claim, ClaimEmbedding
from claims.services.common import check_fields


def claims_needing_embedding(claims: Iterable[Claim]) -> list[Claim]:
    """The claims among these with no embedding by the configured model, or
    one computed from other words."""
    claims = list(claims)
    stored: dict[int, str] = {}
    # In chunks: SQLite limits the parameters of one query.
    for start in range(0, len(claims), 500):
        stored.update(
            ClaimEmbedding.objects.filter(
                claim__in=[claim.pk for claim in claims[start : start + 500]],
                model=embeddings.model_name(),
            ).values_list("claim_id", "text_sha256")
        )
    return [
        claim
        for claim in claims
        if stored.get(claim.pk) != embeddings.text_digest(claim.text)
    ]


@transaction.atomic
def claim_embeddings_store(*, claims: Iterable[Claim], refresh: bool = False) -> int:
    """Embed these claims with the configured model and store the vectors.

    Only claims whose vector is missing or stale are encoded, unless
    ``refresh``; returns how many were stored. Raises
    ``embeddings.EmbeddingsUnavailable`` when the model cannot be had.
    """
    claims = list(claims) if refresh else claims_needing_embedding(claims)
    if not claims:
        return 0
    vectors = embeddings.encode([claim.text for claim in claims])
    model, now = embeddings.model_name(), timezone.now()
    rows = [
        ClaimEmbedding(
            claim=claim,
            model=model,
            dimensions=vector.shape[0],
            vector=embeddings.to_bytes(vector),
            text_sha256=embeddings.text_digest(claim.text),
            updated_at=now,
        )
        for claim, vector in zip(claims, vectors, strict=True)
    ]
    check_fields(rows)
    ClaimEmbedding.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["claim"],
        update_fields=["model", "dimensions", "vector", "text_sha256", "updated_at"],
    )
    return len(rows)
