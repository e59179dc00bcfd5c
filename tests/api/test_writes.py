"""Writes through the API: each goes through its service, all or nothing."""

import pytest
from rest_framework.test import APIClient

from claims import services
from claims.models import Attribution, ClaimMention, Document, Source, SourceAlias

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_reviewer(reviewer):
    client = APIClient()
    client.force_authenticate(reviewer)
    return client


@pytest.fixture
def as_editor(editor):
    client = APIClient()
    client.force_authenticate(editor)
    return client


def if_match(response):
    return {"HTTP_IF_MATCH": response["ETag"]}


# No lost updates ------------------------------------------------------------


def test_two_reviewers_edit_one_attribution_and_the_second_is_refused(
    seed, editor, as_reviewer, as_editor
):
    """Both read version 1; the first write wins, the second gets 412."""
    path = f"/api/attributions/{seed.statements.first().attributions.get().pk}/"
    first_read = as_reviewer.get(path)
    second_read = as_editor.get(path)
    assert first_read["ETag"] == second_read["ETag"] == '"1"'

    first = as_reviewer.patch(path, {"kind": "mixed"}, **if_match(first_read))
    assert first.status_code == 200
    assert first["ETag"] == '"2"'
    second = as_editor.patch(path, {"kind": "direct"}, **if_match(second_read))
    assert second.status_code == 412
    assert second.json()["code"] == "precondition_failed"
    assert "version 2" in second.json()["message"]

    after = as_reviewer.get(path).json()
    assert (after["kind"], after["version"]) == ("mixed", 2)


def test_an_update_without_if_match_is_refused(seed, as_reviewer):
    """428, and nothing changes."""
    attribution = seed.statements.first().attributions.get()
    response = as_reviewer.patch(
        f"/api/attributions/{attribution.pk}/", {"kind": "mixed"}
    )
    assert response.status_code == 428
    attribution.refresh_from_db()
    assert (attribution.kind, attribution.version) == ("indirect", 1)


def test_if_match_that_is_not_an_etag_is_stale(seed, as_reviewer):
    """A header that names no version can only be out of date."""
    attribution = seed.statements.first().attributions.get()
    response = as_reviewer.delete(
        f"/api/attributions/{attribution.pk}/", HTTP_IF_MATCH="yesterday"
    )
    assert response.status_code == 412
    assert Attribution.objects.filter(pk=attribution.pk).exists()


def test_accept_and_reject_need_the_current_version_too(seed, as_reviewer):
    """Deciding on a suggestion is an update like any other."""
    suggestion = services.attribution_create(
        statement=seed.statements.get(index=2), kind="author", origin="suggested"
    )
    path = f"/api/attributions/{suggestion.pk}/"
    assert as_reviewer.post(f"{path}accept/").status_code == 428
    read = as_reviewer.get(path)
    accepted = as_reviewer.post(f"{path}accept/", **if_match(read))
    assert accepted.json()["status"] == "accepted"
    stale = as_reviewer.post(f"{path}reject/", **if_match(read))
    assert stale.status_code == 412
    rejected = as_reviewer.post(f"{path}reject/", **if_match(accepted))
    assert rejected.json()["status"] == "rejected"


# Documents ------------------------------------------------------------------


def test_create_a_document_from_text(as_reviewer, reviewer):
    """The text is segmented; the document is the reviewer's."""
    response = as_reviewer.post(
        "/api/documents/",
        {"title": "Budget", "text": "The budget grew. Critics said it was late."},
    )
    assert response.status_code == 201
    body = response.json()
    assert [s["text"] for s in body["statements"]] == [
        "The budget grew.",
        "Critics said it was late.",
    ]
    assert Document.objects.get().created_by == reviewer


