"""Independent double annotation: two or more reviewers annotate one document,
each unseen by the others, so that their agreement can be measured.

An editor marks the document (``document_independent_annotation_set``); it
needs at least two assigned reviewers. Each assignee then gets their own copy
of the document's waiting suggestions, as their own work: attributions and
claim mentions with ``independent`` set, origin ``manual``, status
``suggested`` (waiting for adjudication, not accepted) and ``created_by`` the
annotator. What they write on the document afterwards is stored the same way
(``annotator_of``, asked by the attribution and mention services). Who sees
whose rows is one read rule, ``selectors.work_visible_to``.
"""

from collections.abc import Sequence

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction

from claims import roles, selectors
from claims.models import (
    Attribution,
    ClaimMention,
    Document,
    Origin,
    ReviewStatus,
    Statement,
)
from claims.services.bulk_history import create_with_history
from claims.services.common import check_fields, lock_for_update, save_new_version

MIN_ANNOTATORS = 2


def annotator_of(statement: Statement, user: User | None) -> bool:
    """Whether ``user``'s work on this statement is independent annotation:
    its document is marked and assigned to them."""
    if user is None or not user.is_authenticated:
        return False
    # Asked of the database, not of ``statement.document``: the caller's copy
    # of the document may predate its marking.
    return selectors.annotates_independently(statement.document_id, user)


@transaction.atomic
def document_independent_annotation_set(
    *,
    document: Document,
    independent_annotation: bool,
    changed_by: User | None = None,
    expected_version: int | None = None,
) -> Document:
    """Mark the document for independent annotation, or unmark it.

    Marking needs at least two assigned reviewers (refused otherwise,
    nothing changed) and gives each of them their copy of the waiting
    suggestions. Unmarking keeps every annotator's rows, now seen by all.
    """
    document = lock_for_update(document, expected_version)
    if independent_annotation and not document.independent_annotation:
        reviewers = selectors.reviewers_of_document(document.pk)
        if len(reviewers) < MIN_ANNOTATORS:
            raise ValidationError(
                {
                    "independent_annotation": "Independent annotation needs at "
                    f"least {MIN_ANNOTATORS} assigned reviewers; this document "
                    f"has {len(reviewers)}. Assign them first."
                },
                code="too_few_annotators",
            )
        document.independent_annotation = True
        save_new_version(document)
        annotator_copies_make(document=document, reviewers=reviewers)
        return document
    document.independent_annotation = independent_annotation
    return save_new_version(document)


def annotator_copies_make(*, document: Document, reviewers: Sequence[User]) -> int:
    """Each reviewer's own copy of the document's waiting suggestions (those
    who have independent work on it already are left as they are); how many
    rows were made. The caller holds the transaction."""
    reviewers = [
        reviewer
        for reviewer in reviewers
        if not selectors.has_independent_work(document.pk, reviewer)
    ]
    if not reviewers:
        return 0
    suggested_attributions, suggested_mentions = selectors.waiting_suggestions(
        document.pk
    )
    attributions = [
        Attribution(
            statement_id=suggestion.statement_id,
            kind=suggestion.kind,
            source_id=suggestion.source_id,
            source_start=suggestion.source_start,
            source_end=suggestion.source_end,
            cue_start=suggestion.cue_start,
            cue_end=suggestion.cue_end,
            content_start=suggestion.content_start,
            content_end=suggestion.content_end,
            via_id=suggestion.via_id,
            primary_source_url=suggestion.primary_source_url,
            origin=Origin.MANUAL,
            status=ReviewStatus.SUGGESTED,
            created_by=reviewer,
            independent=True,
        )
        for reviewer in reviewers
        for suggestion in suggested_attributions
    ]
    mentions = [
        ClaimMention(
            claim_id=suggestion.claim_id,
            statement_id=suggestion.statement_id,
            origin=Origin.MANUAL,
            status=ReviewStatus.SUGGESTED,
            created_by=reviewer,
            independent=True,
        )
        for reviewer in reviewers
        for suggestion in suggested_mentions
    ]
    # As attributions_store and claim_mentions_store (which import this
    # module): fields checked here, the rules across rows by the database.
    check_fields([*attributions, *mentions])
    create_with_history(attributions)
    create_with_history(mentions)
    return len(attributions) + len(mentions)


def check_adjudication(row: Attribution | ClaimMention, reviewer: User | None) -> None:
    """Refuse accepting an annotator's row except as an editor's decision, and
    a second accepted one on the statement (the database refuses it too)."""
    if not row.independent:
        return
    if reviewer is None or not roles.is_editor(reviewer):
        raise ValidationError(
            {
                "status": "In independent annotation an annotator's work stays "
                "suggested until an editor adjudicates; correct or reject it "
                "instead."
            },
            code="independent",
        )
    if selectors.independent_accepted_exists(row):
        raise ValidationError(
            {
                "status": "In independent annotation a statement has at most one "
                "accepted attribution (or link to a claim): reject the other first."
            },
            code="independent_one_accepted",
        )
