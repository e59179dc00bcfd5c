"""Labels cut with an ellipsis; the claim timeline with dates as people
write them and links to each appearance."""

import datetime

import pytest
from django.urls import reverse

from claims import services
from claims.models import Claim, Statement

pytestmark = pytest.mark.django_db


def test_a_long_label_ends_with_an_ellipsis(seed):
    long = Claim.objects.get(text__startswith="Iraqi resistance groups pledged")
    assert len(long.text) > 80
    label = str(long)
    assert len(label) == 80
    assert label.endswith("…")
    assert long.text.startswith(label[:-1])
    statement = Statement.objects.order_by("-end").first()
    assert str(statement).endswith("…")
    short = Claim.objects.get(text="The US refused to withdraw its troops from Iraq")
    assert str(short) == short.text


def test_the_timeline_shows_dates_as_written_and_links_each_appearance(
    seed, client, reviewer
):
    services.document_update(
        document=seed,
        published_at=datetime.datetime(2024, 2, 10, 9, 30, tzinfo=datetime.UTC),
    )
    claim = Claim.objects.get(text__startswith="The US killed Qassem Soleimani")
    mention = claim.mentions.order_by("pk").first()
    client.force_login(reviewer)
    page = client.get(reverse("admin:claims_claim_change", args=[claim.pk]))
    body = page.content.decode()
    assert "<b>10 February 2024</b>" in body
    assert "2024-02-10 09:30" not in body
    link = (
        reverse("admin:claims_document_change", args=[seed.pk])
        + f"#statement-{mention.statement_id}"
    )
    assert f'href="{link}"' in body
