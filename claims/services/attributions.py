"""Attributions: who a statement is attributed to, and how; and their review."""

import datetime
from collections.abc import Sequence
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from claims.models import Attribution, Origin, ReviewStatus, Source, Statement
from claims.segmentation import Offsets
from claims.services.bulk_history import create_with_history
from claims.services.common import (
    UNSET,
    Unset,
    apply_changes,
    check_fields,
    delete_or_refuse,
    lock_for_update,
    save_new_version,
)
from claims.services.independent import annotator_of, check_adjudication
from claims.services.sources import source_get_or_create


def initial_status(origin: str) -> str:
    """A suggestion waits for a reviewer; manual and imported work stands."""
    if origin == Origin.SUGGESTED:
        return ReviewStatus.SUGGESTED
    return ReviewStatus.ACCEPTED


def attribution_draft(
    *,
    statement: Statement,
    kind: str,
    source: Source | None = None,
    source_span: Offsets | None = None,
    cue: Offsets | None = None,
    content: Offsets | None = None,
    via: Source | None = None,
    primary_source_url: str = "",
    origin: str = Origin.MANUAL,
    status: str | None = None,
    confidence: float | None = None,
    created_by: User | None = None,
    reviewed_by: User | None = None,
    reviewed_at: datetime.datetime | None = None,
    independent: bool = False,
) -> Attribution:
    """An unsaved attribution, its spans checked against the document's text.

    Spans are document offsets and may lie outside the statement (the cue of
    a continuation quote sits in the sentence before). A reviewer's own
    attribution is accepted as made; a suggestion waits for review. An
    imported review record (``reviewed_by``) without its time is dated now.
    """
    if reviewed_by is not None and reviewed_at is None:
        reviewed_at = timezone.now()
    if status is None:
        status = initial_status(origin)
    text_length = len(statement.document.text)
    spans = {"source_span": source_span, "cue": cue, "content": content}
    for field, span in spans.items():
        if span is not None:
            _check_span_in_text(field, span, text_length)
    return Attribution(
        statement=statement,
        kind=kind,
        source=source,
        source_start=source_span[0] if source_span else None,
        source_end=source_span[1] if source_span else None,
        cue_start=cue[0] if cue else None,
        cue_end=cue[1] if cue else None,
        content_start=content[0] if content else None,
        content_end=content[1] if content else None,
        via=via,
        primary_source_url=primary_source_url,
        origin=origin,
        status=status,
        confidence=confidence,
        created_by=created_by,
        reviewed_by=reviewed_by,
        reviewed_at=reviewed_at,
        independent=independent,
    )


def _sources_by_name(fields: dict[str, Any], created_by: User | None) -> dict[str, Any]:
    """``source_name`` and ``via_name`` in ``fields`` as ``source`` and ``via``.

    A name is a source's name or any of its aliases, matched as the server
    normalises names (``source_get_or_create``: case, accents, punctuation and
    spacing aside); a name nobody has used yet becomes a new source. An empty
    name is no source.
    """
    for field in ("source", "via"):
        if f"{field}_name" not in fields:
            continue
        name = (fields.pop(f"{field}_name") or "").strip()
        fields[field] = (
            source_get_or_create(name=name, created_by=created_by) if name else None
        )
    return fields


@transaction.atomic
def attribution_create(**fields: Any) -> Attribution:
    """Record who a statement is attributed to, and how (``attribution_draft``).

    ``source_name`` and ``via_name`` may stand for ``source`` and ``via``: the
    source of that name, created if new, in the same transaction.

    An annotator's attribution on a document in independent annotation is
    their own, waiting for adjudication: ``suggested``, not accepted
    (``independent``, unless the caller says whether it is).
    """
    fields = _sources_by_name(fields, fields.get("created_by"))
    if fields.get("independent") is None:
        # Not said (an import says, from its record): the annotator's own?
        origin = fields.get("origin", Origin.MANUAL)
        maker = fields.get("created_by")
        fields["independent"] = origin == Origin.MANUAL and annotator_of(
            fields["statement"], maker
        )
        if fields["independent"]:
            fields["status"] = ReviewStatus.SUGGESTED
    attribution = attribution_draft(**fields)
    attribution.full_clean()
    attribution.save()
    return attribution


@transaction.atomic
def attributions_store(drafts: Sequence[Attribution]) -> list[Attribution]:
    """Store drafts that the service's own code made (suggestions), in bulk.

    Each field is checked in Python as ``attribution_create`` checks it; the
    rules across fields and rows (check constraints, foreign keys, spans
    inside the text) are the database's (``check_fields``).
    """
    check_fields(drafts)
    return create_with_history(drafts)


