"""/api/claim-mentions/ and the claims list's ``proposed`` filter."""

import pytest

from claims import services
from claims.models import Claim, ClaimMention

pytestmark = pytest.mark.django_db

TEXT = "Prices rose 4% in May, the minister said. Rents fell. Wages rose 2%."


@pytest.fixture
def mentions(reviewer):
    """Three suggested mentions of proposed claims, one reviewer's own link."""
    document = services.document_ingest(title="Prices", text=TEXT)
    statements = list(document.statements.all())
    suggested = [
        services.claim_mention_create(
            claim=services.claim_create(text=f"Proposed {n}", proposed=True),
            statement=statement,
            origin="suggested",
        )
        for n, statement in enumerate(statements)
    ]
    own = services.claim_create(
        text="Prices rose", statements=[statements[0]], created_by=reviewer
    ).mentions.get()
    return {"document": document, "suggested": suggested, "own": own}


@pytest.fixture
def api(client_for, reviewer):
    return client_for(reviewer)


def _if_match(mention):
    mention.refresh_from_db()
    return {"HTTP_IF_MATCH": f'"{mention.version}"'}


def test_the_list_filters_by_claim_statement_status_and_document(mentions, api):
    """Each filter narrows the list to what it names."""
    first = mentions["suggested"][0]
    by = {
        "claim": f"claim={first.claim_id}",
        "statement": f"statement={first.statement_id}",
        "status": "status=accepted",
        "document": f"document={mentions['document'].pk}",
    }
    found = {
        name: sorted(
            m["id"] for m in api.get(f"/api/claim-mentions/?{q}").json()["results"]
        )
        for name, q in by.items()
    }
    assert found == {
        "claim": [first.pk],
        "statement": sorted([first.pk, mentions["own"].pk]),
        "status": [mentions["own"].pk],
        "document": sorted(
            [*(m.pk for m in mentions["suggested"]), mentions["own"].pk]
        ),
    }
    assert api.get("/api/claim-mentions/?status=maybe").status_code == 400


def test_the_detail_carries_its_version_as_etag(mentions, api):
    """ETag, status, reviewer and the claim's wording."""
    own = mentions["own"]
    response = api.get(f"/api/claim-mentions/{own.pk}/")
    assert response["ETag"] == '"1"'
    body = response.json()
    assert (body["status"], body["reviewed_by"], body["claim_text"]) == (
        "accepted", "reviewer", "Prices rose",
    )  # fmt: skip


def test_accept_reject_and_unlink(mentions, api, reviewer):
    """Accept confirms the claim; reject keeps the row; delete unlinks it."""
    take, refuse, drop = mentions["suggested"]
    accepted = api.post(f"/api/claim-mentions/{take.pk}/accept/", **_if_match(take))
    assert accepted.status_code == 200
    assert (accepted.json()["status"], accepted["ETag"]) == ("accepted", '"2"')
    rejected = api.post(f"/api/claim-mentions/{refuse.pk}/reject/", **_if_match(refuse))
    assert rejected.json()["reviewed_by"] == "reviewer"
    assert (
        api.delete(f"/api/claim-mentions/{drop.pk}/", **_if_match(drop)).status_code
        == 204
    )
    assert dict(
        ClaimMention.objects.filter(pk__in=[take.pk, refuse.pk, drop.pk]).values_list(
            "pk", "status"
        )
    ) == {take.pk: "accepted", refuse.pk: "rejected"}
    assert Claim.objects.get(pk=take.claim_id).proposed is False
    assert Claim.objects.get(pk=refuse.claim_id).proposed is True
    assert not Claim.objects.filter(pk=drop.claim_id).exists()
    history = ClaimMention.history.filter(id=refuse.pk).order_by("history_id")
    assert [(h.status, h.history_user) for h in history] == [
        ("suggested", None), ("rejected", reviewer),
    ]  # fmt: skip