def test_create_a_document_from_an_interchange_object(as_reviewer):
    """Statements, attributions and claims come in with the document."""
    text = "The minister said it works."
    response = as_reviewer.post(
        "/api/documents/",
        {
            "title": "T",
            "text": text,
            "statements": [
                {
                    "start": 0,
                    "end": len(text),
                    "attributions": [
                        {
                            "kind": "indirect",
                            "source": {"name": "The minister", "kind": "person"},
                            "cue": {"start": 13, "end": 17},
                        }
                    ],
                    "claims": ["It works"],
                }
            ],
        },
    )
    assert response.status_code == 201, response.json()
    (statement,) = response.json()["statements"]
    assert statement["attributions"][0]["source"]["name"] == "The minister"
    assert len(statement["claims"]) == 1


def test_a_bad_interchange_object_names_the_field_and_stores_nothing(as_reviewer):
    """Overlapping or mismatched statements are a 400 that says where."""
    response = as_reviewer.post(
        "/api/documents/",
        {
            "title": "T",
            "text": "One. Two.",
            "statements": [{"start": 0, "end": 4, "attributions": [{"kind": "quote"}]}],
        },
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "statements[0].attributions[0].kind": [
            "unknown kind 'quote' (expected one of author, direct, indirect, mixed)"
        ]
    }
    assert Document.objects.count() == 0 and Source.objects.count() == 0


def test_the_same_text_twice_is_a_conflict(as_reviewer):
    """409 names the document that holds the text."""
    first = as_reviewer.post("/api/documents/", {"title": "A", "text": "Same text."})
    again = as_reviewer.post("/api/documents/", {"title": "B", "text": "Same text."})
    assert again.status_code == 409
    assert f"document {first.json()['id']}" in again.json()["message"]


def test_a_document_with_reviewed_statements_cannot_be_deleted(seed, as_editor):
    """409, naming what depends on it; nothing is deleted."""
    response = as_editor.delete(f"/api/documents/{seed.pk}/")
    assert response.status_code == 409
    assert "attributions" in response.json()["message"]
    assert Document.objects.filter(pk=seed.pk).exists()


# Sources --------------------------------------------------------------------


def test_merge_moves_attributions_documents_and_aliases(seed, as_editor):
    """The merged source's work and names pass to the kept one; it is gone."""
    kept = Source.objects.get(name="Iraqi resistance groups")
    duplicate = services.source_create(
        name="Islamic Resistance in Iraq", aliases=["IRI"], kind="group"
    )
    statement = seed.statements.get(index=6)
    services.attribution_create(statement=statement, kind="indirect", source=duplicate)
    seed.authors.add(duplicate)

    read = as_editor.get(f"/api/sources/{kept.pk}/")
    response = as_editor.post(
        f"/api/sources/{kept.pk}/merge/", {"source": duplicate.pk}, **if_match(read)
    )
    assert response.status_code == 200, response.json()
    assert set(response.json()["aliases"]) >= {"IRI", "Islamic Resistance in Iraq"}
    assert not Source.objects.filter(pk=duplicate.pk).exists()
    assert statement.attributions.get(kind="indirect").source == kept
    assert list(seed.authors.all()) == [kept]


def test_a_source_name_taken_after_normalisation_is_a_400(as_reviewer, seed):
    """The error names the field and the source that has the name."""
    response = as_reviewer.post("/api/sources/", {"name": "qasem  SULEIMANI"})
    assert response.status_code == 400
    assert "already names source" in response.json()["errors"]["name"][0]


def test_a_source_update_replaces_its_aliases(seed, reviewer, as_reviewer):
    """``aliases`` is the whole new list."""
    source = Source.objects.get(name="Qassem Soleimani")
    response = as_reviewer.patch(
        f"/api/sources/{source.pk}/",
        {"aliases": ["Qasem Suleimani", "Haj Qasem"]},
        HTTP_IF_MATCH='"1"',
    )
    assert response.status_code == 200, response.json()
    assert sorted(
        SourceAlias.objects.filter(source=source).values_list("name", flat=True)
    ) == [
        "Haj Qasem",
        "Qasem Suleimani",
    ]


# Attributions, claims, reviews ---------------------------------------------


