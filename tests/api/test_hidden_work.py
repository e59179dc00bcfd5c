"""Independent annotation hides another annotator's work from an annotator
in everything the API answers, not only in the attribution and mention
lists: the claims and sources that work alone brought in, the counts, the
searches, the ids a request names, agreement and backups."""

import pytest

from claims import selectors, services
from claims.models import Claim, ClaimMention, Source
from tests.conftest import ranking_queries
from tests.independent import BROUGHT_IN, hidden_work, independent_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def hidden(reviewer, other_reviewer, editor):
    """A document in independent annotation. The other annotator names a new
    source ("Zed Ministry") and a new claim (``BROUGHT_IN``) on it, and links
    an ordinary claim an editor made beforehand ("Ordinary"), which nobody
    else links."""
    document = independent_document(
        reviewers=[reviewer, other_reviewer], editor=editor, suggestion=False
    )
    services.claim_create(text="Never linked", created_by=editor)
    return hidden_work(
        document, annotator=other_reviewer, editor=editor, kind="indirect"
    )


def _done(document, *users):
    for user in users:
        services.assignment_set_state(
            assignment=selectors.assignment_of(document.pk, user), state="done"
        )


def _texts(response):
    return sorted(c["text"] for c in response.json()["results"])


def test_a_claim_only_another_annotator_brought_in_is_not_listed_nor_found(
    hidden, reviewer, other_reviewer, editor, reader, client_for
):
    """Absent from the list, 404 by id (and its mentions and timeline);
    claims with no mentions at all, and the one the other merely linked,
    stay. Its maker, editors and readers see it; the annotator too once
    everyone is done."""
    claim = hidden["claim"]
    client = client_for(reviewer)
    assert _texts(client.get("/api/claims/")) == ["Never linked", "Ordinary"]
    for path in ("", "mentions/", "timeline/"):
        assert client.get(f"/api/claims/{claim.pk}/{path}").status_code == 404
    for user in (other_reviewer, editor, reader):
        assert BROUGHT_IN in _texts(client_for(user).get("/api/claims/"))
        assert client_for(user).get(f"/api/claims/{claim.pk}/").status_code == 200
    _done(hidden["document"], reviewer, other_reviewer)
    assert BROUGHT_IN in _texts(client.get("/api/claims/"))


def test_a_source_only_another_annotator_named_is_not_listed_nor_found(
    hidden, reviewer, other_reviewer, editor, client_for
):
    source = hidden["source"]
    client = client_for(reviewer)
    names = [s["name"] for s in client.get("/api/sources/").json()["results"]]
    assert "Zed Ministry" not in names
    for path in ("", "record/"):
        assert client.get(f"/api/sources/{source.pk}/{path}").status_code == 404
    for user in (other_reviewer, editor):
        listed = client_for(user).get("/api/sources/").json()["results"]
        assert "Zed Ministry" in [s["name"] for s in listed]
    _done(hidden["document"], reviewer, other_reviewer)
    assert client.get(f"/api/sources/{source.pk}/").status_code == 200


def test_a_claims_mention_count_leaves_out_hidden_mentions(
    hidden, reviewer, editor, client_for
):
    ordinary = hidden["ordinary"]
    assert client_for(reviewer).get(f"/api/claims/{ordinary.pk}/").json()[
        "mention_count"
    ] == (0)
    assert client_for(editor).get(f"/api/claims/{ordinary.pk}/").json()[
        "mention_count"
    ] == (1)


def test_the_claims_of_a_document_are_those_of_the_mentions_one_may_see(
    hidden, reviewer, editor, client_for
):
    """``?document=`` does not tell which claims the other annotator linked."""
    url = f"/api/claims/?document={hidden['document'].pk}"
    assert client_for(reviewer).get(url).json()["count"] == 0
    assert _texts(client_for(editor).get(url)) == sorted([BROUGHT_IN, "Ordinary"])


def test_similar_claims_leave_out_a_hidden_claim(hidden, reviewer, editor, client_for):
    """``/api/claims/similar/`` and a statement's similar claims (the
    workspace's "Has this been checked?")."""
    statement = hidden["statement"]

    def found(user, url, query):
        return [r["text"] for r in client_for(user).get(url, query).json()["results"]]

    text = {"text": "Will rain flood the valley on Friday?"}
    assert BROUGHT_IN not in found(reviewer, "/api/claims/similar/", text)
    assert BROUGHT_IN in found(editor, "/api/claims/similar/", text)
    services.claim_create(text="Rain comes to the valley", created_by=editor)
    url = f"/api/statements/{statement.pk}/similar-claims/"
    assert found(reviewer, url, {"limit": 1}) == ["Rain comes to the valley"]
    assert BROUGHT_IN in found(editor, url, {})


def test_similar_claims_for_an_annotator_take_the_same_queries(
    hidden, reviewer, editor, client_for, django_assert_num_queries
):
    """Ranking, claims, verdicts, and whether work is hidden from them: the
    hidden claim is left out in the claims' query."""
    services.claim_create(text="Rain comes to the valley", created_by=editor)
    client = client_for(reviewer)
    with django_assert_num_queries(ranking_queries() + 3):
        response = client.get("/api/claims/similar/", {"text": "rain valley"})
    assert [r["text"] for r in response.json()["results"]] == [
        "Rain comes to the valley"
    ]


