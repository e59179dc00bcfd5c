"""Annotations: reviewers' notes on statements and claims."""

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction

from claims.models import ANNOTATION_ONE_TARGET, Annotation, Claim, Statement
from claims.services.common import (
    UNSET,
    Unset,
    apply_changes,
    delete_or_refuse,
    lock_for_update,
    save_new_version,
    tags_differ,
    tags_get_or_create,
)


def annotation_target(
    *, statement: Statement | None, claim: Claim | None
) -> Statement | Claim:
    """What a new annotation is on, from the statement and the claim a form or
    a request names: exactly one of them (as the database's constraint
    ``annotation_one_target`` has it)."""
    if statement is not None and claim is None:
        return statement
    if claim is not None and statement is None:
        return claim
    raise ValidationError(ANNOTATION_ONE_TARGET, code="target")


@transaction.atomic
def annotation_create(
    *,
    target: Statement | Claim,
    reviewer: User,
    motivation: str = Annotation.Motivation.COMMENTING,
    body: str = "",
    tags: Iterable[str] = (),
) -> Annotation:
    """Attach a reviewer's note to a statement or a claim."""
    if not isinstance(target, Statement | Claim):
        raise ValidationError(
            "An annotation targets a statement or a claim.", code="target"
        )
    annotation = Annotation(
        statement=target if isinstance(target, Statement) else None,
        claim=target if isinstance(target, Claim) else None,
        reviewer=reviewer,
        motivation=motivation,
        body=body,
    )
    annotation.full_clean()
    annotation.save()
    annotation.tags.set(tags_get_or_create(tags))
    return annotation


@transaction.atomic
def annotation_update(
    *,
    annotation: Annotation,
    expected_version: int | None = None,
    motivation: str | Unset = UNSET,
    body: str | Unset = UNSET,
    tags: Iterable[str] | Unset = UNSET,
) -> Annotation:
    annotation = lock_for_update(annotation, expected_version)
    tags = list(tags) if tags is not UNSET else UNSET
    apply_changes(annotation, {"motivation": motivation, "body": body})
    save_new_version(
        annotation, also_changed=tags is not UNSET and tags_differ(annotation, tags)
    )
    if tags is not UNSET:
        annotation.tags.set(tags_get_or_create(tags))
    return annotation


@transaction.atomic
def annotation_delete(
    *, annotation: Annotation, expected_version: int | None = None
) -> None:
    delete_or_refuse(lock_for_update(annotation, expected_version))
