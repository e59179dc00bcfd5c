"""The semantic reader over stored vectors, and what happens with no model.

These need no torch: vectors are written as the service would store them and
queried by vector. The model's own path is in tests/test_embeddings.py.
"""

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from claims import embeddings, semantic, services
from claims.models import Claim, ClaimEmbedding

pytestmark = pytest.mark.django_db

MODEL = "test-vectors"


@pytest.fixture
def vector_model(settings):
    """A model name with no model behind it: vectors are given, not encoded."""
    settings.CLAIM_EMBEDDING_MODEL = MODEL
    semantic._matrix = None
    yield
    semantic._matrix = None


def unit(*values):
    vector = np.array(values, dtype=np.float32)
    return vector / np.linalg.norm(vector)


def store(claim, vector, model=MODEL):
    ClaimEmbedding.objects.update_or_create(
        claim=claim,
        defaults={
            "model": model,
            "dimensions": len(vector),
            "vector": embeddings.to_bytes(vector),
            "text_sha256": embeddings.text_digest(claim.text),
        },
    )


def claim(text):
    return Claim.objects.create(text=text)


def test_nearest_vectors_come_first_with_their_cosines(vector_model):
    """Claims are ranked by cosine to the query, best first, cut at limit."""
    a, b, c = claim("a"), claim("b"), claim("c")
    store(a, unit(1, 0, 0))
    store(b, unit(1, 1, 0))
    store(c, unit(0, 0, 1))
    ranked = semantic.semantic_similar(unit(1, 0.1, 0), limit=2)
    assert [pk for pk, _ in ranked] == [a.pk, b.pk]
    assert ranked[0][1] == pytest.approx(float(unit(1, 0.1, 0) @ unit(1, 0, 0)))


def test_candidate_ids_limit_the_ranking_to_those_claims(vector_model):
    """With candidate_ids only those claims (that have vectors) are ranked."""
    a, b, c = claim("a"), claim("b"), claim("c")
    for item, vector in ((a, unit(1, 0)), (b, unit(0.9, 0.1)), (c, unit(0, 1))):
        store(item, vector)
    ranked = semantic.semantic_similar(
        unit(1, 0), limit=5, candidate_ids=[c.pk, b.pk, 10_000]
    )
    assert [pk for pk, _ in ranked] == [b.pk, c.pk]


def test_equal_cosines_rank_the_lower_claim_id_first(vector_model):
    """Ties are broken by claim id, also at the limit."""
    claims = [claim(f"claim {n}") for n in range(4)]
    for item in claims:
        store(item, unit(1, 0))
    ranked = semantic.semantic_similar(unit(1, 0), limit=2)
    assert [pk for pk, _ in ranked] == [claims[0].pk, claims[1].pk]


def test_other_models_vectors_take_no_part(vector_model):
    """Only vectors of the configured model are searched."""
    a, b = claim("a"), claim("b")
    store(a, unit(1, 0))
    store(b, unit(1, 0), model="another-model")
    assert [pk for pk, _ in semantic.semantic_similar(unit(1, 0), limit=5)] == [a.pk]


def test_a_cached_matrix_costs_one_query(vector_model, django_assert_num_queries):
    """Once read, a query checks the vectors' count and latest change only."""
    store(claim("a"), unit(1, 0))
    semantic.semantic_similar(unit(1, 0), limit=1)
    with django_assert_num_queries(1):
        semantic.semantic_similar(unit(1, 0), limit=1)


def test_within_the_refresh_interval_the_held_matrix_is_used_unchecked(
    vector_model, settings, django_assert_num_queries
):
    """CLAIM_VECTORS_REFRESH_SECONDS: no query until it has passed, then a
    check that finds what was written meanwhile."""
    settings.CLAIM_VECTORS_REFRESH_SECONDS = 60
    a, b = claim("a"), claim("b")
    store(a, unit(1, 0))
    semantic.semantic_similar(unit(0, 1), limit=5)
    store(b, unit(0, 1))
    with django_assert_num_queries(0):
        assert [pk for pk, _ in semantic.semantic_similar(unit(0, 1), limit=5)] == [
            a.pk
        ]
    semantic._checked_at -= 61
    with django_assert_num_queries(2):  # the check, then the new vector alone
        assert semantic.semantic_similar(unit(0, 1), limit=5)[0][0] == b.pk


