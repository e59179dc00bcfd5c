"""Claims, their mentions in statements, and the reviews that judge them."""

import functools
from collections.abc import Callable, Iterable, Sequence
from typing import Any, ParamSpec, TypeVar

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from claims import embeddings
from claims.models import (
    Claim,
    ClaimReview,
    ClaimReviewStatus,
    ClaimStatus,
    Statement,
)
from claims.selectors import claim_by_text, claims_visible_to
from claims.services.bulk_history import create_with_history
from claims.services.common import (
    UNSET,
    Unset,
    apply_changes,
    check_fields,
    created_or_found,
    delete_or_refuse,
    lock_for_update,
    save_new_version,
    tags_differ,
    tags_get_or_create,
)
from claims.services.embeddings import claim_embeddings_store
from claims.services.mentions import claim_mention_create

P = ParamSpec("P")
R = TypeVar("R")


def _canonical(text: str) -> str:
    return " ".join(text.split())


def _model_loaded_first(service: Callable[P, R]) -> Callable[P, R]:
    """Loads the embedding model (once a process, seconds) before the service's
    transaction begins, not inside it, where it would hold the write lock
    meanwhile: on SQLite, the whole database's, and other writers gave up
    waiting for it (a 503 to a concurrent request)."""

    @functools.wraps(service)
    def loaded_first(*args: P.args, **kwargs: P.kwargs) -> R:
        embeddings.available()
        return service(*args, **kwargs)

    return loaded_first


def _embed_if_available(claim: Claim) -> None:
    # Semantic ranking is optional (requirements-semantic.txt): without it the
    # claim is simply not embedded, and the ranking stays lexical.
    if embeddings.available():
        claim_embeddings_store(claims=[claim])


def _refuse_publishing(status: str | Unset) -> None:
    if status == ClaimStatus.PUBLISHED:
        raise ValidationError(
            {"status": "A claim is published by publishing a review of it."},
            code="publish_through_review",
        )


def _refuse_duplicate_claim(
    text: str, *, other_than: Claim | None = None, by: User | None = None
) -> None:
    """Wordings are unique. The claim that has this one is named, unless it
    is hidden from ``by`` (another annotator's, in independent annotation):
    then only the wording is said to be taken, and how to link it."""
    existing = claim_by_text(text)
    if existing is None or existing == other_than:
        return
    if (
        by is not None
        and not claims_visible_to(Claim.objects.filter(pk=existing.pk), by).exists()
    ):
        raise ValidationError(
            {
                "text": "A claim with this wording is already stored: link "
                "statements to it by its wording (claim_text) instead."
            },
            code="duplicate",
        )
    raise ValidationError(
        {"text": f"This claim already exists as claim {existing.pk}."},
        code="duplicate",
    )


@_model_loaded_first
@transaction.atomic
def claim_create(
    *,
    text: str,
    status: str = ClaimStatus.NEW,
    tags: Iterable[str] = (),
    statements: Iterable[Statement] = (),
    proposed: bool = False,
    created_by: User | None = None,
) -> Claim:
    """Create a claim in canonical wording, with its mentions in statements.

    ``proposed``: only a suggestion names it (``claims.services.mentions``).
    """
    text = _canonical(text)
    _refuse_duplicate_claim(text, by=created_by)
    _refuse_publishing(status)
    claim = Claim(text=text, status=status, proposed=proposed, created_by=created_by)
    claim.full_clean()
    claim.save()
    _embed_if_available(claim)
    claim.tags.set(tags_get_or_create(tags))
    for statement in statements:
        claim_mention_create(claim=claim, statement=statement, created_by=created_by)
    return claim


@_model_loaded_first
@transaction.atomic
def proposed_claims_store(*, texts: Sequence[str]) -> list[Claim]:
    """Create the claims suggestions propose (``proposed``), in bulk, with
    their history and, where the semantic packages are installed, their
    embeddings; one claim a text, in order.

    For the service's own code (``documents_suggest``), which has looked the
    wordings up already: a wording stored meanwhile, or given twice, is
    refused by the database's unique index, and the transaction with it.
    """
    claims = [
        Claim(text=_canonical(text), status=ClaimStatus.NEW, proposed=True)
        for text in texts
    ]
    check_fields(claims)
    created = create_with_history(claims)
    if created and embeddings.available():
        claim_embeddings_store(claims=created)
    return created


