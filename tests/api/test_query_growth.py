"""Endpoints whose query count does not grow with what one object holds: a
document's annotations with its sentences, a claim's ClaimReview with its
appearances, a document's detail with its statements. Each test builds its
own objects at two sizes and pins the same count for both.
"""

import pytest
from rest_framework.test import APIClient

from claims import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(reviewer):
    client = APIClient()
    client.force_authenticate(reviewer)
    return client


@pytest.mark.parametrize("sentences", [3, 30])
def test_document_annotations_take_a_fixed_number_of_queries(
    reviewer, api, django_assert_num_queries, sentences
):
    """A document's W3C collection costs the same for 3 statements or 30."""
    speaker = services.source_create(name="Speaker", aliases=["S"])
    document = services.document_ingest(
        title="Long",
        text=" ".join(f"Sentence {n} ends here." for n in range(sentences)),
    )
    for statement in document.statements.all():
        services.attribution_create(
            statement=statement,
            kind="indirect",
            source=speaker,
            via=speaker,
            cue=(statement.start, statement.start + 8),
            created_by=reviewer,
        )
        services.annotation_create(
            target=statement, reviewer=reviewer, body="Check.", tags=["a", "b"]
        )
        services.claim_mention_create(
            claim=services.claim_get_or_create(text=f"Claim {statement.index}"),
            statement=statement,
            origin="suggested",
        )
    # One more than before mentions were exported: the mentions' own query.
    with django_assert_num_queries(8):
        response = api.get(f"/api/documents/{document.pk}/annotations/?page_size=7")
    assert response.json()["total"] == 3 * sentences


@pytest.mark.parametrize("mentions", [1, 8])
def test_claimreview_takes_a_fixed_number_of_queries(
    reviewer, django_assert_num_queries, mentions
):
    """A claim's ClaimReview costs the same for 1 appearance or 8, anonymously."""
    statements = []
    for n in range(mentions):
        document = services.document_ingest(
            title=f"T{n}",
            text=f"Prices rose {n} times, she said.",
            publisher=services.source_create(name=f"Paper {n}"),
        )
        (statement,) = document.statements.all()
        services.attribution_create(
            statement=statement,
            kind="indirect",
            source=services.source_create(name=f"Person {n}", kind="person"),
        )
        statements.append(statement)
    claim = services.claim_create(text="Prices rose", statements=statements)
    for rating in [2, 4]:
        review = services.claim_review_create(
            claim=claim, reviewer=reviewer, rating=rating, summary="So."
        )
        services.claim_review_publish(review=review)
    with django_assert_num_queries(4):
        response = APIClient().get(f"/api/claims/{claim.pk}/claimreview/")
    assert len(response.json()) == 2
    item = response.json()[0]["itemReviewed"]
    assert len(item["appearance"]) == mentions
    assert len(item["author"] if mentions > 1 else [item["author"]]) == mentions


def test_the_document_detail_does_not_grow_with_its_statements(
    reviewer, api, django_assert_num_queries
):
    """A document of 40 statements takes the queries of one of 3."""
    long = services.document_ingest(
        title="Long", text=" ".join(f"Sentence {n} ends here." for n in range(40))
    )
    for statement in long.statements.all():
        services.attribution_create(statement=statement, kind="author")
    with django_assert_num_queries(7):
        response = api.get(f"/api/documents/{long.pk}/")
    assert len(response.json()["statements"]) == 40


# Most of each is full_clean() before the versioned save (its constraint and
# relation checks, a query each, as for attributions); accept saves the
# proposed claim it confirms too. The rules of independent annotation (a link
# once per annotator, one accepted) are conditional constraints: a savepoint
# and a check each.
