"""schema.org ClaimReview: the properties Google requires and recommends."""

import datetime
import json

import pytest
from django.core.management import call_command

from claims import selectors, services
from claims.formats import claimreview
from claims.models import Claim, Rating
from tests.test_commands import _Buffer

pytestmark = pytest.mark.django_db


def _exported(tmp_path) -> list[dict]:
    path = tmp_path / "reviews.json"
    call_command(
        "export_documents", "--format", "claimreview", "-o", str(path), stderr=_Buffer()
    )
    return json.loads(path.read_text("utf-8"))


def test_every_export_has_the_required_and_recommended_properties(seed, tmp_path):
    """claimReviewed, reviewRating.alternateName and url; the others recommended."""
    reviews = _exported(tmp_path)
    assert len(reviews) == 2  # the seed's draft review is not published
    for review in reviews:
        claim = Claim.objects.get(text=review["claimReviewed"])
        assert review["@context"] == "https://schema.org"
        assert review["@type"] == "ClaimReview"
        assert review["reviewRating"]["alternateName"]
        assert review["url"] == f"http://127.0.0.1:8000/claims/{claim.pk}/"
        assert review["author"] == {
            "@type": "Organization",
            "name": "Claim tracking service",
            "url": "http://127.0.0.1:8000",
        }
        datetime.date.fromisoformat(review["datePublished"])
        rating = review["reviewRating"]
        assert (rating["worstRating"], rating["bestRating"]) == (1, 5)
        assert 1 <= rating["ratingValue"] <= 5
        item = review["itemReviewed"]
        assert item["@type"] == "Claim"
        # The seed's claims are the resistance groups' words, or the article's
        # own (no publisher known: no author, as DESIGN.md says).
        assert item.get("author", {"name": None})["name"] in {
            "Iraqi resistance groups",
            None,
        }
        assert item["firstAppearance"] == item["appearance"][0]
        assert item["appearance"][0]["headline"] == seed.title


def test_the_killing_claim_is_attributed_and_rated_true(seed, tmp_path):
    """The seed's published True review, with the groups as the claim's author."""
    review = next(
        r for r in _exported(tmp_path) if r["claimReviewed"].startswith("The US killed")
    )
    assert review["reviewRating"] == {
        "@type": "Rating",
        "ratingValue": 5,
        "bestRating": 5,
        "worstRating": 1,
        "alternateName": "True",
    }
    assert review["itemReviewed"]["author"] == {
        "@type": "Organization",
        "name": "Iraqi resistance groups",
    }
    assert review["citation"][0]["url"].startswith("https://www.militarytimes.com/")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1, {"ratingValue": 1, "alternateName": "False"}),
        (3, {"ratingValue": 3, "alternateName": "Mixed"}),
        (0, {"alternateName": "Unverifiable"}),
        (-1, {"alternateName": "Not a factual claim"}),
    ],
)
def test_ratings_off_the_truth_scale_have_no_value(value, expected):
    """1–5 sit on a 1..5 scale; unverifiable and not-a-claim only have a name."""
    rating = claimreview.rating(value)
    assert {k: rating[k] for k in expected} == expected
    assert ("ratingValue" in rating) == (1 <= value <= 5)
    assert ("bestRating" in rating) == ("worstRating" in rating) == (1 <= value <= 5)
    assert set(Rating.values) == {-1, 0, 1, 2, 3, 4, 5}


def test_the_publisher_comes_from_the_settings(seed, settings, tmp_path):
    """CLAIMREVIEW_PUBLISHER names the author of every review."""
    settings.CLAIMREVIEW_PUBLISHER = {
        "name": "Fact Desk",
        "url": "https://facts.example",
    }
    settings.SITE_URL = "https://facts.example"
    for review in _exported(tmp_path):
        assert review["author"]["name"] == "Fact Desk"
        assert review["url"].startswith("https://facts.example/claims/")


def test_the_claim_is_dated_by_its_earliest_appearance(reviewer, editor):
    """firstAppearance is the earliest dated document; the claim takes its date."""
    statements = []
    for day, title in [(20, "Later"), (3, "Earlier")]:
        document = services.document_ingest(
            title=title,
            text=f"Prices rose, the minister said on the {day}th.",
            url=f"https://news.example/{day}",
            published_at=datetime.datetime(2024, 6, day, tzinfo=datetime.UTC),
            publisher=services.source_create(name=f"Paper {day}", kind="publication"),
        )
        statements += list(document.statements.all())
    claim = services.claim_create(text="Prices rose", statements=statements)
    review = services.claim_review_create(
        claim=claim, reviewer=reviewer, rating=0, summary="No data."
    )
    services.claim_review_publish(review=review)
    (exported,) = claimreview.claim_reviews(
        selectors.claims_for_claimreview().get(pk=claim.pk)
    )
    item = exported["itemReviewed"]
    assert item["datePublished"] == "2024-06-03"
    assert item["firstAppearance"]["url"] == "https://news.example/3"
    assert item["firstAppearance"]["publisher"]["name"] == "Paper 3"
    assert [a["headline"] for a in item["appearance"]] == ["Earlier", "Later"]
    assert exported["reviewRating"] == {
        "@type": "Rating",
        "alternateName": "Unverifiable",
    }
