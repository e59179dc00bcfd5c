"""Assignments and queues: editors assign documents, reviewers work through
their queue and set their own state."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from claims import services
from claims.models import Assignment, review_state_of

pytestmark = pytest.mark.django_db


def _document(title: str, text: str):
    return services.document_ingest(title=title, text=text)


@pytest.fixture
def documents(seed):
    return [
        seed,
        _document("Rents", "Rents rose. The mayor said so."),
        _document("Taxes", "Taxes fell."),
    ]


@pytest.fixture
def reader(db, django_user_model):
    return django_user_model.objects.create_user("reader", password="x")


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_review_state_follows_the_assignments():
    """None unassigned; done when all are; in review once one started."""
    assert review_state_of([]) is None
    assert review_state_of(["to_do", "to_do"]) == "to_do"
    assert review_state_of(["to_do", "done"]) == "in_review"
    assert review_state_of(["in_review"]) == "in_review"
    assert review_state_of(["done", "done"]) == "done"


def test_assigning_to_a_user_who_is_not_a_reviewer_is_refused(
    documents, reviewer, editor, reader
):
    """The error names the user; nothing is assigned, not even the others."""
    with pytest.raises(ValidationError, match="Not a reviewer: reader"):
        services.documents_assign(
            documents=documents, reviewers=[reviewer, reader], assigned_by=editor
        )
    assert not Assignment.objects.exists()


def test_assigning_again_keeps_what_is_there(documents, reviewer, editor):
    """A second batch adds only the new pairs; a started one keeps its state."""
    made = services.documents_assign(
        documents=documents[:1], reviewers=[reviewer], assigned_by=editor
    )
    services.assignment_set_state(assignment=made[0], state="in_review")
    again = services.documents_assign(
        documents=documents, reviewers=[reviewer, editor], assigned_by=editor
    )
    assert len(again) == 5
    assert Assignment.objects.get(document=documents[0], reviewer=reviewer).state == (
        "in_review"
    )


def test_an_unknown_state_is_refused(documents, reviewer, editor):
    (assignment,) = services.documents_assign(
        documents=documents[:1], reviewers=[reviewer], assigned_by=editor
    )
    with pytest.raises(ValidationError, match="not a review state"):
        services.assignment_set_state(assignment=assignment, state="finished")
    assignment.refresh_from_db()
    assert (assignment.state, assignment.version) == ("to_do", 1)


# The admin ------------------------------------------------------------------


def test_an_editor_assigns_several_documents_from_the_list(documents, reviewer, editor):
    """The action asks whom, then assigns each selected document to each."""
    client = Client()
    client.force_login(editor)
    selected = [d.pk for d in documents[:2]]
    asked = client.post(
        "/admin/claims/document/",
        {"action": "assign", "_selected_action": selected},
    )
    assert asked.status_code == 200
    assert "Assign documents to reviewers" in asked.content.decode()
    done = client.post(
        "/admin/claims/document/",
        {
            "action": "assign",
            "_selected_action": selected,
            "reviewers": [reviewer.pk, editor.pk],
        },
    )
    assert done.status_code == 302
    assert Assignment.objects.filter(document_id__in=selected).count() == 4
    listed = client.get("/admin/claims/document/").content.decode()
    assert "To do (editor, reviewer)" in listed or "To do (reviewer, editor)" in listed


def test_a_reviewer_cannot_assign(documents, reviewer):
    """The action is not offered, and posting it anyway is refused."""
    client = Client()
    client.force_login(reviewer)
    page = client.get("/admin/claims/document/").content.decode()
    assert 'value="assign"' not in page
    response = client.post(
        "/admin/claims/document/",
        {
            "action": "assign",
            "_selected_action": [documents[0].pk],
            "reviewers": [reviewer.pk],
        },
    )
    assert response.status_code in (200, 302, 403)
    assert not Assignment.objects.exists()


def test_my_queue_lists_my_documents_oldest_first_with_what_waits(
    documents, reviewer, editor, django_assert_num_queries
):
    """Statements and suggestions waiting on each; a fixed number of queries
    whatever the queue's length; the state is set from the row."""
    services.attribution_create(
        statement=documents[1].statements.get(index=0),
        kind="author",
        origin="suggested",
    )
    for document in reversed(documents):
        services.documents_assign(
            documents=[document], reviewers=[reviewer], assigned_by=editor
        )
    # The seed was assigned last; make it the oldest.
    seed_assignment = Assignment.objects.get(document=documents[0])
    Assignment.objects.filter(pk=seed_assignment.pk).update(
        assigned_at=timezone.now() - datetime.timedelta(days=1)
    )
    client = Client()
    client.force_login(reviewer)
    client.get("/admin/claims/document/queue/")  # the session, warmed
    # Session, user, groups, the queue, and the admin menu's two permission
    # reads: as many for one document as for three.
    with django_assert_num_queries(6):
        page = client.get("/admin/claims/document/queue/")
    rows = page.context["queue"]
    assert [a.document.title for a in rows] == [
        documents[0].title,
        "Taxes",
        "Rents",
    ]
    assert [(a.statement_count, a.waiting_count) for a in rows] == [
        (documents[0].statements.count(), 0),
        (1, 0),
        (2, 1),
    ]
    response = client.post(
        "/admin/claims/document/queue/",
        {"document": documents[1].pk, "state": "done", "version": 1},
    )
    assert response.status_code == 302
    assert Assignment.objects.get(document=documents[1]).state == "done"


