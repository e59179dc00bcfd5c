"""The admin's refusals (issue 19): one delete_model for every admin class,
whose refusals land on the page; a refused workspace save writes nothing,
not even the source it named; the sources list counts once per source."""

import pytest
from django.contrib import admin
from rest_framework.test import APIClient

from claims import services
from claims.admin.base import RoleAdmin
from claims.models import Attribution, ClaimReview, Source

pytestmark = pytest.mark.django_db


def test_deleting_a_published_review_in_the_admin_is_refused_on_the_page(
    client, seed, editor
):
    """ClaimReviewAdmin did not catch the service's refusal: a 500."""
    review = ClaimReview.objects.filter(status="published").first()
    client.force_login(editor)
    path = f"/admin/claims/claimreview/{review.pk}/delete/"
    response = client.post(path, {"post": "yes"}, follow=True)
    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"]]
    assert any("cannot be deleted" in m for m in shown), shown
    assert not any("deleted successfully" in m for m in shown), shown
    assert ClaimReview.objects.filter(pk=review.pk).exists()


def test_the_bulk_delete_action_refuses_each_the_same_way(client, seed, editor):
    published = ClaimReview.objects.filter(status="published")
    before = published.count()
    client.force_login(editor)
    response = client.post(
        "/admin/claims/claimreview/",
        {
            "action": "delete_selected",
            "post": "yes",
            "_selected_action": [r.pk for r in published],
        },
        follow=True,
    )
    assert response.status_code == 200
    assert any("cannot be deleted" in str(m) for m in response.context["messages"])
    assert published.count() == before


def test_every_admin_class_shares_one_delete_model():
    """No admin class handles (or forgets to handle) refusals its own way."""
    for model_admin in admin.site._registry.values():
        if isinstance(model_admin, RoleAdmin):
            assert type(model_admin).delete_model is RoleAdmin.delete_model, type(
                model_admin
            ).__name__


def test_a_stale_workspace_save_creates_no_source(seed, reviewer):
    """The workspace names a new source by name; the 412 leaves none behind."""
    client = APIClient()
    client.force_authenticate(reviewer)
    attribution = Attribution.objects.filter(created_by=reviewer).first()
    path = f"/api/attributions/{attribution.pk}/"
    read = client.get(path)["ETag"]
    services.attribution_update(attribution=attribution, kind="mixed")  # meanwhile
    sources = Source.objects.count()
    response = client.patch(
        path,
        {"kind": "direct", "source_name": "A Brand New Source", "via_name": "New Via"},
        format="json",
        HTTP_IF_MATCH=read,
    )
    assert response.status_code == 412, response.content
    assert Source.objects.count() == sources
    assert not Source.objects.filter(name="A Brand New Source").exists()


def test_a_source_by_name_is_created_with_a_save_that_succeeds(seed, reviewer):
    client = APIClient()
    client.force_authenticate(reviewer)
    attribution = Attribution.objects.filter(created_by=reviewer).first()
    path = f"/api/attributions/{attribution.pk}/"
    response = client.patch(
        path,
        {"source_name": "A Brand New Source", "via_name": "Iraqi resistance groups"},
        format="json",
        HTTP_IF_MATCH=client.get(path)["ETag"],
    )
    assert response.status_code == 200, response.content
    assert response.json()["source"]["name"] == "A Brand New Source"
    assert response.json()["via"]["name"] == "Iraqi resistance groups"
    assert Source.objects.filter(name="A Brand New Source").count() == 1


def test_a_refused_new_attribution_creates_no_source(seed, reviewer):
    client = APIClient()
    client.force_authenticate(reviewer)
    statement = seed.statements.first()
    sources = Source.objects.count()
    response = client.post(
        "/api/attributions/",
        {
            "statement": statement.pk,
            "kind": "direct",
            "source_name": "Never Stored",
            "cue": {"start": 0, "end": 10_000},
        },
        format="json",
    )
    assert response.status_code == 400, response.content
    assert Source.objects.count() == sources


def test_searching_the_sources_list_counts_each_source_once(client, editor):
    """A source whose name and two aliases match the search: one row, its
    counts once (the audit saw them doubled; the counts are subqueries now,
    and this holds them so)."""
    union = services.source_create(
        name="Dockers Union", kind="organization", aliases=["Dock union", "Union"]
    )
    document = services.document_ingest(
        title="Strike", text="Dock workers walked out. The union said so."
    )
    statement = document.statements.order_by("index").last()
    services.attribution_create(statement=statement, kind="indirect", source=union)
    client.force_login(editor)
    response = client.get("/admin/claims/source/", {"q": "union"})
    listed = response.context["cl"]
    rows = [s for s in listed.result_list if s.pk == union.pk]
    assert len(rows) == 1
    assert listed.result_count == 1
    assert (rows[0].direct_count, rows[0].indirect_count) == (0, 1)
