"""Adjudication: an editor makes the final attribution where independent
annotators differ, and accepts where they agree in one step; the others'
rows are rejected and kept. Services, the API and the admin page."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from rest_framework.test import APIClient

from claims import selectors, services
from claims.models import Attribution, ClaimMention, Document

pytestmark = pytest.mark.django_db

TEXT = "Ana said rain comes. Sun is out, Ana said. Clouds gather, says Bo."


def _done(document, *users):
    for user in users:
        services.assignment_set_state(
            assignment=selectors.assignment_of(document.pk, user), state="done"
        )


def make_document(reviewer, second, editor, title="Weather", extra=0):
    """Three statements (and ``extra`` more, like the second) annotated by
    two reviewers, both done:

    - 0: a suggestion both kept (their copies agree), both link "rain";
    - 1: reviewer says author, reviewer2 indirect (Ana); reviewer2 alone
      links "sun";
    - 2: reviewer alone attributes it (Bo).
    """
    text = TEXT + "".join(f" Wind {n} rises, Ana said." for n in range(extra))
    document = services.document_ingest(title=title, text=text)
    statements = list(document.statements.order_by("index"))
    services.attribution_create(
        statement=statements[0],
        kind="indirect",
        source_name="Ana",
        cue=(4, 8),
        origin="suggested",
    )
    services.documents_assign(
        documents=[document], reviewers=[reviewer, second], assigned_by=editor
    )
    services.document_independent_annotation_set(
        document=document, independent_annotation=True, changed_by=editor
    )
    rain = services.claim_get_or_create(text="Rain comes")
    sun = services.claim_get_or_create(text="The sun is out")
    for user in (reviewer, second):
        services.claim_mention_create(
            claim=rain, statement=statements[0], created_by=user
        )
    for statement in [statements[1], *statements[3:]]:
        services.attribution_create(
            statement=statement, kind="author", created_by=reviewer
        )
        services.attribution_create(
            statement=statement, kind="indirect", source_name="Ana", created_by=second
        )
        services.claim_mention_create(claim=sun, statement=statement, created_by=second)
    services.attribution_create(
        statement=statements[2], kind="indirect", source_name="Bo", created_by=reviewer
    )
    _done(document, reviewer, second)
    return Document.objects.get(pk=document.pk)


@pytest.fixture
def document(reviewer, second, editor):
    return make_document(reviewer, second, editor)


def _statements(document):
    return list(document.statements.order_by("index"))


def _row(statement, user):
    return Attribution.objects.get(statement=statement, created_by=user)


def _snapshot(document):
    """Every attribution and mention of the document as it stands."""
    return (
        sorted(
            Attribution.objects.filter(statement__document=document).values_list(
                "pk", "status", "reviewed_by", "version"
            )
        ),
        sorted(
            ClaimMention.objects.filter(statement__document=document).values_list(
                "pk", "status", "reviewed_by", "version"
            )
        ),
    )


# Services ---------------------------------------------------------------------


def test_the_rows_show_where_the_annotators_differ_side_by_side(document):
    """Statements 1 and 2 differ (statement 1 in its claim link too);
    statement 0 and its link to "rain" are agreed on."""
    rows = selectors.adjudication_rows(document)
    first, middle, last = _statements(document)
    assert rows.annotators == ["reviewer", "reviewer2"]
    assert rows.waiting_for == []
    assert [s.statement for s in rows.differing] == [middle, last]
    middle_rows = rows.differing[0]
    assert [
        (w.annotator, [a.kind for a in w.attributions]) for w in middle_rows.work
    ] == [
        ("reviewer", ["author"]),
        ("reviewer2", ["indirect"]),
    ]
    assert [
        (p.claim.text, p.linked_by, p.not_linked_by) for p in middle_rows.claims
    ] == [("The sun is out", ["reviewer2"], ["reviewer"])]
    assert [(w.annotator, len(w.attributions)) for w in rows.differing[1].work] == [
        ("reviewer", 1),
        ("reviewer2", 0),
    ]
    assert [[a.statement for a in same] for same in rows.agreeing_attributions] == [
        [first, first]
    ]
    assert len(rows.agreeing_mentions) == 1


def test_taking_one_annotators_row_accepts_it_and_rejects_the_others(
    document, reviewer, second, editor
):
    """Accepted with reviewed_by the editor; the other's row rejected,
    reviewed by the editor, kept with its history."""
    middle = _statements(document)[1]
    mine, theirs = _row(middle, reviewer), _row(middle, second)
    outcome = services.statement_adjudicate(
        statement=middle, chosen=theirs, adjudicated_by=editor
    )
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (theirs.status, theirs.reviewed_by, theirs.reviewed_at is not None) == (
        "accepted",
        editor,
        True,
    )
    assert (mine.status, mine.reviewed_by) == ("rejected", editor)
    assert [r.pk for r in outcome.accepted] == [theirs.pk]
    assert [r.pk for r in outcome.rejected] == [mine.pk]
    assert [h.status for h in mine.history.order_by("history_id")] == [
        "suggested",
        "rejected",
    ]
    # Adjudicated: the statement waits no more.
    assert middle not in [
        s.statement
        for s in selectors.adjudication_rows(document).differing
        if not s.attributions_agree
    ]
    with pytest.raises(ValidationError, match="no annotator's attribution waiting"):
        services.statement_adjudicate(
            statement=middle, chosen=mine, adjudicated_by=editor
        )


def test_an_edit_makes_the_final_accepted_row(document, reviewer, editor):
    """The editor's own attribution, accepted and reviewed by them; the
    annotator's rejected."""
    last = _statements(document)[2]
    outcome = services.statement_adjudicate(
        statement=last,
        edit={"kind": "direct", "source_name": "Bo", "cue": (58, 62)},
        adjudicated_by=editor,
    )
    final = outcome.accepted[0]
    assert isinstance(final, Attribution)
    final.refresh_from_db()
    assert (final.kind, final.source.name, final.cue_start, final.status) == (
        "direct",
        "Bo",
        58,
        "accepted",
    )
    assert (final.created_by, final.reviewed_by, final.independent) == (
        editor,
        editor,
        False,
    )
    assert _row(last, reviewer).status == "rejected"


