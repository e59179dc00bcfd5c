"""The admin's document pages: the details corrected, texts pasted."""

import datetime

import pytest
from django.urls import reverse

from claims.models import Document

pytestmark = pytest.mark.django_db


def details(document):
    return reverse("admin:claims_document_details", args=[document.pk])


def test_the_workspace_links_to_the_details_form(seed, client, reviewer):
    client.force_login(reviewer)
    page = client.get(reverse("admin:claims_document_change", args=[seed.pk]))
    assert details(seed) in page.content.decode()


def test_a_reviewer_corrects_the_date_with_a_date_alone(seed, client, reviewer):
    """ "2024-02-10" is that day, not "Enter a valid time."; the text stays."""
    client.force_login(reviewer)
    form = client.get(details(seed))
    assert form.status_code == 200
    assert 'name="text"' not in form.content.decode()
    response = client.post(
        details(seed),
        {
            "title": "Corrected title",
            "published_at": "2024-02-10",
            "url": "",
            "language": "en",
            "tag_names": "Iraq\nQasem Suleimani",
            "seen_version": "1",
        },
    )
    assert response.status_code == 302, response.context["errors"]
    assert response["Location"] == reverse(
        "admin:claims_document_change", args=[seed.pk]
    )
    seed.refresh_from_db()
    assert seed.title == "Corrected title"
    assert seed.published_at == datetime.datetime(2024, 2, 10, tzinfo=datetime.UTC)
    assert seed.version == 2
    assert sorted(seed.tags.values_list("name", flat=True)) == [
        "Iraq",
        "Qasem Suleimani",
    ]


def test_a_stale_details_form_is_refused(seed, client, reviewer):
    """Someone saved since the page was opened: an error, nothing kept."""
    client.force_login(reviewer)
    response = client.post(
        details(seed),
        {"title": "Mine", "published_at": "", "seen_version": "0"},
    )
    assert response.status_code == 200
    assert "has changed since it was read" in response.content.decode()
    assert Document.objects.get().title != "Mine"


def test_a_reader_sees_the_details_without_changing_them(
    seed, client, django_user_model
):
    reader = django_user_model.objects.create_user("reader", is_staff=True)
    client.force_login(reader)
    title = seed.title
    client.post(details(seed), {"title": "Mine", "seen_version": "1"})
    assert Document.objects.get().title == title
