"""The admin pages whose reads are selectors' (beyond the two lists of
test_admin_lists.py), pinned: each takes the same number of queries for a
claim or source with few rows as for one with many."""

import pytest

from claims import services
from claims.models import Claim, ClaimReview, Source

pytestmark = pytest.mark.django_db


def _claim_appearing(times: int, reviewer) -> Claim:
    claim = services.claim_create(
        text="Ports are closed", tags=["strike", "ports"], created_by=reviewer
    )
    for n in range(times):
        document = services.document_ingest(
            title=f"Strike {n}", text=f"Ports are closed on day {n}, the union said."
        )
        (statement,) = document.statements.all()
        services.attribution_create(
            statement=statement,
            kind="indirect",
            source=services.source_get_or_create(name="The union"),
        )
        services.claim_mention_create(
            claim=claim, statement=statement, created_by=reviewer
        )
    services.claim_create(text=f"Proposed {times}", proposed=True)
    return claim


def _page(client, user, path: str, django_assert_num_queries, queries: int):
    client.force_login(user)
    with django_assert_num_queries(queries):
        response = client.get(path)
    assert response.status_code == 200, path
    return response


@pytest.mark.parametrize("times", [1, 5])
def test_the_claim_page_takes_a_fixed_number_of_queries(
    client, editor, reviewer, times, django_assert_num_queries
):
    """Tags, the version the form carries, the mentions inline and the
    timeline: as many queries for one mention as for five (the inline's rows,
    which show each mention's claim and document, had read them row by row:
    17 queries for one mention, 25 for five)."""
    claim = _claim_appearing(times, reviewer)
    response = _page(
        client,
        editor,
        f"/admin/claims/claim/{claim.pk}/change/",
        django_assert_num_queries,
        15,
    )
    form = response.context["adminform"].form
    assert form.fields["tag_names"].initial.splitlines() == ["ports", "strike"]
    assert form.fields["seen_version"].initial == claim.version
    assert response.content.count(b"Ports are closed on day") == 2 * times


@pytest.mark.parametrize("proposed", ["no", "yes"])
def test_the_claim_list_takes_a_fixed_number_of_queries(
    client, editor, reviewer, proposed, django_assert_num_queries
):
    """Confirmed claims by default, proposed ones when asked."""
    _claim_appearing(2, reviewer)
    response = _page(
        client,
        editor,
        f"/admin/claims/claim/?proposed={proposed}",
        django_assert_num_queries,
        10,
    )
    texts = {claim.text for claim in response.context["cl"].result_list}
    assert texts == ({"Proposed 2"} if proposed == "yes" else {"Ports are closed"})


@pytest.mark.parametrize("aliases", [1, 6])
def test_the_source_page_takes_a_fixed_number_of_queries(
    client, editor, aliases, django_assert_num_queries
):
    """The aliases the form shows are one query however many."""
    names = [f"Union {n}" for n in range(aliases)]
    source = services.source_create(name="Dockers’ Union", aliases=names)
    response = _page(
        client,
        editor,
        f"/admin/claims/source/{source.pk}/change/",
        django_assert_num_queries,
        # 10, the one query of what the source said (it said nothing) and
        # the two of its track record (its claims' count and their verdicts:
        # none, so no statements to read).
        13,
    )
    form = response.context["adminform"].form
    assert sorted(form.fields["alias_names"].initial.splitlines()) == sorted(names)
    assert Source.objects.count() == 1


def test_publishing_from_the_list_publishes_the_drafts_alone(
    client, editor, reviewer, django_assert_num_queries
):
    """The action reads the selected drafts once; a published review stays as
    it was."""
    claim = _claim_appearing(1, reviewer)
    draft, published = (
        services.claim_review_create(
            claim=claim, reviewer=reviewer, rating=2, summary="No."
        )
        for _ in range(2)
    )
    services.claim_review_publish(review=published)
    published.refresh_from_db()
    client.force_login(editor)
    response = client.post(
        "/admin/claims/claimreview/",
        {"action": "publish", "_selected_action": [draft.pk, published.pk]},
    )
    assert response.status_code == 302
    statuses = dict(ClaimReview.objects.values_list("pk", "status"))
    assert statuses == {draft.pk: "published", published.pk: "published"}
    assert ClaimReview.objects.get(pk=published.pk).version == published.version


def test_confirming_sources_confirms_the_proposed_alone(client, editor):
    """Confirming a selection leaves a source that was never proposed as it was."""
    proposed = services.source_create(name="Maybe", proposed=True)
    confirmed = services.source_create(name="Surely")
    client.force_login(editor)
    response = client.post(
        "/admin/claims/source/",
        {"action": "confirm", "_selected_action": [proposed.pk, confirmed.pk]},
    )
    assert response.status_code == 302
    assert set(Source.objects.values_list("name", "proposed", "version")) == {
        ("Maybe", False, proposed.version + 1),
        ("Surely", False, confirmed.version),
    }
