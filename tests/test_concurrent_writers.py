"""Two writers creating the same new source or claim at once (issue 22):
the second gets the row the first stored, not a unique violation.

Each writer is a thread with its own database connection. The first creates
the row and keeps its transaction open; the second looks, finds nothing (the
row is not committed), and its insert waits on the unique index. Once it is
seen waiting, the first commits: the second's insert then fails, and the
service must answer the stored row. PostgreSQL only: SQLite lets one writer
at a time, so there the second would not even start until the first ended.
"""

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections, transaction

from claims import services
from claims.models import Claim, Document, Source

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

WAIT = 60  # seconds a step may take before the test gives up


class Writer(threading.Thread):
    """Runs ``work`` in a transaction of its own connection; holds it open
    until ``release`` is set, if given."""

    def __init__(self, work: Callable[[], Any], release: threading.Event | None):
        super().__init__(daemon=True)
        self.work, self.release = work, release
        self.done = threading.Event()
        self.result: Any = None
        self.error: BaseException | None = None
        self.backend_pid: int | None = None
        self.started_work = threading.Event()

    def run(self) -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                self.backend_pid = cursor.fetchone()[0]
            self.started_work.set()
            with transaction.atomic():
                self.result = self.work()
                self.done.set()
                if self.release is not None:
                    assert self.release.wait(WAIT), "never released"
        except BaseException as error:
            self.error = error
        finally:
            self.done.set()
            connections.close_all()


def waiting_on_a_lock(pid: int | None) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid]
        )
        row = cursor.fetchone()
    return row is not None and row[0] == "Lock"


def race(first: Callable[[], Any], second: Callable[[], Any]) -> tuple[Any, Any]:
    """Both writers' results, the second having waited on the first's row."""
    release = threading.Event()
    one = Writer(first, release)
    one.start()
    assert one.done.wait(WAIT), "the first writer did not finish its work"
    assert one.error is None, one.error
    two = Writer(second, None)
    two.start()
    assert two.started_work.wait(WAIT)
    deadline = time.monotonic() + WAIT
    while not waiting_on_a_lock(two.backend_pid):
        assert not two.done.is_set(), f"the second did not wait: {two.error!r}"
        assert time.monotonic() < deadline, "the second writer never waited"
        time.sleep(0.05)
    release.set()
    one.join(WAIT)
    two.join(WAIT)
    assert one.error is None, one.error
    if two.error is not None:
        raise two.error
    return one.result, two.result


def test_two_writers_of_one_new_source_get_the_same_row():
    first, second = race(
        lambda: services.source_get_or_create(name="Daily Planet"),
        lambda: services.source_get_or_create(name="daily planet", aliases=["Planet"]),
    )
    assert first.pk == second.pk
    assert Source.objects.count() == 1
    # The found row still gets the second writer's aliases.
    assert list(Source.objects.get().aliases.values_list("name", flat=True)) == [
        "Planet"
    ]


def test_two_writers_of_one_new_claim_get_the_same_row():
    first, second = race(
        lambda: services.claim_get_or_create(text="Taxes rose by 3%"),
        lambda: services.claim_get_or_create(text="taxes  rose by 3%"),
    )
    assert first.pk == second.pk
    assert Claim.objects.count() == 1


def test_two_writers_of_one_new_alias_get_the_same_row():
    source = services.source_create(name="Daily Planet")
    first, second = race(
        lambda: services.source_add_alias(source=source, name="The Planet"),
        lambda: services.source_add_alias(source=source, name="the planet"),
    )
    assert first.pk == second.pk


def test_two_imports_naming_one_new_publisher_both_store_their_record():
    """The issue: two imports at once, the same new publisher; one exited 1
    with ``duplicate key value violates unique constraint
    "claims_source_normalized_name_key"``."""

    def record(title):
        text = f"{title}: the council said taxes would rise."
        return {
            "title": title,
            "text": text,
            "publisher": "Evening Standard",
            "statements": [
                {
                    "start": 0,
                    "end": len(text),
                    "attributions": [{"kind": "author", "source": "Evening Standard"}],
                    "claims": ["Taxes will rise"],
                }
            ],
        }

    first, second = race(
        lambda: services.document_import(record=record("Monday")),
        lambda: services.document_import(record=record("Tuesday")),
    )
    assert first[1] and second[1]  # both new
    assert Document.objects.count() == 2
    assert Source.objects.count() == 1
    assert Claim.objects.count() == 1
    assert {d.publisher_id for d in Document.objects.all()} == {Source.objects.get().pk}
