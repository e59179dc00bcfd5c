"""Rules that a review of the API found bypassable, each now held."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from claims import services
from claims.models import Attribution, Claim, ClaimReview, Document

pytestmark = pytest.mark.django_db


def test_a_reviewer_cannot_publish_a_claim_by_setting_its_status(client_for, reviewer):
    """Only publishing a review publishes a claim: on create and on update."""
    client = client_for(reviewer)
    created = client.post(
        "/api/claims/", {"text": "X", "status": "published"}, format="json"
    )
    assert created.status_code == 400
    assert "status" in created.json()["errors"]
    claim = services.claim_create(text="Y", created_by=reviewer)
    updated = client.patch(
        f"/api/claims/{claim.pk}/", {"status": "published"}, format="json",
        HTTP_IF_MATCH='"1"',
    )  # fmt: skip
    assert updated.status_code == 400
    claim.refresh_from_db()
    assert (claim.status, claim.version) == ("new", 1)


def test_an_api_import_files_work_under_the_importer_only(client_for, reviewer, editor):
    """created_by may name the importer alone; absent, it is the importer."""
    text = "The minister said it works."
    body = {
        "title": "T",
        "text": text,
        "statements": [
            {"start": 0, "end": len(text), "attributions": [
                {"kind": "author", "created_by": "editor"},
            ]},
        ],
    }  # fmt: skip
    client = client_for(reviewer)
    forged = client.post("/api/documents/", body, format="json")
    assert forged.status_code == 400
    assert "is not you" in forged.json()["message"]
    assert Document.objects.count() == 0
    del body["statements"][0]["attributions"][0]["created_by"]
    assert client.post("/api/documents/", body, format="json").status_code == 201
    assert Attribution.objects.get().created_by == reviewer


def test_a_review_does_not_roll_a_stale_claim_back(reviewer):
    """Drafting a review with an old copy of the claim keeps its newer state."""
    claim = services.claim_create(text="Prices rose")
    stale = Claim.objects.get(pk=claim.pk)
    services.claim_update(claim=claim, expected_version=1, status="reviewed", text="Q")
    services.claim_review_create(claim=stale, reviewer=reviewer, rating=3, summary="S")
    claim.refresh_from_db()
    assert (claim.text, claim.status, claim.version) == ("Q", "reviewed", 2)


def test_an_impossible_date_is_a_clear_error(client_for, reviewer, tmp_path):
    """February 30 is a 400 in the API; in a file, the other lines still load."""
    response = client_for(reviewer).post(
        "/api/documents/",
        {"title": "T", "text": "Hi.", "published_at": "2020-02-30"},
        format="json",
    )
    assert response.status_code == 400
    assert "published_at" in response.json()["message"]
    path = tmp_path / "in.jsonl"
    path.write_text(
        json.dumps({"title": "Good", "text": "A good one."}) + "\n"
        + json.dumps({"title": "Bad", "text": "Bad.", "published_at": "2020-02-30"})
        + "\n",
        "utf-8",
    )  # fmt: skip
    with pytest.raises(CommandError, match="1 imported, 0 already present, 1 failed"):
        call_command("import_documents", str(path), stdout=None, stderr=None)
    assert list(Document.objects.values_list("title", flat=True)) == ["Good"]


@pytest.mark.parametrize("value", ["²", "99999999999999999999999"])
def test_a_source_filter_that_is_no_id_matches_nothing(seed, client_for, reader, value):
    """Digits that are not ASCII, or an id out of range, are no source."""
    for path in ["/api/statements/", "/api/attributions/"]:
        response = client_for(reader).get(f"{path}?source={value}")
        assert response.status_code == 200
        assert response.json()["count"] == 0


def test_a_tag_too_long_is_a_400_on_tags(seed, client_for, reviewer):
    """Tags are checked before they are stored."""
    response = client_for(reviewer).post(
        "/api/claims/", {"text": "Z", "tags": ["x" * 101]}, format="json"
    )
    assert response.status_code == 400
    assert "tags[0]" in response.json()["errors"]  # the path of the tag at fault
    assert not Claim.objects.filter(text="Z").exists()


def test_a_source_update_needs_if_match(seed, client_for, reviewer):
    """Sources are versioned like the rest: no If-Match, no change."""
    source = seed.statements.first().attributions.get().source
    client = client_for(reviewer)
    assert (
        client.patch(
            f"/api/sources/{source.pk}/", {"description": "x"}, format="json"
        ).status_code
        == 428
    )
    read = client.get(f"/api/sources/{source.pk}/")
    assert read["ETag"] == '"1"'
    assert client.patch(
        f"/api/sources/{source.pk}/", {"description": "x"}, format="json",
        HTTP_IF_MATCH=read["ETag"],
    ).json()["version"] == 2  # fmt: skip


def test_mention_counts_are_right_when_claims_are_filtered_by_document(
    seed, client_for, reader
):
    """A claim mentioned twice in the document counts 2, not 4."""
    response = client_for(reader).get(f"/api/claims/?document={seed.pk}&page_size=50")
    counts = {c["text"][:20]: c["mention_count"] for c in response.json()["results"]}
    assert counts["The US killed Qassem"] == 2
    assert counts["Iraqi lawmakers unan"] == 1


def test_a_published_review_cannot_be_deleted(seed, client_for, editor):
    """It stays on the public record; the editor gets a 400 saying so."""
    published = ClaimReview.objects.filter(status="published").first()
    response = client_for(editor).delete(
        f"/api/claim-reviews/{published.pk}/",
        HTTP_IF_MATCH=f'"{published.version}"',
    )
    assert response.status_code == 400
    assert "stays on record" in response.json()["message"]
    assert ClaimReview.objects.filter(pk=published.pk).exists()
