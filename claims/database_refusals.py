"""What the database refused, said for people: no SQL, no constraint name.

A refused value (``DataError``, ``IntegrityError``) becomes a sentence: a
model constraint's own ``violation_error_message``, or what the SQLSTATE
means. A lost connection is told apart from a refusal, since it says nothing
of the record: nothing more can be stored this run, and a re-run can.
"""

import re

from django.apps import apps
from django.db import DatabaseError, InterfaceError, OperationalError, connection

# SQLSTATE classes and codes (PostgreSQL, appendix A) that a record can cause.
_SQLSTATE = {
    "22001": "a text is longer than its field allows",
    "22003": "a number is out of range",
    "22021": "a text holds a character the database cannot store",
    "22P02": "a value is not of its field's type",
    "22P05": "a text holds a character the database cannot store (a NUL)",
    "23502": "a required value is missing",
    "23503": "it names something that is not stored",
    "23505": "a value that must be unique is already stored",
    "23514": "a value breaks a rule of the data",
}
# Class 08, connection exception; 57P01-57P03, the server shut down or
# ended this session (pg_terminate_backend).
_LOST_SQLSTATES = ("08", "57P01", "57P02", "57P03")
# SQLite names the constraint in its message ("CHECK constraint failed: x").
_SQLITE_CONSTRAINT = re.compile(r"constraint failed: (\w+)")


def _constraint_sentences() -> dict[str, str]:
    return {
        constraint.name: str(constraint.violation_error_message)
        for model in apps.get_app_config("claims").get_models()
        for constraint in model._meta.constraints
    }


def connection_lost(error: BaseException) -> bool:
    """The connection is gone, rather than a value refused."""
    if isinstance(error, InterfaceError):
        return True
    if not isinstance(error, OperationalError):
        return False
    if connection.vendor != "postgresql":
        return False  # SQLite's are about the file (locked, say), not a link
    code = getattr(error.__cause__, "pgcode", None)
    # No SQLSTATE: the client library's own error, the link itself failed
    # ("server closed the connection unexpectedly").
    return code is None or code.startswith(_LOST_SQLSTATES)


def database_refusal(error: DatabaseError) -> str:
    """A sentence for what the database refused; its details stay in the log."""
    cause = error.__cause__
    diag = getattr(cause, "diag", None)
    name = getattr(diag, "constraint_name", None)
    if name is None and (match := _SQLITE_CONSTRAINT.search(str(error))):
        name = match[1]
    if name and (sentence := _constraint_sentences().get(name)):
        return sentence
    code = getattr(cause, "pgcode", None) or ""
    if code == "P0001" and diag is not None and diag.message_primary:
        # Raised by the project's own triggers, in words written for people.
        return str(diag.message_primary)
    if code in _SQLSTATE:
        return _SQLSTATE[code]
    if "NUL" in str(error) or "\\u0000" in str(error):
        return _SQLSTATE["22P05"]
    return "a value cannot be stored as given"
