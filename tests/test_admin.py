"""The admin, page by page and role by role, and its writes through services."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from claims import services
from claims.models import (
    Annotation,
    Attribution,
    Claim,
    ClaimReview,
    Document,
    Source,
    Statement,
    Tag,
)

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "reader", "reviewer", "other", "editor", "superuser"]


@pytest.fixture
def users(demo_users, django_user_model):
    other = django_user_model.objects.create_user("reviewer2", is_staff=True)
    other.groups.add(Group.objects.get(name="reviewer"))
    return {
        "anonymous": None,
        "reader": django_user_model.objects.create_user("reader", is_staff=True),
        "reviewer": django_user_model.objects.get(username="reviewer"),
        "other": other,
        "editor": django_user_model.objects.get(username="editor"),
        "superuser": django_user_model.objects.create_superuser("root"),
    }


@pytest.fixture
def as_role(client, users):
    def sign_in(role):
        client.logout()
        if users[role] is not None:
            client.force_login(users[role])
        return client

    return sign_in


def objects(seed):
    statement = seed.statements.first()
    annotation = services.annotation_create(
        target=statement, reviewer=statement.attributions.get().created_by, body="?"
    )
    return {
        Document: seed,
        Statement: statement,
        Source: Source.objects.get(name="Iraqi resistance groups"),
        Attribution: statement.attributions.get(),
        Claim: Claim.objects.first(),
        ClaimReview: ClaimReview.objects.get(status="draft"),
        Annotation: annotation,
        Tag: Tag.objects.first(),
    }


MODELS = [Document, Statement, Source, Attribution, Claim, ClaimReview, Annotation, Tag]
FILTERS = {
    Document: "suggestions=yes",
    Statement: "",
    Source: "proposed__exact=1",
    Attribution: "kind__exact=direct",
    Claim: "status__exact=new",
    ClaimReview: "status__exact=draft",
    Annotation: "motivation__exact=commenting",
    Tag: "",
}
HAS_HISTORY = {Source, Attribution, Claim, ClaimReview, Annotation}
CAN_ADD = {Document, Source, Attribution, Claim, ClaimReview, Annotation}


def url(model, page, obj=None):
    name = f"admin:claims_{model._meta.model_name}_{page}"
    return reverse(name, args=[obj.pk] if obj is not None else [])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("model", MODELS, ids=[m.__name__ for m in MODELS])
def test_every_admin_page_for_every_role(seed, as_role, role, model):
    """List, search, filter, add, change and history answer as the role allows."""
    target = objects(seed)[model]
    client = as_role(role)
    pages = {
        "list": url(model, "changelist"),
        "search": url(model, "changelist") + "?q=Iraq",
        "filter": url(model, "changelist") + "?" + FILTERS[model],
        "add": url(model, "add"),
        "change": url(model, "change", target),
    }
    if model in HAS_HISTORY:
        pages["history"] = url(model, "history", target)
    for page, path in pages.items():
        status = client.get(path).status_code
        if role == "anonymous":
            assert status == 302, (page, status)  # to the sign-in page
        elif page == "add" and (role == "reader" or model not in CAN_ADD):
            assert status == 403, (page, status)
        else:
            assert status == 200, (page, status)


def test_the_document_page_shows_the_text_for_the_workspace(seed, as_role):
    """The workspace loads the document through the API, with the legend."""
    response = as_role("reader").get(url(Document, "change", seed))
    page = response.content.decode()
    assert 'data-api="/api/documents/' in page
    assert "workspace.js" in page
    assert "Suggested, waiting for review" in page
    assert 'data-can-review="false"' in page
    reviewer_page = as_role("reviewer").get(url(Document, "change", seed))
    assert 'data-can-review="true"' in reviewer_page.content.decode()


def test_the_document_list_counts_statements_and_suggestions(seed, as_role):
    """Counts per document: statements, attributed, accepted, waiting."""
    services.attribution_create(
        statement=seed.statements.get(index=6), kind="direct", origin="suggested",
        source=Source.objects.first(),
    )  # fmt: skip
    response = as_role("reader").get(url(Document, "changelist") + "?suggestions=yes")
    rows = response.context["cl"].result_list
    assert [(d.statement_count, d.attributed_count, d.accepted_count, d.waiting_count)
            for d in rows] == [(11, 11, 11, 1)]  # fmt: skip
    none = as_role("reader").get(url(Document, "changelist") + "?suggestions=no")
    assert list(none.context["cl"].result_list) == []


def test_adding_a_document_segments_it(as_role, users):
    """The add form calls the ingest service: NFC, hash, statements."""
    response = as_role("reviewer").post(
        url(Document, "add"),
        {"title": "T", "text": "One sentence. Another one.", "tag_names": "a\nb"},
    )
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.statements.count() == 2
    assert document.created_by == users["reviewer"]
    assert sorted(document.tags.values_list("name", flat=True)) == ["a", "b"]


def test_a_service_refusal_lands_on_the_form(seed, as_role):
    """A taken source name is a form error; nothing is stored."""
    before = Source.objects.count()
    response = as_role("reviewer").post(
        url(Source, "add"), {"name": "qasem SULEIMANI", "kind": "person"}
    )
    assert response.status_code == 200
    assert "already names source" in response.content.decode()
    assert Source.objects.count() == before


def attribution_form(attribution, **changes):
    def value(name):
        found = getattr(attribution, name)
        return "" if found is None else found

    spans = [
        f"{p}_{end}" for p in ("source", "cue", "content") for end in ("start", "end")
    ]
    data = {name: value(name) for name in ["kind", *spans]}
    data["source"] = attribution.source_id or ""
    data |= {"via": "", "primary_source_url": "", "confidence": ""}
    return data | changes


def test_a_reviewer_cannot_change_another_reviewers_attribution(seed, as_role):
    """403 for the other reviewer, as in the API; the editor may."""
    attribution = seed.statements.first().attributions.get()
    path = url(Attribution, "change", attribution)
    refused = as_role("other").post(path, attribution_form(attribution, kind="direct"))
    assert refused.status_code == 403
    attribution.refresh_from_db()
    assert attribution.kind == "indirect"

    changed = as_role("editor").post(path, attribution_form(attribution, kind="mixed"))
    assert changed.status_code == 302
    attribution.refresh_from_db()
    assert (attribution.kind, attribution.version) == ("mixed", 2)


def test_history_records_who_changed_what_and_can_revert(seed, as_role, users):
    """Each change is kept with its author; reverting goes through the service."""
    attribution = seed.statements.first().attributions.get()
    as_role("editor").post(
        url(Attribution, "change", attribution),
        attribution_form(attribution, kind="mixed"),
    )
    history = attribution.history.order_by("history_date")
    assert [(h.kind, h.history_user) for h in history] == [("mixed", users["editor"])]
    page = as_role("editor").get(url(Attribution, "history", attribution))
    assert page.status_code == 200
    assert [record.history_user for record in page.context["page_obj"]] == [
        users["editor"]
    ]

    # Reverting to the record before the change: a second edit back.
    as_role("editor").post(
        url(Attribution, "change", attribution),
        attribution_form(attribution, kind="indirect"),
    )
    first = attribution.history.order_by("history_date").first()
    revert = reverse(
        "admin:claims_attribution_simple_history", args=[attribution.pk, first.pk]
    )
    response = as_role("editor").post(
        revert, attribution_form(attribution, kind="mixed")
    )
    assert response.status_code == 302
    attribution.refresh_from_db()
    assert attribution.kind == "mixed"
    assert attribution.history.count() == 3


def seen_version(response) -> int:
    """The version a change (or history) page's form carries back."""
    return response.context["adminform"].form["seen_version"].value()


