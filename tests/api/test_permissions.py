"""DESIGN.md's roles as a matrix: every endpoint and method, for every role.

Columns: anonymous, reader (signed in, no role), owner (the reviewer whose
work the object is), other (another reviewer), editor, superuser.
"""

from dataclasses import dataclass, field

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command

from claims import services
from tests.conftest import FIXTURES
from tests.module_data import module_data

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "reader", "owner", "other", "editor", "superuser"]


@dataclass
class World:
    """One of everything, the owner's work, plus what each case needs."""

    document: object
    statement: object
    attribution: object
    suggestion: object
    source: object
    spare_source: object
    claim: object
    review: object
    published_review: object
    annotation: object
    empty_document: object
    empty_claim: object
    mention: object
    suggested_mention: object
    rejected_mention: object
    users: dict = field(default_factory=dict)


def world():
    """One of everything, built once for the module (tests/module_data.py):
    each case's changes are rolled back before the next."""
    call_command("loaddata", FIXTURES / "demo_users.json", verbosity=0)
    reviewers = Group.objects.get(name="reviewer")
    owner = User.objects.get(username="reviewer")
    other = User.objects.create_user("reviewer2")
    other.groups.add(reviewers)
    users = {
        "anonymous": None,
        "reader": User.objects.create_user("reader"),
        "owner": owner,
        "other": other,
        "editor": User.objects.get(username="editor"),
        "superuser": User.objects.create_superuser("root"),
    }
    document = services.document_ingest(
        title="T", text="The minister said it works. “It does,” she added."
    )
    statement = document.statements.get(index=0)
    source = services.source_create(name="The minister", created_by=owner)
    claim = services.claim_create(
        text="It works", statements=[statement], created_by=owner
    )
    review = services.claim_review_create(
        claim=claim, reviewer=owner, rating=3, summary="Mixed."
    )
    published = services.claim_review_create(
        claim=claim, reviewer=owner, rating=4, summary="Mostly true."
    )
    services.claim_review_publish(review=published)
    suggested_mention = services.claim_mention_create(
        claim=services.claim_create(text="It does", proposed=True),
        statement=document.statements.get(index=1),
        origin="suggested",
    )
    rejected_mention = services.claim_mention_reject(
        mention=services.claim_mention_create(
            claim=services.claim_create(text="It was said"),
            statement=statement,
            origin="suggested",
        ),
        reviewed_by=owner,
    )
    return World(
        document=document,
        statement=statement,
        attribution=services.attribution_create(
            statement=statement, kind="indirect", source=source, created_by=owner
        ),
        suggestion=services.attribution_create(
            statement=document.statements.get(index=1),
            kind="author",
            origin="suggested",
        ),
        source=source,
        spare_source=services.source_create(name="A spare source", created_by=owner),
        claim=claim,
        review=review,
        published_review=published,
        annotation=services.annotation_create(
            target=statement, reviewer=owner, body="Check this."
        ),
        empty_document=services.document_ingest(title="E", text="Nothing here."),
        empty_claim=services.claim_create(text="Unmentioned", created_by=owner),
        mention=claim.mentions.get(),
        suggested_mention=suggested_mention,
        rejected_mention=rejected_mention,
        users=users,
    )


world = module_data(world)


def v(obj):
    """The If-Match header for an object's current version."""
    obj.refresh_from_db()
    return {"HTTP_IF_MATCH": f'"{obj.version}"'}


def expect(anonymous, reader, owner, other, editor, superuser):
    return dict(
        zip(ROLES, [anonymous, reader, owner, other, editor, superuser], strict=True)
    )


READ = expect(401, 200, 200, 200, 200, 200)
CREATE = expect(401, 403, 201, 201, 201, 201)
CHANGE_OWN = expect(401, 403, 200, 403, 200, 200)
DELETE_OWN = expect(401, 403, 204, 403, 204, 204)
EDITORS = expect(401, 403, 403, 403, 200, 200)
ANY_REVIEWER = expect(401, 403, 200, 200, 200, 200)
READ_ONLY_RESOURCE = expect(401, 403, 405, 405, 405, 405)