def test_accept_agreeing_accepts_only_where_all_agree(
    document, reviewer, second, editor
):
    """Statement 0: the first annotator's copy accepted, the other's and the
    shared suggestion rejected; its link to "rain" likewise. The rest waits."""
    first, middle, last = _statements(document)
    before = _snapshot(document)
    outcome = services.document_accept_agreeing(
        document=document, adjudicated_by=editor
    )
    assert _row(first, reviewer).status == "accepted"
    assert _row(first, reviewer).reviewed_by == editor
    assert _row(first, second).status == "rejected"
    shared = Attribution.objects.get(statement=first, independent=False)
    assert (shared.status, shared.reviewed_by) == ("rejected", editor)
    rain = ClaimMention.objects.filter(statement=first).order_by("created_by__username")
    assert [(m.created_by, m.status) for m in rain] == [
        (reviewer, "accepted"),
        (second, "rejected"),
    ]
    assert len(outcome.accepted) == 2
    for statement in (middle, last):
        assert set(statement.attributions.values_list("status", flat=True)) == {
            "suggested"
        }
    assert ClaimMention.objects.get(statement=middle).status == "suggested"
    assert _snapshot(document) != before
    # Nothing agreeing is left: a second time changes nothing.
    again = _snapshot(document)
    services.document_accept_agreeing(document=document, adjudicated_by=editor)
    assert _snapshot(document) == again


def test_a_claim_link_only_some_made_is_decided(document, second, editor):
    middle = _statements(document)[1]
    sun = services.claim_get_or_create(text="The sun is out")
    services.statement_claim_adjudicate(
        statement=middle, claim=sun, linked=True, adjudicated_by=editor
    )
    mention = ClaimMention.objects.get(statement=middle)
    assert (mention.created_by, mention.status, mention.reviewed_by) == (
        second,
        "accepted",
        editor,
    )


def test_a_reviewer_may_not_adjudicate(document, reviewer):
    """PermissionDenied, and nothing changed."""
    middle = _statements(document)[1]
    before = _snapshot(document)
    with pytest.raises(PermissionDenied, match="Only editors"):
        services.statement_adjudicate(
            statement=middle, chosen=_row(middle, reviewer), adjudicated_by=reviewer
        )
    with pytest.raises(PermissionDenied):
        services.document_accept_agreeing(document=document, adjudicated_by=reviewer)
    assert _snapshot(document) == before


def test_adjudication_waits_for_every_annotator(reviewer, second, editor):
    """An annotator still at work: refused, naming them; nothing changed."""
    document = make_document(reviewer, second, editor)
    services.assignment_set_state(
        assignment=selectors.assignment_of(document.pk, second), state="in_review"
    )
    before = _snapshot(document)
    with pytest.raises(ValidationError, match="still annotating: reviewer2"):
        services.document_accept_agreeing(document=document, adjudicated_by=editor)
    assert _snapshot(document) == before