def test_the_cache_notices_new_changed_and_deleted_vectors(
    vector_model, django_assert_num_queries
):
    """A new claim's vector, a changed one and a deleted one all show."""
    a, b = claim("a"), claim("b")
    store(a, unit(1, 0))
    assert semantic.semantic_similar(unit(0, 1), limit=5)[0][0] == a.pk
    store(b, unit(0, 1))
    with django_assert_num_queries(2):  # the check, then the new rows alone
        assert semantic.semantic_similar(unit(0, 1), limit=5)[0][0] == b.pk
    store(a, unit(0, 1))
    store(b, unit(1, 0))
    assert semantic.semantic_similar(unit(0, 1), limit=5)[0][0] == a.pk
    ClaimEmbedding.objects.filter(claim=a).delete()
    assert [pk for pk, _ in semantic.semantic_similar(unit(0, 1), limit=5)] == [b.pk]


def test_nearest_claims_ranks_a_batch_with_one_read_of_the_matrix(
    vector_model, django_assert_num_queries
):
    """Each query its own nearest claims, and the cosines of the claims it
    asks about beside them, for one check of the matrix for the batch."""
    a, b, c = claim("a"), claim("b"), claim("c")
    for item, vector in ((a, unit(1, 0)), (b, unit(0.6, 0.8)), (c, unit(0, 1))):
        store(item, vector)
    semantic.semantic_similar(unit(1, 0), limit=1)  # the matrix read once
    queries = np.stack([unit(1, 0), unit(0, 1), unit(1, 1)])
    with django_assert_num_queries(1):
        found = semantic.nearest_claims(
            queries, limit=1, also=[[c.pk, 10_000], [], [a.pk, b.pk]]
        )
    assert [nearest.ranked[0][0] for nearest in found] == [a.pk, c.pk, b.pk]
    assert found[0].cosines == {a.pk: pytest.approx(1.0), c.pk: pytest.approx(0.0)}
    assert list(found[1].cosines) == [c.pk]
    assert found[2].cosines[a.pk] == pytest.approx(float(unit(1, 1) @ unit(1, 0)))
    assert set(found[2].cosines) == {a.pk, b.pk}


def test_nearest_claims_with_nothing_embedded_answers_each_query_empty(
    vector_model,
):
    """No vectors: every query gets no claims and no cosines."""
    found = semantic.nearest_claims(np.stack([unit(1, 0)] * 2), limit=3, also=[[1]])
    assert [(nearest.ranked, nearest.cosines) for nearest in found] == [([], {})] * 2


def test_no_vectors_answer_no_claims(vector_model):
    """With nothing embedded the semantic ranking is empty."""
    assert semantic.semantic_similar(unit(1, 0), limit=5) == []


def test_a_query_of_other_dimensions_is_refused(vector_model):
    """A vector that does not fit the stored ones is an error saying so."""
    store(claim("a"), unit(1, 0, 0))
    with pytest.raises(ValueError, match="2 dimensions, the stored vectors 3"):
        semantic.semantic_similar(unit(1, 0), limit=1)
    with pytest.raises(ValueError, match="limit"):
        semantic.semantic_similar(unit(1, 0, 0), limit=0)


def test_a_vector_of_the_wrong_length_is_refused_by_the_database(vector_model):
    """The stored bytes must be dimensions float32 values."""
    item = claim("a")
    with transaction.atomic(), pytest.raises(IntegrityError):
        ClaimEmbedding.objects.create(
            claim=item, model=MODEL, dimensions=3, vector=b"\0" * 8, text_sha256="x"
        )


def test_with_the_setting_empty_claims_are_written_without_vectors(settings):
    """Semantic off: claims are created and reworded, and nothing is embedded."""
    settings.CLAIM_EMBEDDING_MODEL = ""
    assert not embeddings.available()
    assert "CLAIM_EMBEDDING_MODEL is empty" in embeddings.unavailable_reason()
    item = services.claim_create(text="Unemployment fell to 3 percent")
    services.claim_update(claim=item, text="Unemployment fell to 4 percent")
    assert not ClaimEmbedding.objects.exists()


def test_a_model_that_is_not_installed_leaves_the_ranking_lexical(settings):
    """A setting naming no package or folder makes semantic unavailable, saying
    which name, and claims are still written."""
    settings.CLAIM_EMBEDDING_MODEL = "no_such_model_package"
    assert not embeddings.available()
    assert "no_such_model_package" in embeddings.unavailable_reason()
    services.claim_create(text="Unemployment fell to 3 percent")
    assert Claim.objects.count() == 1
    assert not ClaimEmbedding.objects.exists()


def test_embed_claims_without_a_model_fails_saying_why(settings):
    """The command refuses to run without semantic, with the reason."""
    settings.CLAIM_EMBEDDING_MODEL = ""
    with pytest.raises(CommandError, match="CLAIM_EMBEDDING_MODEL is empty"):
        call_command("embed_claims")
