"""Independent annotation hides another annotator's work from an annotator
in the admin and the reads beside the API as well: the claims and sources
that work alone brought in, the counts, the searches, the history pages,
the forms that name a claim, the track records, agreement and backups."""

import io

import pytest
from django.test import Client
from django.urls import reverse

from claims import search, selectors, services
from claims.exports import export_write
from claims.models import Attribution, ClaimMention, ClaimReview, Document
from tests.independent import BROUGHT_IN, hidden_work, independent_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def hidden(reviewer, second, editor):
    """A document in independent annotation, with a shared suggestion (Ana,
    indirect) copied to both annotators. The second annotator names a new
    source ("Zed Ministry") and a new claim (``BROUGHT_IN``) on it, and
    links an ordinary claim an editor made beforehand ("Ordinary")."""
    document = independent_document(reviewers=[reviewer, second], editor=editor)
    return hidden_work(document, annotator=second, editor=editor, kind="direct")


def _signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def _done(document, *users):
    for user in users:
        services.assignment_set_state(
            assignment=selectors.assignment_of(document.pk, user), state="done"
        )


# The rule, said for claims and sources -------------------------------------


def test_documents_withheld_from_says_whom_work_is_hidden_from(
    hidden, reviewer, second, editor, django_assert_num_queries
):
    """The document for each annotator until all are done; none for an
    editor, and for everyone once they are; no query for a superuser."""
    document = hidden["document"]
    assert selectors.documents_withheld_from(reviewer) == [document.pk]
    assert selectors.documents_withheld_from(second) == [document.pk]
    assert selectors.documents_withheld_from(editor) == []
    _done(document, reviewer, second)
    assert selectors.documents_withheld_from(reviewer) == []
    editor.is_superuser = True
    with django_assert_num_queries(0):
        assert selectors.documents_withheld_from(editor) == []


def test_claims_visible_to_leaves_out_only_what_hidden_work_brought_in(
    hidden, reviewer, second, editor
):
    """The claim the other annotator made for their link is hidden; the
    ordinary claim they linked, claims nobody links and claims with a
    review stay; all of them once everyone is done."""
    reviewed = services.claim_get_or_create(text="Reviewed", created_by=second)
    services.claim_mention_create(
        claim=reviewed, statement=hidden["statement"], created_by=second
    )
    services.claim_review_create(
        claim=reviewed, reviewer=editor, rating=3, summary="Mixed."
    )

    def texts(user):
        return sorted(
            selectors.claims_visible_to(
                selectors.claims_listed(user), user
            ).values_list("text", flat=True)
        )

    everything = sorted([BROUGHT_IN, "Ordinary", "Reviewed"])
    assert texts(reviewer) == ["Ordinary", "Reviewed"]
    assert texts(second) == everything
    assert texts(editor) == everything
    _done(hidden["document"], reviewer, second)
    assert texts(reviewer) == everything


def test_sources_visible_to_leaves_out_only_what_hidden_work_named(
    hidden, reviewer, second, editor
):
    """Zed Ministry, named by the other annotator alone, is hidden; Ana,
    which the annotator's own copy names, is not."""

    def names(user):
        return sorted(
            selectors.sources_visible_to(selectors.sources_listed(), user).values_list(
                "name", flat=True
            )
        )

    assert names(reviewer) == ["Ana"]
    assert names(second) == ["Ana", "Zed Ministry"]
    assert names(editor) == ["Ana", "Zed Ministry"]


# The admin's lists, pages and forms -----------------------------------------


def test_the_admin_lists_leave_out_the_claim_and_source_hidden_work_brought_in(
    hidden, reviewer, editor
):
    client = _signed_in(reviewer)
    claims = client.get("/admin/claims/claim/").context["cl"].result_list
    assert [c.text for c in claims] == ["Ordinary"]
    sources = client.get("/admin/claims/source/").context["cl"].result_list
    assert [s.name for s in sources] == ["Ana"]
    for model, pk in (("claim", hidden["claim"].pk), ("source", hidden["source"].pk)):
        response = client.get(f"/admin/claims/{model}/{pk}/change/")
        assert response.status_code == 302  # "does not exist", back to the list
    editors = _signed_in(editor).get("/admin/claims/claim/").context["cl"]
    assert editors.result_count == 2


