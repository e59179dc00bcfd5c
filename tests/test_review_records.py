"""Review records: who accepted or rejected an attribution, and when."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from rest_framework.test import APIClient

from claims import interchange, selectors, services
from claims.formats import w3c
from claims.models import Attribution

pytestmark = pytest.mark.django_db


def _suggestion(document, index=2):
    return services.attribution_create(
        statement=document.statements.get(index=index),
        kind="author",
        origin="suggested",
    )


def test_accept_and_reject_record_who_and_when(seed, reviewer, editor):
    """The decision's author and time are kept; the next decision replaces them."""
    suggestion = _suggestion(seed)
    assert (suggestion.reviewed_by, suggestion.reviewed_at) == (None, None)
    accepted = services.attribution_accept(attribution=suggestion, reviewed_by=reviewer)
    assert accepted.reviewed_by == reviewer
    first_time = accepted.reviewed_at
    assert first_time is not None
    rejected = services.attribution_reject(attribution=accepted, reviewed_by=editor)
    assert (rejected.status, rejected.reviewed_by) == ("rejected", editor)
    assert rejected.reviewed_at >= first_time
    # History keeps the first decision beside the second.
    reviewers = [row.reviewed_by_id for row in rejected.history.order_by("history_id")]
    assert reviewers == [None, reviewer.pk, editor.pk]


def test_correcting_a_suggestion_reviews_it_but_editing_ones_own_does_not(
    seed, reviewer
):
    """A correction accepts a suggestion (a review); a change to accepted work
    keeps its record as it was."""
    suggestion = _suggestion(seed)
    corrected = services.attribution_update(
        attribution=suggestion, kind="direct", source_name="Ana", changed_by=reviewer
    )
    assert (corrected.status, corrected.reviewed_by) == ("accepted", reviewer)
    own = seed.statements.first().attributions.get()
    changed = services.attribution_update(
        attribution=own, kind="mixed", changed_by=reviewer
    )
    assert (changed.reviewed_by, changed.reviewed_at) == (None, None)


def test_a_review_without_its_date_is_refused_by_the_database(seed, reviewer):
    """The row rule: reviewed_by needs reviewed_at."""
    attribution = seed.statements.first().attributions.get()
    attribution.reviewed_by = reviewer
    with pytest.raises(ValidationError, match="review date"):
        attribution.full_clean()
    with transaction.atomic(), pytest.raises(IntegrityError):
        Attribution.objects.filter(pk=attribution.pk).update(reviewed_by=reviewer)


def test_the_api_records_the_caller_as_reviewer(seed, reviewer):
    """POST accept/ answers reviewed_by and reviewed_at; the statement shows them."""
    client = APIClient()
    client.force_authenticate(reviewer)
    suggestion = _suggestion(seed)
    path = f"/api/attributions/{suggestion.pk}/"
    read = client.get(path)
    assert (read.json()["reviewed_by"], read.json()["reviewed_at"]) == (None, None)
    accepted = client.post(f"{path}accept/", HTTP_IF_MATCH=read["ETag"]).json()
    assert accepted["reviewed_by"] == "reviewer"
    assert accepted["reviewed_at"]
    listed = client.get(f"/api/statements/?document={seed.pk}").json()["results"]
    shown = next(
        a
        for statement in listed
        for a in statement["attributions"]
        if a["id"] == suggestion.pk
    )
    assert (shown["reviewed_by"], shown["reviewed_at"]) == (
        "reviewer",
        accepted["reviewed_at"],
    )


def test_the_admin_action_records_the_reviewer(seed, reviewer):
    """The attribution list's accept action files the decision under its user."""
    suggestion = _suggestion(seed)
    client = Client()
    client.force_login(reviewer)
    response = client.post(
        "/admin/claims/attribution/",
        {"action": "accept", "_selected_action": [suggestion.pk]},
    )
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.reviewed_by) == ("accepted", reviewer)


def test_exports_carry_the_review_record_and_import_reads_it_back(seed, editor):
    """JSON Lines writes reviewed_by and reviewed_at; W3C claims:reviewedBy;
    and the parser reads both back."""
    suggestion = _suggestion(seed)
    services.attribution_reject(attribution=suggestion, reviewed_by=editor)
    suggestion.refresh_from_db()
    record = interchange.export_document(selectors.documents_for_export().get())
    exported = next(
        a
        for statement in record["statements"]
        for a in statement["attributions"]
        if a["id"] == suggestion.pk
    )
    assert exported["reviewed_by"] == "editor"
    assert exported["reviewed_at"] == suggestion.reviewed_at.isoformat()
    annotation = w3c.attribution_annotation(suggestion, suggestion.statement, seed)
    assert annotation["body"]["claims:reviewedBy"]["nickname"] == "editor"

    statement = next(
        s for s in record["statements"] if s["id"] == suggestion.statement_id
    )
    statement["attributions"] = [exported]
    record["statements"] = [statement]
    parsed = interchange.parse_document(json.loads(json.dumps(record)))
    back = parsed.statements[0].attributions[0]
    assert (back.reviewed_by, back.reviewed_at) == ("editor", suggestion.reviewed_at)


def test_a_review_time_that_is_not_a_date_is_refused():
    """reviewed_at is checked, and the error names where it is."""
    record = {
        "title": "T",
        "text": "A said so.",
        "statements": [
            {
                "start": 0,
                "end": 10,
                "attributions": [{"kind": "author", "reviewed_at": "soon"}],
            }
        ],
    }
    with pytest.raises(interchange.InterchangeError, match="reviewed_at"):
        interchange.parse_document(record)
