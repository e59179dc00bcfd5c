"""Adjudication: an editor makes the final attribution of each statement that
independent annotators annotated, and decides their claim links.

Once every annotator of a document marked for independent annotation is
done, an editor takes, for each statement where they differ
(``selectors.adjudication_rows``), one annotator's attribution, or writes
the final one (an ordinary accepted attribution of theirs). The final one is
accepted, reviewed by the editor; every other open row of the statement (the
annotators' and the shared suggestions still waiting) is rejected, reviewed
by the editor, and kept with its history. Where all annotators agree, one
step does the same for every such statement and claim link.

Refused, with nothing changed: a caller who is not an editor
(``PermissionDenied``); a document not marked, or whose annotators are not
all done; a statement with nothing waiting; a row that is not an annotator's
on that statement (``ValidationError``).
"""

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from claims import roles, selectors
from claims.models import (
    Attribution,
    Claim,
    ClaimMention,
    Document,
    Origin,
    ReviewStatus,
    Statement,
)
from claims.services.attributions import (
    attribution_accept,
    attribution_create,
    attribution_reject,
)
from claims.services.mentions import claim_mention_accept, claim_mention_reject


@dataclass
class AdjudicationOutcome:
    """The rows an adjudication accepted (made, for an edit) and rejected."""

    accepted: list[Attribution | ClaimMention] = field(default_factory=list)
    rejected: list[Attribution | ClaimMention] = field(default_factory=list)

    def ids(self, model: type[Attribution] | type[ClaimMention]) -> dict[str, list]:
        return {
            "accepted": [r.pk for r in self.accepted if isinstance(r, model)],
            "rejected": [r.pk for r in self.rejected if isinstance(r, model)],
        }


def _check_editor(user: User | None) -> User:
    if user is None or not roles.is_editor(user):
        raise PermissionDenied(
            "Only editors adjudicate independent annotation; nothing was changed."
        )
    return user


def _ready(document_id: int) -> Document:
    """The document, locked (adjudications of it wait for each other), once
    it is marked for independent annotation and every annotator is done."""
    document = selectors.document_locked(document_id)
    if not document.independent_annotation:
        raise ValidationError(
            {
                "document": f"Document {document.pk} (“{document.title}”) is not "
                "marked for independent annotation: there is nothing to "
                "adjudicate."
            },
            code="not_independent",
        )
    waiting = sorted(
        a.reviewer.get_username()
        for a in selectors.assignments_of_document(document.pk)
        if a.state != "done"
    )
    if waiting:
        raise ValidationError(
            {
                "document": "Adjudication starts once every annotator is done; "
                f"still annotating: {', '.join(waiting)}."
            },
            code="annotators_not_done",
        )
    return document


def _decide(
    outcome: AdjudicationOutcome,
    keep: Attribution | ClaimMention | None,
    rows: list[Attribution] | list[ClaimMention],
    editor: User,
) -> None:
    """Reject every row but ``keep``, then accept ``keep`` (the database
    holds one accepted annotator's row a statement, so the others go first)."""
    for row in rows:
        if keep is not None and row.pk == keep.pk:
            continue
        if isinstance(row, Attribution):
            outcome.rejected.append(
                attribution_reject(attribution=row, reviewed_by=editor)
            )
        else:
            outcome.rejected.append(
                claim_mention_reject(mention=row, reviewed_by=editor)
            )
    if isinstance(keep, Attribution):
        outcome.accepted.append(
            attribution_accept(attribution=keep, reviewed_by=editor)
        )
    elif isinstance(keep, ClaimMention):
        outcome.accepted.append(claim_mention_accept(mention=keep, reviewed_by=editor))


