"""Similar claims, ranked in the database (claims.search, migration 0009)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims import search, services
from claims.lexical import coverage, fts5_query
from claims.models import Claim
from tests.conftest import ranking_queries

pytestmark = pytest.mark.django_db

CLAIMS = [
    "The city's new tram line cost €2.5m per kilometre",
    "Unemployment in Kalo rose to 7% in 2021",
    "Drinking hot water cures the common cold",
    "The mayor banned cars from the old town",
]


@pytest.fixture
def claims():
    return {text: services.claim_create(text=text) for text in CLAIMS}


def _texts(found):
    return [scored.claim.text for scored in found.results]


def test_the_claim_a_text_repeats_comes_first(claims):
    """A reworded claim in a longer text ranks its claim above the others."""
    found = search.similar_claims(
        "BREAKING: unemployment in Kalo has risen to 7%, officials admit"
    )
    assert found.method == "lexical"
    assert _texts(found)[0] == "Unemployment in Kalo rose to 7% in 2021"
    scores = [scored.score for scored in found.results]
    assert scores == sorted(scores, reverse=True)


def test_a_claim_sharing_one_word_is_found():
    """The query is an OR of the text's words: one shared word is enough."""
    services.claim_create(text="Vaccines contain microchips")
    found = search.similar_claims("Are there microchips in it, asks a reader")
    assert _texts(found) == ["Vaccines contain microchips"]


def test_a_claim_sharing_only_rare_words_outranks_many_sharing_frequent_ones():
    """Words that many claims hold say little: a claim sharing only the text's
    rare words is found among hundreds sharing more of its frequent ones."""
    Claim.objects.bulk_create(
        Claim(text=f"A viral post says the vaccine changes DNA, reader {n} asks")
        for n in range(600)  # each frequent lexeme in more than PROBE_BUDGET
    )
    wanted = services.claim_create(text="Penguins smuggle marmalade")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE claims_claim")  # the lexemes' frequencies
    found = search.similar_claims(
        "Viral post says the vaccine changes DNA and penguins smuggle marmalade"
    )
    assert _texts(found)[0] == wanted.text


def test_the_probe_budget_grows_with_the_table(monkeypatch):
    """On PostgreSQL a frequent word is probed once the table is large enough
    that its claims are within PROBE_SHARE of it, whatever PROBE_BUDGET says."""
    if connection.vendor != "postgresql":
        pytest.skip("the candidates by rare lexemes are PostgreSQL's")
    Claim.objects.bulk_create(
        Claim(text=f"Reader {n} asks about vaccines") for n in range(100)
    )
    services.claim_create(text="Penguins smuggle marmalade")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE claims_claim")  # the lexemes' frequencies
    monkeypatch.setattr(search, "PROBE_BUDGET", 1)
    monkeypatch.setattr(search, "PROBE_LEAST", 1)
    text = "Penguins and vaccines"
    monkeypatch.setattr(search, "PROBE_SHARE", 0.0)
    assert _texts(search.similar_claims(text)) == ["Penguins smuggle marmalade"]
    monkeypatch.setattr(search, "PROBE_SHARE", 2.0)  # 202 claims of 101
    found = _texts(search.similar_claims(text, limit=50))
    assert "Reader 0 asks about vaccines" in found


