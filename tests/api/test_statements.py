"""Corpus-wide statement queries: the one doccano and Label Studio cannot answer."""

import datetime

import pytest

from claims import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(reviewer):
    """Two dated documents quoting two sources, with suggestions and rejections."""
    brandt = services.source_create(
        name="Lena Brandt", kind="person", aliases=["Maj. Lena Brandt"]
    )
    costa = services.source_create(name="Aurelio Costa", kind="person")
    made = {}
    for month, text in [
        (5, "“We are ready,” Brandt said. Costa said the plan works. Prices rose."),
        (7, "“We are not,” Brandt said. “It works,” Costa said. Rain fell."),
    ]:
        document = services.document_ingest(
            title=f"Month {month}",
            text=text,
            published_at=datetime.datetime(2024, month, 10, tzinfo=datetime.UTC),
        )
        first, second, third = document.statements.all()
        services.attribution_create(
            statement=first, kind="direct", source=brandt, created_by=reviewer
        )
        services.attribution_create(
            statement=second,
            kind="indirect" if month == 5 else "direct",
            source=costa,
            created_by=reviewer,
        )
        # A rejected suggestion says Brandt said the third: it does not count.
        rejected = services.attribution_create(
            statement=third, kind="direct", source=brandt, origin="suggested"
        )
        services.attribution_reject(attribution=rejected)
        made[month] = (first, second, third)
    claim = services.claim_create(text="The plan works", statements=[made[5][1]])
    return made, claim, brandt


def texts(client, query):
    response = client.get(f"/api/statements/?{query}&ordering=document__published_at")
    assert response.status_code == 200, response.json()
    return [s["text"] for s in response.json()["results"]]


def test_every_direct_quote_attributed_to_a_source_since_june(
    corpus, client_for, reader
):
    """source + kind + published_after, by name, alias or id alike."""
    client = client_for(reader)
    _, _, brandt = corpus
    expected = ["“We are not,” Brandt said."]
    for source in ["Lena Brandt", "maj.%20lena%20brandt", str(brandt.pk)]:
        query = f"source={source}&kind=direct&published_after=2024-06-01"
        assert texts(client, query) == expected


def test_source_and_kind_describe_the_same_attribution(corpus, client_for, reader):
    """Costa's indirect statement is not a direct quote because Brandt has one."""
    client = client_for(reader)
    assert texts(client, "source=Aurelio%20Costa&kind=direct") == [
        "“It works,” Costa said."
    ]
    assert texts(client, "source=Aurelio%20Costa&kind=indirect") == [
        "Costa said the plan works."
    ]


def test_rejected_attributions_count_only_when_asked_for(corpus, client_for, reader):
    """Without status, a rejected suggestion does not attribute a statement."""
    client = client_for(reader)
    assert "Prices rose." not in texts(client, "source=Lena%20Brandt")
    assert texts(client, "source=Lena%20Brandt&status=rejected") == [
        "Prices rose.",
        "Rain fell.",
    ]


def test_unattributed_claim_date_and_search(corpus, client_for, reader):
    """The other filters: no accepted attribution, a claim, dates, text."""
    client = client_for(reader)
    _, claim, _ = corpus
    assert texts(client, "unattributed=true") == ["Prices rose.", "Rain fell."]
    assert texts(client, f"claim={claim.pk}") == ["Costa said the plan works."]
    assert texts(client, "published_before=2024-06-01&kind=direct") == [
        "“We are ready,” Brandt said."
    ]
    assert texts(client, "search=plan") == ["Costa said the plan works."]
    assert texts(client, "source=Nobody%20Known") == []


def test_a_bad_filter_value_is_a_400_naming_it(corpus, client_for, reader):
    """An unknown kind or a malformed date names the parameter."""
    client = client_for(reader)
    assert "kind" in client.get("/api/statements/?kind=quote").json()["errors"]
    response = client.get("/api/statements/?published_after=June")
    assert response.status_code == 400
    assert "published_after" in response.json()["errors"]


def test_page_size_is_capped_at_500(corpus, client_for, reader):
    """Asking for more gives 500 at most; page and page_size page through."""
    client = client_for(reader)
    assert len(client.get("/api/statements/?page_size=100000").json()["results"]) == 6
    second = client.get("/api/statements/?page_size=4&page=2").json()
    assert (second["count"], len(second["results"])) == (6, 2)
