"""A document's details are corrected after it was added; its text is not."""

import datetime

import pytest
from rest_framework.test import APIClient

from claims.models import Document, Source

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_reviewer(reviewer):
    client = APIClient()
    client.force_authenticate(reviewer)
    return client


def path(document):
    return f"/api/documents/{document.pk}/"


def test_a_reviewer_corrects_the_title_date_publisher_and_url(seed, as_reviewer):
    """A date alone is a date; the ETag moves on; the lists are replaced."""
    publisher = Source.objects.create(name="Al Mayadeen", normalized_name="al mayadeen")
    read = as_reviewer.get(path(seed))
    assert read["ETag"] == '"1"'
    response = as_reviewer.patch(
        path(seed),
        {
            "title": "  Resistance groups halt attacks  ",
            "published_at": "2024-02-10",
            "publisher_id": publisher.pk,
            "url": "https://example.org/halt",
            "tags": ["Iraq"],
        },
        format="json",
        HTTP_IF_MATCH=read["ETag"],
    )
    assert response.status_code == 200, response.json()
    assert response["ETag"] == '"2"'
    body = response.json()
    assert body["title"] == "Resistance groups halt attacks"
    assert body["published_at"] == "2024-02-10T00:00:00Z"
    assert body["publisher"]["name"] == "Al Mayadeen"
    assert body["tags"] == ["Iraq"]
    seed.refresh_from_db()
    assert seed.published_at == datetime.datetime(2024, 2, 10, tzinfo=datetime.UTC)
    assert seed.url == "https://example.org/halt"


def test_a_correction_needs_the_version_read(seed, as_reviewer):
    """No If-Match: 428; a stale one: 412; nothing changes either way."""
    title = seed.title
    assert as_reviewer.patch(path(seed), {"title": "X"}).status_code == 428
    stale = as_reviewer.patch(path(seed), {"title": "X"}, HTTP_IF_MATCH='"7"')
    assert stale.status_code == 412
    seed.refresh_from_db()
    assert (seed.title, seed.version) == (title, 1)


def test_the_text_cannot_be_patched(seed, as_reviewer):
    """400 naming the rule, and the title sent with it is not kept either."""
    text, title = seed.text, seed.title
    response = as_reviewer.patch(
        path(seed),
        {"text": "Something else entirely.", "title": "New"},
        format="json",
        HTTP_IF_MATCH='"1"',
    )
    assert response.status_code == 400
    assert "cannot change once it has statements" in str(response.json())
    seed.refresh_from_db()
    assert (seed.text, seed.title, seed.version) == (text, title, 1)


def test_the_same_text_may_be_sent_back(seed, as_reviewer):
    """A client that sends the whole object back with its text is not refused."""
    response = as_reviewer.patch(
        path(seed),
        {"text": seed.text, "language": "en"},
        format="json",
        HTTP_IF_MATCH='"1"',
    )
    assert response.status_code == 200
    assert Document.objects.get().language == "en"


def test_a_bad_date_is_a_400_naming_the_field(seed, as_reviewer):
    response = as_reviewer.patch(
        path(seed), {"published_at": "10 Feb"}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert response.status_code == 400
    assert "published_at" in str(response.json())


def test_put_is_not_offered(seed, as_reviewer):
    """A PUT would have to repeat the text: corrections are PATCHes."""
    response = as_reviewer.put(
        path(seed), {"title": "X"}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert response.status_code == 405
