"""The JSON-LD endpoints: a document's W3C annotations, a claim's ClaimReviews."""

import pytest

from claims.formats import w3c
from claims.models import Claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client_for, reviewer):
    return client_for(reviewer)


def test_annotations_are_served_with_the_web_annotation_media_type(seed, api):
    """By default, and to a client asking for the profile, the W3C media type."""
    for accept in ["*/*", w3c.MEDIA_TYPE, "application/ld+json"]:
        response = api.get(f"/api/documents/{seed.pk}/annotations/", HTTP_ACCEPT=accept)
        assert response.status_code == 200
        assert response["Content-Type"] == w3c.MEDIA_TYPE
    collection = response.json()
    assert collection["type"] == "AnnotationCollection"
    assert collection["total"] == 21  # 11 attributions, 10 claim mentions
    assert (
        collection["id"]
        == f"http://127.0.0.1:8000/api/documents/{seed.pk}/annotations/"
    )
    assert len(collection["first"]["items"]) == 21


def test_a_client_asking_for_json_gets_json(seed, api):
    """Accept: application/json negotiates plain JSON with the same content."""
    response = api.get(
        f"/api/documents/{seed.pk}/annotations/", HTTP_ACCEPT="application/json"
    )
    assert response["Content-Type"] == "application/json"
    assert response.json()["type"] == "AnnotationCollection"


def test_a_page_alone_and_its_neighbours(seed, api):
    """?page=2 answers that AnnotationPage, linked to the pages beside it."""
    url = f"/api/documents/{seed.pk}/annotations/"
    page = api.get(f"{url}?page=2&page_size=4").json()
    assert page["type"] == "AnnotationPage"
    assert page["startIndex"] == 4
    assert len(page["items"]) == 4
    assert page["prev"].endswith(f"{url}?page=1&page_size=4")
    assert page["next"].endswith(f"{url}?page=3&page_size=4")
    assert page["partOf"]["total"] == 21


@pytest.mark.parametrize(
    ("query", "status", "field"),
    [("page=9", 404, None), ("page_size=x", 400, "page_size"), ("page=0", 400, "page")],
)
def test_bad_paging_is_answered_in_the_api_error_shape(seed, api, query, status, field):
    """A page past the end is 404; a bad number is 400 naming the parameter."""
    response = api.get(f"/api/documents/{seed.pk}/annotations/?{query}")
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == status
    if field:
        assert field in body["errors"]


def test_claimreview_is_public_json_ld_of_published_reviews(seed, client_for):
    """Anonymous readers get the published reviews of a claim as ClaimReview."""
    claim = Claim.objects.get(reviews__status="published", reviews__rating=5)
    response = client_for(None).get(f"/api/claims/{claim.pk}/claimreview/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    (review,) = response.json()
    assert review["@type"] == "ClaimReview"
    assert review["claimReviewed"] == claim.text
    published = claim.reviews.get(status="published")
    assert review["url"] == (
        f"http://127.0.0.1:8000/claims/{claim.pk}/#review-{published.pk}"
    )


def test_a_claim_with_only_a_draft_review_has_no_claimreview(
    seed, client_for, reviewer
):
    """A draft is not published: 404 for everyone, signed in or not."""
    claim = Claim.objects.get(reviews__status="draft")
    for user in [None, reviewer]:
        response = client_for(user).get(f"/api/claims/{claim.pk}/claimreview/")
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"


def test_the_rest_of_a_claim_stays_private(seed, client_for):
    """Only the claimreview action is public; the claim itself is not."""
    claim = Claim.objects.filter(reviews__status="published").first()
    assert client_for(None).get(f"/api/claims/{claim.pk}/").status_code == 401
    assert (
        client_for(None).get(f"/api/documents/{seed.pk}/annotations/").status_code
        == 401
    )
