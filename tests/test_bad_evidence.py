"""An evidence link with a malformed URL is refused, naming it, wherever
evidence is written (the API, the admin's change form, import_claims), and
nothing is changed (issue 17's bad input)."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from claims import services
from claims.models import Claim, ClaimReview
from tests.test_import_claims import run, write_lines

pytestmark = pytest.mark.django_db

GOOD = [{"url": "https://archive.example/withdrawal", "title": "Withdrawal order"}]
BAD = [*GOOD, {"url": "htp:/broken", "title": "Broken"}]


@pytest.fixture
def review(seed, reviewer):
    claim = Claim.objects.get(text__startswith="The US refused")
    return services.claim_review_create(
        claim=claim, reviewer=reviewer, rating=2, summary="In part.", evidence=GOOD
    )


@pytest.fixture
def api(reviewer):
    client = APIClient()
    client.force_authenticate(reviewer)
    return client


def test_the_api_refuses_a_new_review_with_a_malformed_evidence_url(review, api):
    before = ClaimReview.objects.count()
    response = api.post(
        "/api/claim-reviews/",
        {"claim": review.claim_id, "rating": 1, "summary": "No.", "evidence": BAD},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["message"] == "evidence[1].url: Enter a valid URL."
    assert body["errors"] == {"evidence[1].url": ["Enter a valid URL."]}
    assert ClaimReview.objects.count() == before


def test_the_api_refuses_a_patch_with_a_malformed_evidence_url(review, api):
    response = api.patch(
        f"/api/claim-reviews/{review.pk}/",
        {"evidence": BAD, "summary": "Changed."},
        format="json",
        HTTP_IF_MATCH=f'"{review.version}"',
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"evidence[1].url": ["Enter a valid URL."]}
    stored = ClaimReview.objects.get(pk=review.pk)
    assert (stored.evidence, stored.summary, stored.version) == (
        GOOD, "In part.", review.version
    )  # fmt: skip


def test_the_admin_refuses_a_changed_review_with_a_malformed_line(
    review, client, reviewer
):
    client.force_login(reviewer)
    response = client.post(
        reverse("admin:claims_claimreview_change", args=[review.pk]),
        {
            "claim": review.claim_id,
            "rating": 1,
            "summary": "Changed.",
            "evidence": "https://archive.example/withdrawal\nhtp:/broken Broken",
            "version": review.version,
        },
    )
    assert response.status_code == 200
    assert "Line 2: “htp:/broken” is not an http(s) URL." in response.content.decode()
    stored = ClaimReview.objects.get(pk=review.pk)
    assert (stored.evidence, stored.rating, stored.summary) == (GOOD, 2, "In part.")


def test_import_claims_names_the_line_of_a_malformed_evidence_url(tmp_path, editor):
    bad = {"text": "Taxes rose", "reviews": [
        {"rating": 2, "summary": "Fine.", "evidence": BAD},
    ]}  # fmt: skip
    path = write_lines(tmp_path / "a.jsonl", bad)
    _, err, error = run(path)
    assert f"{path}:1: reviews[0]: evidence" in err
    assert "1 failed" in str(error)
    assert not Claim.objects.filter(text="Taxes rose").exists()
    assert not ClaimReview.objects.exists()
