"""Each source's track record: the latest published verdicts of the claims
that its statements carry, in the API (``/api/sources/{id}/record/``), on
its admin page and in the admin's source list."""

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient

from claims import selectors, services
from claims.models import Rating, Source

pytestmark = pytest.mark.django_db

TEXT = (
    "The minister said the bridge opened in 1994. "
    "She added that the bridge opened in 1994. "
    "She also said the tunnel cost nothing. "
    "Officials told the minister the road was finished. "
    "The minister claimed the port was the largest."
)


@pytest.fixture
def api(reviewer):
    client = APIClient()
    client.force_authenticate(reviewer)
    return client


def record_of(api, source):
    response = api.get(f"/api/sources/{source.pk}/record/")
    assert response.status_code == 200, response.content
    return response.json()


def published(claim, reviewer, rating, summary="Checked."):
    review = services.claim_review_create(
        claim=claim, reviewer=reviewer, rating=rating, summary=summary
    )
    return services.claim_review_publish(review=review)


@pytest.fixture
def minister(reviewer):
    """A source whose statements carry claims in every way that does or
    does not count toward a record."""
    document = services.document_ingest(title="Bridges", text=TEXT)
    said, added, tunnel, via, port = document.statements.order_by("index")
    minister = services.source_create(name="Minister Ana Ruiz", kind="person")
    officials = services.source_create(name="Officials", kind="government")
    for statement in (said, added, tunnel):
        services.attribution_create(
            statement=statement, kind="indirect", source=minister, created_by=reviewer
        )
    # She is only the conduit here, and only a suggestion names her there.
    services.attribution_create(
        statement=via, kind="indirect", source=officials, via=minister,
        created_by=reviewer,
    )  # fmt: skip
    services.attribution_create(
        statement=port, kind="indirect", source=minister, origin="suggested"
    )

    def claim(text, *statements, **mention):
        made = services.claim_create(text=text, created_by=reviewer)
        for statement in statements:
            services.claim_mention_create(
                claim=made, statement=statement, reviewed_by=reviewer, **mention
            )
        return made

    bridge = claim("The bridge opened in 1994", said, added)
    tunnel_claim = claim("The tunnel cost nothing", tunnel)
    unchecked = claim("The minister spoke at noon", said)
    suggested = claim("The tunnel was free", tunnel, origin="suggested")
    road = claim("The road was finished", via)
    largest = claim("The port is the largest", port)
    published(bridge, reviewer, Rating.FALSE, "It opened in 1996.")
    published(bridge, reviewer, Rating.MOSTLY_FALSE, "It opened in part in 1994.")
    published(tunnel_claim, reviewer, Rating.UNVERIFIABLE)
    services.claim_review_create(
        claim=unchecked, reviewer=reviewer, rating=Rating.TRUE, summary="Draft."
    )
    for other in (suggested, road, largest):
        published(other, reviewer, Rating.TRUE)
    minister.statements = (said, added, tunnel)
    minister.claims = (bridge, tunnel_claim, unchecked)
    return minister


def test_the_record_counts_the_latest_published_verdict_of_each_claim_carried(
    minister, api
):
    """Accepted attributions, accepted mentions: a conduit, a suggested
    attribution or mention, and a draft do not count; a claim counts once,
    by its latest verdict, with every statement of hers that carries it."""
    said, added, tunnel = minister.statements
    bridge, tunnel_claim, _ = minister.claims
    record = record_of(api, minister)
    assert record["source"] == {"id": minister.pk, "name": "Minister Ana Ruiz"}
    assert record["claims"] == 3
    assert record["by_rating"] == {
        "1": 0, "2": 1, "3": 0, "4": 0, "5": 0, "0": 1, "-1": 0
    }  # fmt: skip
    assert [
        (r["claim"]["id"], r["rating"], r["label"], [s["id"] for s in r["statements"]])
        for r in record["reviews"]
    ] == [
        (tunnel_claim.pk, 0, "Unverifiable", [tunnel.pk]),
        (bridge.pk, 2, "Mostly false", [said.pk, added.pk]),
    ]
    latest = bridge.reviews.order_by("-published_at", "-id").first()
    assert record["reviews"][1]["id"] == latest.pk
    assert record["reviews"][1]["url"].endswith(
        f"/claims/{bridge.pk}/#review-{latest.pk}"
    )
    assert record["reviews"][1]["statements"][0] == {
        "id": said.pk, "document": said.document_id, "text": said.text
    }  # fmt: skip


def test_an_imported_review_links_its_original(minister, api, editor, tmp_path):
    """A review from another fact-checker's archive, with its own wording."""
    _, _, unchecked = minister.claims
    archive = tmp_path / "archive.jsonl"
    review = {
        "rating": 5, "label": "Correct", "summary": "She did.",
        "url": "https://facts.example/noon", "published_at": "2030-01-01",
    }  # fmt: skip
    archive.write_text(json.dumps({"text": unchecked.text, "reviews": [review]}))
    call_command("import_claims", str(archive), user="editor", stdout=io.StringIO())
    (first, *_) = record_of(api, minister)["reviews"]
    assert first["label"] == "Correct"
    assert (first["claim"]["id"], first["url"]) == (
        unchecked.pk,
        "https://facts.example/noon",
    )


