"""Conditional requests as RFC 9110 says (issue 22): If-Match compares
strongly and reads every tag it lists; a change that changes nothing writes
no version and no history row."""

import pytest

from claims import services
from claims.models import Attribution, Claim, Document, Source

pytestmark = pytest.mark.django_db


def patch(client, path, body, header):
    return client.patch(path, body, format="json", HTTP_IF_MATCH=header)


@pytest.fixture
def attribution(seed):
    return Attribution.objects.order_by("pk").first()


def attribution_path(attribution):
    return f"/api/attributions/{attribution.pk}/"


def test_a_weak_tag_never_matches(attribution, editor, client_for):
    """W/"1" names version 1 weakly; If-Match asks for the strong comparison."""
    response = patch(
        client_for(editor), attribution_path(attribution), {"kind": "mixed"}, 'W/"1"'
    )
    assert response.status_code == 412, response.content
    attribution.refresh_from_db()
    assert (attribution.kind, attribution.version) == ("indirect", 1)


@pytest.mark.parametrize(
    "header", ['"999", "1"', '"7","1"', 'W/"1", "1"', '"1" , ', ', "2", "1"']
)
def test_any_listed_tag_may_match(attribution, editor, client_for, header):
    """Every tag of the list is read, not only the first."""
    response = patch(
        client_for(editor), attribution_path(attribution), {"kind": "mixed"}, header
    )
    assert response.status_code == 200, response.content
    assert response["ETag"] == '"2"'


@pytest.mark.parametrize("header", ['"999", "2"', 'W/"1", "2"', '"1" "2"', '"1", x'])
def test_a_list_without_the_current_tag_is_stale(
    attribution, editor, client_for, header
):
    response = patch(
        client_for(editor), attribution_path(attribution), {"kind": "mixed"}, header
    )
    assert response.status_code == 412, response.content
    assert "version 1" in response.json()["message"]
    attribution.refresh_from_db()
    assert attribution.version == 1


def test_a_star_matches_whatever_version_is_current(attribution, editor, client_for):
    response = patch(
        client_for(editor), attribution_path(attribution), {"kind": "mixed"}, "*"
    )
    assert response.status_code == 200
    assert response["ETag"] == '"2"'


def test_a_delete_reads_the_list_too(seed, editor, client_for):
    claim = services.claim_create(text="An unmentioned claim")
    response = client_for(editor).delete(
        f"/api/claims/{claim.pk}/", HTTP_IF_MATCH='"5", "1"'
    )
    assert response.status_code == 204, response.content


# Changes that change nothing -------------------------------------------------


def history_count(instance):
    return instance.history.count()


def test_a_patch_of_read_only_fields_writes_nothing(attribution, editor, client_for):
    """The issue: 200 with a new version and a history row that changed nothing."""
    before = history_count(attribution)
    response = patch(
        client_for(editor),
        attribution_path(attribution),
        {"id": 999, "version": 42, "created_by": "someone"},
        '"1"',
    )
    assert response.status_code == 200, response.content
    assert response["ETag"] == '"1"'
    attribution.refresh_from_db()
    assert attribution.version == 1
    assert history_count(attribution) == before


def test_a_patch_with_the_values_it_has_writes_nothing(attribution, editor, client_for):
    before = history_count(attribution)
    response = patch(
        client_for(editor),
        attribution_path(attribution),
        {"kind": attribution.kind, "confidence": attribution.confidence},
        '"1"',
    )
    assert response.status_code == 200, response.content
    assert response["ETag"] == '"1"'
    assert history_count(attribution) == before


def test_the_same_tags_write_nothing_and_new_ones_a_version(seed, editor, client_for):
    claim = Claim.objects.order_by("pk").first()
    path = f"/api/claims/{claim.pk}/"
    tags = list(claim.tags.values_list("name", flat=True))
    client = client_for(editor)
    before = history_count(claim)
    same = patch(client, path, {"tags": [*reversed(tags)], "text": claim.text}, '"1"')
    assert same.status_code == 200, same.content
    assert same["ETag"] == '"1"'
    assert history_count(claim) == before
    retagged = patch(client, path, {"tags": [*tags, "Newly tagged"]}, '"1"')
    assert retagged["ETag"] == '"2"'
    assert history_count(claim) == before + 1


def test_a_document_correction_to_the_same_details_writes_nothing(
    seed, editor, client_for
):
    document = Document.objects.get()
    response = patch(
        client_for(editor),
        f"/api/documents/{document.pk}/",
        {
            "title": f"  {document.title} ",
            "tags": list(document.tags.values_list("name", flat=True)),
        },
        f'"{document.version}"',
    )
    assert response.status_code == 200, response.content
    assert response["ETag"] == f'"{document.version}"'
    document.refresh_from_db()
    assert document.version == 1


def test_a_source_given_its_own_aliases_writes_nothing(seed, editor, client_for):
    source = Source.objects.filter(aliases__isnull=False).order_by("pk").first()
    aliases = list(source.aliases.values_list("name", flat=True))
    client = client_for(editor)
    path = f"/api/sources/{source.pk}/"
    before = history_count(source)
    response = patch(client, path, {"aliases": aliases, "kind": source.kind}, '"1"')
    assert response.status_code == 200, response.content
    assert response["ETag"] == '"1"'
    assert history_count(source) == before
    fewer = patch(client, path, {"aliases": aliases[1:]}, '"1"')
    assert fewer["ETag"] == '"2"'
