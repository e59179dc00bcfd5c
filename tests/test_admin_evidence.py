"""Claim-review evidence is typed or pasted as links, one a line, not JSON."""

import pytest
from django.urls import reverse

from claims.models import Claim, ClaimReview

pytestmark = pytest.mark.django_db


def add(client, evidence):
    return client.post(
        reverse("admin:claims_claimreview_add"),
        {
            "claim": Claim.objects.get(text__startswith="The US refused").pk,
            "rating": 2,
            "summary": "Troops were withdrawn in part.",
            "evidence": evidence,
        },
    )


def test_a_pasted_url_is_evidence(seed, client, reviewer):
    client.force_login(reviewer)
    before = ClaimReview.objects.count()
    response = add(
        client,
        "https://archive.example/withdrawal  Withdrawal order\r\n\r\n"
        "https://news.example/troops\r\n",
    )
    assert response.status_code == 302, response.context["errors"]
    assert ClaimReview.objects.count() == before + 1
    review = ClaimReview.objects.order_by("-pk").first()
    assert review.evidence == [
        {"url": "https://archive.example/withdrawal", "title": "Withdrawal order"},
        {"url": "https://news.example/troops", "title": ""},
    ]
    page = client.get(reverse("admin:claims_claimreview_change", args=[review.pk]))
    assert (
        "https://archive.example/withdrawal Withdrawal order\nhttps://news.example/troops"
        in page.content.decode()
    )


def test_a_malformed_url_is_refused_naming_its_line(seed, client, reviewer):
    client.force_login(reviewer)
    before = ClaimReview.objects.count()
    response = add(client, "https://fine.example/a\nhtp:/broken Title")
    assert response.status_code == 200
    assert "Line 2: “htp:/broken” is not an http(s) URL." in response.content.decode()
    assert ClaimReview.objects.count() == before


def test_an_archived_copy_follows_the_url(seed, client, reviewer):
    """The issue's evidence rows: URL, an optional archived copy, a title;
    the copy travels to the API, the public page and ClaimReview."""
    from django.utils import timezone

    from claims.formats.claimreview import claim_review

    client.force_login(reviewer)
    response = add(
        client,
        "https://gov.example/order https://web.archive.example/2020/order "
        "Withdrawal order",
    )
    assert response.status_code == 302, response.context["errors"]
    review = ClaimReview.objects.order_by("-pk").first()
    assert review.evidence == [
        {
            "url": "https://gov.example/order",
            "title": "Withdrawal order",
            "archive_url": "https://web.archive.example/2020/order",
        }
    ]
    page = client.get(reverse("admin:claims_claimreview_change", args=[review.pk]))
    assert (
        "https://gov.example/order https://web.archive.example/2020/order "
        "Withdrawal order" in page.content.decode()
    )
    review.published_at = timezone.now()  # as publishing sets it; not saved
    assert claim_review(review, review.claim, {})["citation"] == [
        {
            "@type": "CreativeWork",
            "url": "https://gov.example/order",
            "name": "Withdrawal order",
            "archivedAt": "https://web.archive.example/2020/order",
        }
    ]


def test_a_malformed_archive_url_is_refused(seed, client, reviewer):
    client.force_login(reviewer)
    before = ClaimReview.objects.count()
    response = add(client, "https://gov.example/order https:/broken Title")
    assert response.status_code == 200
    assert "Line 1: “https:/broken” is not an http(s) URL." in response.content.decode()
    assert ClaimReview.objects.count() == before


def test_the_model_refuses_an_archive_url_that_is_not_one():
    from django.core.exceptions import ValidationError

    from claims.validators import validate_evidence_links

    validate_evidence_links([{"url": "https://a.example", "archive_url": ""}])
    with pytest.raises(ValidationError, match="archive URL that is not"):
        validate_evidence_links(
            [{"url": "https://a.example", "archive_url": "ftp://copy"}]
        )