def test_naming_a_hidden_claim_or_source_is_answered_as_an_unknown_id(
    hidden, reviewer, client_for
):
    """Linking, reviewing or noting a hidden claim, and attributing to a
    hidden source: the 400 an id that names nothing gets."""
    client = client_for(reviewer)
    statement = hidden["statement"]
    unknown = Claim.objects.order_by("-pk").first().pk + 100
    nowhere = Source.objects.order_by("-pk").first().pk + 100

    def refusal(path, body, field):
        response = client.post(path, body, format="json")
        assert response.status_code == 400, response.json()
        return response.json()["errors"][field]

    for claim_id in (hidden["claim"].pk, unknown):
        assert refusal(
            "/api/claim-mentions/",
            {"claim": claim_id, "statement": statement.pk},
            "claim",
        ) == [f'Invalid pk "{claim_id}" - object does not exist.']
        assert refusal(
            "/api/claim-reviews/",
            {"claim": claim_id, "rating": 1, "summary": "No."},
            "claim",
        ) == [f'Invalid pk "{claim_id}" - object does not exist.']
        assert refusal(
            "/api/annotations/",
            {"claim": claim_id, "motivation": "commenting", "body": "Hm."},
            "claim",
        ) == [f'Invalid pk "{claim_id}" - object does not exist.']
    for source_id in (hidden["source"].pk, nowhere):
        assert refusal(
            "/api/attributions/",
            {"statement": statement.pk, "kind": "indirect", "source_id": source_id},
            "source_id",
        ) == [f'Invalid pk "{source_id}" - object does not exist.']
        assert refusal(
            "/api/attributions/bulk/",
            {
                "attributions": [
                    {
                        "statement": statement.pk,
                        "kind": "indirect",
                        "source_id": source_id,
                    }
                ]
            },
            "attributions[0].source_id",
        ) == [f'Invalid pk "{source_id}" - object does not exist.']
    assert not ClaimMention.objects.filter(created_by=reviewer).exists()
    assert not hidden["claim"].reviews.exists()


def test_a_hidden_claims_wording_is_refused_without_naming_it(
    hidden, reviewer, editor, client_for
):
    """Wordings are unique: the annotator's claim of the same wording is
    refused, but the refusal does not name the hidden claim's id; an editor's
    names it as before."""
    response = client_for(reviewer).post(
        "/api/claims/", {"text": BROUGHT_IN.upper()}, format="json"
    )
    assert response.status_code == 400
    message = response.json()["message"]
    assert str(hidden["claim"].pk) not in message
    assert "claim_text" in message  # says how to link it instead
    response = client_for(editor).post(
        "/api/claims/", {"text": BROUGHT_IN.upper()}, format="json"
    )
    assert f"claim {hidden['claim'].pk}" in response.json()["message"]


def test_agreement_withholds_a_document_whose_work_is_hidden(
    hidden, reviewer, other_reviewer, editor, client_for
):
    """While the annotator may not see the other's work, the document is
    left out of their agreement figures and named as withheld."""
    services.attribution_create(
        statement=hidden["statement"], kind="author", created_by=reviewer
    )
    url = f"/api/agreement/?document={hidden['document'].pk}"
    mine = client_for(reviewer).get(url).json()
    assert mine["withheld"] == [hidden["document"].pk]
    assert mine["documents"] == []
    assert {a["units"] for a in mine["attributes"].values()} == {0}
    theirs = client_for(editor).get(url).json()
    assert theirs["withheld"] == []
    assert theirs["documents"] == [hidden["document"].pk]
    assert theirs["attributes"]["kind"]["units"] == 1
    _done(hidden["document"], reviewer, other_reviewer)
    assert client_for(reviewer).get(url).json() == theirs


def test_a_backup_is_refused_to_an_annotator_while_work_is_hidden(
    hidden, reviewer, editor, reader, client_for
):
    """A backup is the whole database or nothing: 400 saying why, no job;
    readers and editors back up as before."""
    response = client_for(reviewer).post(
        "/api/exports/", {"format": "backup"}, format="json"
    )
    assert response.status_code == 400
    assert "independent annotation" in response.json()["message"]
    assert not selectors.jobs_listed().exists()
    for user in (editor, reader):
        job = client_for(user).post("/api/exports/", {"format": "backup"}).json()
        assert job["status"] == "done", job


# The reads the leaks touched, pinned for an annotator: the rule is a
# subquery of each query, never a query of its own (the same counts as
# tests/api/test_queries.py's for any reader).
@pytest.mark.parametrize(
    ("url", "queries"),
    [
        ("/api/claims/", 3),
        ("/api/claims/{claim}/", 2),
        ("/api/sources/", 3),
        ("/api/sources/{source}/", 2),
    ],
)
def test_an_annotators_claim_and_source_reads_take_fixed_queries(
    hidden, editor, reviewer, client_for, django_assert_num_queries, url, queries
):
    client = client_for(reviewer)
    visible = {
        "claim": hidden["ordinary"].pk,
        "source": services.source_create(name="Open", created_by=editor).pk,
    }
    with django_assert_num_queries(queries):
        response = client.get(url.format(**visible))
    assert response.status_code == 200
