"""An archive of checked claims, stored in bulk: ``claims_import``.

Each record (``claims.formats.claim_records.ClaimRecord``) is a claim and
the verdicts on it. The claim is found by its wording, case and spacing
aside, or created; each review becomes a published ``ClaimReview`` of it,
with its label, its publisher and its own URL kept, so that exports and the
public page credit it to whoever published it. A review is already present
when the claim has one at the same URL, or, for a review without one, one
with the same publisher, rating, label and summary: importing the same
archive again adds nothing, and a stored review is left as it is.

Who imports is the reviewer of record of what they import: accountable for
it here, while the publisher is credited with the verdict.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Model
from django.db.models.functions import Lower
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from claims.formats.claim_records import ClaimRecord, ReviewRecord
from claims.interchange import describe_error
from claims.models import (
    Claim,
    ClaimReview,
    ClaimReviewStatus,
    ClaimStatus,
    Rating,
    Tag,
)
from claims.services.bulk_history import create_with_history
from claims.services.common import check_fields, check_tag_name, tags_get_or_create


@dataclass
class ClaimImportOutcome:
    """What became of one record: its claim and reviews, or why it failed."""

    where: str
    claim: Claim | None = None
    claim_created: bool = False
    reviews_created: int = 0
    reviews_present: int = 0
    error: str | None = None


@dataclass
class _Plan:
    """A record checked and ready to write: its claim key and new reviews."""

    position: int
    key: str
    text: str
    record: ClaimRecord
    reviews: list[ClaimReview]
    present: int = 0


def canonical(text: str) -> str:
    """A claim's wording with its spacing normalised, as ``claim_create`` keeps it."""
    return " ".join(text.split())


# A review is the same as a stored one by its URL, or else by what it says.
ReviewKey = tuple[Any, ...]


def _review_key(claim_id: int, review: ClaimReview) -> ReviewKey:
    if review.url:
        return (claim_id, review.url)
    return (
        claim_id,
        review.publisher_name,
        review.rating,
        review.label,
        review.summary,
    )


@transaction.atomic
def claims_import(
    *, records: Sequence[tuple[str, ClaimRecord]], created_by: User | None
) -> list[ClaimImportOutcome]:
    """Store ``(where, record)`` pairs, each all or nothing, in a few queries.

    The records are checked in Python first, then written together: the
    claims that are new and their history rows, the status of claims that
    gain a published review, the reviews and theirs, the tags. Should the
    database refuse a value, the records are written one at a time instead,
    so that only the record it belongs to fails.
    """
    if created_by is None:
        raise ValidationError(
            "Imported reviews need a reviewer of record: the user who imports them.",
            code="no_reviewer",
        )
    now = timezone.now()
    try:
        with transaction.atomic():
            return _import(records, created_by, now)
    except DatabaseError:
        pass
    outcomes = []
    for item in records:
        try:
            with transaction.atomic():
                outcomes += _import([item], created_by, now)
        except DatabaseError as error:
            reason = f"the database refused a value: {error}".strip()
            outcomes.append(ClaimImportOutcome(item[0], error=reason))
    return outcomes


def _import(
    records: Sequence[tuple[str, ClaimRecord]],
    created_by: User | None,
    now: datetime.datetime,
) -> list[ClaimImportOutcome]:
    outcomes = [ClaimImportOutcome(where) for where, _ in records]
    keyed = [(canonical(record.text), record) for _, record in records]
    stored = _claims_by_key({text.lower() for text, _ in keyed})
    present = _review_keys([claim.pk for claim in stored.values()])
    plans, new_claims = [], {}
    for position, (text, record) in enumerate(keyed):
        key = text.lower()
        try:
            plan = _plan(position, key, text, record, created_by, now)
            if key not in stored and key not in new_claims:
                claim = Claim(text=text, status=ClaimStatus.NEW, created_by=created_by)
                _check(claim, "claim")
                new_claims[key] = claim
        except ValidationError as error:
            outcomes[position].error = describe_error(error)
            continue
        plans.append(plan)
    # The claims of records that failed are not created, unless a record
    # that stands has the same wording.
    wanted = {plan.key for plan in plans}
    reviewed = {plan.key for plan in plans if plan.reviews}
    created = {key: claim for key, claim in new_claims.items() if key in wanted}
    for key, claim in created.items():
        # Its reviews are all new, and published: so is the claim.
        if key in reviewed:
            claim.status = ClaimStatus.PUBLISHED
    if created:
        create_with_history(list(created.values()), user=created_by)
    claims = stored | created

    reviews, published = [], {}
    for plan in plans:
        claim = claims[plan.key]
        for review in plan.reviews:
            review_key = _review_key(claim.pk, review)
            if review_key in present:
                plan.present += 1
                continue
            present.add(review_key)
            review.claim = claim
            reviews.append(review)
            if claim.status != ClaimStatus.PUBLISHED:
                published[claim.pk] = claim
        outcome = outcomes[plan.position]
        outcome.claim = claim
        # Created by the first record of its wording; found by the others.
        outcome.claim_created = created.pop(plan.key, None) is not None
        outcome.reviews_present = plan.present
        outcome.reviews_created = len(plan.reviews) - plan.present
    if published:
        _publish(list(published.values()), created_by, now)
    if reviews:
        create_with_history(reviews, user=created_by)
    _tag([(claims[plan.key], plan.record.tags) for plan in plans])
    return outcomes


