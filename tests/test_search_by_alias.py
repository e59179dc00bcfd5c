"""Search finds a source by any of its names: "Suleimani" finds the claims
and statements of Qassem Soleimani, in the admin and in the API."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from claims import services
from claims.models import Claim, Source

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(reviewer):
    client = APIClient()
    client.force_authenticate(reviewer)
    return client


SOLEIMANI_CLAIM = (
    "The US killed Qassem Soleimani and Abu Mahdi al-Muhandis in Baghdad on "
    "January 3, 2020"
)


def test_the_api_finds_claims_by_a_sources_alias(seed, api):
    """The claim names him by his name; the search, by an alias."""
    found = api.get("/api/claims/", {"search": "Suleimani"}).json()["results"]
    assert [claim["text"] for claim in found] == [SOLEIMANI_CLAIM]


def test_the_api_finds_the_claims_a_source_made(seed, api, reviewer):
    """A claim that does not name him, carried by a statement attributed to him."""
    soleimani = Source.objects.get(name="Qassem Soleimani")
    statement = seed.statements.get(index=5)
    services.attribution_create(
        statement=statement, kind="indirect", source=soleimani, created_by=reviewer
    )
    claim = services.claim_create(text="Foreign troops must leave", created_by=reviewer)
    services.claim_mention_create(
        claim=claim, statement=statement, reviewed_by=reviewer
    )
    found = api.get("/api/claims/", {"search": "suleimani"}).json()["results"]
    assert {c["text"] for c in found} == {SOLEIMANI_CLAIM, "Foreign troops must leave"}


def test_a_word_that_is_no_source_searches_the_text_alone(seed, api):
    found = api.get("/api/claims/", {"search": "Green Zone"}).json()["results"]
    assert len(found) == 1
    assert api.get("/api/claims/", {"search": "Atlantis"}).json()["results"] == []


def test_the_api_finds_statements_by_a_sources_alias(seed, api):
    by_alias = api.get("/api/statements/", {"search": "Suleimani"}).json()
    by_name = api.get("/api/statements/", {"search": "Qassem Soleimani"}).json()
    assert by_alias["count"] >= 1
    assert [s["id"] for s in by_alias["results"]] == [
        s["id"] for s in by_name["results"]
    ]


def test_the_admin_claim_list_finds_claims_by_a_sources_alias(seed, client, reviewer):
    client.force_login(reviewer)
    page = client.get(reverse("admin:claims_claim_changelist"), {"q": "Suleimani"})
    assert list(page.context["cl"].result_list) == [
        Claim.objects.get(text=SOLEIMANI_CLAIM)
    ]


def test_the_api_finds_documents_by_a_sources_alias(seed, api):
    """The seed article quotes and names him; its title does not."""
    assert "Soleimani" not in seed.title
    found = api.get("/api/documents/", {"search": "Suleimani"}).json()
    assert [d["id"] for d in found["results"]] == [seed.pk]
    assert api.get("/api/documents/", {"search": "Atlantis"}).json()["count"] == 0


def test_documents_are_found_by_their_publishers_and_authors_aliases(seed, api):
    daily = services.source_create(
        name="The Daily Courier", kind="publication", aliases=["Courier"]
    )
    writer = services.source_create(name="Jane Roe", aliases=["J. Roe"])
    published = services.document_ingest(
        title="Port strike", text="Dock workers walked out.", publisher=daily
    )
    written = services.document_ingest(
        title="Bridge", text="The bridge opened in 1994.", authors=[writer]
    )
    by_publisher = api.get("/api/documents/", {"search": "courier"}).json()
    assert [d["id"] for d in by_publisher["results"]] == [published.pk]
    by_author = api.get("/api/documents/", {"search": "J. Roe"}).json()
    assert [d["id"] for d in by_author["results"]] == [written.pk]


def test_the_admin_document_list_finds_documents_by_a_sources_alias(
    seed, client, reviewer
):
    client.force_login(reviewer)
    url = reverse("admin:claims_document_changelist")
    page = client.get(url, {"q": "Suleimani"})
    assert list(page.context["cl"].result_list) == [seed]
    assert list(client.get(url, {"q": "Atlantis"}).context["cl"].result_list) == []


def test_the_api_finds_sources_by_an_alias(seed, api):
    found = api.get("/api/sources/", {"search": "Suleimani"}).json()["results"]
    assert [s["name"] for s in found] == ["Qassem Soleimani"]
