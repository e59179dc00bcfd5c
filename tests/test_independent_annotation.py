"""Independent double annotation: each assignee annotates their own copy,
unseen by the others until every one is done; the rules in the database."""

import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client

from claims import selectors, services
from claims.agreement import agreement
from claims.exports import export_write
from claims.models import Attribution, ClaimMention, Document
from tests.independent import independent_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(db, django_user_model):
    return django_user_model.objects.create_user("reader", password="x")


@pytest.fixture
def document(reviewer, second, editor):
    """Two statements, one suggestion waiting on the first, assigned to two
    reviewers and marked for independent annotation by the editor."""
    return independent_document(reviewers=[reviewer, second], editor=editor)


def _statements(document):
    return list(document.statements.order_by("index"))


def _seen(user, document):
    """(kind, annotator) of the attributions on the document ``user`` sees."""
    return sorted(
        (a.kind, a.created_by.username if a.created_by else "")
        for a in selectors.attributions_listed(user).filter(
            statement__document=document
        )
    )


def _done(*users, document):
    for user in users:
        services.assignment_set_state(
            assignment=selectors.assignment_of(document.pk, user), state="done"
        )


def test_marking_needs_two_assigned_reviewers(reviewer, editor):
    """One assignee: refused, naming the rule; the flag stays off."""
    document = services.document_ingest(title="Solo", text="It rained.")
    services.documents_assign(
        documents=[document], reviewers=[reviewer], assigned_by=editor
    )
    with pytest.raises(ValidationError, match="at least 2 assigned reviewers"):
        services.document_independent_annotation_set(
            document=document, independent_annotation=True, changed_by=editor
        )
    document.refresh_from_db()
    assert not document.independent_annotation
    assert document.version == 1


def test_each_annotator_gets_their_own_copy_of_the_suggestions(
    document, reviewer, second
):
    """Origin manual, status suggested, created by the annotator; the shared
    suggestion stays for readers and editors."""
    copies = Attribution.objects.filter(independent=True).order_by("created_by_id")
    assert [(a.created_by, a.origin, a.status, a.kind) for a in copies] == [
        (reviewer, "manual", "suggested", "indirect"),
        (second, "manual", "suggested", "indirect"),
    ]
    assert Attribution.objects.filter(origin="suggested", independent=False).count()
    # Marking again copies nothing more.
    services.document_independent_annotation_set(
        document=document, independent_annotation=True
    )
    assert Attribution.objects.filter(independent=True).count() == 2


def test_two_annotators_see_only_their_own_work_until_both_are_done(
    document, reviewer, second, editor, reader
):
    """Each annotates the second statement differently and sees their own
    rows only (not the shared suggestion either); editors and readers see
    all; once every assignment is done each sees both."""
    later = _statements(document)[1]
    made = services.attribution_create(
        statement=later, kind="author", created_by=reviewer
    )
    assert (made.origin, made.status, made.independent) == (
        "manual",
        "suggested",
        True,
    )
    services.attribution_create(
        statement=later, kind="indirect", source_name="Ana", created_by=second
    )
    assert _seen(reviewer, document) == [
        ("author", "reviewer"),
        ("indirect", "reviewer"),
    ]
    assert _seen(second, document) == [
        ("indirect", "reviewer2"),
        ("indirect", "reviewer2"),
    ]
    everything = [
        ("author", "reviewer"),
        ("indirect", ""),
        ("indirect", "reviewer"),
        ("indirect", "reviewer2"),
        ("indirect", "reviewer2"),
    ]
    assert _seen(editor, document) == everything
    assert _seen(reader, document) == everything
    _done(reviewer, document=document)
    assert len(_seen(reviewer, document)) == 2  # the other is not done yet
    _done(second, document=document)
    assert _seen(reviewer, document) == everything
    assert _seen(second, document) == everything


def test_an_annotators_correction_stays_theirs_and_suggested(document, reviewer):
    copy = Attribution.objects.get(independent=True, created_by=reviewer)
    services.attribution_reject(attribution=copy, reviewed_by=reviewer)
    corrected = services.attribution_update(
        attribution=copy, kind="direct", changed_by=reviewer
    )
    assert (corrected.kind, corrected.status) == ("direct", "suggested")


def test_only_an_editor_accepts_an_annotators_row_and_only_one(
    document, reviewer, second, editor
):
    """Accepting is adjudication's: a reviewer is refused; the editor's
    second acceptance on the statement is refused too, nothing changed."""
    mine, theirs = Attribution.objects.filter(independent=True).order_by(
        "created_by_id"
    )
    with pytest.raises(ValidationError, match="until an editor adjudicates"):
        services.attribution_accept(attribution=mine, reviewed_by=reviewer)
    services.attribution_accept(attribution=mine, reviewed_by=editor)
    with pytest.raises(ValidationError, match="at most one"):
        services.attribution_accept(attribution=theirs, reviewed_by=editor)
    theirs.refresh_from_db()
    assert theirs.status == "suggested"


