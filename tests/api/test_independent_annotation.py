"""Independent double annotation through the API: editors mark a document;
each annotator's work is theirs alone, hidden from the others (404 by id,
absent from lists and nested reads) until every assignment is done."""

import pytest

from claims import selectors, services
from claims.models import Attribution, Claim, Document

pytestmark = pytest.mark.django_db


@pytest.fixture
def assigned(reviewer, other_reviewer, editor):
    document = services.document_ingest(
        title="Weather", text="Ana said rain comes. Sun is out, Ana said."
    )
    services.documents_assign(
        documents=[document],
        reviewers=[reviewer, other_reviewer],
        assigned_by=editor,
    )
    return document


@pytest.fixture
def marked(assigned, editor):
    services.document_independent_annotation_set(
        document=assigned, independent_annotation=True, changed_by=editor
    )
    return Document.objects.get(pk=assigned.pk)


@pytest.fixture
def annotated(marked, reviewer, other_reviewer):
    """The two annotators attribute the first statement differently and each
    links it to the same claim."""
    first = marked.statements.order_by("index").first()
    claim = services.claim_create(text="Rain comes")
    for user, kind in ((reviewer, "indirect"), (other_reviewer, "author")):
        services.attribution_create(
            statement=first, kind=kind, source_name="Ana", created_by=user
        )
        services.claim_mention_create(claim=claim, statement=first, created_by=user)
    return marked


def _mark(client, document, value=True):
    return client.post(
        f"/api/documents/{document.pk}/independent-annotation/",
        {"independent_annotation": value},
        format="json",
    )


def test_a_reviewer_may_not_mark_a_document(assigned, reviewer, client_for):
    """403, and the document is as it was."""
    response = _mark(client_for(reviewer), assigned)
    assert response.status_code == 403
    assigned.refresh_from_db()
    assert not assigned.independent_annotation


def test_marking_with_one_assignee_is_a_400_naming_the_rule(
    reviewer, editor, client_for
):
    document = services.document_ingest(title="Solo", text="It rained.")
    services.documents_assign(
        documents=[document], reviewers=[reviewer], assigned_by=editor
    )
    response = _mark(client_for(editor), document)
    assert response.status_code == 400
    assert "at least 2 assigned reviewers" in str(response.json())
    document.refresh_from_db()
    assert not document.independent_annotation


def test_an_editor_marks_it_and_the_documents_say_so(assigned, editor, client_for):
    client = client_for(editor)
    response = _mark(client, assigned)
    assert response.status_code == 200
    assert response.json()["independent_annotation"] is True
    detail = client.get(f"/api/documents/{assigned.pk}/").json()
    assert detail["independent_annotation"] is True
    assert _mark(client, assigned, value=False).json()["independent_annotation"] is (
        False
    )


def test_an_annotators_attribution_is_theirs_and_suggested(
    marked, reviewer, client_for
):
    statement = marked.statements.order_by("index").first()
    response = client_for(reviewer).post(
        "/api/attributions/",
        {"statement": statement.pk, "kind": "author"},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["origin"], body["created_by"]) == (
        "suggested",
        "manual",
        "reviewer",
    )


