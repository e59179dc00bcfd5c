"""The semantic path with the real model: vectors, storage, the command, ranking.

Skipped, saying why, without requirements-semantic.txt (``make test-semantic``
installs it and runs these).
"""

import io

import numpy as np
import pytest
from django.core.management import call_command

from claims import embeddings, semantic, services
from claims.models import ClaimEmbedding

pytestmark = [pytest.mark.django_db, pytest.mark.semantic]

PARAPHRASE = "The militias said they would stop attacking foreign soldiers"
CLAIMS = [
    "Iraqi resistance groups announced a halt to attacks on foreign troops",
    "Eating carrots improves your night vision",
    "The city council approved a new budget for public libraries",
]


@pytest.fixture
def model(settings):
    """The packaged model switched on, or the test skipped with the reason."""
    settings.CLAIM_EMBEDDING_MODEL = settings.SEMANTIC_TEST_MODEL
    reason = embeddings.unavailable_reason()
    if reason is not None:
        pytest.skip(reason)
    semantic._matrix = None
    yield settings.CLAIM_EMBEDDING_MODEL
    semantic._matrix = None


def test_encode_gives_unit_float32_rows_in_order(model):
    """One L2-normalised float32 row per text, in the order given."""
    vectors = embeddings.encode([*CLAIMS, PARAPHRASE])
    assert vectors.dtype == np.float32
    assert vectors.shape == (4, embeddings.dimensions())
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    again = embeddings.encode([CLAIMS[1]])
    assert np.allclose(again[0], vectors[1], atol=1e-5)


def test_a_paraphrase_is_nearer_than_unrelated_claims(model):
    """Words in common are few; the meaning is what ranks the claim first."""
    vectors = embeddings.encode(CLAIMS)
    query = embeddings.encode([PARAPHRASE])[0]
    cosines = vectors @ query
    assert cosines[0] > cosines[1] + 0.2
    assert cosines[0] > cosines[2] + 0.2


def test_the_model_is_loaded_before_a_claims_transaction_begins(model, monkeypatch):
    """Loading takes seconds: inside the write's transaction it would hold the
    write lock that long (on SQLite the whole database's)."""
    from django.db import connection

    depths = []
    real_load = embeddings._load

    def load_recording_depth(name):
        depths.append(len(connection.savepoint_ids))
        return real_load(name)

    monkeypatch.setattr(embeddings, "_load", load_recording_depth)
    monkeypatch.setitem(embeddings._models, model, None)
    del embeddings._models[model]  # as in a new process; restored afterwards
    outside = len(connection.savepoint_ids)
    claim = services.claim_create(text=CLAIMS[2])
    assert depths == [outside]  # loaded once, before claim_create's atomic
    assert ClaimEmbedding.objects.filter(claim=claim).exists()


def test_claim_create_stores_the_embedding(model):
    """A new claim has its vector, by the configured model, of its text."""
    claim = services.claim_create(text=CLAIMS[0])
    stored = ClaimEmbedding.objects.get(claim=claim)
    assert stored.model == model
    assert stored.dimensions == embeddings.dimensions()
    assert stored.text_sha256 == embeddings.text_digest(claim.text)
    vector = embeddings.from_bytes(bytes(stored.vector), stored.dimensions)
    assert np.allclose(vector, embeddings.encode([claim.text])[0], atol=1e-5)


def test_rewording_a_claim_refreshes_its_vector_and_a_status_change_does_not(
    model,
):
    """The vector follows the text; other changes leave it as it was."""
    claim = services.claim_create(text=CLAIMS[0])
    before = ClaimEmbedding.objects.get(claim=claim)
    claim = services.claim_update(claim=claim, status="in_review")
    unchanged = ClaimEmbedding.objects.get(claim=claim)
    assert unchanged.updated_at == before.updated_at
    services.claim_update(claim=claim, text=CLAIMS[1])
    after = ClaimEmbedding.objects.get(claim=claim)
    assert after.text_sha256 == embeddings.text_digest(CLAIMS[1])
    assert bytes(after.vector) != bytes(before.vector)


