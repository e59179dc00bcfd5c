"""Assignments: editors give documents to reviewers, who say how far they got.

Who may call these is the callers' rule (an editor assigns; a reviewer moves
their own assignment: ``claims.roles``); what may be assigned is the
services': only to active reviewers, each document once per reviewer.
"""

from collections.abc import Sequence

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction

from claims import roles
from claims.models import Assignment, Document, ReviewState
from claims.services.common import delete_or_refuse, lock_for_update, save_new_version
from claims.services.independent import MIN_ANNOTATORS, annotator_copies_make


def _check_reviewers(reviewers: Sequence[User]) -> None:
    refused = sorted(u.get_username() for u in reviewers if not roles.is_reviewer(u))
    if refused:
        raise ValidationError(
            {
                "assigned_to": f"Not a reviewer: {', '.join(refused)}. "
                "Documents are assigned to reviewers and editors only."
            },
            code="not_a_reviewer",
        )


@transaction.atomic
def documents_assign(
    *,
    documents: Sequence[Document],
    reviewers: Sequence[User],
    assigned_by: User | None,
) -> list[Assignment]:
    """Assign each document to each reviewer; the assignments made.

    An existing assignment is kept as it is (its state too), so assigning a
    batch again adds only what is new. Nothing is written if any of
    ``reviewers`` is not a reviewer.
    """
    if not documents or not reviewers:
        raise ValidationError(
            "Choose at least one document and one reviewer.", code="empty"
        )
    _check_reviewers(reviewers)
    existing = set(
        Assignment.objects.filter(
            document__in=documents, reviewer__in=reviewers
        ).values_list("document_id", "reviewer_id")
    )
    made = []
    for document in documents:
        new = []
        for reviewer in reviewers:
            if (document.pk, reviewer.pk) in existing:
                continue
            assignment = Assignment(
                document=document, reviewer=reviewer, assigned_by=assigned_by
            )
            assignment.full_clean()
            assignment.save()
            made.append(assignment)
            new.append(reviewer)
        if new and document.independent_annotation:
            # A new annotator of an independent document starts, as the
            # others did, from their own copy of its suggestions.
            annotator_copies_make(document=document, reviewers=new)
    return made


@transaction.atomic
def document_assignments_set(
    *, document: Document, reviewers: Sequence[User], assigned_by: User | None
) -> list[Assignment]:
    """Make ``reviewers`` exactly the document's assignees: new ones are
    assigned, the others' assignments removed; kept ones keep their state."""
    _check_reviewers(reviewers)
    wanted = {reviewer.pk for reviewer in reviewers}
    if document.independent_annotation and len(wanted) < MIN_ANNOTATORS:
        raise ValidationError(
            {
                "assigned_to": "This document is marked for independent "
                f"annotation, which needs at least {MIN_ANNOTATORS} reviewers; "
                "unmark it first to assign fewer."
            },
            code="too_few_annotators",
        )
    current = list(Assignment.objects.select_for_update().filter(document=document))
    for assignment in current:
        if assignment.reviewer_id not in wanted:
            delete_or_refuse(assignment)
    if reviewers:
        documents_assign(
            documents=[document], reviewers=reviewers, assigned_by=assigned_by
        )
    return list(Assignment.objects.filter(document=document).order_by("id"))


@transaction.atomic
def assignment_set_state(
    *, assignment: Assignment, state: str, expected_version: int | None = None
) -> Assignment:
    """Move an assignment to ``state`` (to do, in review, done)."""
    if state not in ReviewState.values:
        raise ValidationError(
            {
                "review_state": f"“{state}” is not a review state "
                f"(expected one of {', '.join(ReviewState.values)})."
            },
            code="invalid_choice",
        )
    assignment = lock_for_update(assignment, expected_version)
    assignment.state = state
    return save_new_version(assignment)
