"""Claim mentions: a statement makes a claim; reviewers accept or reject it.

Mentions are reviewed as attributions are. A suggestion waits (``suggested``);
a reviewer's own link, or an accepted suggestion, is ``accepted``; a rejected
one is kept, so that the next suggestion run does not propose it again.

A claim that only suggestions have named is *proposed* (``Claim.proposed``),
as sources are: lists leave it out. Accepting one of its mentions confirms
it; rejecting its last one leaves it proposed, hidden, with the rejected
mention on record.
"""

import datetime
from collections.abc import Iterable, Sequence

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from claims import selectors
from claims.models import Claim, ClaimMention, Origin, ReviewStatus, Statement
from claims.services.attributions import initial_status
from claims.services.bulk_history import create_with_history
from claims.services.common import (
    check_fields,
    delete_or_refuse,
    lock_for_update,
    save_new_version,
)
from claims.services.independent import annotator_of, check_adjudication


class DuplicateMention(ValidationError):
    """The statement is linked to the claim already; ``mention`` is that link."""

    def __init__(self, mention: ClaimMention):
        super().__init__(
            "Statement %(statement)s already mentions claim %(claim)s: "
            "claim mention %(id)s (%(status)s).",
            code="duplicate",
            params={
                "statement": mention.statement_id,
                "claim": mention.claim_id,
                "id": mention.pk,
                "status": mention.status,
            },
        )
        self.mention = mention


def mention_between(
    *, claim: Claim, statement: Statement, by: User | None = None
) -> ClaimMention | None:
    """The mention linking this statement to this claim, if there is one:
    for an annotator in independent annotation (``by``), their own link."""
    if annotator_of(statement, by):
        assert by is not None
        return selectors.independent_mention_of(
            claim=claim, statement=statement, user=by
        )
    return ClaimMention.objects.filter(
        claim=claim, statement=statement, independent=False
    ).first()


@transaction.atomic
def claim_mention_create(
    *,
    claim: Claim,
    statement: Statement,
    origin: str = Origin.MANUAL,
    status: str | None = None,
    created_by: User | None = None,
    reviewed_by: User | None = None,
    reviewed_at: datetime.datetime | None = None,
    independent: bool | None = None,
) -> ClaimMention:
    """Record that a statement makes a claim.

    ``reviewed_by`` is who decided on it, where that is someone else than its
    maker (an import keeps the reviewer its record names), and
    ``reviewed_at`` when (now, unless a record says).

    A pair already linked is refused (``DuplicateMention``), except a link a
    reviewer rejected before: linking it again by hand accepts it (the
    mention's version then tells it from a new one, which is at 1).

    An annotator's link on a document in independent annotation is their
    own, waiting for adjudication (``suggested``); only their own links count
    as already made. ``independent``, where the caller says (an import, from
    its record), is taken as said.
    """
    if independent is None:
        independent = origin == Origin.MANUAL and annotator_of(statement, created_by)
        if independent:
            status = ReviewStatus.SUGGESTED
    if status is None:
        status = initial_status(origin)
    existing = (
        ClaimMention.objects.select_for_update()
        .filter(claim=claim, statement=statement, independent=independent)
        .filter(**({"created_by": created_by} if independent else {}))
        .first()
    )
    if existing is not None:
        if existing.status != ReviewStatus.REJECTED or origin == Origin.SUGGESTED:
            raise DuplicateMention(existing)
        relinked = ReviewStatus.SUGGESTED if independent else ReviewStatus.ACCEPTED
        return _review(existing, relinked, created_by)
    mention = ClaimMention(
        claim=claim,
        statement=statement,
        origin=origin,
        status=status,
        created_by=created_by,
        independent=independent,
    )
    if reviewed_by is not None and status != ReviewStatus.SUGGESTED:
        mention.reviewed_by = reviewed_by
        mention.reviewed_at = reviewed_at or timezone.now()
    elif origin == Origin.MANUAL and created_by is not None and not independent:
        # A reviewer's own link is accepted as made: reviewed by its maker.
        mention.reviewed_by, mention.reviewed_at = created_by, timezone.now()
    mention.full_clean()
    mention.save()
    if status == ReviewStatus.ACCEPTED:
        _confirm(mention.claim_id)
    return mention


def claim_mentions_store(mentions: Sequence[ClaimMention]) -> list[ClaimMention]:
    """Store mentions that the service's own code made (suggestions), in bulk,
    with their history.

    As ``attributions_store``: each field is checked in Python, and the rules
    across fields and rows are the database's (``check_fields``).
    """
    check_fields(mentions)
    return create_with_history(mentions)


@transaction.atomic
def claim_mention_accept(
    *, mention: ClaimMention, reviewed_by: User, expected_version: int | None = None
) -> ClaimMention:
    """A reviewer takes a mention: the statement makes the claim.

    A proposed claim is then confirmed: a reviewer has named it.
    """
    mention = lock_for_update(mention, expected_version)
    check_adjudication(mention, reviewed_by)
    return _review(mention, ReviewStatus.ACCEPTED, reviewed_by)


@transaction.atomic
def claim_mention_reject(
    *, mention: ClaimMention, reviewed_by: User, expected_version: int | None = None
) -> ClaimMention:
    """A reviewer turns a mention down; it is kept, as rejected.

    The claim is left as it is: a proposed one whose mentions are all
    rejected stays proposed, out of the lists, and is not proposed again on
    these statements.
    """
    mention = lock_for_update(mention, expected_version)
    return _review(mention, ReviewStatus.REJECTED, reviewed_by)


@transaction.atomic
def claim_mention_delete(
    *, mention: ClaimMention, expected_version: int | None = None
) -> None:
    """Unlink a statement from a claim.

    A proposed claim left with nothing naming it goes too: only this
    suggestion held it.
    """
    mention = lock_for_update(mention, expected_version)
    claim_id = mention.claim_id
    delete_or_refuse(mention)
    proposed_claims_drop_unused([claim_id])


def proposed_claims_drop_unused(claim_ids: Iterable[int]) -> int:
    """Delete the proposed claims among these that nothing names any more
    (no mention, review or note); how many went."""
    unused = (
        Claim.objects.filter(pk__in=claim_ids, proposed=True)
        .annotate(
            n=Count("mentions", distinct=True)
            + Count("reviews", distinct=True)
            + Count("annotations", distinct=True)
        )
        .filter(n=0)
    )
    return unused.delete()[1].get(Claim._meta.label, 0)


def _review(mention: ClaimMention, status: str, reviewer: User | None) -> ClaimMention:
    mention.status = status
    mention.reviewed_by = reviewer
    mention.reviewed_at = timezone.now()
    save_new_version(mention)
    if status == ReviewStatus.ACCEPTED:
        _confirm(mention.claim_id)
    return mention


def _confirm(claim_id: int) -> None:
    """A proposed claim is confirmed once a reviewer has taken one mention."""
    if not Claim.objects.filter(pk=claim_id, proposed=True).exists():
        return
    claim = Claim.objects.select_for_update().get(pk=claim_id)
    claim.proposed = False
    save_new_version(claim)
