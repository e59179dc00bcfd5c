"""The importer when the database goes away mid-run (PostgreSQL): its
backend is ended with ``pg_terminate_backend`` from another connection, as
a fail-over or an administrator would. The run ends with its summary and
says that running the same command again imports the rest, which it does;
no traceback and no raw database error reach the terminal."""

import json
import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import connection, transaction

from claims.models import Document

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

IMPORTER = "claims-test-importer"
LINES = 3_000  # 15 batches of 200: the run is cut in the middle


def _environment():
    database = settings.DATABASES["default"]
    url = (
        f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}"
        f"/{database['NAME']}"
    )
    return os.environ | {
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": url,
        "PYTHONUNBUFFERED": "1",
        # Named, so that its backend is told from others on the test database
        # (a job test's worker process may still be connected).
        "PGAPPNAME": IMPORTER,
    }


def _import(path):
    return subprocess.Popen(
        [sys.executable, "manage.py", "import_documents", str(path)],
        cwd=settings.BASE_DIR, env=_environment(), text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip


def _importer_backend(deadline):
    """The importer's backend, once it has committed a batch."""
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM claims_document")
            (stored,) = cursor.fetchone()
            cursor.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                " AND application_name = %s",
                [IMPORTER],
            )
            pids = [pid for (pid,) in cursor.fetchall()]
        if stored and len(pids) == 1:
            return pids[0]
        time.sleep(0.05)
    raise AssertionError("the importer stored nothing in time")


def test_a_lost_connection_ends_with_the_summary_and_a_rerun_imports_the_rest(
    tmp_path,
):
    path = tmp_path / "many.jsonl"
    path.write_text(
        "".join(
            json.dumps({"title": f"Doc {n}", "text": f"Text number {n}."}) + "\n"
            for n in range(LINES)
        )
    )
    run = _import(path)
    try:
        pid = _importer_backend(time.monotonic() + 120)
        # Held in the middle, whatever the machine's speed: the lock waits
        # for the batch under way to commit and stops the next one, whose
        # backend is then ended.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("LOCK TABLE claims_document IN SHARE MODE")
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        out, err = run.communicate(timeout=120)
    finally:
        run.kill()
    assert run.returncode == 1, (out, err)
    last = err.strip().splitlines()[-1]
    assert last.startswith("CommandError: the connection to the database was lost: ")
    assert last.endswith(
        "already present, 0 failed; the batch under way was rolled back, and "
        "running the same command again imports the rest"
    )
    for leak in ("Traceback", "psycopg2", "terminating connection", "SQL"):
        assert leak not in err, leak
    kept = Document.objects.count()
    assert 0 < kept < LINES
    assert f"{kept} imported, 0 already present" in last

    again = _import(path)
    out, err = again.communicate(timeout=300)
    assert again.returncode == 0, err
    assert f"{LINES - kept} imported, {kept} already present, 0 failed" in out
    assert Document.objects.count() == LINES


def test_a_value_the_database_refuses_is_a_sentence(tmp_path):
    """PostgreSQL's jsonb holds no NUL: the line is named with a sentence,
    not the server's message with its SQL context."""
    from tests.test_commands import run_import

    path = tmp_path / "nul.jsonl"
    record = {
        "title": "T",
        "text": "Rents rose.",
        "statements": [{"start": 0, "end": 11, "claims": ["Rents rose"]}],
        "metadata": {"k": "a\u0000b"},
    }
    path.write_text(json.dumps(record) + "\n")
    _, err, error = run_import(path)
    assert err.strip() == (
        f"{path}:1: the database refused a value: a text holds a character the "
        "database cannot store (a NUL)"
    )
    assert "0 imported, 0 already present, 1 failed" in str(error)
