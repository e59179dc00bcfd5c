"""A source's admin page lists what the source said: its statements by kind,
the claims they carry and those claims' verdicts."""

import pytest
from django.urls import reverse

from claims import selectors, services
from claims.models import Claim, ClaimReview, Source

pytestmark = pytest.mark.django_db


def page_of(client, source):
    return client.get(reverse("admin:claims_source_change", args=[source.pk]))


def test_the_source_page_lists_its_statements_claims_and_verdicts(
    seed, client, reviewer
):
    client.force_login(reviewer)
    groups = Source.objects.get(name="Iraqi resistance groups")
    page = page_of(client, groups).content.decode()
    assert "What the source said" in page
    statement = groups.attributions.filter(status="accepted").first().statement
    assert f"#statement-{statement.pk}" in page
    published = ClaimReview.objects.filter(status="published").select_related("claim")
    carried = [
        review
        for review in published
        if review.claim.mentions.filter(statement__attributions__source=groups).exists()
    ]
    assert carried, "the seed has a published verdict on a claim the groups made"
    for review in carried:
        assert reverse("admin:claims_claim_change", args=[review.claim.pk]) in page
        assert (review.label or review.get_rating_display()) in page


def test_a_source_with_nothing_said_says_so(seed, client, reviewer):
    client.force_login(reviewer)
    quiet = services.source_create(name="Nobody", created_by=reviewer)
    assert "No accepted attributions yet." in page_of(client, quiet).content.decode()


def test_the_source_page_takes_the_same_queries_for_one_statement_or_many(
    seed, client, reviewer, django_assert_num_queries
):
    """The listing is three queries and the track record three, whatever
    the statements, claims and verdicts (one fewer each for a source that
    said nothing or whose claims nobody has checked)."""
    client.force_login(reviewer)
    many = Source.objects.get(name="Iraqi resistance groups")
    few = services.source_create(name="Someone", created_by=reviewer)
    # One statement of theirs, carrying a claim with a published verdict.
    checked = selectors.source_record(many).reviews[0].claim.carried[0].statement
    services.attribution_create(
        statement=checked, kind="direct", source=few, created_by=reviewer
    )
    assert many.attributions.count() > 2
    assert Claim.objects.exists()
    page_of(client, few)  # warm the session and the content types
    with django_assert_num_queries(16) as few_queries:
        page_of(client, few)
    with django_assert_num_queries(16):
        page_of(client, many)
    assert few_queries  # the queries were counted