def test_a_document_not_marked_is_refused(document, reviewer, editor):
    services.document_independent_annotation_set(
        document=document, independent_annotation=False, changed_by=editor
    )
    middle = _statements(document)[1]
    before = _snapshot(document)
    with pytest.raises(ValidationError, match="not marked for independent"):
        services.statement_adjudicate(
            statement=middle, chosen=_row(middle, reviewer), adjudicated_by=editor
        )
    assert _snapshot(document) == before


def test_adjudicating_leaves_the_agreement_figures_as_they_were(
    document, second, editor
):
    """The annotators' rows an adjudication rejects still carry their values."""
    documents = Document.objects.filter(pk=document.pk)
    before = selectors.agreement_units(documents)
    middle, last = _statements(document)[1:]
    services.statement_adjudicate(
        statement=middle, chosen=_row(middle, second), adjudicated_by=editor
    )
    services.statement_adjudicate(
        statement=last, edit={"kind": "author"}, adjudicated_by=editor
    )
    services.document_accept_agreeing(document=document, adjudicated_by=editor)
    assert selectors.agreement_units(documents) == before


# The API ----------------------------------------------------------------------


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def _path(document, rest=""):
    return f"/api/documents/{document.pk}/adjudication/{rest}"


@pytest.mark.parametrize("extra", [0, 3])
def test_the_endpoint_lists_the_differing_statements_in_fixed_queries(
    reviewer, second, editor, extra, django_assert_num_queries
):
    """As many queries for 2 differing statements as for 5: the user's
    groups, the document, its assignments, the attributions, the links."""
    document = make_document(reviewer, second, editor, extra=extra)
    client = _api(editor)
    with django_assert_num_queries(5):
        response = client.get(_path(document))
    assert response.status_code == 200
    answer = response.json()
    assert answer["annotators"] == ["reviewer", "reviewer2"]
    assert answer["agreeing"] == {"statements": 1, "claims": 1}
    assert len(answer["statements"]) == 2 + extra
    middle = answer["statements"][0]
    assert middle["text"] == "Sun is out, Ana said."
    assert [
        (w["annotator"], [a["kind"] for a in w["attributions"]])
        for w in middle["annotators"]
    ] == [("reviewer", ["author"]), ("reviewer2", ["indirect"])]
    assert middle["claims"][0]["linked_by"] == ["reviewer2"]