def test_embed_claims_fills_missing_and_stale_vectors_only(model, settings):
    """Claims written while semantic was off get vectors; others are kept."""
    settings.CLAIM_EMBEDDING_MODEL = ""
    missing = services.claim_create(text=CLAIMS[0])
    settings.CLAIM_EMBEDDING_MODEL = model
    current = services.claim_create(text=CLAIMS[1])
    stale = services.claim_create(text=CLAIMS[2])
    ClaimEmbedding.objects.filter(claim=stale).update(text_sha256="0" * 64)
    kept = ClaimEmbedding.objects.get(claim=current).updated_at

    out = io.StringIO()
    call_command("embed_claims", stdout=out, stderr=io.StringIO())
    assert "Embedded 2 claims" in out.getvalue()
    assert ClaimEmbedding.objects.filter(claim=missing).exists()
    assert ClaimEmbedding.objects.get(claim=stale).text_sha256 == (
        embeddings.text_digest(CLAIMS[2])
    )
    assert ClaimEmbedding.objects.get(claim=current).updated_at == kept

    call_command("embed_claims", "--all", stdout=out, stderr=io.StringIO())
    assert "Embedded 3 claims" in out.getvalue()
    assert ClaimEmbedding.objects.get(claim=current).updated_at > kept


def test_semantic_similar_finds_the_paraphrased_claim_first(model):
    """The query text is encoded and compared with every stored claim."""
    claims = [services.claim_create(text=text) for text in CLAIMS]
    ranked = semantic.semantic_similar(PARAPHRASE, limit=3)
    assert ranked[0][0] == claims[0].pk
    assert ranked[0][1] > ranked[1][1] >= ranked[2][1]


def test_semantic_similar_notices_a_claim_created_after_it_was_read(model):
    """A new claim is found by the next query in the same process."""
    services.claim_create(text=CLAIMS[1])
    services.claim_create(text=CLAIMS[2])
    assert len(semantic.semantic_similar(PARAPHRASE, limit=5)) == 2
    new = services.claim_create(text=CLAIMS[0])
    assert semantic.semantic_similar(PARAPHRASE, limit=5)[0][0] == new.pk


def test_the_similar_claims_endpoint_ranks_by_meaning_too(model, reviewer):
    """With the model on, the API says so and finds the paraphrased claim,
    which shares no word with the text that the lexical ranking could match."""
    from rest_framework.test import APIClient

    claims = [services.claim_create(text=text) for text in CLAIMS]
    client = APIClient()
    client.force_authenticate(reviewer)
    response = client.get("/api/claims/similar/", {"text": PARAPHRASE, "limit": 3})
    assert response.status_code == 200
    body = response.json()
    assert body["method"] == "semantic"
    assert body["results"][0]["id"] == claims[0].pk


def test_a_batch_of_texts_is_ranked_in_as_many_queries_as_one_text(
    model, django_assert_num_queries
):
    """The suggestions rank a document's statements together: the batch is
    encoded at once and the claims' matrix checked once, whatever its size."""
    from django.db import connection

    from claims.search import similar_claims_batch

    # The claims, their verdicts, the matrix's check, and the lexical ranking:
    # on PostgreSQL a query for the texts' lexemes and one that ranks.
    queries = 5 if connection.vendor == "postgresql" else 4
    for text in CLAIMS:
        services.claim_create(text=text)
    similar_claims_batch([PARAPHRASE], limit=3)  # the matrix read, the model loaded
    with django_assert_num_queries(queries):
        (one,) = similar_claims_batch([PARAPHRASE], limit=3)
    batch = [PARAPHRASE, *CLAIMS, "An unrelated sentence about the weather"]
    with django_assert_num_queries(queries):
        answers = similar_claims_batch(batch, limit=3)
    assert [r.claim.pk for r in answers[0].results] == [r.claim.pk for r in one.results]
    assert [answers[n].results[0].claim.text for n in (1, 2, 3)] == CLAIMS


def test_a_candidate_whose_vector_is_not_held_is_scored_by_its_own_text(model):
    """A claim written since the process last checked its vectors, or never
    embedded, is encoded as it is ranked: the text it repeats word for word
    comes first, above a claim only near it in meaning."""
    from claims.search import similar_claims

    repeated = services.claim_create(text=CLAIMS[0])
    services.claim_create(text=PARAPHRASE)
    ClaimEmbedding.objects.filter(claim=repeated).delete()
    assert similar_claims(CLAIMS[0], limit=2).results[0].claim == repeated


def test_without_the_model_the_ranking_says_it_is_lexical(settings, reviewer):
    """No model configured: the same endpoint answers, lexical, and says so."""
    from rest_framework.test import APIClient

    settings.CLAIM_EMBEDDING_MODEL = ""
    services.claim_create(text=CLAIMS[0])
    client = APIClient()
    client.force_authenticate(reviewer)
    response = client.get("/api/claims/similar/", {"text": CLAIMS[0]})
    assert response.json()["method"] == "lexical"
