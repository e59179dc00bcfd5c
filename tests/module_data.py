"""Data that the tests of a module share, built once for the module.

A module whose tests each build the same objects and then read them, or
change them and are rolled back, spends most of its time building: the role
matrix (216 cases a database) built its world for every case. Here the data
is built once inside a transaction that spans the module, and each test's
own transaction (pytest-django's) nests in it as a savepoint, so whatever a
test changes is rolled back to the data as built; the module's transaction
is rolled back at its end, leaving the database as empty as before.

Only for modules whose tests run inside a transaction (``django_db``, not
``transaction=True`` nor ``live_server``). The objects handed out are the
module's: a test that changes one in memory changes it for the next test,
so tests read them again (``refresh_from_db``) before relying on a field.
"""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import transaction


def module_data(build: Callable[[], Any]):
    """A module-scoped fixture, named as ``build``, answering ``build()``
    as made once in the module's transaction."""

    @pytest.fixture(scope="module", name=build.__name__)
    def fixture(django_db_setup, django_db_blocker) -> Iterator[Any]:
        module = transaction.atomic()
        with django_db_blocker.unblock():
            module.__enter__()
            try:
                data = build()
            except BaseException:
                transaction.set_rollback(True)
                module.__exit__(None, None, None)
                raise
        try:
            yield data
        finally:
            with django_db_blocker.unblock():
                transaction.set_rollback(True)
                module.__exit__(None, None, None)

    fixture.__doc__ = build.__doc__
    return fixture
