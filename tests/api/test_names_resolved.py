"""Sources and claims named by their words in writes: the server finds them
as it normalises names and wordings, or creates them, in the same transaction.

The workspace sends what the reviewer typed; matching it in the browser
(lower-casing) missed spellings the server holds as one source.
"""

import pytest
from rest_framework.test import APIClient

from claims.models import Attribution, Claim, ClaimMention, Source, SourceAlias

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_reviewer(reviewer):
    client = APIClient()
    client.force_authenticate(reviewer)
    return client


def _unattributed_statement(seed):
    """The seed article's first statement, its attributions removed."""
    statement = seed.statements.first()
    statement.attributions.all().delete()
    return statement


def test_an_attribution_names_its_source_as_the_server_spells_it(seed, as_reviewer):
    """Punctuation, accents, case and spacing aside, an alias is its source."""
    statement = _unattributed_statement(seed)
    pmu = SourceAlias.objects.get(name="Hashd al-Sha’abi").source
    sources = Source.objects.count()
    response = as_reviewer.post(
        "/api/attributions/",
        {
            "statement": statement.pk,
            "kind": "indirect",
            "source_name": "  HASHD AL SHAABI ",
            "via_name": "qasem  suleimani",
        },
    )
    assert response.status_code == 201, response.json()
    assert response.json()["source"]["id"] == pmu.pk
    assert response.json()["via"]["name"] == "Qassem Soleimani"
    assert Source.objects.count() == sources


def test_a_new_name_creates_its_source_for_the_reviewer(seed, reviewer, as_reviewer):
    statement = _unattributed_statement(seed)
    response = as_reviewer.post(
        "/api/attributions/",
        {"statement": statement.pk, "kind": "direct", "source_name": "Lena Brandt"},
    )
    assert response.status_code == 201, response.json()
    created = Source.objects.get(pk=response.json()["source"]["id"])
    assert (created.name, created.kind, created.created_by) == (
        "Lena Brandt",
        "other",
        reviewer,
    )


def test_a_refused_attribution_leaves_no_new_source(seed, as_reviewer):
    """All or nothing: the source named by a write that fails is not kept."""
    statement = _unattributed_statement(seed)
    response = as_reviewer.post(
        "/api/attributions/",
        {
            "statement": statement.pk,
            "kind": "direct",
            "source_name": "Lena Brandt",
            "cue": {"start": 0, "end": len(seed.text) + 1},
        },
    )
    assert response.status_code == 400
    assert not Source.objects.filter(name="Lena Brandt").exists()
    assert not statement.attributions.exists()


def test_a_correction_names_sources_and_an_empty_name_clears_one(
    seed, reviewer, as_reviewer
):
    attribution = Attribution.objects.filter(via__isnull=True).first()
    path = f"/api/attributions/{attribution.pk}/"
    read = as_reviewer.get(path)
    response = as_reviewer.patch(
        path,
        {"source_name": "Popular Mobilization Forces", "via_name": "Public Radio"},
        HTTP_IF_MATCH=read["ETag"],
    )
    assert response.status_code == 200, response.json()
    assert response.json()["source"]["name"] == "Popular Mobilization Units"
    assert Source.objects.get(name="Public Radio").created_by == reviewer
    response = as_reviewer.patch(path, {"via_name": ""}, HTTP_IF_MATCH=response["ETag"])
    assert response.status_code == 200, response.json()
    assert response.json()["via"] is None
    assert response.json()["source"]["name"] == "Popular Mobilization Units"


def test_a_source_by_id_and_by_name_at_once_is_refused(seed, as_reviewer):
    statement = _unattributed_statement(seed)
    response = as_reviewer.post(
        "/api/attributions/",
        {
            "statement": statement.pk,
            "kind": "direct",
            "source_id": Source.objects.first().pk,
            "source_name": "Lena Brandt",
        },
    )
    assert response.status_code == 400
    assert "source_name" in response.json()["errors"]


def test_bulk_attributions_name_their_sources(seed, as_reviewer):
    statement = _unattributed_statement(seed)
    response = as_reviewer.post(
        "/api/attributions/bulk/",
        {
            "attributions": [
                {"statement": statement.pk, "kind": "indirect", "source_name": "PMU"}
            ]
        },
    )
    assert response.status_code == 201, response.json()
    assert response.json()[0]["source"]["name"] == "Popular Mobilization Units"


def test_a_mention_by_wording_links_the_claim_the_server_holds(seed, as_reviewer):
    """Case and spacing aside, a wording is its claim."""
    claim = Claim.objects.get(text="The US refused to withdraw its troops from Iraq")
    statement = seed.statements.exclude(claim_mentions__claim=claim).first()
    claims = Claim.objects.count()
    response = as_reviewer.post(
        "/api/claim-mentions/",
        {
            "claim_text": "the US  refused to withdraw its troops FROM Iraq ",
            "statement": statement.pk,
        },
    )
    assert response.status_code == 201, response.json()
    assert response.json()["claim"] == claim.pk
    assert Claim.objects.count() == claims


def test_a_mention_by_a_new_wording_creates_the_claim(seed, reviewer, as_reviewer):
    statement = seed.statements.first()
    response = as_reviewer.post(
        "/api/claim-mentions/",
        {"claim_text": "Dock workers walked out", "statement": statement.pk},
    )
    assert response.status_code == 201, response.json()
    mention = ClaimMention.objects.get(pk=response.json()["id"])
    assert mention.claim.text == "Dock workers walked out"
    assert mention.claim.created_by == reviewer
    assert (mention.status, mention.origin) == ("accepted", "manual")


def test_a_mention_names_its_claim_one_way(seed, as_reviewer):
    """By id or by wording: both, or neither, is a 400 and nothing is written."""
    statement = seed.statements.first()
    claims = Claim.objects.count()
    both = as_reviewer.post(
        "/api/claim-mentions/",
        {
            "claim": Claim.objects.first().pk,
            "claim_text": "Something new",
            "statement": statement.pk,
        },
    )
    neither = as_reviewer.post("/api/claim-mentions/", {"statement": statement.pk})
    assert both.status_code == neither.status_code == 400
    assert Claim.objects.count() == claims


def test_a_mention_of_no_statement_creates_no_claim(seed, as_reviewer):
    """The body is checked before anything is written."""
    response = as_reviewer.post(
        "/api/claim-mentions/", {"claim_text": "Something new", "statement": 999999}
    )
    assert response.status_code == 400
    assert not Claim.objects.filter(text="Something new").exists()
