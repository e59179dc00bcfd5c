"""Errors read as sentences for people: nested fields by their path, a
model's rule under ``non_field_errors`` in its own words, no constraint
name, no Python repr."""

import pytest

from claims.api.errors import error_paths
from claims.models import Statement


@pytest.fixture
def statement(seed):
    return Statement.objects.order_by("pk").first()


def check_plain(body):
    messages = [m for ms in body["errors"].values() for m in ms]
    texts = [body["message"], *body["errors"], *messages]
    for leak in ("ErrorDetail", "__all__", "Constraint “", "{", "code="):
        assert not any(leak in text for text in texts), (leak, body)


def test_a_bulk_write_names_the_item_and_field_at_fault(
    statement, reviewer, client_for
):
    response = client_for(reviewer).post(
        "/api/attributions/bulk/",
        {"attributions": [
            {"statement": statement.pk, "kind": "author"},
            {"statement": statement.pk, "kind": "direct", "source_name": "A"},
            {"statement": statement.pk, "kind": "nope"},
        ]},
        format="json",
    )  # fmt: skip
    assert response.status_code == 400
    body = response.json()
    check_plain(body)
    assert body["message"] == (
        'attributions[2].kind: "nope" is not a kind (direct, indirect, mixed, author).'
    )
    assert list(body["errors"]) == ["attributions[2].kind"]


def test_a_model_rule_is_a_sentence_under_non_field_errors(
    statement, reviewer, client_for
):
    """Was: ``__all__: Constraint “attribution_confidence_range” is violated.``"""
    response = client_for(reviewer).post(
        "/api/attributions/",
        {"statement": statement.pk, "kind": "direct", "source_name": "X",
         "confidence": 7},
        format="json",
    )  # fmt: skip
    assert response.status_code == 400
    body = response.json()
    check_plain(body)
    assert body["message"] == "An attribution's confidence is between 0 and 1."
    assert body["errors"] == {
        "non_field_errors": ["An attribution's confidence is between 0 and 1."]
    }


def test_every_model_constraint_has_a_sentence():
    from django.apps import apps

    nameless = [
        constraint.name
        for model in apps.get_app_config("claims").get_models()
        for constraint in model._meta.constraints
        if constraint.violation_error_message
        == constraint.default_violation_error_message
    ]
    assert nameless == []


def test_nested_errors_flatten_to_paths():
    """DRF's shapes: a list serializer's list, a list field's dict by index,
    a nested object's own rule at the object's path."""
    assert error_paths(
        {
            "attributions": [{}, {"kind": ["bad"], "non_field_errors": ["rule"]}],
            "tags": {3: ["too long"]},
            "__all__": ["whole"],
        }
    ) == {
        "attributions[1].kind": ["bad"],
        "attributions[1]": ["rule"],
        "tags[3]": ["too long"],
        "non_field_errors": ["whole"],
    }
    assert error_paths(["one", "two"]) == {"non_field_errors": ["one", "two"]}


def test_a_constraint_the_database_enforces_is_said_in_its_sentence(statement):
    """Past every check in Python, the database's refusal is still the
    constraint's sentence, on SQLite and PostgreSQL alike."""
    from django.db import IntegrityError, transaction

    from claims.database_refusals import database_refusal
    from claims.models import Attribution

    attribution = Attribution.objects.filter(statement__document=statement.document)
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        attribution.update(confidence=7)
    assert database_refusal(refused.value) == (
        "An attribution's confidence is between 0 and 1."
    )
