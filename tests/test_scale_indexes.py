"""The indexes and query shapes that keep reads fast at scale (BENCHMARKS.md, Scale)."""

import json

import pytest
from django.db import connection, transaction

from claims.models import Claim
from claims.services import claim_match
from claims.services.suggestions import _claim_candidates

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
@pytest.mark.django_db(transaction=True)
def test_claim_candidates_keep_the_threshold_outside_a_transaction():
    """Called in autocommit, the candidates are still those at CLAIM_MATCH."""
    Claim.objects.create(text="Unemployment in Kalo rose to 7% in 2021")
    Claim.objects.create(text="Unemployment in Rendor rose in 2020")  # 0.41
    statement = "Unemployment in Kalo rose to 7% in 2021, the office said."
    assert connection.get_autocommit()
    texts = [text for _, text in _claim_candidates(statement)]
    assert texts == ["Unemployment in Kalo rose to 7% in 2021"]


@pytest.mark.postgres
def test_claim_candidates_use_the_trigram_index_and_restore_the_planner():
    """A handful of claims: left to itself the planner reads the table; the
    candidates come from the GIN index all the same, and seq scans are back on
    afterwards."""
    Claim.objects.create(text="Unemployment in Kalo rose to 7% in 2021")
    scans = (
        "SELECT seq_scan, idx_scan FROM pg_stat_xact_user_tables "
        "WHERE relname = 'claims_claim'"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(scans)
        before = cursor.fetchone()
        candidates = _claim_candidates("Unemployment in Kalo rose to 7% in 2021.")
        cursor.execute(scans)
        after = cursor.fetchone()
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone()[0] == "on"
    assert [text for _, text in candidates] == [
        "Unemployment in Kalo rose to 7% in 2021"
    ]
    assert (after[0] - before[0], after[1] - before[1]) == (0, 1)