def test_a_source_that_said_nothing_has_an_empty_record(seed, api):
    quiet = services.source_create(name="Nobody at all")
    assert record_of(api, quiet) == {
        "source": {"id": quiet.pk, "name": "Nobody at all"},
        "claims": 0,
        "by_rating": {str(rating): 0 for rating in Rating.values},
        "reviews": [],
    }


def test_the_seeds_groups_have_a_record(seed, api):
    groups = Source.objects.get(name="Iraqi resistance groups")
    record = record_of(api, groups)
    assert record["claims"] > 0
    assert sum(record["by_rating"].values()) == len(record["reviews"]) > 0


def test_the_record_is_for_signed_in_readers(minister):
    assert APIClient().get(f"/api/sources/{minister.pk}/record/").status_code in (
        401,
        403,
    )
    assert APIClient().get("/api/sources/999999/record/").status_code in (401, 403)


def test_an_unknown_source_has_no_record(seed, api):
    assert api.get("/api/sources/999999/record/").status_code == 404


def test_the_record_takes_the_same_queries_for_one_claim_or_many(
    minister, api, django_assert_num_queries, reviewer
):
    """The source, the claims' count, the verdicts, the statements."""
    few = services.source_create(name="Someone")
    statement = minister.statements[0]
    services.attribution_create(
        statement=statement, kind="direct", source=few, created_by=reviewer
    )
    assert len(record_of(api, few)["reviews"]) == 1
    with django_assert_num_queries(4):
        few_record = record_of(api, few)
    with django_assert_num_queries(4):
        many_record = record_of(api, minister)
    assert len(few_record["reviews"]) < len(many_record["reviews"])


# The admin ------------------------------------------------------------------


def test_the_source_list_summarises_each_record_as_the_api_does(
    minister, api, client, reviewer
):
    client.force_login(reviewer)
    page = client.get(reverse("admin:claims_source_changelist"))
    assert page.status_code == 200
    rows = {source.pk: source for source in page.context["cl"].result_list}
    for source in Source.objects.all():
        record = record_of(api, source)
        row = rows[source.pk]
        assert row.record_claims == record["claims"], source
        assert {
            str(rating.value): getattr(row, selectors.record_field(rating))
            for rating in Rating
        } == record["by_rating"], source
    content = page.content.decode()
    assert "Track record" in content
    assert "3 claims: 1 Mostly false, 1 Unverifiable" in content


def test_the_source_list_takes_the_same_queries_for_few_sources_or_many(
    minister, client, reviewer, django_assert_num_queries
):
    client.force_login(reviewer)
    url = reverse("admin:claims_source_changelist")
    client.get(url)  # warm the session and the content types
    with django_assert_num_queries(8):
        client.get(url)
    for n in range(5):
        services.source_create(name=f"Speaker {n}")
    with django_assert_num_queries(8):
        client.get(url)


def test_the_source_page_shows_the_record_with_its_links(minister, client, reviewer):
    client.force_login(reviewer)
    page = client.get(reverse("admin:claims_source_change", args=[minister.pk]))
    content = page.content.decode()
    assert "Track record" in content
    assert "3 claims carried by its statements" in content
    assert "<b>Mostly false</b>: 1" in content
    said, added, _ = minister.statements
    bridge, _, _ = minister.claims
    latest = bridge.reviews.order_by("-published_at", "-id").first()
    assert reverse("admin:claims_claimreview_change", args=[latest.pk]) in content
    assert reverse("admin:claims_claim_change", args=[bridge.pk]) in content
    for statement in (said, added):
        assert f"#statement-{statement.pk}" in content


def test_a_source_with_no_claims_says_so_on_its_page(seed, client, reviewer):
    client.force_login(reviewer)
    quiet = services.source_create(name="Nobody", created_by=reviewer)
    page = client.get(reverse("admin:claims_source_change", args=[quiet.pk]))
    assert "No claims carried by its accepted statements yet." in (
        page.content.decode()
    )


def test_the_record_is_in_the_openapi_schema_with_an_example(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    answer = schema["paths"]["/api/sources/{id}/record/"]["get"]["responses"]["200"]
    (example,) = answer["content"]["application/json"]["examples"].values()
    assert set(example["value"]) == {"source", "claims", "by_rating", "reviews"}
    assert set(example["value"]["reviews"][0]) >= {
        "claim", "rating", "label", "url", "statements"
    }  # fmt: skip
    by_rating = schema["components"]["schemas"]["ByRating"]
    assert sorted(by_rating["required"]) == sorted(str(r) for r in Rating.values)