def test_the_api_takes_a_row_writes_an_edit_and_accepts_the_agreeing(
    document, reviewer, second, editor
):
    client = _api(editor)
    first, middle, last = _statements(document)
    theirs = _row(middle, second)
    response = client.post(
        _path(document),
        {"statement": middle.pk, "attribution": theirs.pk},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["attributions"] == {
        "accepted": [theirs.pk],
        "rejected": [_row(middle, reviewer).pk],
    }
    response = client.post(
        _path(document),
        {
            "statement": last.pk,
            "kind": "indirect",
            "source_name": "Bo",
            "cue": {"start": 58, "end": 62},
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    final = Attribution.objects.get(pk=response.json()["attributions"]["accepted"][0])
    assert (final.status, final.reviewed_by, final.cue_end) == ("accepted", editor, 62)
    response = client.post(_path(document, "accept-agreeing/"))
    assert response.status_code == 200
    assert _row(first, reviewer).status == "accepted"
    sun = ClaimMention.objects.get(statement=middle)
    response = client.post(
        _path(document),
        {"statement": middle.pk, "claim": sun.claim_id, "linked": False},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["claim_mentions"]["rejected"] == [sun.pk]
    assert client.get(_path(document)).json()["statements"] == []


def test_a_reviewer_gets_403_and_nothing_changes(document, reviewer):
    client = _api(reviewer)
    middle = _statements(document)[1]
    before = _snapshot(document)
    assert client.get(_path(document)).status_code == 403
    response = client.post(
        _path(document),
        {"statement": middle.pk, "attribution": _row(middle, reviewer).pk},
        format="json",
    )
    assert response.status_code == 403
    assert client.post(_path(document, "accept-agreeing/")).status_code == 403
    assert _snapshot(document) == before


def test_bad_ids_are_a_400_naming_the_problem(document, reviewer, second, editor):
    """A statement of another document, an attribution of another statement,
    an unknown claim, a document not marked: 400, nothing changed."""
    other = make_document(reviewer, second, editor, title="Other", extra=1)
    client = _api(editor)
    middle, last = _statements(document)[1:]
    before = _snapshot(document)
    foreign = _statements(other)[1]
    response = client.post(
        _path(document),
        {"statement": foreign.pk, "attribution": _row(foreign, reviewer).pk},
        format="json",
    )
    assert response.status_code == 400
    assert f"no statement {foreign.pk}" in str(response.json())
    response = client.post(
        _path(document),
        {"statement": middle.pk, "attribution": _row(last, reviewer).pk},
        format="json",
    )
    assert response.status_code == 400
    assert "has no attribution" in str(response.json())
    response = client.post(
        _path(document),
        {"statement": middle.pk, "claim": 999999, "linked": True},
        format="json",
    )
    assert response.status_code == 400
    assert "no claim 999999" in str(response.json())
    response = client.post(
        _path(document),
        {"statement": middle.pk, "attribution": 1, "kind": "author"},
        format="json",
    )
    assert response.status_code == 400
    plain = services.document_ingest(title="Plain", text="It rained. It poured.")
    response = client.post(
        _path(plain),
        {"statement": plain.statements.first().pk, "kind": "author"},
        format="json",
    )
    assert response.status_code == 400
    assert "not marked for independent annotation" in str(response.json())
    assert _snapshot(document) == before
    assert not plain.statements.first().attributions.exists()


# The admin page ---------------------------------------------------------------


def _page(document):
    return f"/admin/claims/document/{document.pk}/adjudication/"


@pytest.mark.parametrize("extra", [0, 3])
def test_the_admin_page_shows_each_differing_statement_in_fixed_queries(
    reviewer, second, editor, extra, django_assert_num_queries
):
    """Its text, each annotator's attribution side by side with a button to
    take it, an edit form; as many queries for 2 statements as for 5."""
    document = make_document(reviewer, second, editor, extra=extra)
    client = Client()
    client.force_login(editor)
    client.get(_page(document))  # the session, warmed
    # Session, user, groups, the document, its assignments, the attributions,
    # the links, the admin menu's two permission reads.
    with django_assert_num_queries(9):
        page = client.get(_page(document))
    assert page.status_code == 200
    text = page.content.decode()
    assert text.count("Take reviewer’s") == 2 + extra
    assert text.count("Take reviewer2’s") == 1 + extra
    assert "Sun is out, Ana said." in text
    assert "Accept all agreeing statements" in text
    assert "<script>" not in text


def test_the_admin_buttons_adjudicate(document, reviewer, second, editor):
    client = Client()
    client.force_login(editor)
    middle, last = _statements(document)[1:]
    theirs = _row(middle, second)
    response = client.post(
        _page(document), {"statement": middle.pk, "attribution": theirs.pk}
    )
    assert response.status_code == 302
    theirs.refresh_from_db()
    assert (theirs.status, theirs.reviewed_by) == ("accepted", editor)
    response = client.post(
        _page(document),
        {
            "statement": last.pk,
            "kind": "indirect",
            "source_name": "Bo",
            "cue_start": "58",
            "cue_end": "62",
        },
    )
    assert response.status_code == 302
    final = Attribution.objects.get(statement=last, created_by=editor)
    assert (final.status, final.cue_start, final.source.name) == ("accepted", 58, "Bo")
    response = client.post(_page(document), {"accept_agreeing": "1"})
    assert response.status_code == 302
    first = _statements(document)[0]
    assert _row(first, reviewer).status == "accepted"


def test_a_reviewer_may_not_open_the_admin_page(document, reviewer):
    client = Client()
    client.force_login(reviewer)
    before = _snapshot(document)
    assert client.get(_page(document)).status_code == 403
    middle = _statements(document)[1]
    response = client.post(
        _page(document),
        {"statement": middle.pk, "attribution": _row(middle, reviewer).pk},
    )
    assert response.status_code == 403
    assert _snapshot(document) == before


def test_the_workspace_links_to_adjudication_in_independent_mode(document, editor):
    client = Client()
    client.force_login(editor)
    page = client.get(f"/admin/claims/document/{document.pk}/change/")
    assert _page(document) in page.content.decode()


def test_the_admin_page_refuses_a_bad_edit_and_changes_nothing(document, editor):
    """A span that is not numbers, a kind that is none: the page says why."""
    client = Client()
    client.force_login(editor)
    last = _statements(document)[2]
    before = _snapshot(document)
    response = client.post(
        _page(document),
        {"statement": last.pk, "kind": "direct", "cue_start": "x", "cue_end": "3"},
        follow=True,
    )
    assert "The cue needs a start and an end" in response.content.decode()
    response = client.post(
        _page(document), {"statement": last.pk, "kind": "shouted"}, follow=True
    )
    assert "shouted" in response.content.decode()
    assert _snapshot(document) == before
