"""Inputs the schema fuzzer (tests/fuzz/run.sh) once turned into server errors.

Each is now a 4xx that names the problem, or a success.
"""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client_for, editor):
    return client_for(editor)


@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        ("/api/annotations/?statement=-7.39e%2B149", "statement"),
        ("/api/claim-reviews/?claim=-6.2e%2B20", "claim"),
        ("/api/statements/?document=99999999999999999999999", "document"),
        ("/api/attributions/?statement=1.5", "statement"),
    ],
)
def test_an_id_filter_takes_only_a_whole_number_in_range(seed, api, path, parameter):
    """A float or an out-of-range id is a 400 on its parameter, not a 500."""
    response = api.get(path)
    assert response.status_code == 400
    assert parameter in response.json()["errors"]


def test_a_malformed_span_is_a_400(seed, api):
    """An empty object as a span is refused with the expected shape."""
    response = api.post(
        "/api/attributions/",
        {"statement": seed.statements.first().pk, "kind": "author", "content": {}},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"]["content"] == [
        'Expected {"start": int, "end": int} with 0 <= start < end, or null.'
    ]


def test_a_form_encoded_body_is_refused(seed, api):
    """The API reads JSON only: spans and sources are nested objects."""
    response = api.post("/api/claims/", {"text": "x"}, format="multipart")
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"


def test_a_claim_can_be_created_with_a_status(api):
    """``status`` is a field of the claim on create as well as on update."""
    response = api.post(
        "/api/claims/", {"text": "Rain fell", "status": "in_review"}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["status"] == "in_review"


def test_statements_are_not_an_update_field_of_a_claim(seed, api):
    """On update they are ignored: mentions are added through ``mentions``."""
    claim = seed.statements.first().claim_mentions.first().claim
    response = api.put(
        f"/api/claims/{claim.pk}/",
        {"text": claim.text, "statements": []},
        format="json",
        HTTP_IF_MATCH=f'"{claim.version}"',
    )
    assert response.status_code == 200
    assert response.json()["mention_count"] == 1


def test_the_bulk_create_answers_the_plain_list_its_schema_gives(seed, api):
    """POST /api/attributions/bulk/ answers a list, and is documented as one.

    The schema once described the answer as a page (count, next, results).
    """
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    created = schema["paths"]["/api/attributions/bulk/"]["post"]["responses"]["201"]
    assert created["content"]["application/json"]["schema"] == {
        "type": "array",
        "items": {"$ref": "#/components/schemas/Attribution"},
    }
    required = set(schema["components"]["schemas"]["Attribution"]["required"])
    statement = seed.statements.first().pk
    response = api.post(
        "/api/attributions/bulk/",
        {"attributions": [{"statement": statement, "kind": "author"}]},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert isinstance(body, list)
    assert [item["statement"] for item in body] == [statement]
    assert required <= set(body[0])


def test_a_reviews_empty_urls_are_what_its_schema_says(editor, client_for, seed):
    """The service's own review has no original URL: the schema says a
    string, not a URI, which "" would break (found by schemathesis)."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    review = schema["components"]["schemas"]["ClaimReview"]["properties"]
    assert "format" not in review["url"] and "format" not in review["publisher_url"]
    body = client_for(editor).get("/api/claim-reviews/").json()
    assert {r["url"] for r in body["results"]} == {""}


UNSTORABLE = [
    ('"authors": ["A\\ud800"]', "authors[0]", "lone surrogate (U+D800)"),
    ('"publisher": "Daily\\u0000News"', "publisher", "NUL character"),
    ('"publisher": {"name": "\\udfff"}', "publisher.name", "lone surrogate"),
    (
        '"statements": [{"start": 0, "end": 9, "claims": ["Rents\\u0000rose"]}]',
        "statements[0].claims[0]",
        "NUL character",
    ),
    ('"metadata": {"k": "\\ud834"}', "metadata.k", "lone surrogate"),
]


@pytest.mark.parametrize(("field", "where", "reason"), UNSTORABLE)
def test_a_character_no_database_can_store_is_a_400(
    editor, client_for, field, where, reason
):
    """A NUL or a lone surrogate anywhere in a record is named, not a 500
    (schemathesis found one in an author's name on PostgreSQL)."""
    from claims.models import Document, Source

    body = '{"title": "T", "text": "Rents up.", ' + field + "}"
    response = client_for(editor).post(
        "/api/documents/", body, content_type="application/json"
    )
    assert response.status_code == 400, response.content
    assert reason in response.json()["errors"][where][0]
    assert not Document.objects.exists() and not Source.objects.exists()
