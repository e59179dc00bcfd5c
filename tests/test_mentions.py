"""Claim mentions reviewed like attributions (claims.services.mentions), and
proposed claims: what suggestions create, reviewers confirm or turn down."""

import pytest
from django.core.exceptions import ValidationError

from claims import services
from claims.models import Claim, ClaimMention
from claims.services import DuplicateMention, VersionConflict

pytestmark = pytest.mark.django_db

TEXT = (
    "The port handled 12,800 containers in 2023, the highest number on record. "
    "Officials said the harbour would be dredged next year."
)


@pytest.fixture
def suggested(reviewer):
    """A document after one suggestion run: proposed claims, waiting mentions."""
    document = services.document_ingest(title="Port", text=TEXT)
    services.document_suggest(document=document)
    return document


def _waiting(document):
    return ClaimMention.objects.filter(
        statement__document=document, status="suggested"
    ).order_by("statement__index")


def test_suggestions_propose_their_claims_with_history(suggested):
    """A claim only a suggestion names is proposed; its mention has a history."""
    mention = _waiting(suggested).first()
    assert mention.claim.proposed
    assert (mention.origin, mention.version, mention.reviewed_by) == (
        "suggested", 1, None,
    )  # fmt: skip
    assert [h.history_type for h in mention.history.all()] == ["+"]


def test_accepting_a_mention_confirms_its_claim(suggested, reviewer):
    """Accepted, by whom and when, at the next version; the claim is confirmed."""
    mention = _waiting(suggested).first()
    accepted = services.claim_mention_accept(
        mention=mention, reviewed_by=reviewer, expected_version=1
    )
    assert (accepted.status, accepted.reviewed_by, accepted.version) == (
        "accepted", reviewer, 2,
    )  # fmt: skip
    assert accepted.reviewed_at is not None
    assert not Claim.objects.get(pk=mention.claim_id).proposed
    assert [h.status for h in accepted.history.order_by("history_id")] == [
        "suggested", "accepted",
    ]  # fmt: skip


def test_rejecting_the_last_mention_keeps_the_claim_proposed_and_hidden(
    suggested, reviewer
):
    """The rejected mention stays; the claim stays proposed; a re-run does not
    propose it on that statement again."""
    mention = _waiting(suggested).first()
    services.claim_mention_reject(mention=mention, reviewed_by=reviewer)
    claim = Claim.objects.get(pk=mention.claim_id)
    assert claim.proposed
    report = services.document_suggest(document=suggested)
    again = ClaimMention.objects.filter(statement=mention.statement)
    assert list(again.values_list("claim_id", "status")) == [(claim.pk, "rejected")]
    assert (report.claims_proposed, report.mentions_created) == (0, 0)


def test_a_rerun_drops_the_proposed_claims_only_its_suggestions_held(suggested):
    """Untouched suggestions are replaced; their proposed claims do not pile up."""
    before = set(Claim.objects.values_list("text", flat=True))
    services.document_suggest(document=suggested)
    assert set(Claim.objects.values_list("text", flat=True)) == before
    assert Claim.objects.filter(proposed=True).count() == len(before)


def test_suggestions_never_change_a_reviewed_claim(suggested, reviewer):
    """A claim with a review keeps its wording, status and version; a second
    document's suggestion only adds a mention waiting for a reviewer."""
    claim = _waiting(suggested).first().claim
    services.claim_review_create(
        claim=claim, reviewer=reviewer, rating=4, summary="Mostly true."
    )
    claim.refresh_from_db()
    assert not claim.proposed  # a reviewer has taken it up
    seen = (claim.text, claim.status, claim.version)
    other = services.document_ingest(
        title="Port again", text=TEXT.split(". ")[0] + ", the port said."
    )
    services.document_suggest(document=other)
    services.document_suggest(document=other)
    claim.refresh_from_db()
    assert (claim.text, claim.status, claim.version) == seen
    assert claim.mentions.filter(statement__document=other, status="suggested").exists()


def test_a_pair_already_linked_is_refused_naming_the_mention(suggested, reviewer):
    """DuplicateMention names the existing mention; nothing is written."""
    mention = _waiting(suggested).first()
    with pytest.raises(DuplicateMention) as refused:
        services.claim_mention_create(
            claim=mention.claim, statement=mention.statement, created_by=reviewer
        )
    assert f"claim mention {mention.pk} (suggested)" in refused.value.messages[0]
    assert isinstance(refused.value, ValidationError)
    mention.refresh_from_db()
    assert (mention.status, mention.version) == ("suggested", 1)