def test_the_statistics_are_read_once_until_analyze_changes_them():
    """On PostgreSQL a search reads the lexemes' statistics only when they
    differ from those the process holds: after ANALYZE, the new ones (and the
    ranking follows them: a word frequent now is left out of the probe)."""
    if connection.vendor != "postgresql":
        pytest.skip("the statistics are PostgreSQL's")
    wanted = services.claim_create(text="Penguins smuggle marmalade")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE claims_claim")
    text = "Viral post says the vaccine changes DNA and penguins smuggle marmalade"
    key = (connection.alias, connection.settings_dict["NAME"])

    def search_reading():
        found = search.similar_claims(text, limit=1)
        return _texts(found), search._statistics[key]  # as the process holds them

    first, held = search_reading()
    assert first == [wanted.text]
    assert search_reading() == (first, held)  # the same, not read again
    assert search._statistics[key] is held
    Claim.objects.bulk_create(
        Claim(text=f"A viral post says the vaccine changes DNA, reader {n} asks")
        for n in range(600)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE claims_claim")
    after, held_after = search_reading()
    assert held_after is not held and held_after.stamp != held.stamp
    assert "viral" in held_after.shares and "viral" not in held.shares
    assert after == [wanted.text]


def test_a_text_with_no_word_in_common_finds_nothing(claims):
    """No shared word, no claim."""
    assert search.similar_claims("Penguins waddle southwards").results == []


def test_search_syntax_in_the_text_is_taken_as_words(claims):
    """Quotes, operators and punctuation are words or nothing, never syntax."""
    for text in ['"cold" AND NEAR(', "cold* OR -tram:", "'cold' & | ! <-> \\ ''"]:
        assert "Drinking hot water cures the common cold" in _texts(
            search.similar_claims(text)
        )
    assert search.similar_claims("the of and a").results == []


def test_the_index_follows_claim_writes(claims):
    """Created, reworded and deleted claims are found, found anew, and gone."""
    claim = services.claim_create(text="Glaciers in Norway grew last year")
    assert _texts(search.similar_claims("Norway glaciers"))[0] == claim.text
    claim = services.claim_update(claim=claim, text="Glaciers in Chile grew")
    assert search.similar_claims("Norway glaciers").results[0].claim.text == (
        "Glaciers in Chile grew"
    )
    assert "Glaciers in Chile grew" in _texts(search.similar_claims("Chile"))
    services.claim_delete(claim=claim)
    assert search.similar_claims("Chile glaciers").results == []


def test_limit_caps_the_results(claims):
    """``limit`` claims at most, the best of them."""
    text = "the tram, the mayor, the cold and unemployment in the town"
    everything = _texts(search.similar_claims(text, limit=10))
    assert len(everything) == 4
    assert _texts(search.similar_claims(text, limit=2)) == everything[:2]


def test_a_batch_answers_each_text_as_one_search_would(claims):
    """The batch variant gives each text its own ranking, in order."""
    texts = ["tram cost per kilometre", "penguins", "hot water and the cold"]
    batch = search.similar_claims_batch(texts, limit=3)
    assert [_texts(found) for found in batch] == [
        _texts(search.similar_claims(text, limit=3)) for text in texts
    ]
    assert _texts(batch[0])[0] == CLAIMS[0]
    assert batch[1].results == []


def test_a_text_given_twice_in_a_batch_is_ranked_once(claims):
    """A repeated text costs the ranking nothing more: the queries are those of
    the batch without the repeat, and each copy gets the one answer."""
    texts = ["tram cost per kilometre", "hot water and the cold"]
    search.similar_claims_batch(texts)  # the statistics read, on PostgreSQL
    with CaptureQueriesContext(connection) as once:
        alone = search.similar_claims_batch(texts, limit=3)
    with CaptureQueriesContext(connection) as repeated:
        batch = search.similar_claims_batch([*texts, texts[0]], limit=3)
    assert [q["sql"] for q in repeated] == [q["sql"] for q in once]
    assert [_texts(found) for found in batch] == [
        *(_texts(found) for found in alone),
        _texts(alone[0]),
    ]
    assert _texts(batch[2])[0] == CLAIMS[0]


def test_a_batch_takes_a_fixed_number_of_queries(claims, django_assert_num_queries):
    """One ranking for all the texts (on PostgreSQL after their lexemes), then
    the claims and their verdicts."""
    for texts in (["tram"], ["tram", "cold", "mayor", "Kalo", "water"] * 50):
        with django_assert_num_queries(ranking_queries() + 2):
            search.similar_claims_batch(texts)


def test_verdict_is_the_latest_published_review(claims, editor):
    """Drafts are not verdicts; of published reviews, the latest is."""
    claim = claims["Drinking hot water cures the common cold"]
    first = services.claim_review_create(
        claim=claim, reviewer=editor, rating=1, summary="No."
    )
    services.claim_review_publish(review=first)
    later = services.claim_review_create(
        claim=claim, reviewer=editor, rating=2, summary="Mostly not."
    )
    found = search.similar_claims("hot water cold")
    assert found.results[0].claim.verdict == first
    services.claim_review_publish(review=later)
    assert search.similar_claims("hot water cold").results[0].claim.verdict == later
    assert search.similar_claims("tram").results[0].claim.verdict is None


def test_coverage_is_the_share_of_the_claims_words_the_text_holds():
    """Stop words aside, crude stems compared; the same scale for every text."""
    assert coverage("Drinking hot water cures common colds, they say", CLAIMS[2]) == 1
    assert coverage("hot water", CLAIMS[2]) == pytest.approx(2 / 6)
    assert coverage("anything", "the of") == 0.0


def test_fts5_queries_quote_every_word():
    """Each word quoted, joined with OR; stop words and syntax left out."""
    assert fts5_query('Say "NEAR(x)" AND cold*') == '"say" OR "near" OR "cold"'
    assert fts5_query("the of") == ""