def test_another_annotators_attribution_is_a_404_and_absent_from_reads(
    annotated, reviewer, other_reviewer, client_for
):
    """By id, in the list, in the statements (list and detail), in the
    document, its W3C annotations, and the claim mentions."""
    theirs = Attribution.objects.get(created_by=other_reviewer)
    client = client_for(reviewer)
    assert client.get(f"/api/attributions/{theirs.pk}/").status_code == 404
    listed = client.get("/api/attributions/").json()["results"]
    assert [a["created_by"] for a in listed] == ["reviewer"]
    statements = client.get(f"/api/statements/?document={annotated.pk}").json()
    first = statements["results"][0]
    assert [a["created_by"] for a in first["attributions"]] == ["reviewer"]
    assert [m["created_by"] for m in first["mentions"]] == ["reviewer"]
    detail = client.get(f"/api/statements/{first['id']}/").json()
    assert [a["created_by"] for a in detail["attributions"]] == ["reviewer"]
    document = client.get(f"/api/documents/{annotated.pk}/").json()
    nested = document["statements"][0]
    assert [a["created_by"] for a in nested["attributions"]] == ["reviewer"]
    assert [m["created_by"] for m in nested["mentions"]] == ["reviewer"]
    annotations = client.get(f"/api/documents/{annotated.pk}/annotations/").json()
    assert len(annotations["first"]["items"]) == 2  # their attribution and link
    mentions = client.get("/api/claim-mentions/").json()["results"]
    assert [m["created_by"] for m in mentions] == ["reviewer"]
    hidden = selectors.claim_mentions_listed().get(created_by=other_reviewer)
    assert client.get(f"/api/claim-mentions/{hidden.pk}/").status_code == 404


def test_the_statement_filters_do_not_tell_another_annotators_work(
    annotated, reviewer, other_reviewer, editor, client_for
):
    """The other annotator said "author" and linked the claim: filtering by
    that kind, or by the claim, finds only what the annotator may see."""
    claim = Claim.objects.get(text="Rain comes")
    base = f"/api/statements/?document={annotated.pk}"

    def found(user, query):
        return client_for(user).get(f"{base}&{query}").json()["count"]

    assert found(reviewer, "kind=author") == 0
    assert found(reviewer, "kind=indirect") == 1  # their own
    assert found(other_reviewer, "kind=author") == 1
    assert found(editor, "kind=author") == 1
    # Each linked the claim: the one's own link counts, never the other's.
    services.claim_mention_reject(
        mention=selectors.claim_mentions_listed().get(
            created_by=reviewer, statement__document=annotated
        ),
        reviewed_by=reviewer,
    )
    assert found(reviewer, f"claim={claim.pk}") == 0
    assert found(other_reviewer, f"claim={claim.pk}") == 1


def test_once_both_are_done_each_sees_both(
    annotated, reviewer, other_reviewer, client_for
):
    for user in (reviewer, other_reviewer):
        response = client_for(user).post(
            f"/api/documents/{annotated.pk}/review-state/",
            {"review_state": "done"},
            format="json",
        )
        assert response.status_code == 200
    listed = client_for(reviewer).get("/api/attributions/").json()["results"]
    assert sorted(a["created_by"] for a in listed) == ["reviewer", "reviewer2"]


def test_readers_and_editors_see_all_the_while(annotated, reader, editor, client_for):
    for user in (reader, editor):
        listed = client_for(user).get("/api/attributions/").json()["results"]
        assert sorted(a["created_by"] for a in listed) == ["reviewer", "reviewer2"]


def test_an_annotator_may_not_accept_their_own_row(annotated, reviewer, client_for):
    """Accepting is the editor's adjudication: a 400 naming it."""
    mine = Attribution.objects.get(created_by=reviewer)
    response = client_for(reviewer).post(
        f"/api/attributions/{mine.pk}/accept/", HTTP_IF_MATCH='"1"'
    )
    assert response.status_code == 400
    assert "adjudicates" in str(response.json())
    mine.refresh_from_db()
    assert mine.status == "suggested"


# The lists an annotator reads, pinned: the rule is a subquery of each
# query, not a query of its own.
@pytest.mark.parametrize(
    ("url", "queries"),
    [
        ("/api/attributions/", 2),
        ("/api/claim-mentions/", 2),
        ("/api/statements/?document={document}", 4),
        ("/api/documents/{document}/", 7),
        ("/api/documents/", 5),
    ],
)
def test_an_annotators_reads_take_a_fixed_number_of_queries(
    annotated, reviewer, client_for, django_assert_num_queries, url, queries
):
    client = client_for(reviewer)
    with django_assert_num_queries(queries):
        response = client.get(url.format(document=annotated.pk))
    assert response.status_code == 200
