"""Rows created in bulk get the "created" history records simple-history's
``bulk_create_with_history`` would give them, copied by the database."""

import pytest
from django.test import RequestFactory
from simple_history.models import HistoricalRecords
from simple_history.utils import bulk_create_with_history

from claims.models import Source
from claims.name_normalization import normalize_name
from claims.services.bulk_history import create_with_history

pytestmark = pytest.mark.django_db

# Fields of a record that differ between two rows made alike.
DIFFERENT = {"id", "history_id", "history_date", "name", "normalized_name"}
TIMES = {"created_at", "updated_at"}  # a moment apart


def sources(*names: str, **fields) -> list[Source]:
    return [
        Source(name=name, normalized_name=normalize_name(name), **fields)
        for name in names
    ]


def record(source: Source) -> dict:
    """The source's one history record, as values."""
    (values,) = Source.history.filter(id=source.pk).values()
    return values


def test_the_records_are_simple_historys(editor):
    (ours,) = create_with_history(
        sources("Ours", kind="person", url="https://example.org/a", proposed=True),
        user=editor,
        reason="Suggested",
    )
    (theirs,) = bulk_create_with_history(
        sources("Theirs", kind="person", url="https://example.org/a", proposed=True),
        Source,
        default_user=editor,
        default_change_reason="Suggested",
    )
    mine, simple = record(ours), record(theirs)
    assert {k: v for k, v in mine.items() if k not in DIFFERENT | TIMES} == {
        k: v for k, v in simple.items() if k not in DIFFERENT | TIMES
    }
    assert (mine["history_type"], mine["history_user_id"]) == ("+", editor.pk)
    assert mine["history_change_reason"] == "Suggested"
    # Every value the row holds, its times included.
    stored = Source.objects.filter(pk=ours.pk).values().get()
    assert {k: mine[k] for k in stored} == stored


def test_a_row_keeps_its_own_user_and_reason(editor, reviewer):
    plain, own_user, own_reason = sources("Plain", "Own user", "Own reason")
    own_user._history_user = reviewer
    own_reason._change_reason = "Merged by hand"
    create_with_history([plain, own_user, own_reason], user=editor, reason="Bulk")
    assert [
        (record(row)["history_user_id"], record(row)["history_change_reason"])
        for row in (plain, own_user, own_reason)
    ] == [(editor.pk, "Bulk"), (reviewer.pk, "Bulk"), (editor.pk, "Merged by hand")]


def test_without_a_user_the_request_s_user_is_recorded(reviewer):
    request = RequestFactory().get("/")
    request.user = reviewer
    HistoricalRecords.context.request = request
    try:
        (row,) = create_with_history(sources("During a request"))
    finally:
        del HistoricalRecords.context.request
    assert record(row)["history_user_id"] == reviewer.pk
    (row,) = create_with_history(sources("Outside a request"))
    assert record(row)["history_user_id"] is None


def test_every_row_of_a_big_batch_gets_one_record():
    # More ids than SQLite takes in one statement.
    rows = create_with_history(sources(*(f"Source {n}" for n in range(950))))
    assert Source.history.filter(id__in=[row.pk for row in rows]).count() == 950
    assert Source.history.values("id").distinct().count() == 950


def test_history_turned_off_writes_rows_only(settings):
    settings.SIMPLE_HISTORY_ENABLED = False
    (row,) = create_with_history(sources("Unrecorded"))
    assert Source.objects.filter(pk=row.pk).exists()
    assert not Source.history.filter(id=row.pk).exists()


def test_nothing_to_create_asks_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert create_with_history([]) == []