def test_a_save_over_someone_elses_is_refused_on_the_form(seed, as_role):
    """Two people open the same attribution; the second save does not undo
    the first, it is shown the conflict instead."""
    attribution = seed.statements.first().attributions.get()
    path = url(Attribution, "change", attribution)
    opened = seen_version(as_role("editor").get(path))
    assert opened == attribution.version == 1
    services.attribution_update(attribution=attribution, kind="mixed")  # meanwhile

    stale = attribution_form(attribution, kind="direct", seen_version=opened)
    response = as_role("editor").post(path, stale)
    assert response.status_code == 200
    assert "has changed since it was read" in str(
        response.context["adminform"].form.non_field_errors()
    )
    attribution.refresh_from_db()
    assert (attribution.kind, attribution.version) == ("mixed", 2)

    reopened = seen_version(as_role("editor").get(path))
    fresh = attribution_form(attribution, kind="direct", seen_version=reopened)
    assert as_role("editor").post(path, fresh).status_code == 302
    attribution.refresh_from_db()
    assert (attribution.kind, attribution.version) == ("direct", 3)


def test_a_revert_carries_the_version_of_the_object_as_it_is_now(seed, as_role):
    """The history page's form is built on a historic copy; the version it
    sends back is the current one, so reverting is not taken for a conflict."""
    attribution = seed.statements.first().attributions.get()
    services.attribution_update(attribution=attribution, kind="mixed")
    services.attribution_update(attribution=attribution, kind="direct")
    first = attribution.history.order_by("history_date").first()
    revert = reverse(
        "admin:claims_attribution_simple_history", args=[attribution.pk, first.pk]
    )
    shown = seen_version(as_role("editor").get(revert))
    assert shown == 3
    response = as_role("editor").post(
        revert, attribution_form(attribution, kind="mixed", seen_version=shown)
    )
    assert response.status_code == 302
    attribution.refresh_from_db()
    assert (attribution.kind, attribution.version) == ("mixed", 4)