@transaction.atomic
def claim_get_or_create(*, text: str, created_by: User | None = None) -> Claim:
    """The claim with this wording (case and spacing aside), created if new."""
    claim = claim_by_text(_canonical(text))
    if claim is None:
        claim, _ = created_or_found(
            lambda: claim_create(text=text, created_by=created_by),
            lambda: claim_by_text(_canonical(text)),
        )
    return claim


@transaction.atomic
def claim_review_create(
    *,
    claim: Claim,
    reviewer: User,
    rating: int,
    summary: str,
    evidence: Sequence[dict[str, Any]] = (),
) -> ClaimReview:
    """Draft a verdict on a claim; the claim is then in review (and, if only
    suggestions had named it, confirmed: a reviewer has taken it up)."""
    review = ClaimReview(
        claim=claim,
        reviewer=reviewer,
        rating=rating,
        summary=summary.strip(),
        evidence=list(evidence),
    )
    review.full_clean()
    review.save()
    # Lock and re-read the claim: the caller's copy may be stale, and writing
    # it back would undo another reviewer's change and reuse its version.
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    if claim.status == ClaimStatus.NEW or claim.proposed:
        if claim.status == ClaimStatus.NEW:
            claim.status = ClaimStatus.IN_REVIEW
        claim.proposed = False
        save_new_version(claim)
    return review


@transaction.atomic
def claim_review_publish(
    *, review: ClaimReview, expected_version: int | None = None
) -> ClaimReview:
    """Publish a verdict: it gets a date and a public page, and so does its claim."""
    review = lock_for_update(review, expected_version)
    if review.status == ClaimReviewStatus.PUBLISHED:
        raise ValidationError("This review is already published.", code="published")
    review.status = ClaimReviewStatus.PUBLISHED
    review.published_at = timezone.now()
    save_new_version(review)
    claim = Claim.objects.select_for_update().get(pk=review.claim_id)
    claim.status = ClaimStatus.PUBLISHED
    save_new_version(claim)
    return review


@transaction.atomic
def claim_review_update(
    *,
    review: ClaimReview,
    expected_version: int | None = None,
    rating: int | Unset = UNSET,
    summary: str | Unset = UNSET,
    evidence: list[dict[str, Any]] | Unset = UNSET,
) -> ClaimReview:
    """Change a verdict's rating, summary or evidence.

    A new rating drops an imported review's label: that was its publisher's
    wording of the old one.
    """
    review = lock_for_update(review, expected_version)
    if rating is not UNSET and rating != review.rating:
        review.label = ""
    apply_changes(
        review,
        {
            "rating": rating,
            "summary": summary.strip() if summary else summary,
            "evidence": list(evidence) if evidence is not UNSET else UNSET,
        },
    )
    return save_new_version(review)


@transaction.atomic
def claim_review_delete(
    *, review: ClaimReview, expected_version: int | None = None
) -> None:
    """Delete a draft; a published verdict stays on the public record."""
    review = lock_for_update(review, expected_version)
    if review.status == ClaimReviewStatus.PUBLISHED:
        raise ValidationError(
            "A published review stays on record; it cannot be deleted.",
            code="published",
        )
    delete_or_refuse(review)


@_model_loaded_first
@transaction.atomic
def claim_update(
    *,
    claim: Claim,
    expected_version: int | None = None,
    text: str | Unset = UNSET,
    status: str | Unset = UNSET,
    tags: Iterable[str] | Unset = UNSET,
    changed_by: User | None = None,
) -> Claim:
    """Reword a claim, move it along its review status, or retag it.

    ``changed_by``: who asks, to whom a wording refused as taken names the
    claim that has it only if they may see it."""
    claim = lock_for_update(claim, expected_version)
    tags = list(tags) if tags is not UNSET else UNSET
    if text is not UNSET:
        text = _canonical(text)
        _refuse_duplicate_claim(text, other_than=claim, by=changed_by)
    if status != claim.status:
        _refuse_publishing(status)
    apply_changes(claim, {"text": text, "status": status})
    save_new_version(claim, also_changed=tags is not UNSET and tags_differ(claim, tags))
    if text is not UNSET:
        _embed_if_available(claim)  # Stores only when the wording changed.
    if tags is not UNSET:
        claim.tags.set(tags_get_or_create(tags))
    return claim


@transaction.atomic
def claim_delete(*, claim: Claim, expected_version: int | None = None) -> None:
    """Delete a claim that no statement mentions and no review judges."""
    delete_or_refuse(lock_for_update(claim, expected_version))
