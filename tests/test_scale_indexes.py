"""The indexes and query shapes that keep reads fast at scale (BENCHMARKS.md, Scale)."""

import json

import pytest
from django.db import connection, transaction

from claims.models import Claim
from claims.services import claim_match

from .conftest import DATA

pytestmark = pytest.mark.django_db

PAIRS = json.loads((DATA / "match_pairs.json").read_text(encoding="utf-8"))["claims"]


def _index_names(table: str) -> set[str]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return {name for name, info in constraints.items() if info["index"]}


def test_the_corpus_wide_filter_has_its_indexes():
    """Attributions by source and kind, documents by date, statements by document."""
    assert "attribution_source_statement" in _index_names("claims_attribution")
    assert "document_published_id" in _index_names("claims_document")
    assert "statement_document_id" in _index_names("claims_statement")


def test_labelled_claim_pairs_match_as_the_thresholds_table_says():
    """Among all the labelled claims, a statement finds its own claim (7 of 8)
    and one claim it does not make (1 of 8), as BENCHMARKS.md reports."""
    Claim.objects.bulk_create(
        Claim(text=text) for text in sorted({claim for _, claim, _ in PAIRS})
    )
    found = wrong = 0
    for statement, claim, same in PAIRS:
        with transaction.atomic():
            match = claim_match(statement)
        if same and match is not None and match.text == claim:
            found += 1
        elif not same and match is not None and match.text == claim:
            wrong += 1
    assert (found, wrong) == (7, 1)


@pytest.mark.postgres
def test_similar_claims_read_the_full_text_index():
    """The shortlist of a search can be read from the GIN index over the tsvector."""
    from claims.search import _POSTGRESQL, _parameters

    Claim.objects.bulk_create(
        Claim(text=f"Claim number {n} about rivers") for n in range(50)
    )
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            "EXPLAIN " + _POSTGRESQL,
            _parameters(["rivers flooded"], depth=30),
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "claim_search" in plan