def test_a_reviewer_cannot_set_the_state_of_a_document_not_theirs(
    documents, reviewer, editor
):
    services.documents_assign(
        documents=documents[:1], reviewers=[editor], assigned_by=editor
    )
    client = Client()
    client.force_login(reviewer)
    client.post(
        "/admin/claims/document/queue/",
        {"document": documents[0].pk, "state": "done"},
    )
    assert Assignment.objects.get().state == "to_do"


# The API --------------------------------------------------------------------


def test_documents_answer_whom_they_are_assigned_to_and_filter_by_it(
    documents, reviewer, editor, django_assert_num_queries
):
    services.documents_assign(
        documents=documents[:2], reviewers=[reviewer], assigned_by=editor
    )
    services.assignment_set_state(
        assignment=Assignment.objects.get(document=documents[1]), state="done"
    )
    client = _api(reviewer)
    with django_assert_num_queries(5):
        listed = client.get("/api/documents/").json()["results"]
    by_title = {d["title"]: d for d in listed}
    assert by_title["Rents"]["assigned_to"] == ["reviewer"]
    assert by_title["Rents"]["review_state"] == "done"
    assert by_title["Taxes"]["review_state"] is None
    mine = client.get("/api/documents/?assigned_to=reviewer").json()["results"]
    assert {d["title"] for d in mine} == {documents[0].title, "Rents"}
    done = client.get("/api/documents/?review_state=done").json()["results"]
    assert [d["title"] for d in done] == ["Rents"]
    to_do = client.get("/api/documents/?review_state=to_do").json()["results"]
    assert [d["title"] for d in to_do] == [documents[0].title]
    bad = client.get("/api/documents/?review_state=finished")
    assert bad.status_code == 400
    detail = client.get(f"/api/documents/{documents[1].pk}/").json()
    assert (detail["assigned_to"], detail["review_state"]) == (["reviewer"], "done")


def test_editors_set_assignments_through_the_api(documents, reviewer, editor, reader):
    """POST the whole list; a non-reviewer is refused, naming them, and
    nothing changes; a reviewer may not assign."""
    path = f"/api/documents/{documents[1].pk}/assignments/"
    answer = _api(editor).post(path, {"assigned_to": ["reviewer"]}, format="json")
    assert answer.status_code == 200
    assert answer.json()["assigned_to"] == ["reviewer"]
    refused = _api(editor).post(
        path, {"assigned_to": ["editor", "reader"]}, format="json"
    )
    assert refused.status_code == 400
    assert "reader" in str(refused.json())
    unknown = _api(editor).post(path, {"assigned_to": ["nobody"]}, format="json")
    assert unknown.status_code == 400
    assert [a.reviewer for a in Assignment.objects.all()] == [reviewer]
    forbidden = _api(reviewer).post(path, {"assigned_to": ["reviewer"]}, format="json")
    assert forbidden.status_code == 403
    emptied = _api(editor).post(path, {"assigned_to": []}, format="json")
    assert emptied.json()["assigned_to"] == []
    assert not Assignment.objects.exists()


def test_reviewers_set_the_state_of_their_own_assignment_only(
    documents, reviewer, editor
):
    services.documents_assign(
        documents=documents[1:2], reviewers=[editor], assigned_by=editor
    )
    path = f"/api/documents/{documents[1].pk}/review-state/"
    refused = _api(reviewer).post(path, {"review_state": "done"}, format="json")
    assert refused.status_code == 403
    assert Assignment.objects.get().state == "to_do"
    answer = _api(editor).post(path, {"review_state": "in_review"}, format="json")
    assert answer.json()["review_state"] == "in_review"
    bad = _api(editor).post(path, {"review_state": "finished"}, format="json")
    assert bad.status_code == 400
    assert Assignment.objects.get().state == "in_review"
