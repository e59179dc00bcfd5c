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
        review_pk = claim.reviews.get(status="published").pk
        assert review["url"] == (
            f"http://127.0.0.1:8000/claims/{claim.pk}/#review-{review_pk}"
        )
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


def _published_claim(reviewer, *, url="", text="Prices rose, the minister said."):
    document = services.document_ingest(title="Prices", text=text, url=url)
    claim = services.claim_create(
        text="Prices rose", statements=list(document.statements.all())
    )
    review = services.claim_review_create(
        claim=claim, reviewer=reviewer, rating=2, summary="Mostly false."
    )
    services.claim_review_publish(review=review)
    return claim


def _reviews_of(claim):
    return claimreview.claim_reviews(
        selectors.claims_for_claimreview().get(pk=claim.pk)
    )


def test_an_appearance_without_an_address_has_no_url(reviewer):
    """A document with no url of its own: no API IRI (not public), the rest stays."""
    claim = _published_claim(reviewer)
    (review,) = _reviews_of(claim)
    (appearance,) = review["itemReviewed"]["appearance"]
    assert appearance == {"@type": "CreativeWork", "headline": "Prices"}
    assert "/api/" not in json.dumps(review)


def test_each_review_of_a_claim_has_its_own_url(reviewer):
    """Two published reviews on one page: the page's URL and each one's anchor."""
    claim = _published_claim(reviewer)
    later = services.claim_review_create(
        claim=claim, reviewer=reviewer, rating=3, summary="New figures: mixed."
    )
    services.claim_review_publish(review=later)
    reviews = _reviews_of(claim)
    page = f"http://127.0.0.1:8000/claims/{claim.pk}/"
    assert [r["url"] for r in reviews] == [
        f"{page}#review-{review.pk}" for review in claim.reviews.order_by("id")
    ]


def test_only_accepted_provenance_stands_in_public(reviewer):
    """A suggested attribution's source and a suggested mention stay out."""
    claim = _published_claim(reviewer)
    statement = claim.mentions.get().statement
    services.attribution_create(
        statement=statement,
        kind="indirect",
        source=services.source_get_or_create(name="Unreviewed Agency"),
        origin="suggested",
    )
    elsewhere = services.document_ingest(
        title="Elsewhere", text="Prices rose, a blog said.", url="https://blog.example"
    )
    services.claim_mention_create(
        claim=claim, statement=elsewhere.statements.get(), origin="suggested"
    )
    (review,) = _reviews_of(claim)
    assert "author" not in review["itemReviewed"]
    assert [a["headline"] for a in review["itemReviewed"]["appearance"]] == ["Prices"]
    services.attribution_create(
        statement=statement,
        kind="indirect",
        source=services.source_get_or_create(name="The minister", kind="person"),
    )
    (review,) = _reviews_of(claim)
    assert review["itemReviewed"]["author"] == {
        "@type": "Person",
        "name": "The minister",
    }