# (name, method, path(world), body(world, role), headers(world), expected)
CASES = [
    # Documents
    ("documents list", "get", lambda w: "/api/documents/", None, None, READ),
    ("document detail", "get", lambda w: f"/api/documents/{w.document.pk}/", None,
     None, READ),
    (
        "document create", "post", lambda w: "/api/documents/",
        lambda w, role: {"title": role, "text": f"A new text by the {role}."},
        None, CREATE,
    ),
    (
        "document delete", "delete", lambda w: f"/api/documents/{w.empty_document.pk}/",
        None, None, expect(401, 403, 403, 403, 204, 204),
    ),
    ("documents put", "put", lambda w: f"/api/documents/{w.document.pk}/", None, None,
     READ_ONLY_RESOURCE),
    ("document suggest", "post", lambda w: f"/api/documents/{w.document.pk}/suggest/",
     None, None, ANY_REVIEWER),
    # Statements
    ("statements list", "get", lambda w: "/api/statements/", None, None, READ),
    ("statement detail", "get", lambda w: f"/api/statements/{w.statement.pk}/", None,
     None, READ),
    ("statements post", "post", lambda w: "/api/statements/", None, None,
     READ_ONLY_RESOURCE),
    # Sources
    ("sources list", "get", lambda w: "/api/sources/", None, None, READ),
    ("source detail", "get", lambda w: f"/api/sources/{w.source.pk}/", None, None,
     READ),
    ("source create", "post", lambda w: "/api/sources/",
     lambda w, role: {"name": f"Source of {role}", "kind": "person"}, None, CREATE),
    ("source update", "patch", lambda w: f"/api/sources/{w.source.pk}/",
     lambda w, role: {"description": role}, lambda w: v(w.source), CHANGE_OWN),
    ("source delete", "delete", lambda w: f"/api/sources/{w.spare_source.pk}/", None,
     lambda w: v(w.spare_source), DELETE_OWN),
    ("source merge", "post", lambda w: f"/api/sources/{w.source.pk}/merge/",
     lambda w, role: {"source": w.spare_source.pk}, lambda w: v(w.source), EDITORS),
    # Attributions
    ("attributions list", "get", lambda w: "/api/attributions/", None, None, READ),
    ("attribution detail", "get", lambda w: f"/api/attributions/{w.attribution.pk}/",
     None, None, READ),
    ("attribution create", "post", lambda w: "/api/attributions/",
     lambda w, role: {"statement": w.statement.pk, "kind": "author"}, None, CREATE),
    ("attribution update", "patch", lambda w: f"/api/attributions/{w.attribution.pk}/",
     lambda w, role: {"kind": "direct"}, lambda w: v(w.attribution), CHANGE_OWN),
    ("attribution delete", "delete", lambda w: f"/api/attributions/{w.attribution.pk}/",
     None, lambda w: v(w.attribution), DELETE_OWN),
    ("accept a suggestion", "post",
     lambda w: f"/api/attributions/{w.suggestion.pk}/accept/", None,
     lambda w: v(w.suggestion), ANY_REVIEWER),
    ("reject another's attribution", "post",
     lambda w: f"/api/attributions/{w.attribution.pk}/reject/", None,
     lambda w: v(w.attribution), CHANGE_OWN),
    ("attributions bulk", "post", lambda w: "/api/attributions/bulk/",
     lambda w, role: {
         "attributions": [{"statement": w.statement.pk, "kind": "author"}]
     },
     None, CREATE),
    # Claims
    ("claims list", "get", lambda w: "/api/claims/", None, None, READ),
    ("claim detail", "get", lambda w: f"/api/claims/{w.claim.pk}/", None, None, READ),
    ("claim create", "post", lambda w: "/api/claims/",
     lambda w, role: {"text": f"A claim by the {role}"}, None, CREATE),
    ("claim update", "patch", lambda w: f"/api/claims/{w.empty_claim.pk}/",
     lambda w, role: {"tags": [role]}, lambda w: v(w.empty_claim), CHANGE_OWN),
    ("published claim update", "patch", lambda w: f"/api/claims/{w.claim.pk}/",
     lambda w, role: {"tags": [role]}, lambda w: v(w.claim),
     expect(401, 403, 403, 403, 200, 200)),
    ("claim delete", "delete", lambda w: f"/api/claims/{w.empty_claim.pk}/", None,
     lambda w: v(w.empty_claim), DELETE_OWN),
    ("claim mentions", "get", lambda w: f"/api/claims/{w.claim.pk}/mentions/", None,
     None, READ),
    ("claim mention add", "post", lambda w: f"/api/claims/{w.claim.pk}/mentions/",
     lambda w, role: {"statement": w.document.statements.get(index=1).pk}, None,
     expect(401, 403, 201, 201, 201, 201)),
    ("claim timeline", "get", lambda w: f"/api/claims/{w.claim.pk}/timeline/", None,
     None, READ),
    # Claim mentions: reviewed as attributions are.
    ("claim mentions list", "get", lambda w: "/api/claim-mentions/", None, None, READ),
    ("claim mention detail", "get",
     lambda w: f"/api/claim-mentions/{w.mention.pk}/", None, None, READ),
    ("claim mention create", "post", lambda w: "/api/claim-mentions/",
     lambda w, role: {"claim": w.empty_claim.pk, "statement": w.statement.pk}, None,
     CREATE),
    ("claim mention put", "put", lambda w: f"/api/claim-mentions/{w.mention.pk}/",
     None, None, READ_ONLY_RESOURCE),
    ("accept a suggested mention", "post",
     lambda w: f"/api/claim-mentions/{w.suggested_mention.pk}/accept/", None,
     lambda w: v(w.suggested_mention), ANY_REVIEWER),
    ("reject a suggested mention", "post",
     lambda w: f"/api/claim-mentions/{w.suggested_mention.pk}/reject/", None,
     lambda w: v(w.suggested_mention), ANY_REVIEWER),
    ("accept a mention the owner rejected", "post",
     lambda w: f"/api/claim-mentions/{w.rejected_mention.pk}/accept/", None,
     lambda w: v(w.rejected_mention), CHANGE_OWN),
    ("relink a mention the owner rejected", "post", lambda w: "/api/claim-mentions/",
     lambda w, role: {"claim": w.rejected_mention.claim_id,
                      "statement": w.rejected_mention.statement_id}, None,
     CHANGE_OWN),
    ("reject the owner's mention", "post",
     lambda w: f"/api/claim-mentions/{w.mention.pk}/reject/", None,
     lambda w: v(w.mention), CHANGE_OWN),
    ("unlink the owner's mention", "delete",
     lambda w: f"/api/claim-mentions/{w.mention.pk}/", None,
     lambda w: v(w.mention), DELETE_OWN),
    # Claim reviews: anonymous readers see the published ones.
    ("reviews list", "get", lambda w: "/api/claim-reviews/", None, None,
     expect(200, 200, 200, 200, 200, 200)),
    ("published review", "get",
     lambda w: f"/api/claim-reviews/{w.published_review.pk}/", None, None,
     expect(200, 200, 200, 200, 200, 200)),
    ("draft review", "get", lambda w: f"/api/claim-reviews/{w.review.pk}/", None, None,
     expect(404, 200, 200, 200, 200, 200)),
    ("review create", "post", lambda w: "/api/claim-reviews/",
     lambda w, role: {"claim": w.claim.pk, "rating": 2, "summary": role}, None,
     expect(401, 403, 201, 201, 201, 201)),
    ("review update", "patch", lambda w: f"/api/claim-reviews/{w.review.pk}/",
     lambda w, role: {"summary": f"Rewritten by the {role}"}, lambda w: v(w.review),
     CHANGE_OWN),
    ("published review update", "patch",
     lambda w: f"/api/claim-reviews/{w.published_review.pk}/",
     lambda w, role: {"summary": "Changed after publication"},
     lambda w: v(w.published_review), expect(401, 403, 403, 403, 200, 200)),
    ("review publish", "post", lambda w: f"/api/claim-reviews/{w.review.pk}/publish/",
     None, lambda w: v(w.review), EDITORS),
    ("review delete", "delete", lambda w: f"/api/claim-reviews/{w.review.pk}/", None,
     lambda w: v(w.review), DELETE_OWN),
    # Annotations
    ("annotations list", "get", lambda w: "/api/annotations/", None, None, READ),
    ("annotation detail", "get", lambda w: f"/api/annotations/{w.annotation.pk}/", None,
     None, READ),
    ("annotation create", "post", lambda w: "/api/annotations/",
     lambda w, role: {"statement": w.statement.pk, "body": role}, None, CREATE),
    ("annotation update", "patch", lambda w: f"/api/annotations/{w.annotation.pk}/",
     lambda w, role: {"body": role}, lambda w: v(w.annotation), CHANGE_OWN),
    ("annotation delete", "delete", lambda w: f"/api/annotations/{w.annotation.pk}/",
     None, lambda w: v(w.annotation), DELETE_OWN),
    # JSON-LD: a document's W3C annotations read like the document; a claim's
    # published reviews (ClaimReview) are public, and only they.
    ("document annotations", "get",
     lambda w: f"/api/documents/{w.document.pk}/annotations/", None, None, READ),
    ("document annotations post", "post",
     lambda w: f"/api/documents/{w.document.pk}/annotations/", None, None,
     READ_ONLY_RESOURCE),
    ("claimreview json-ld", "get", lambda w: f"/api/claims/{w.claim.pk}/claimreview/",
     None, None, expect(200, 200, 200, 200, 200, 200)),
    ("claimreview json-ld, none published", "get",
     lambda w: f"/api/claims/{w.empty_claim.pk}/claimreview/", None, None,
     expect(404, 404, 404, 404, 404, 404)),
    ("claimreview json-ld post", "post",
     lambda w: f"/api/claims/{w.claim.pk}/claimreview/", None, None,
     READ_ONLY_RESOURCE),
    # Signing in for a token, the schema and its docs are public.
    ("token", "post", lambda w: "/api/token/", lambda w, role: {}, None,
     expect(400, 400, 400, 400, 400, 400)),
    ("schema", "get", lambda w: "/api/schema/", None, None,
     expect(200, 200, 200, 200, 200, 200)),
    ("docs", "get", lambda w: "/api/docs/", None, None,
     expect(200, 200, 200, 200, 200, 200)),
]  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "method", "path", "body", "headers", "expected"),
    CASES,
    ids=[case[0] for case in CASES],
)
def test_role_matrix(
    world, client_for, role, name, method, path, body, headers, expected
):
    """Each role gets exactly the answer DESIGN.md's roles give it."""
    client = client_for(world.users[role])
    response = getattr(client, method)(
        path(world),
        body(world, role) if body else None,
        format="json",
        **(headers(world) if headers else {}),
    )
    assert response.status_code == expected[role], response.content[:300]


def test_a_reviewer_cannot_change_another_reviewers_attribution(world, client_for):
    """The other reviewer's update is refused and the attribution is unchanged."""
    client = client_for(world.users["other"])
    response = client.patch(
        f"/api/attributions/{world.attribution.pk}/",
        {"kind": "direct", "source_id": None},
        format="json",
        **v(world.attribution),
    )
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    world.attribution.refresh_from_db()
    assert (world.attribution.kind, world.attribution.version) == ("indirect", 1)
