"""The public claim page: the published reviews, with their ClaimReview JSON-LD."""

import json
import re

import pytest

from claims import services
from claims.models import Claim

pytestmark = pytest.mark.django_db


def _json_ld(content: bytes):
    match = re.search(
        rb'<script type="application/ld\+json">(.*?)</script>', content, re.DOTALL
    )
    assert match, "no JSON-LD in the page"
    return json.loads(match.group(1))


def test_anonymous_readers_see_the_review_and_its_json_ld(seed, client):
    """The page shows claim, rating, summary, evidence and where it appears."""
    claim = Claim.objects.get(reviews__status="published", reviews__rating=5)
    response = client.get(f"/claims/{claim.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert claim.text in page
    assert 'Rating: <span class="rating">True</span>' in page
    assert "Military Times, 3 January 2020" in page
    assert "Lieutenant General Qassem Soleimani" in page  # an appearance
    api = client.get(f"/api/claims/{claim.pk}/claimreview/")
    assert _json_ld(response.content) == api.json()
    review = claim.reviews.get(status="published")
    assert (
        _json_ld(response.content)[0]["url"]
        == f"http://127.0.0.1:8000/claims/{claim.pk}/#review-{review.pk}"
    )
    assert f'<article id="review-{review.pk}">' in page


@pytest.mark.parametrize("status", ["draft", None])
def test_a_claim_without_a_published_review_has_no_page(seed, client, status):
    """A draft review or none at all: 404."""
    claims = Claim.objects.filter(reviews__status=status) if status else Claim.objects
    claim = claims.filter(reviews__isnull=status is None).first()
    assert client.get(f"/claims/{claim.pk}/").status_code == 404


def test_the_json_ld_cannot_end_its_script_element(reviewer, client):
    """A claim that reads like markup is escaped inside the script."""
    document = services.document_ingest(title="T", text="He wrote </script><b>hi.")
    claim = services.claim_create(
        text="He wrote </script><b>", statements=list(document.statements.all())
    )
    review = services.claim_review_create(
        claim=claim, reviewer=reviewer, rating=-1, summary="Not a claim."
    )
    services.claim_review_publish(review=review)
    content = client.get(f"/claims/{claim.pk}/").content
    assert content.count(b"</script>") == 1
    assert _json_ld(content)[0]["claimReviewed"] == "He wrote </script><b>"


def test_the_jsonld_context_is_served(client):
    """The context the W3C exports name resolves, with the PROV terms."""
    response = client.get("/ns/claims.jsonld")
    assert response["Content-Type"] == "application/ld+json"
    terms = response.json()["@context"]
    assert terms["wasAttributedTo"]["@id"] == "prov:wasAttributedTo"
    assert terms["prov"] == "http://www.w3.org/ns/prov#"


def _published(reviewer, claim, rating: int, summary: str):
    review = services.claim_review_create(
        claim=claim, reviewer=reviewer, rating=rating, summary=summary
    )
    return services.claim_review_publish(review=review)


def test_each_review_on_the_page_is_where_its_url_points(reviewer, client):
    """Two published reviews: each JSON-LD url's anchor is an element of the page."""
    document = services.document_ingest(title="T", text="Prices rose, he said.")
    claim = services.claim_create(
        text="Prices rose", statements=list(document.statements.all())
    )
    reviews = [
        _published(reviewer, claim, 2, "Mostly false."),
        _published(reviewer, claim, 3, "New figures: mixed."),
    ]
    content = client.get(f"/claims/{claim.pk}/").content.decode()
    urls = [review["url"] for review in _json_ld(content.encode())]
    assert urls == [
        f"http://127.0.0.1:8000/claims/{claim.pk}/#review-{r.pk}" for r in reviews
    ]
    for url in urls:
        assert f'id="{url.partition("#")[2]}"' in content


def test_anonymous_readers_see_no_unreviewed_suggestion(reviewer, client):
    """A suggested source or appearance is not shown, in the page or its JSON-LD."""
    document = services.document_ingest(
        title="Budget day", text="Prices rose, the minister said."
    )
    statement = document.statements.get()
    services.attribution_create(
        statement=statement,
        kind="author",
        source=services.source_get_or_create(name="Budget Daily"),
    )
    services.attribution_create(
        statement=statement,
        kind="indirect",
        source=services.source_get_or_create(name="Unreviewed Agency"),
        origin="suggested",
    )
    claim = services.claim_create(text="Prices rose", statements=[statement])
    rumour = services.document_ingest(
        title="Rumour mill", text="Prices rose, a blog said."
    )
    services.claim_mention_create(
        claim=claim, statement=rumour.statements.get(), origin="suggested"
    )
    _published(reviewer, claim, 2, "Mostly false.")
    response = client.get(f"/claims/{claim.pk}/")
    page = response.content.decode()
    assert "Budget Daily" in page
    assert "Unreviewed Agency" not in page
    assert "Rumour mill" not in page
    (review,) = _json_ld(response.content)
    assert review["itemReviewed"]["author"]["name"] == "Budget Daily"
    assert [a["headline"] for a in review["itemReviewed"]["appearance"]] == [
        "Budget day"
    ]
