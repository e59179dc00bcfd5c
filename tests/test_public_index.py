"""The admin's "View site" goes to a public index of published claim reviews."""

import pytest
from django.urls import reverse

from claims.models import Claim, ClaimReview

pytestmark = pytest.mark.django_db


def test_view_site_goes_to_the_public_index(seed, client, reviewer):
    client.force_login(reviewer)
    admin = client.get(reverse("admin:index")).content.decode()
    assert 'href="/claims/"' in admin
    assert client.get("/claims/").status_code == 200


def test_the_index_lists_published_reviews_only_to_anyone(seed, client):
    page = client.get("/claims/")
    assert page.status_code == 200
    body = page.content.decode()
    published = Claim.objects.filter(reviews__status="published").distinct()
    drafts_only = Claim.objects.exclude(reviews__status="published")
    assert published.exists() and drafts_only.exists()
    for claim in published:
        assert reverse("claim-page", args=[claim.pk]) in body
    for claim in drafts_only:
        assert reverse("claim-page", args=[claim.pk]) not in body


def test_an_empty_index_says_so(db, client):
    assert ClaimReview.objects.count() == 0
    assert "No published fact checks yet." in client.get("/claims/").content.decode()