@transaction.atomic
def statement_adjudicate(
    *,
    statement: Statement,
    adjudicated_by: User | None,
    chosen: Attribution | None = None,
    edit: dict[str, Any] | None = None,
) -> AdjudicationOutcome:
    """Make the statement's final attribution: ``chosen`` (one annotator's
    attribution of it) or a new one from ``edit`` (``attribution_create``'s
    fields: ``kind``, ``source`` or ``source_name``, ``source_span``,
    ``cue``, ``content``, ``via`` or ``via_name``, ``primary_source_url``).
    It is accepted; the statement's other open rows are rejected."""
    editor = _check_editor(adjudicated_by)
    if (chosen is None) == (edit is None):
        raise ValidationError(
            "Choose one annotator's attribution or give the final one's fields, "
            "not both nor neither.",
            code="choose_one",
        )
    _ready(statement.document_id)
    attributions, _ = selectors.adjudication_open_rows([statement.pk])
    if not any(
        a.independent and a.status == ReviewStatus.SUGGESTED for a in attributions
    ):
        raise ValidationError(
            {
                "statement": f"Statement {statement.pk} has no annotator's "
                "attribution waiting for adjudication (adjudicated already, or "
                "left alone): correct it in the workspace instead."
            },
            code="nothing_waiting",
        )
    outcome = AdjudicationOutcome()
    if chosen is not None:
        if not any(a.pk == chosen.pk and a.independent for a in attributions):
            raise ValidationError(
                {
                    "attribution": f"Attribution {chosen.pk} is not an annotator's "
                    f"open attribution of statement {statement.pk}."
                },
                code="not_an_annotators",
            )
        _decide(outcome, chosen, attributions, editor)
        return outcome
    assert edit is not None
    _decide(outcome, None, attributions, editor)
    final = attribution_create(
        **edit,
        statement=statement,
        origin=Origin.MANUAL,
        independent=False,
        created_by=editor,
        reviewed_by=editor,
    )
    outcome.accepted.append(final)
    return outcome


@transaction.atomic
def statement_claim_adjudicate(
    *,
    statement: Statement,
    claim: Claim,
    linked: bool,
    adjudicated_by: User | None,
) -> AdjudicationOutcome:
    """Decide whether the statement makes the claim, where the annotators
    differ: linked, one annotator's link is accepted; either way the pair's
    other open links are rejected."""
    editor = _check_editor(adjudicated_by)
    _ready(statement.document_id)
    _, mentions = selectors.adjudication_open_rows([statement.pk])
    mentions = [m for m in mentions if m.claim_id == claim.pk]
    waiting = [
        m for m in mentions if m.independent and m.status == ReviewStatus.SUGGESTED
    ]
    if not waiting:
        raise ValidationError(
            {
                "claim": f"No annotator's link of statement {statement.pk} to "
                f"claim {claim.pk} waits for adjudication."
            },
            code="nothing_waiting",
        )
    outcome = AdjudicationOutcome()
    _decide(outcome, waiting[0] if linked else None, mentions, editor)
    return outcome


@transaction.atomic
def document_accept_agreeing(
    *, document: Document, adjudicated_by: User | None
) -> AdjudicationOutcome:
    """Adjudicate, in one step, every statement and claim link of the document
    where all annotators agree: the first annotator's row accepted (they are
    the same), the others and the shared suggestions waiting rejected."""
    editor = _check_editor(adjudicated_by)
    document = _ready(document.pk)
    rows = selectors.adjudication_rows(document)
    agreeing = {same[0].statement_id: same for same in rows.agreeing_attributions}
    pairs = {
        (same[0].statement_id, same[0].claim_id): same
        for same in rows.agreeing_mentions
    }
    statement_ids = set(agreeing) | {statement_id for statement_id, _ in pairs}
    attributions, mentions = selectors.adjudication_open_rows(statement_ids)
    open_rows: dict[int, list[Attribution]] = {}
    for attribution in attributions:
        open_rows.setdefault(attribution.statement_id, []).append(attribution)
    open_links: dict[tuple[int, int], list[ClaimMention]] = {}
    for mention in mentions:
        open_links.setdefault((mention.statement_id, mention.claim_id), []).append(
            mention
        )
    outcome = AdjudicationOutcome()
    for statement_id, same in agreeing.items():
        _decide(outcome, same[0], open_rows[statement_id], editor)
    for pair, links in pairs.items():
        _decide(outcome, links[0], open_links[pair], editor)
    return outcome
