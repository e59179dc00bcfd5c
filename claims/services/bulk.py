"""Rows written straight into a table: COPY on PostgreSQL, executemany elsewhere.

For bulk imports only, where the ORM's work for each row (a model instance,
every field prepared, the SQL compiled) costs more than the database's own
write. The rows must be valid already: the callers check them beforehand, and
the database still enforces its constraints and triggers on every row.
"""

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection
from django.db.models import Field, Model

from claims.copy_format import copy_buffer


def insert_rows(
    model: type[Model], fields: Sequence[str], rows: Iterable[tuple[Any, ...]]
) -> None:
    """Insert ``rows`` (values in the order of ``fields``) into ``model``'s table."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(_column(model, f)) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            data = copy_buffer(_checked(row) for row in rows)
            # Django turns the driver's errors into its own (IntegrityError,
            # DataError) for execute(), not for copy_expert(): here by hand.
            with connection.wrap_database_errors:
                cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", data)
        else:
            placeholders = ", ".join(["%s"] * len(fields))
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({placeholders})",
                [_checked(row) for row in rows],
            )


# Values whose form both paths write alike. Anything else (a dict, a date,
# bytes, a bool) has a text form of its own in COPY that str() would not
# give: it is refused rather than written as its Python repr.
_PLAIN = frozenset({str, int, type(None)})


def _column(model: type[Model], name: str) -> str:
    field = model._meta.get_field(name)
    # Rows go into columns: a relation's reverse side or a field without a
    # column of its own is a caller's mistake.
    assert isinstance(field, Field) and field.column is not None
    return field.column


def _checked(row: tuple[Any, ...]) -> tuple[Any, ...]:
    for value in row:
        if type(value) not in _PLAIN:
            raise TypeError(
                f"insert_rows takes str, int and None, not {type(value).__name__}"
            )
    return row
