"""Every list and detail endpoint answers in a fixed number of queries.

Each runs at two page sizes inside ``django_assert_num_queries`` with the same
count: a count that grew with the page would fail one of the two. The corpus
is built once for the module; the endpoints whose count must not grow with
what one object holds are in test_query_growth.py, each building its own.
"""

import datetime

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from rest_framework.test import APIClient

from claims import services
from claims.models import ClaimMention, ClaimReview
from tests.conftest import FIXTURES
from tests.module_data import module_data

pytestmark = pytest.mark.django_db

DOCUMENTS = 12


def corpus():
    """Twelve documents with attributions, claims, reviews and annotations,
    built once for the module (tests/module_data.py); the tests that do not
    ask for them see them too once one test has."""
    call_command("loaddata", FIXTURES / "demo_users.json", verbosity=0)
    reviewer = User.objects.get(username="reviewer")
    publisher = services.source_create(name="The Daily", kind="publication")
    claim = services.claim_create(text="Prices rose", created_by=reviewer)
    for n in range(DOCUMENTS):
        speaker = services.source_create(
            name=f"Speaker {n}", aliases=[f"S{n}"], created_by=reviewer
        )
        document = services.document_ingest(
            title=f"Report {n}",
            text=f"Prices rose {n}%, the minister said. “They did,” he added. Fine.",
            publisher=publisher,
            authors=[speaker],
            tags=["economy", f"t{n}"],
            published_at=datetime.datetime(2024, 1 + n, 1, tzinfo=datetime.UTC),
        )
        first, second, _ = document.statements.all()
        services.attribution_create(
            statement=first,
            kind="indirect",
            source=speaker,
            via=publisher,
            cue=(first.end - 5, first.end - 1),
            created_by=reviewer,
        )
        services.attribution_create(
            statement=second, kind="direct", source=speaker, origin="suggested"
        )
        services.claim_mention_create(
            claim=services.claim_create(text=f"Proposed {n}", proposed=True),
            statement=second,
            origin="suggested",
        )
        services.claim_mention_create(claim=claim, statement=first, created_by=reviewer)
        review = services.claim_review_create(
            claim=services.claim_create(text=f"Claim {n}", tags=["t"]),
            reviewer=reviewer,
            rating=3,
            summary="Mixed.",
        )
        services.annotation_create(
            target=first, reviewer=reviewer, body="Check.", tags=["a", "b"]
        )
    return {"claim": claim, "review": review, "document": document}


corpus = module_data(corpus)


@pytest.fixture
def api(reviewer):
    client = APIClient()
    client.force_authenticate(reviewer)
    return client


LISTS = [
    # Documents: their assignments (assigned_to, review_state), one more.
    ("/api/documents/", 5),
    ("/api/statements/", 4),
    ("/api/statements/?source=Speaker%203&kind=indirect&published_after=2024-02-01", 5),
    ("/api/statements/?status=suggested&kind=direct", 4),
    ("/api/statements/?unattributed=true", 4),
    ("/api/statements/?unattributed=false", 4),
    ("/api/sources/", 3),
    ("/api/attributions/", 2),
    ("/api/claims/", 3),
    ("/api/claims/?proposed=true", 3),
    ("/api/claim-mentions/", 2),
    ("/api/claim-mentions/?status=suggested&origin=suggested", 2),
    ("/api/claim-reviews/", 2),
    ("/api/annotations/", 3),
]


@pytest.mark.parametrize(("path", "queries"), LISTS, ids=[p for p, _ in LISTS])
@pytest.mark.parametrize("page_size", [2, 10])
def test_lists_take_a_fixed_number_of_queries(
    corpus, api, django_assert_num_queries, path, queries, page_size
):
    """The count is the same for a page of 2 and a page of 10."""
    separator = "&" if "?" in path else "?"
    with django_assert_num_queries(queries):
        response = api.get(f"{path}{separator}page_size={page_size}")
    assert response.status_code == 200
    assert len(response.json()["results"]) == min(page_size, response.json()["count"])
    assert response.json()["count"] >= 1


@pytest.mark.parametrize("page_size", [2, 10])
def test_the_statements_of_a_claim_take_a_fixed_number_of_queries(
    corpus, api, django_assert_num_queries, page_size
):
    """``claim`` picks the statements that make it, at any page size."""
    with django_assert_num_queries(4):
        response = api.get(
            f"/api/statements/?claim={corpus['claim'].pk}&page_size={page_size}"
        )
    assert len(response.json()["results"]) == page_size
    assert response.json()["count"] == DOCUMENTS


@pytest.mark.parametrize("page_size", [2, 10])
def test_anonymous_readers_list_published_reviews_in_fixed_queries(
    corpus, django_assert_num_queries, page_size
):
    """Drafts are left out, at any page size."""
    for review in ClaimReview.objects.order_by("id")[:page_size]:
        services.claim_review_publish(review=review)
    with django_assert_num_queries(2):
        response = APIClient().get(f"/api/claim-reviews/?page_size={page_size}")
    assert [r["status"] for r in response.json()["results"]] == ["published"] * (
        page_size
    )
    assert response.json()["count"] == page_size


def _detail_paths(corpus):
    document = corpus["document"]
    statement = document.statements.first()
    attribution = statement.attributions.first()
    return [
        (f"/api/documents/{document.pk}/", 7),
        (f"/api/statements/{statement.pk}/", 3),
        (f"/api/sources/{attribution.source_id}/", 2),
        (f"/api/attributions/{attribution.pk}/", 1),
        (f"/api/claims/{corpus['claim'].pk}/", 2),
        (f"/api/claim-mentions/{corpus['claim'].mentions.first().pk}/", 1),
        (f"/api/claim-reviews/{corpus['review'].pk}/", 1),
        (f"/api/annotations/{statement.annotations.first().pk}/", 2),
    ]


def test_details_take_a_fixed_number_of_queries(corpus, api, django_assert_num_queries):
    """Each detail endpoint is pinned to its count."""
    for path, queries in _detail_paths(corpus):
        with django_assert_num_queries(queries):
            response = api.get(path)
        assert response.status_code == 200, path


@pytest.mark.parametrize("page_size", [2, 10])
@pytest.mark.parametrize("action", ["mentions", "timeline"])
def test_claim_mentions_and_timeline_take_a_fixed_number_of_queries(
    corpus, api, django_assert_num_queries, page_size, action
):
    """A claim's mentions and timeline do not grow with the page either."""
    queries = {"mentions": 4, "timeline": 5}[action]
    with django_assert_num_queries(queries):
        response = api.get(
            f"/api/claims/{corpus['claim'].pk}/{action}/?page_size={page_size}"
        )
    assert len(response.json()["results"]) == page_size


@pytest.mark.parametrize(("action", "queries"), [("accept", 40), ("reject", 29)])
def test_reviewing_a_mention_takes_a_fixed_number_of_queries(
    corpus, api, django_assert_num_queries, action, queries
):
    """Accept (which also confirms the proposed claim) and reject, pinned."""
    mention = ClaimMention.objects.filter(status="suggested").first()
    with django_assert_num_queries(queries):
        response = api.post(
            f"/api/claim-mentions/{mention.pk}/{action}/", HTTP_IF_MATCH='"1"'
        )
    assert response.status_code == 200