def test_a_pair_already_linked_is_409_naming_the_mention(mentions, api):
    """Nothing is added or changed; the message names the mention's id."""
    own = mentions["own"]
    response = api.post(
        "/api/claim-mentions/",
        {"claim": own.claim_id, "statement": own.statement_id},
        format="json",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "duplicate"
    assert f"claim mention {own.pk} (accepted)" in response.json()["message"]
    assert ClaimMention.objects.count() == 4
    own.refresh_from_db()
    assert own.version == 1


def test_linking_a_rejected_mention_again_accepts_it(mentions, api):
    """200, the same mention, accepted, at its next version."""
    mention = mentions["suggested"][1]
    api.post(f"/api/claim-mentions/{mention.pk}/reject/", **_if_match(mention))
    response = api.post(
        "/api/claim-mentions/",
        {"claim": mention.claim_id, "statement": mention.statement_id},
        format="json",
    )
    assert response.status_code == 200
    assert (response.json()["id"], response.json()["status"]) == (
        mention.pk, "accepted",
    )  # fmt: skip
    assert response["ETag"] == '"3"'


def test_a_new_link_is_201_and_accepted(mentions, api):
    """A reviewer's own link stands as made."""
    statement = mentions["document"].statements.get(index=1)
    claim = mentions["own"].claim
    response = api.post(
        "/api/claim-mentions/",
        {"claim": claim.pk, "statement": statement.pk},
        format="json",
    )
    assert response.status_code == 201
    assert (response.json()["status"], response.json()["origin"]) == (
        "accepted", "manual",
    )  # fmt: skip


def test_accept_by_someone_without_rights_changes_nothing(
    mentions, api, client_for, other_reviewer, reader
):
    """A mention the reviewer rejected: another reviewer and a reader get 403."""
    mention = mentions["suggested"][0]
    api.post(f"/api/claim-mentions/{mention.pk}/reject/", **_if_match(mention))
    for user in (other_reviewer, reader):
        response = client_for(user).post(
            f"/api/claim-mentions/{mention.pk}/accept/", **_if_match(mention)
        )
        assert response.status_code == 403, user
        assert response.json()["code"] == "permission_denied"
    relink = client_for(other_reviewer).post(
        "/api/claim-mentions/",
        {"claim": mention.claim_id, "statement": mention.statement_id},
        format="json",
    )
    assert relink.status_code == 403
    assert f"Claim mention {mention.pk} was rejected" in relink.json()["message"]
    mention.refresh_from_db()
    assert (mention.status, mention.version) == ("rejected", 2)


def test_a_stale_or_missing_if_match_changes_nothing(mentions, api):
    """412 naming the version it is at; 428 without the header."""
    mention = mentions["suggested"][0]
    api.post(f"/api/claim-mentions/{mention.pk}/reject/", **_if_match(mention))
    stale = api.post(f"/api/claim-mentions/{mention.pk}/accept/", HTTP_IF_MATCH='"1"')
    assert stale.status_code == 412
    assert "at version 2" in stale.json()["message"]
    missing = api.delete(f"/api/claim-mentions/{mention.pk}/")
    assert missing.status_code == 428
    mention.refresh_from_db()
    assert (mention.status, mention.version) == ("rejected", 2)


def test_the_claims_list_leaves_proposed_claims_out_unless_asked(mentions, api):
    """Default and false: confirmed claims; true: proposed ones; by id: any."""

    def texts(query=""):
        return sorted(
            c["text"] for c in api.get(f"/api/claims/{query}").json()["results"]
        )

    assert texts() == texts("?proposed=false") == ["Prices rose"]
    assert texts("?proposed=true") == ["Proposed 0", "Proposed 1", "Proposed 2"]
    proposed = mentions["suggested"][0].claim
    detail = api.get(f"/api/claims/{proposed.pk}/")
    assert (detail.status_code, detail.json()["proposed"]) == (200, True)
    assert api.get(f"/api/claims/{proposed.pk}/mentions/").status_code == 200
    assert api.get("/api/claims/?proposed=maybe").status_code == 400


def test_the_document_gives_each_statement_its_mentions(mentions, api):
    """``claims`` stays the ids; ``mentions`` adds each link's status."""
    body = api.get(f"/api/documents/{mentions['document'].pk}/").json()
    first = body["statements"][0]
    assert first["claims"] == [m["claim"] for m in first["mentions"]]
    assert [(m["claim_text"], m["status"]) for m in first["mentions"]] == [
        ("Proposed 0", "suggested"), ("Prices rose", "accepted"),
    ]  # fmt: skip


def test_a_rejected_mention_is_not_an_appearance(mentions, api):
    """The statements filter and the timeline leave a rejected mention out."""
    mention = mentions["suggested"][0]
    claim = mention.claim_id

    def found():
        statements = api.get(f"/api/statements/?claim={claim}").json()["results"]
        timeline = api.get(f"/api/claims/{claim}/timeline/").json()["results"]
        return [s["id"] for s in statements], [t["mention"] for t in timeline]

    assert found() == ([mention.statement_id], [mention.pk])
    api.post(f"/api/claim-mentions/{mention.pk}/reject/", **_if_match(mention))
    assert found() == ([], [])