def test_the_admin_counts_leave_out_hidden_rows(hidden, reviewer, editor):
    """Mentions on the claim list; attributed, accepted and waiting on the
    document list; attributions by kind on the source list."""

    def rows(user, path):
        return _signed_in(user).get(path).context["cl"].result_list

    (ordinary,) = rows(reviewer, "/admin/claims/claim/")
    assert ordinary.mention_count == 0
    by_editor = {c.text: c.mention_count for c in rows(editor, "/admin/claims/claim/")}
    assert by_editor["Ordinary"] == 1

    def counted(user):
        (document,) = rows(user, "/admin/claims/document/")
        return (document.attributed_count, document.waiting_count)

    assert counted(reviewer) == (1, 1)  # their own copy of the suggestion
    assert counted(editor) == (1, 4)  # the suggestion, two copies, Zed

    def kinds(user):
        return {
            s.name: (s.direct_count, s.indirect_count)
            for s in rows(user, "/admin/claims/source/")
        }

    assert kinds(reviewer) == {"Ana": (0, 1)}
    assert kinds(editor) == {"Ana": (0, 3), "Zed Ministry": (1, 0)}


def test_the_queue_counts_only_what_waits_for_the_annotator(hidden, reviewer):
    """Their own copy of the suggestion, not the other's work nor the
    shared suggestion it was copied from."""
    (assignment,) = selectors.reviewer_queue(reviewer)
    assert assignment.waiting_count == 1


def test_the_claim_page_timeline_leaves_out_a_hidden_mention(hidden, reviewer, editor):
    path = f"/admin/claims/claim/{hidden['ordinary'].pk}/change/"
    assert "No mentions yet." in _signed_in(reviewer).get(path).content.decode()
    assert "No mentions yet." not in _signed_in(editor).get(path).content.decode()


def test_the_admins_similar_claims_leave_out_a_hidden_claim(hidden, reviewer, editor):
    path = "/admin/claims/claim/similar/?text=Will+rain+flood+the+valley"

    def found(user):
        page = _signed_in(user).get(path)
        return [r.claim.text for r in page.context["found"].results]

    assert BROUGHT_IN not in found(reviewer)
    assert BROUGHT_IN in found(editor)


def test_similar_claims_batch_ranks_past_hidden_claims(hidden, reviewer, editor):
    """A hidden claim does not take a place of the limit: the next one has it."""
    services.claim_create(text="Rain floods a valley", created_by=editor)
    text = "Rain will flood the valley by Friday, they say"
    (mine,) = search.similar_claims_batch([text], limit=1, viewer=reviewer)
    assert [r.claim.text for r in mine.results] == ["Rain floods a valley"]
    (theirs,) = search.similar_claims_batch([text], limit=1, viewer=editor)
    assert [r.claim.text for r in theirs.results] == [BROUGHT_IN]


@pytest.mark.parametrize(
    "row",
    [
        lambda h: h["attribution"],
        lambda h: ClaimMention.objects.get(claim=h["claim"]),
        lambda h: h["claim"],
        lambda h: h["source"],
    ],
    ids=["attribution", "mention", "claim", "source"],
)
def test_a_hidden_rows_history_is_a_404(hidden, reviewer, editor, row):
    """The history list and each historic version; an editor reads both."""
    obj = row(hidden)
    name = obj._meta.model_name
    record = obj.history.order_by("history_date").first()
    pages = [
        reverse(f"admin:claims_{name}_history", args=[obj.pk]),
        reverse(f"admin:claims_{name}_simple_history", args=[obj.pk, record.pk]),
    ]
    for path in pages:
        assert _signed_in(reviewer).get(path).status_code == 404, path
        assert _signed_in(editor).get(path).status_code == 200, path


def test_a_deleted_hidden_rows_history_is_a_404_too(hidden, reviewer, editor):
    """What is left of it is its history, which tells the same."""
    attribution = hidden["attribution"]
    pk = attribution.pk
    services.attribution_delete(attribution=attribution)
    record = Attribution.history.filter(id=pk).order_by("history_date").first()
    for path in (
        reverse("admin:claims_attribution_history", args=[pk]),
        reverse("admin:claims_attribution_simple_history", args=[pk, record.pk]),
    ):
        assert _signed_in(reviewer).get(path).status_code == 404, path
        assert _signed_in(editor).get(path).status_code == 200, path


