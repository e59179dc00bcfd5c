"""Rows created in bulk with their first history record, copied in the database.

django-simple-history's ``bulk_create_with_history`` builds a historical
model instance for every row in Python and inserts those through the ORM
too: for the suggestions' attributions and mentions that was more than half
of the whole write (a cProfile of ``import_documents --suggest``,
BENCHMARKS.md). The history row of a row just created holds the same values
as the row, so here the database copies them: one ``INSERT … SELECT`` from
the table into its history table, whatever the number of rows.

The records are those simple-history would make ("+", the row's values, the
user the request or the caller gives, the change reason an instance
carries), all with the batch's one time.
"""

from collections.abc import Sequence
from typing import Any, TypeVar

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone
from simple_history.utils import get_change_reason_from_object

Row = TypeVar("Row", bound=Model)

# Ids a statement on SQLite, under its limit of host parameters (999).
_SQLITE_IDS = 900


def create_with_history(
    rows: Sequence[Row],
    *,
    user: Model | None = None,
    reason: str | None = None,
    batch_size: int = 1000,
) -> list[Row]:
    """Insert ``rows`` (unsaved instances of one model with history), then
    give each its "created" record; the rows, with their ids, in order.

    ``user`` and ``reason`` are the records' ``history_user`` and
    ``history_change_reason`` where an instance does not carry its own
    (``_history_user``, ``_change_reason``), as in simple-history.
    """
    if not rows:
        return []
    model = type(rows[0])
    # Both or neither; without a savepoint of its own (two queries more a
    # call), as simple-history's: a failure undoes the caller's transaction.
    with transaction.atomic(savepoint=False):
        created = model._default_manager.bulk_create(list(rows), batch_size=batch_size)
        if getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
            _history_copy(model, created, user, reason)
    return created


def _history_copy(
    model: type[Model],
    rows: Sequence[Model],
    user: Model | None,
    reason: str | None,
) -> None:
    # simple-history ships no types: its historical model, made at start-up.
    history: Any = model.history.model  # type: ignore[attr-defined]
    # A user and a reason a record, as simple-history picks them; almost
    # always one pair for the whole batch, so one statement.
    by_record: dict[tuple[int | None, str | None], list[int]] = {}
    for row in rows:
        user_id = _user_id(history, row, user)
        change_reason = get_change_reason_from_object(row) or reason
        by_record.setdefault((user_id, change_reason), []).append(row.pk)
    when = connection.ops.adapt_datetimefield_value(timezone.now())
    quote = connection.ops.quote_name
    pk = quote(model._meta.pk.attname)  # an AutoField: its column
    tracked = ", ".join(quote(field.column) for field in history.tracked_fields)
    copy = (
        f"INSERT INTO {quote(history._meta.db_table)} ({tracked}, history_date, "
        "history_change_reason, history_type, history_user_id) "
        f"SELECT {tracked}, %s, %s, '+', %s FROM {quote(model._meta.db_table)} "
        "WHERE {ids} ORDER BY " + pk
    )
    with connection.cursor() as cursor:
        for (user_id, change_reason), ids in by_record.items():
            values = [when, change_reason, user_id]
            if connection.vendor == "postgresql":
                cursor.execute(copy.format(ids=f"{pk} = ANY(%s)"), [*values, ids])
                continue
            for start in range(0, len(ids), _SQLITE_IDS):
                part = ids[start : start + _SQLITE_IDS]
                marks = ", ".join(["%s"] * len(part))
                cursor.execute(copy.format(ids=f"{pk} IN ({marks})"), [*values, *part])


def _user_id(history: Any, row: Model, user: Model | None) -> int | None:
    chosen = getattr(
        row, "_history_user", user or history.get_default_history_user(row)
    )
    return chosen.pk if chosen is not None else None
