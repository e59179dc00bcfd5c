"""Rows written by the demo fixtures and by imports have their history from
the start, so that the first change to one can be reverted."""

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from claims import services
from claims.models import Attribution, Claim, ClaimMention, ClaimReview, Source
from tests.test_admin import attribution_form

pytestmark = pytest.mark.django_db

MODELS = [Source, Claim, ClaimMention, Attribution, ClaimReview]


def without_history(model) -> int:
    return model.objects.exclude(pk__in=model.history.values("id")).count()


def test_load_demo_gives_every_row_its_first_record(db):
    call_command("load_demo", stdout=io.StringIO())
    for model in MODELS:
        assert model.objects.exists(), model
        assert without_history(model) == 0, model
    first = Attribution.objects.order_by("pk").first().history.get()
    assert (first.history_type, first.history_change_reason) == (
        "+",
        "Loaded from the demo fixtures",
    )


def test_history_start_fills_in_only_what_is_missing(seed):
    """Raw loaddata leaves no history; the service adds it once."""
    assert without_history(Attribution) > 0
    made = services.history_start()
    assert made == sum(model.objects.count() for model in MODELS)
    assert services.history_start() == 0


def test_an_editor_reverts_the_seeds_first_edit(db, client, django_user_model):
    call_command("load_demo", stdout=io.StringIO())
    editor = django_user_model.objects.get(username="editor")
    client.force_login(editor)
    attribution = Attribution.objects.order_by("pk").first()
    assert attribution.kind == "indirect"
    change = reverse("admin:claims_attribution_change", args=[attribution.pk])
    assert (
        client.post(change, attribution_form(attribution, kind="mixed")).status_code
        == 302
    )
    attribution.refresh_from_db()
    assert attribution.kind == "mixed"
    loaded = attribution.history.order_by("history_date").first()
    revert = reverse(
        "admin:claims_attribution_simple_history", args=[attribution.pk, loaded.pk]
    )
    page = client.get(revert)
    assert page.status_code == 200
    form = page.context["adminform"].form
    assert form["kind"].value() == "indirect"
    response = client.post(revert, attribution_form(attribution, kind="indirect"))
    assert response.status_code == 302
    attribution.refresh_from_db()
    assert attribution.kind == "indirect"
    assert attribution.history.count() == 3


def test_imported_rows_have_their_history_from_the_start(db, tmp_path, reviewer):
    record = {
        "title": "T",
        "text": "Jane Roe said the bridge opened in 1994.",
        "statements": [
            {
                "start": 0,
                "end": 40,
                "attributions": [{"kind": "indirect", "source": "Jane Roe"}],
                "claims": ["The bridge opened in 1994"],
            }
        ],
    }
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(record) + "\n")
    call_command("import_documents", str(path), stdout=io.StringIO())
    for model in [Source, Claim, ClaimMention, Attribution]:
        assert model.objects.exists(), model
        assert without_history(model) == 0, model