def test_the_review_and_note_forms_refuse_a_hidden_claim(hidden, reviewer):
    """As an id that names no claim: nothing is stored."""
    client = _signed_in(reviewer)
    claim = hidden["claim"]
    review = client.post(
        "/admin/claims/claimreview/add/",
        {"claim": claim.pk, "rating": 1, "summary": "No.", "evidence": ""},
    )
    assert review.status_code == 200
    assert "claim" in review.context["adminform"].form.errors
    note = client.post(
        "/admin/claims/annotation/add/",
        {"claim": claim.pk, "motivation": "commenting", "body": "Hm."},
    )
    assert note.status_code == 200
    assert "claim" in note.context["adminform"].form.errors
    assert not ClaimReview.objects.exists()
    assert not claim.annotations.exists()


def test_the_attribution_form_refuses_a_hidden_source(hidden, reviewer):
    response = _signed_in(reviewer).post(
        "/admin/claims/attribution/add/",
        {
            "statement": hidden["statement"].pk,
            "kind": "indirect",
            "source": hidden["source"].pk,
        },
    )
    assert response.status_code == 200
    assert "source" in response.context["adminform"].form.errors


def test_a_track_record_leaves_out_a_hidden_row(hidden, reviewer, second, editor):
    """An editor accepted the other annotator's attribution and link early
    (before adjudication): the source's record counts the claim for the
    editor, not for the annotator."""
    services.attribution_accept(attribution=hidden["attribution"], reviewed_by=editor)
    services.claim_mention_accept(
        mention=ClaimMention.objects.get(claim=hidden["ordinary"]), reviewed_by=editor
    )
    source = hidden["source"]
    assert selectors.source_record(source, viewer=editor).claims == 1
    assert selectors.source_record(source, viewer=reviewer).claims == 0
    listed = selectors.sources_with_records(selectors.sources_listed(), reviewer)
    assert listed.get(pk=source.pk).record_claims == 0


# Agreement and backups ------------------------------------------------------


def test_agreement_units_withhold_the_documents_hidden_from_the_viewer(
    hidden, reviewer, second, editor
):
    documents = Document.objects.filter(pk=hidden["document"].pk)
    ids, annotators, units, withheld = selectors.agreement_units(
        documents, viewer=reviewer
    )
    assert (ids, annotators, withheld) == ([], [], [hidden["document"].pk])
    assert all(not unit for unit in units.values())
    ids, annotators, units, withheld = selectors.agreement_units(
        documents, viewer=editor
    )
    assert (ids, annotators, withheld) == (
        [hidden["document"].pk],
        ["reviewer", "reviewer2"],
        [],
    )
    assert units["kind"]


def test_the_admin_agreement_page_says_what_it_withholds(hidden, reviewer):
    page = _signed_in(reviewer).get(
        f"/admin/claims/document/agreement/?document={hidden['document'].pk}"
    )
    assert page.context["answer"]["withheld"] == [hidden["document"].pk]
    assert "withheld" in page.content.decode()


def test_a_backup_for_an_annotator_is_refused_while_work_is_hidden(
    hidden, reviewer, second, editor
):
    """Whole or not at all: a backup missing rows would restore as if they
    had never been made."""
    with pytest.raises(ValueError, match="independent annotation"):
        export_write(io.StringIO(), format="backup", viewer=reviewer)
    out = io.StringIO()
    export_write(out, format="backup", viewer=editor)
    assert BROUGHT_IN in out.getvalue()
    _done(hidden["document"], reviewer, second)
    out = io.StringIO()
    export_write(out, format="backup", viewer=reviewer)
    assert BROUGHT_IN in out.getvalue()


def test_the_admin_refuses_an_annotator_a_backup(hidden, reviewer):
    response = _signed_in(reviewer).post(
        "/admin/claims/document/export/", {"format": "backup"}, follow=True
    )
    assert "independent annotation" in response.content.decode()
    assert not selectors.jobs_listed().exists()