def test_the_database_refuses_two_accepted_attributions_on_a_statement(
    document, editor
):
    """Past the services: the partial unique constraint holds the rule."""
    mine, theirs = Attribution.objects.filter(independent=True)
    Attribution.objects.filter(pk=mine.pk).update(status="accepted")
    with pytest.raises(IntegrityError), transaction.atomic():
        Attribution.objects.filter(pk=theirs.pk).update(status="accepted")


def test_the_database_still_refuses_a_shared_manual_suggestion(document, editor):
    """Outside independent annotation a reviewer's own row is never suggested."""
    statement = _statements(document)[1]
    with pytest.raises(IntegrityError), transaction.atomic():
        Attribution.objects.create(
            statement=statement,
            kind="author",
            origin="manual",
            status="suggested",
            created_by=editor,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Attribution.objects.create(
            statement=statement,
            kind="author",
            origin="manual",
            status="suggested",
            independent=True,  # but nobody's
        )


def test_two_annotators_link_the_same_statement_to_a_claim(document, reviewer, second):
    """Once each: the same annotator's second link is a duplicate, in the
    service and in the database."""
    statement = _statements(document)[0]
    claim = services.claim_create(text="Rain comes")
    for user in (reviewer, second):
        mention = services.claim_mention_create(
            claim=claim, statement=statement, created_by=user
        )
        assert (mention.status, mention.origin, mention.independent) == (
            "suggested",
            "manual",
            True,
        )
    with pytest.raises(services.DuplicateMention):
        services.claim_mention_create(
            claim=claim, statement=statement, created_by=reviewer
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        ClaimMention.objects.create(
            claim=claim,
            statement=statement,
            origin="manual",
            status="suggested",
            created_by=reviewer,
            independent=True,
        )
    mentions = selectors.claim_mentions_listed(reviewer).filter(claim=claim)
    assert [m.created_by for m in mentions] == [reviewer]


def test_fewer_than_two_assignees_are_refused_while_marked(document, reviewer, editor):
    with pytest.raises(ValidationError, match="at least 2 reviewers"):
        services.document_assignments_set(
            document=document, reviewers=[reviewer], assigned_by=editor
        )
    assert document.assignments.count() == 2


def test_agreement_is_computed_from_the_annotators_rows(document, reviewer, second):
    """Statement 1: both keep their copy (indirect, indirect); statement 2:
    author against indirect. Percent agreement on kind by hand: 1 of 2."""
    later = _statements(document)[1]
    services.attribution_create(statement=later, kind="author", created_by=reviewer)
    services.attribution_create(
        statement=later, kind="indirect", source_name="Ana", created_by=second
    )
    _, annotators, units, _ = selectors.agreement_units(
        Document.objects.filter(pk=document.pk)
    )
    assert annotators == ["reviewer", "reviewer2"]
    kind = agreement(units["kind"], annotators)
    assert (kind.percent, kind.units) == (0.5, 2)
    # n = 4: indirect 3, author 1; o(a,i) = o(i,a) = 1: α = 1 - 3 * 2 / 6 = 0.
    assert kind.alpha == pytest.approx(0.0)


def test_an_annotators_export_leaves_out_the_others_work(document, reviewer, editor):
    """The export a job writes for its submitter (``viewer``)."""

    def kinds(viewer):
        out = io.StringIO()
        export_write(out, format="jsonl", documents=[document.pk], viewer=viewer)
        (record,) = [json.loads(line) for line in out.getvalue().splitlines()]
        return [
            (a["created_by"], a["status"])
            for s in record["statements"]
            for a in s["attributions"]
        ]

    assert kinds(reviewer) == [("reviewer", "suggested")]
    assert len(kinds(editor)) == 3


def test_the_admin_lists_hide_the_other_annotators_work(document, reviewer, second):
    """The attribution list shows the reviewer their own copy, and another's
    row's page answers that it does not exist."""
    theirs = Attribution.objects.get(independent=True, created_by=second)
    client = Client()
    client.force_login(reviewer)
    page = client.get("/admin/claims/attribution/")
    assert page.status_code == 200
    assert page.context["cl"].result_count == 1
    response = client.get(f"/admin/claims/attribution/{theirs.pk}/change/")
    assert response.status_code == 302  # "does not exist", back to the list


def test_the_admin_action_marks_documents_for_editors_only(reviewer, second, editor):
    document = services.document_ingest(title="Rents", text="Rents rose.")
    services.documents_assign(
        documents=[document], reviewers=[reviewer, second], assigned_by=editor
    )
    action = {"action": "mark_independent", "_selected_action": [document.pk]}
    client = Client()
    client.force_login(reviewer)
    client.post("/admin/claims/document/", action)
    document.refresh_from_db()
    assert not document.independent_annotation
    client.force_login(editor)
    client.post("/admin/claims/document/", action)
    document.refresh_from_db()
    assert document.independent_annotation