def test_bulk_create_is_all_or_nothing(seed, as_reviewer):
    """One bad item refuses the batch and names the item."""
    statements = list(seed.statements.values_list("pk", flat=True)[:2])
    before = Attribution.objects.count()
    response = as_reviewer.post(
        "/api/attributions/bulk/",
        {
            "attributions": [
                {"statement": statements[0], "kind": "author"},
                {"statement": statements[1], "kind": "direct"},  # no source
            ]
        },
    )
    assert response.status_code == 400
    assert "1" in response.json()["errors"]
    assert Attribution.objects.count() == before
    good = as_reviewer.post(
        "/api/attributions/bulk/",
        {"attributions": [{"statement": pk, "kind": "author"} for pk in statements]},
    )
    assert good.status_code == 201
    assert Attribution.objects.count() == before + 2
    assert {a["status"] for a in good.json()} == {"accepted"}


def test_a_span_outside_the_text_is_a_400_on_its_field(seed, as_reviewer):
    """A service's ValidationError becomes a 400 naming the field, not a 500."""
    response = as_reviewer.post(
        "/api/attributions/",
        {
            "statement": seed.statements.first().pk,
            "kind": "author",
            "cue": {"start": 5000, "end": 5004},
        },
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["cue"]


def test_the_timeline_orders_mentions_by_document_date(seed, reviewer, as_reviewer):
    """Dated documents first, oldest first; undated last."""
    import datetime

    claim = services.claim_get_or_create(
        text="Iraqi lawmakers unanimously passed a bill mandating the withdrawal of "
        "all foreign troops from Iraq"
    )
    publisher = services.source_create(name="Wire", kind="publication")
    for day in (20, 6):
        other = services.document_ingest(
            title=f"Jan {day}",
            text=f"Lawmakers voted on January 5, the paper wrote on the {day}th.",
            publisher=publisher,
            published_at=datetime.datetime(2020, 1, day, tzinfo=datetime.UTC),
        )
        services.claim_mention_create(
            claim=claim, statement=other.statements.get(), created_by=reviewer
        )
    entries = as_reviewer.get(f"/api/claims/{claim.pk}/timeline/").json()["results"]
    assert [e["document"]["title"] for e in entries] == [
        "Jan 6",
        "Jan 20",
        seed.title,
    ]
    assert entries[0]["document"]["publisher"]["name"] == "Wire"
    assert entries[2]["attributions"] == [
        {"kind": "author", "source": None, "status": "accepted"}
    ]


def test_publishing_a_review_dates_it_and_its_claim(seed, as_editor):
    """Only an editor publishes; the review and claim become published."""
    from claims.models import ClaimReview

    draft = ClaimReview.objects.get(status="draft")
    read = as_editor.get(f"/api/claim-reviews/{draft.pk}/")
    response = as_editor.post(
        f"/api/claim-reviews/{draft.pk}/publish/", **if_match(read)
    )
    assert response.status_code == 200
    assert response.json()["status"] == "published"
    assert response.json()["published_at"]
    draft.claim.refresh_from_db()
    assert draft.claim.status == "published"


def test_a_mention_is_added_once(seed, as_reviewer):
    """A statement that already makes the claim is a 409 naming the mention,
    not a second row."""
    mention = ClaimMention.objects.first()
    response = as_reviewer.post(
        f"/api/claims/{mention.claim_id}/mentions/", {"statement": mention.statement_id}
    )
    assert response.status_code == 409
    assert f"claim mention {mention.pk} " in response.json()["message"]
    assert ClaimMention.objects.filter(claim=mention.claim).count() == 1


def test_an_annotation_needs_exactly_one_target(seed, as_reviewer):
    """Neither or both targets is a 400."""
    statement = seed.statements.first()
    neither = as_reviewer.post("/api/annotations/", {"body": "x"})
    both = as_reviewer.post(
        "/api/annotations/",
        {
            "body": "x",
            "statement": statement.pk,
            "claim": ClaimMention.objects.first().claim_id,
        },
    )
    assert neither.status_code == both.status_code == 400
    one = as_reviewer.post(
        "/api/annotations/",
        {
            "body": "Which figures?",
            "statement": statement.pk,
            "motivation": "questioning",
        },
    )
    assert one.status_code == 201
    assert one.json()["reviewer"] == "reviewer"