def _plan(
    position: int,
    key: str,
    text: str,
    record: ClaimRecord,
    created_by: User | None,
    now: datetime.datetime,
) -> _Plan:
    """Check a record's tags and reviews, or raise naming the first wrong one."""
    for name in record.tags:
        check_tag_name(name)
        _refuse_nul(Tag(name=name))
    reviews = []
    for data in record.reviews:
        review = _review(data, created_by, now)
        _check(review, data.where)
        reviews.append(review)
    return _Plan(position, key, text, record, reviews)


def _review(
    data: ReviewRecord, created_by: User | None, now: datetime.datetime
) -> ClaimReview:
    label = data.label
    # The scale's own name is not kept twice: an empty label reads as it.
    if label.casefold() == Rating(data.rating).label.casefold():
        label = ""
    return ClaimReview(
        reviewer=created_by,
        rating=data.rating,
        label=label,
        summary=data.summary,
        evidence=list(data.evidence),
        status=ClaimReviewStatus.PUBLISHED,
        # The archive's date where it gives one; else the day it is
        # published here, as a published review has a date.
        published_at=data.published_at or now,
        publisher_name=data.publisher_name,
        publisher_url=data.publisher_url,
        url=data.url,
    )


def _check(instance: Model, where: str) -> None:
    """Each field checked as ``full_clean`` would (``check_fields``), the error
    named by where it is in the record."""
    try:
        check_fields([instance])
        _refuse_nul(instance)
    except ValidationError as error:
        raise ValidationError(f"{where}: {describe_error(error)}") from None


def _refuse_nul(instance: Model) -> None:
    # PostgreSQL text cannot hold NUL, and the driver refuses it before the
    # database sees it: refused here on both databases alike.
    for field in instance._meta.concrete_fields:
        value = getattr(instance, field.attname)
        if isinstance(value, str) and "\x00" in value:
            raise ValidationError(
                {field.name: "Null characters are not allowed."}, code="null"
            )


def _claims_by_key(keys: set[str]) -> dict[str, Claim]:
    """The stored claims of these lowercased wordings, by them, in one query."""
    if not keys:
        return {}
    found = Claim.objects.annotate(lower_text=Lower("text")).filter(lower_text__in=keys)
    return {claim.text.lower(): claim for claim in found}


def _review_keys(claim_ids: list[int]) -> set[ReviewKey]:
    """What identifies each review the claims have (``_review_key``)."""
    if not claim_ids:
        return set()
    rows = ClaimReview.objects.filter(claim_id__in=claim_ids).values_list(
        "claim_id", "url", "publisher_name", "rating", "label", "summary"
    )
    return {
        (claim_id, url) if url else (claim_id, publisher, rating, label, summary)
        for claim_id, url, publisher, rating, label, summary in rows
    }


def _publish(
    claims: list[Claim], created_by: User | None, now: datetime.datetime
) -> None:
    """Stored claims that gain a published review are published, as
    ``claim_review_publish`` does, each as its next version."""
    for claim in claims:
        claim.status = ClaimStatus.PUBLISHED
        claim.version += 1
        claim.updated_at = now
    bulk_update_with_history(
        claims,
        Claim,
        ["status", "version", "updated_at"],
        default_user=created_by,
    )


def _tag(pairs: list[tuple[Claim, list[str]]]) -> None:
    """Add each claim's tags (those it has already are left as they are)."""
    tags = {
        tag.name: tag
        for tag in tags_get_or_create(name for _, names in pairs for name in names)
    }
    Claim.tags.through.objects.bulk_create(
        [
            Claim.tags.through(claim_id=claim.pk, tag_id=tags[name.strip()].pk)
            for claim, names in pairs
            for name in dict.fromkeys(n.strip() for n in names)
        ],
        ignore_conflicts=True,
    )