def test_linking_a_rejected_mention_again_accepts_it(suggested, reviewer):
    """The same row, accepted by whoever linked it, at its next version."""
    mention = _waiting(suggested).first()
    services.claim_mention_reject(mention=mention, reviewed_by=reviewer)
    relinked = services.claim_mention_create(
        claim=mention.claim, statement=mention.statement, created_by=reviewer
    )
    assert (relinked.pk, relinked.status, relinked.version) == (
        mention.pk, "accepted", 3,
    )  # fmt: skip
    assert not Claim.objects.get(pk=mention.claim_id).proposed


def test_a_stale_version_changes_nothing(suggested, reviewer):
    """Accept against a version someone has moved past: VersionConflict."""
    mention = _waiting(suggested).first()
    services.claim_mention_reject(mention=mention, reviewed_by=reviewer)
    with pytest.raises(VersionConflict):
        services.claim_mention_accept(
            mention=mention, reviewed_by=reviewer, expected_version=1
        )
    mention.refresh_from_db()
    assert (mention.status, mention.version) == ("rejected", 2)
    assert Claim.objects.get(pk=mention.claim_id).proposed


def test_unlinking_the_only_mention_of_a_proposed_claim_drops_the_claim(
    suggested, reviewer
):
    """Nothing names the claim any more; a reviewer's claim stays unlinked."""
    first = _waiting(suggested).get()
    own = services.claim_create(
        text="The harbour will be dredged",
        statements=[suggested.statements.get(index=1)],
        created_by=reviewer,
    ).mentions.get()
    assert (own.status, own.reviewed_by) == ("accepted", reviewer)
    services.claim_mention_delete(mention=first, expected_version=1)
    services.claim_mention_delete(mention=own, expected_version=1)
    assert not Claim.objects.filter(pk=first.claim_id).exists()
    assert Claim.objects.filter(pk=own.claim_id).exists()
    assert [h.history_type for h in first.history.order_by("history_id")] == [
        "+", "-",
    ]  # fmt: skip


def test_the_w3c_export_carries_each_mention_with_its_review(suggested, reviewer):
    """A linking Annotation: the claim, its status, who reviewed it and when."""
    from claims import selectors
    from claims.formats import w3c

    mention = _waiting(suggested).get()
    services.claim_mention_reject(mention=mention, reviewed_by=reviewer)
    document = selectors.documents_for_annotations().get(pk=suggested.pk)
    linking = [
        a for a in w3c.document_annotations(document) if a["motivation"] == "linking"
    ]
    assert len(linking) == 1
    body = linking[0]["body"]
    assert body["source"].endswith(f"/api/claims/{mention.claim_id}/")
    assert (body["claims:claim"], body["claims:status"], body["claims:origin"]) == (
        mention.claim.text, "rejected", "suggested",
    )  # fmt: skip
    assert body["claims:reviewedBy"] == {"type": "Person", "nickname": "reviewer"}
    assert linking[0]["id"].endswith(f"/api/claim-mentions/{mention.pk}/")


def test_a_mentions_review_travels_in_the_interchange_format(reviewer, editor):
    """JSONL carries each mention's origin, status and reviewer, and an
    administrator's import keeps them."""
    from claims.interchange import export_document
    from claims.models import Document
    from claims.selectors import documents_for_export

    document = services.document_ingest(title="T", text="Prices rose 40% in 2023.")
    claim = services.claim_create(text="Prices rose 40% in 2023")
    mention = services.claim_mention_create(
        claim=claim, statement=document.statements.get(), origin="suggested"
    )
    services.claim_mention_reject(mention=mention, reviewed_by=editor)
    record = export_document(documents_for_export().get())
    assert record["statements"][0]["claims"] == [
        {"text": claim.text, "origin": "suggested", "status": "rejected",
         "reviewed_by": "editor"}
    ]  # fmt: skip
    ClaimMention.objects.all().delete()
    Document.objects.all().delete()
    services.documents_import(records=[("f:1", record)], trust_authorship=True)
    again = ClaimMention.objects.get()
    assert (again.origin, again.status, again.reviewed_by) == (
        "suggested", "rejected", editor,
    )  # fmt: skip