def _check_span_in_text(field: str, span: Offsets, text_length: int) -> None:
    start, end = span
    if not (0 <= start < end <= text_length):
        raise ValidationError(
            {
                field: f"[{start}, {end}) is not a non-empty span of the document, "
                f"which has {text_length} code points."
            },
            code="out_of_range",
        )


@transaction.atomic
def attribution_accept(
    *,
    attribution: Attribution,
    reviewed_by: User | None = None,
    expected_version: int | None = None,
) -> Attribution:
    """A reviewer takes a suggested attribution as it is; who and when are kept."""
    return _review(attribution, ReviewStatus.ACCEPTED, reviewed_by, expected_version)


@transaction.atomic
def attribution_reject(
    *,
    attribution: Attribution,
    reviewed_by: User | None = None,
    expected_version: int | None = None,
) -> Attribution:
    """A reviewer turns an attribution down; it is kept, as rejected, with
    who and when."""
    return _review(attribution, ReviewStatus.REJECTED, reviewed_by, expected_version)


def _review(
    attribution: Attribution,
    status: str,
    reviewer: User | None,
    expected_version: int | None,
) -> Attribution:
    attribution = lock_for_update(attribution, expected_version)
    if status == ReviewStatus.ACCEPTED:
        check_adjudication(attribution, reviewer)
    record_review(attribution, status, reviewer)
    return save_new_version(attribution)


def record_review(attribution: Attribution, status: str, reviewer: User | None) -> None:
    """Set ``status`` with its review record (unsaved): the callers save."""
    attribution.status = status
    attribution.reviewed_by = reviewer
    attribution.reviewed_at = timezone.now()


@transaction.atomic
def attribution_update(
    *,
    attribution: Attribution,
    expected_version: int | None = None,
    kind: str | Unset = UNSET,
    source: Source | Unset | None = UNSET,
    source_span: Offsets | Unset | None = UNSET,
    cue: Offsets | Unset | None = UNSET,
    content: Offsets | Unset | None = UNSET,
    via: Source | Unset | None = UNSET,
    primary_source_url: str | Unset = UNSET,
    confidence: float | Unset | None = UNSET,
    source_name: str | Unset | None = UNSET,
    via_name: str | Unset | None = UNSET,
    changed_by: User | None = None,
) -> Attribution:
    """Correct an attribution. A reviewer's correction is accepted as made.

    ``source_name`` and ``via_name`` may stand for ``source`` and ``via``, as
    in ``attribution_create``; a source they create is ``changed_by``'s.
    """
    attribution = lock_for_update(attribution, expected_version)
    names = {"source_name": source_name, "via_name": via_name}
    named = _sources_by_name(
        {key: name for key, name in names.items() if name is not UNSET}, changed_by
    )
    source, via = named.get("source", source), named.get("via", via)
    text_length = len(attribution.statement.document.text)
    for name, prefix, span in [
        ("source_span", "source", source_span),
        ("cue", "cue", cue),
        ("content", "content", content),
    ]:
        if span is UNSET:
            continue
        if span is not None:
            _check_span_in_text(name, span, text_length)
        start, end = span if span is not None else (None, None)
        setattr(attribution, f"{prefix}_start", start)
        setattr(attribution, f"{prefix}_end", end)
    apply_changes(
        attribution,
        {
            "kind": kind,
            "source": source,
            "via": via,
            "primary_source_url": primary_source_url,
            "confidence": confidence,
        },
    )
    if attribution.independent:
        # An annotator's correction is still theirs alone, waiting for
        # adjudication; one they had rejected stands again.
        if attribution.status == ReviewStatus.REJECTED:
            record_review(attribution, ReviewStatus.SUGGESTED, changed_by)
    elif attribution.status != ReviewStatus.ACCEPTED:
        # Correcting a suggestion (or a rejected one) accepts it: a review.
        record_review(attribution, ReviewStatus.ACCEPTED, changed_by)
    return save_new_version(attribution)


@transaction.atomic
def attribution_delete(
    *, attribution: Attribution, expected_version: int | None = None
) -> None:
    delete_or_refuse(lock_for_update(attribution, expected_version))


@transaction.atomic
def attribution_bulk_create(
    *, items: Sequence[dict[str, Any]], created_by: User | None = None
) -> list[Attribution]:
    """Create many attributions, all or nothing; an error names the item."""
    created: list[Attribution] = []
    for position, item in enumerate(items):
        try:
            created.append(attribution_create(**item, created_by=created_by))
        except ValidationError as error:
            raise ValidationError(
                {str(position): error.messages}, code="invalid_item"
            ) from None
    return created
