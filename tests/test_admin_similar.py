"""The admin's "Has this been checked?" page (ClaimAdmin.similar_view)."""

import pytest
from django.urls import reverse

from claims.models import ClaimReview

pytestmark = pytest.mark.django_db

URL = "/admin/claims/claim/similar/"


def test_a_pasted_text_finds_the_checked_claim_with_its_verdict(seed, client, reviewer):
    """The ranked claims, each linked, the checked one with its verdict."""
    review = ClaimReview.objects.filter(status="published").first()
    claim = review.claim
    client.force_login(reviewer)
    response = client.get(URL, {"text": f"Someone wrote: {claim.text.lower()}!"})
    assert response.status_code == 200
    found = response.context["found"]
    assert found.results[0].claim == claim
    page = response.content.decode()
    assert reverse("admin:claims_claim_change", args=[claim.pk]) in page
    assert reverse("claim-page", args=[claim.pk]) in page
    assert review.get_rating_display() in page


def test_the_claims_list_links_to_the_page(seed, client, reviewer):
    """The claims list offers the look-up."""
    client.force_login(reviewer)
    assert URL in client.get("/admin/claims/claim/").content.decode()


def test_the_empty_form_and_a_too_long_text(seed, client, reviewer):
    """No text, no search; over 10,000 characters, an error and no search."""
    client.force_login(reviewer)
    assert client.get(URL).context["found"] is None
    response = client.get(URL, {"text": "x" * 10_001})
    assert response.context["found"] is None
    assert "longer than 10,000" in response.content.decode()


def test_signed_out_visitors_are_sent_to_the_login(seed, client):
    """The admin's own sign-in guards the page."""
    response = client.get(URL, {"text": "anything"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_page_says_when_the_ranking_is_lexical_only(seed, client, reviewer):
    """Without the semantic packages or model, the page says why."""
    client.force_login(reviewer)
    page = client.get(URL, {"text": "troops"}).content.decode()
    assert 'id="lexical-only"' in page
    assert "semantic ranking is off" in page