def test_the_merge_action_is_for_editors(seed, as_role):
    """An editor picks the source to keep; a reviewer is not offered the action."""
    kept = Source.objects.get(name="Iraqi resistance groups")
    other = services.source_create(name="Islamic Resistance in Iraq", kind="group")
    changelist = url(Source, "changelist")
    reviewer_page = as_role("reviewer").get(changelist)
    assert "merge" not in dict(
        reviewer_page.context["action_form"].fields["action"].choices
    )

    ask = as_role("editor").post(
        changelist, {"action": "merge", "_selected_action": [kept.pk, other.pk]}
    )
    assert "Keep one source" in ask.content.decode()
    done = as_role("editor").post(
        changelist,
        {"action": "merge", "_selected_action": [kept.pk, other.pk], "keep": kept.pk},
    )
    assert done.status_code == 302
    assert not Source.objects.filter(pk=other.pk).exists()
    assert "Islamic Resistance in Iraq" in kept.aliases.values_list("name", flat=True)


def test_accept_action_leaves_other_reviewers_work_alone(seed, as_role, users):
    """The accept action changes suggestions and own work only."""
    suggestion = services.attribution_create(
        statement=seed.statements.get(index=6), kind="author", origin="suggested"
    )
    theirs = seed.statements.first().attributions.get()
    services.attribution_reject(attribution=theirs)
    as_role("other").post(
        url(Attribution, "changelist"),
        {"action": "accept", "_selected_action": [suggestion.pk, theirs.pk]},
    )
    suggestion.refresh_from_db()
    theirs.refresh_from_db()
    assert (suggestion.status, theirs.status) == ("accepted", "rejected")


def test_reject_action_on_mentions_leaves_other_reviewers_work_alone(
    seed, as_role, users
):
    """The mentions' reject action decides suggestions, records who decided,
    and leaves another reviewer's own links as they are."""
    from claims.models import ClaimMention

    claim = Claim.objects.first()
    suggested = services.claim_mention_create(
        claim=claim, statement=seed.statements.get(index=7), origin="suggested"
    )
    theirs = services.claim_mention_create(
        claim=claim, statement=seed.statements.get(index=8),
        created_by=users["reviewer"],
    )  # fmt: skip
    as_role("other").post(
        url(ClaimMention, "changelist"),
        {"action": "reject", "_selected_action": [suggested.pk, theirs.pk]},
    )
    suggested.refresh_from_db()
    theirs.refresh_from_db()
    assert (suggested.status, suggested.reviewed_by) == ("rejected", users["other"])
    assert theirs.status == "accepted"


def test_the_claim_page_shows_its_timeline_and_reviews(seed, as_role):
    """Mentions with document, date, source and kind; reviews inline."""
    claim = ClaimReview.objects.get(status="draft").claim
    page = as_role("reader").get(url(Claim, "change", claim)).content.decode()
    assert "Timeline" in page
    assert "Author’s own assertion" in page or "Author&#x27;s own assertion" in page
    assert "Mixed" in page  # the draft review's rating, inline


def test_publishing_from_the_admin_is_for_editors(seed, as_role):
    """Only editors see and use the publish action."""
    draft = ClaimReview.objects.get(status="draft")
    changelist = url(ClaimReview, "changelist")
    as_role("reviewer").post(
        changelist, {"action": "publish", "_selected_action": [draft.pk]}
    )
    draft.refresh_from_db()
    assert draft.status == "draft"
    as_role("editor").post(
        changelist, {"action": "publish", "_selected_action": [draft.pk]}
    )
    draft.refresh_from_db()
    assert draft.status == "published"


@pytest.mark.parametrize("role", ["reader", "other"])
def test_the_history_page_does_not_let_others_revert(seed, as_role, role):
    """Reverting is changing: a reader or another reviewer gets 403."""
    attribution = seed.statements.first().attributions.get()
    services.attribution_update(attribution=attribution, kind="mixed")
    first = attribution.history.order_by("history_date").first()
    revert = reverse(
        "admin:claims_attribution_simple_history", args=[attribution.pk, first.pk]
    )
    response = as_role(role).post(revert, attribution_form(attribution, kind="direct"))
    assert response.status_code == 403
    attribution.refresh_from_db()
    assert attribution.kind == "mixed"


def test_a_published_review_cannot_be_rewritten_through_its_history(seed, as_role):
    """Its owner reverting to the draft is refused, as a change would be."""
    review = ClaimReview.objects.get(status="draft")
    services.claim_review_update(review=review, summary="Still a draft.")
    services.claim_review_publish(review=review)
    draft = review.history.order_by("history_date").first()
    revert = reverse(
        "admin:claims_claimreview_simple_history", args=[review.pk, draft.pk]
    )
    response = as_role("reviewer").post(
        revert, {"rating": 1, "summary": "Rewritten", "evidence": "[]"}
    )
    assert response.status_code == 403
    review.refresh_from_db()
    assert review.summary != "Rewritten"


def test_a_page_shown_again_with_errors_keeps_nothing(seed, as_role):
    """An invalid inline rolls back the claim change its form had made."""
    claim = ClaimReview.objects.get(status="draft").claim
    response = as_role("editor").post(
        url(Claim, "change", claim),
        {"text": "Reworded", "status": claim.status, "tag_names": ""},
    )  # no inline management form: the page comes back with an error
    assert response.status_code == 200
    assert response.context["errors"]
    claim.refresh_from_db()
    assert claim.text != "Reworded"
