"""The statements list's reader gives exactly the JSON of ``StatementSerializer``.

The list is answered by ``selectors.statements_page`` (plain rows); the
serializer stays the schema and serves the statement detail. These tests hold
the two equal, byte for byte once rendered, so that neither can drift from the
other.
"""

import datetime

import pytest
from django.db.models import F
from rest_framework.renderers import JSONRenderer

from claims import selectors, services
from claims.api.serializers.statements import StatementSerializer
from claims.models import Statement

pytestmark = pytest.mark.django_db


def _rendered(data) -> bytes:
    return JSONRenderer().render(data)


def _both(queryset):
    """The serializer's and the reader's JSON for the same ordered statements."""
    ordered = queryset.order_by("document_id", "index")
    serialized = StatementSerializer(ordered, many=True).data
    page = selectors.statements_page(ordered.all()[:500])
    return _rendered(serialized), _rendered(page)


@pytest.fixture
def everything_set(reviewer, editor):
    """A statement with every optional field of its page set, and a bare one."""
    publisher = services.source_create(name="The Daily", kind="publication")
    speaker = services.source_create(
        name="Ana Ruiz", kind="person", aliases=["Ruiz"], created_by=reviewer
    )
    radio = services.source_create(name="Public Radio", kind="organization")
    document = services.document_ingest(
        title="Prices — “up”",
        text="“Prices rose 4.5%,” Ana Ruiz told public radio. It rained.",
        publisher=publisher,
        published_at=datetime.datetime(2024, 3, 1, 12, 30, 5, tzinfo=datetime.UTC),
    )
    first, _ = document.statements.all()
    services.attribution_create(
        statement=first,
        kind="direct",
        source=speaker,
        source_span=(20, 28),
        cue=(29, 33),
        content=(1, 17),
        via=radio,
        primary_source_url="https://radio.example/interview",
        confidence=0.75,
        created_by=reviewer,
        reviewed_by=editor,
    )
    services.attribution_create(
        statement=first,
        kind="author",
        origin="suggested",
        confidence=1.0,
    )
    for text in ["Prices rose 4.5%", "Prices rose"]:
        claim = services.claim_create(text=text, created_by=editor)
        services.claim_mention_create(claim=claim, statement=first, created_by=editor)
    return document


def test_the_seed_article_reads_the_same(seed):
    """Every statement of the hand-annotated seed article."""
    serialized, read = _both(selectors.statements_with_provenance())
    assert b'"attributions":[{' in read
    assert read == serialized


def test_every_optional_field_reads_the_same(everything_set):
    """Publisher, date, spans, conduit, URL, confidence, owner, claims; and none."""
    serialized, read = _both(selectors.statements_with_provenance())
    assert read == serialized
    first = StatementSerializer(
        selectors.statements_with_provenance().get(index=0)
    ).data
    attribution = first["attributions"][0]
    assert None not in attribution.values()
    assert first["document"]["publisher"] is not None
    assert len(first["claims"]) == 2


def test_the_list_endpoint_answers_the_serializer_json(
    seed, everything_set, client_for, reader
):
    """Filtered, reordered and paged, the list holds the serializer's items."""
    client = client_for(reader)
    queries = [
        "page_size=500",
        "page_size=3&page=2",
        "ordering=-id&page_size=4",
        "ordering=document__published_at,index&page_size=500",
        "kind=direct&page_size=500",
        "source=Ana%20Ruiz",
        f"document={everything_set.pk}",
    ]
    for query in queries:
        response = client.get(f"/api/statements/?{query}")
        assert response.status_code == 200, query
        results = response.json()["results"]
        assert results, query
        statements = selectors.statements_with_provenance().in_bulk(
            [item["id"] for item in results]
        )
        expected = StatementSerializer(
            [statements[item["id"]] for item in results], many=True
        ).data
        assert _rendered(results) == _rendered(expected), query


def test_the_list_keeps_its_order_and_count(seed, client_for, reader):
    """The page's order and count are those of the queryset it pages."""
    client = client_for(reader)
    response = client.get("/api/statements/?ordering=-index&page_size=4&page=2")
    body = response.json()
    indexes = list(
        Statement.objects.order_by("-index").values_list("index", flat=True)[4:8]
    )
    assert [item["index"] for item in body["results"]] == indexes
    assert body["count"] == Statement.objects.count()
    assert body["previous"] and body["next"]


def test_a_page_past_the_end_is_not_found(seed, client_for, reader):
    """Paging past the last page answers 404, as every other list does."""
    client = client_for(reader)
    response = client.get("/api/statements/?page=99")
    assert response.status_code == 404
    assert response.json() == client.get("/api/claims/?page=99").json()


def test_pages_sorted_on_a_shared_date_neither_overlap_nor_skip(client_for, reader):
    """Every statement of a document ties on its date; ids break the ties."""
    first, *_ = (
        services.document_ingest(
            title=f"Tie {n}",
            text=f"Report {n} opens. It goes on. It ends here.",
            published_at=datetime.datetime(2024, 5, 1, tzinfo=datetime.UTC),
        )
        for n in range(3)
    )
    # On PostgreSQL an update writes new row versions at the end of the
    # table, so a scan no longer meets the rows in id order.
    Statement.objects.filter(document=first).update(index=F("index"))
    client = client_for(reader)
    seen = []
    for number in (1, 2, 3):
        response = client.get(
            "/api/statements/",
            {"ordering": "document__published_at", "page_size": 4, "page": number},
        )
        assert response.status_code == 200, response.content
        seen += [statement["id"] for statement in response.json()["results"]]
    assert seen == sorted(Statement.objects.values_list("id", flat=True))
