"""GET /api/claims/similar/ and /api/statements/{id}/similar-claims/."""

import pytest
from django.test import override_settings

from claims import services
from tests.conftest import ranking_queries

pytestmark = pytest.mark.django_db

URL = "/api/claims/similar/"


@pytest.fixture
def checked(editor):
    """A published verdict on one claim, beside two claims without one."""
    claim = services.claim_create(text="Drinking hot water cures the common cold")
    services.claim_create(text="The mayor banned cars from the old town")
    services.claim_create(text="Cold weather closed every school in the town")
    review = services.claim_review_create(
        claim=claim, reviewer=editor, rating=1, summary="It does not."
    )
    return claim, services.claim_review_publish(review=review)


@override_settings(SITE_URL="https://claims.example.org")
def test_similar_claims_answer_the_checked_claim_with_its_verdict(
    checked, client_for, reader
):
    """Best first, each with its status, score and latest published verdict."""
    claim, review = checked
    response = client_for(reader).get(
        URL, {"text": "A cup of hot water a day cures a cold, my aunt says"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["method"] == "lexical"
    first = body["results"][0]
    assert first == {
        "id": claim.pk,
        "text": claim.text,
        "status": "published",
        "proposed": False,
        "score": first["score"],
        "verdict": {
            "rating": 1,
            "label": "False",
            "url": f"https://claims.example.org/claims/{claim.pk}/",
            "published_at": review.published_at.isoformat().replace("+00:00", "Z"),
        },
    }
    scores = [result["score"] for result in body["results"]]
    assert scores == sorted(scores, reverse=True) and isinstance(scores[0], float)
    assert [r["verdict"] for r in body["results"][1:]] == [None]


def test_anonymous_clients_get_401(checked, client_for):
    """Only signed-in users look claims up."""
    assert client_for().get(URL, {"text": "cold"}).status_code == 401


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({}, "text"),
        ({"text": ""}, "text"),
        ({"text": "x" * 10_001}, "text"),
        ({"text": "cold", "limit": "0"}, "limit"),
        ({"text": "cold", "limit": "51"}, "limit"),
        ({"text": "cold", "limit": "ten"}, "limit"),
    ],
)
def test_parameters_out_of_range_are_a_400_naming_them(
    checked, client_for, reader, query, field
):
    """Not clamped: the parameter at fault is named."""
    response = client_for(reader).get(URL, query)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]


def test_limit_bounds_are_accepted(checked, client_for, reader):
    """1 and 50 are in range; 10,000 characters are too."""
    client = client_for(reader)
    assert (
        len(client.get(URL, {"text": "cold town", "limit": 1}).json()["results"]) == 1
    )
    assert client.get(URL, {"text": "cold " * 2000, "limit": 50}).status_code == 200


def test_similar_claims_take_a_fixed_number_of_queries(
    checked, client_for, reader, django_assert_num_queries
):
    """Ranking, claims, verdicts, whether any work is hidden from the user
    (and the session user): whatever the limit."""
    client = client_for(reader)
    for limit in (1, 50):
        with django_assert_num_queries(ranking_queries() + 3):
            response = client.get(URL, {"text": "cold town hot water", "limit": limit})
        assert len(response.json()["results"]) == min(limit, 3)


def test_a_statement_finds_the_claims_like_its_text(
    checked, client_for, reader, django_assert_num_queries
):
    """The statement's own text, looked up as /api/claims/similar/ would."""
    claim, _ = checked
    document = services.document_ingest(
        title="Health tips",
        text="My aunt says hot water cures the common cold. She is wrong.",
    )
    statement = document.statements.order_by("index").first()
    client = client_for(reader)
    with django_assert_num_queries(ranking_queries() + 4):
        response = client.get(f"/api/statements/{statement.pk}/similar-claims/")
    assert response.status_code == 200
    assert response.json()["results"][0]["id"] == claim.pk
    assert response.json() == client.get(URL, {"text": statement.text}).json()
    bad = client.get(f"/api/statements/{statement.pk}/similar-claims/?limit=99")
    assert list(bad.json()["errors"]) == ["limit"]
    assert client.get("/api/statements/999999/similar-claims/").status_code == 404


def test_the_schema_describes_both_endpoints(client_for):
    """Parameters, the answer's shape and an example are in the OpenAPI schema."""
    schema = client_for().get("/api/schema/?format=json").json()
    similar = schema["paths"]["/api/claims/similar/"]["get"]
    assert {p["name"] for p in similar["parameters"]} == {"text", "limit"}
    answer = similar["responses"]["200"]["content"]["application/json"]
    assert answer["examples"]
    assert answer["schema"]["$ref"].endswith("/SimilarClaims")
    statement = schema["paths"]["/api/statements/{id}/similar-claims/"]["get"]
    assert {p["name"] for p in statement["parameters"]} == {"id", "limit"}
