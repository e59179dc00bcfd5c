"""Faults during a job, with real worker processes (tests/worker.py) on a
Redis server of the test's own (tests/faults.py), on PostgreSQL: a worker
killed mid-chunk, the broker restarted empty, the database refusing
connections for a moment; a worker killed in the middle of a job run whole
(a claims import), its message coming back or lost with the broker; the
beat sending again a queued job whose message was lost, and the chunks of
a job whose only worker died with the broker.

Each test holds the workers inside a chunk deterministically: the documents'
table is locked from a second connection (SHARE: reads go on, inserts wait),
so each worker's first insert of a document waits inside its chunk; the
fault strikes while the database shows them waiting, and the lock goes. A
claims import is held in its second batch the same way, on the row of a
claim stored before that the batch publishes.
"""

import json
import os
import signal
import time

import psycopg2
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.models import Count
from rest_framework.test import APIClient

from claims.formats import claim_records
from claims.models import Claim, ClaimReview, Document, Job, JobChunk
from claims.services import claims_import
from tests.faults import FlakyProxy, RedisServer
from tests.worker import BeatWorker, Worker, wait_for

pytestmark = [
    # Skipped on SQLite (tests/conftest.py): the workers are other processes,
    # and pytest-django's SQLite test database lives in memory, out of their
    # reach; nor does SQLite have the row locks the chunks are taken under.
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

TEXT = "The minister said taxes rose {n} percent in 2020. Critics disagreed."
LINES = 1000  # five chunks of import_documents.BATCH lines
# Lost messages come back after this many seconds (JOB_VISIBILITY_TIMEOUT).
VISIBILITY = {"JOB_VISIBILITY_TIMEOUT": "5"}


@pytest.fixture
def broker(tmp_path, settings):
    server = RedisServer(tmp_path)
    settings.CELERY_BROKER_URL = server.url
    yield server
    server.stop()


@pytest.fixture
def holder():
    """A second connection to the test database, rolled back at the end."""
    database = connection.settings_dict
    link = psycopg2.connect(
        dbname=database["NAME"],
        user=database["USER"],
        host=database["HOST"],
        port=database["PORT"] or 5432,
        password=database["PASSWORD"],
    )
    yield link
    link.rollback()
    link.close()


def _lock_documents(holder) -> None:
    with holder.cursor() as cursor:
        cursor.execute("LOCK TABLE claims_document IN SHARE MODE")


def _waiting_on_locks() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def _feed() -> bytes:
    return "".join(
        json.dumps({"title": f"T{n}", "text": TEXT.format(n=n)}) + "\n"
        for n in range(LINES)
    ).encode()


def _submit(user) -> int:
    client = APIClient()
    client.force_authenticate(user)
    response = client.post(
        "/api/imports/",
        {"file": SimpleUploadedFile("feed.jsonl", _feed())},
        format="multipart",
    )
    assert response.status_code == 202, response.content
    return response.json()["id"]


def _finished(pk: int, timeout: float) -> Job:
    return wait_for(lambda: (job := Job.objects.get(pk=pk)).finished and job, timeout)


def _every_document_whole() -> None:
    """Each document has all its statements: the same number as each other
    (the texts differ only in a number), none half-written."""
    counts = Document.objects.annotate(n=Count("statements")).values_list(
        "n", flat=True
    )
    assert set(counts) == {2}


def _done_with_the_killed_chunk_again(pk: int, chunk: JobChunk) -> None:
    """The job done within 60 s, every document once and whole, and the
    chunk its killed worker held done on a second attempt."""
    job = _finished(pk, timeout=60)
    assert job.status == "done", job.summary
    assert job.summary["imported"] == LINES and job.summary["failed"] == 0
    assert Document.objects.count() == LINES
    _every_document_whole()
    chunk.refresh_from_db()
    assert (chunk.status, chunk.attempts) == ("done", 2)


def test_a_worker_killed_mid_chunk_costs_no_document_and_adds_none(
    broker, holder, reviewer, tmp_path
):
    """Two workers share an import; one is killed (SIGKILL) inside a chunk.
    The other takes that chunk again: the job finishes within 60 s, every
    document whole, and the same file submitted again adds nothing."""
    workers = [Worker(broker.url, tmp_path / f"w{n}.log", **VISIBILITY) for n in (1, 2)]
    try:
        _lock_documents(holder)
        pk = _submit(reviewer)
        taken = JobChunk.objects.filter(job_id=pk, attempts=1)
        wait_for(lambda: taken.count() == 2 and _waiting_on_locks() >= 2)
        victim = workers[0]
        chunk = taken.get(worker__endswith=f":{victim.pid}")
        os.kill(victim.pid, signal.SIGKILL)
        victim.process.wait(timeout=30)
        holder.rollback()
        _done_with_the_killed_chunk_again(pk, chunk)
        assert not chunk.worker.endswith(f":{victim.pid}")

        again = _finished(_submit(reviewer), timeout=120)
        assert again.status == "done", again.summary
        assert (again.summary["imported"], again.summary["present"]) == (0, LINES)
        assert Document.objects.count() == LINES
    finally:
        for worker in workers:
            worker.stop()


def test_redis_restarted_empty_during_a_job_loses_nothing(
    broker, holder, reviewer, tmp_path
):
    """The broker goes down with the job's messages and comes back empty: the
    worker inside a chunk goes on taking the job's chunks from the database,
    the job finishes, nothing half-written, and the next job goes through."""
    worker = Worker(broker.url, tmp_path / "worker.log", **VISIBILITY)
    try:
        _lock_documents(holder)
        pk = _submit(reviewer)
        wait_for(lambda: _waiting_on_locks() >= 1)
        broker.stop()
        broker.start()
        holder.rollback()
        job = _finished(pk, timeout=120)
        if job.status == "failed":  # allowed, with a summary that says why
            assert job.summary["errors"], job.summary
        else:
            assert job.status == "done", job.summary
            assert Document.objects.count() == LINES
        _every_document_whole()

        again = _finished(_submit(reviewer), timeout=120)
        assert again.status == "done", again.summary
        assert again.summary["imported"] + again.summary["present"] == LINES
        assert Document.objects.count() == LINES
        _every_document_whole()
    finally:
        worker.stop()


def test_a_chunk_cut_off_by_the_database_is_taken_again(
    broker, holder, reviewer, tmp_path
):
    """The worker's connection to PostgreSQL is cut inside a chunk and the
    next connections are refused: the task is retried, the chunk taken
    again (its second attempt), and the job finishes whole."""
    database = connection.settings_dict
    proxy = FlakyProxy(database["HOST"], int(database["PORT"] or 5432))
    url = f"postgres://{database['USER']}@127.0.0.1:{proxy.port}/{database['NAME']}"
    worker = Worker(broker.url, tmp_path / "worker.log", database_url=url)
    try:
        _lock_documents(holder)
        pk = _submit(reviewer)
        first = JobChunk.objects.filter(job_id=pk, number=1, attempts=1)
        wait_for(lambda: first.exists() and _waiting_on_locks() >= 1)
        proxy.outage(refusals=3)
        holder.rollback()
        assert proxy.refused.wait(timeout=60), "the worker never tried again"
        job = _finished(pk, timeout=120)
        assert job.status == "done", job.summary
        assert Document.objects.count() == LINES
        _every_document_whole()
        assert JobChunk.objects.get(job_id=pk, number=1).attempts == 2
        assert proxy.refusals == 3
    finally:
        worker.stop()
        proxy.close()


# A job run whole: its worker's heartbeat every half second, taken over
# after three seconds without one, sent out again by the beat every second.
WHOLE = {
    **VISIBILITY,
    "JOB_HEARTBEAT_SECONDS": "0.5",
    "JOB_LEASE_SECONDS": "3",
    "JOB_RECOVER_SECONDS": "1",
}
CLAIMS = 3000  # three batches of import_claims.BATCH lines
HELD = 1500  # the line, in the second batch, of the claim stored before


def _claim_line(n: int, reviewed: bool = True) -> str:
    reviews = [{"rating": 2, "summary": "No.", "url": f"https://example.org/r/{n}"}]
    record = {"text": f"Unemployment fell to {n} percent in region {n}"}
    return json.dumps({**record, "reviews": reviews} if reviewed else record) + "\n"


def _hold_second_batch(holder, editor) -> None:
    """Store the held line's claim (unreviewed), and lock its row: the
    import's second batch publishes it, and waits there."""
    line = _claim_line(HELD, reviewed=False)
    [outcome] = claims_import(
        records=[("before:1", claim_records.parse_line(line.encode()))],
        created_by=editor,
    )
    assert outcome.claim is not None, outcome.error
    with holder.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM claims_claim WHERE id = %s FOR UPDATE", [outcome.claim.pk]
        )


def _submit_claims(editor) -> int:
    client = APIClient()
    client.force_authenticate(editor)
    feed = "".join(_claim_line(n) for n in range(1, CLAIMS + 1)).encode()
    response = client.post(
        "/api/imports/",
        {"file": SimpleUploadedFile("claims.jsonl", feed), "kind": "claims_import"},
        format="multipart",
    )
    assert response.status_code == 202, response.content
    return response.json()["id"]


def _kill_mid_job(holder, editor, broker, tmp_path) -> tuple[int, Worker]:
    """A claims import whose worker is killed (SIGKILL) in its second batch,
    its first committed and its heartbeat seen; the hold then goes."""
    _hold_second_batch(holder, editor)
    victim = Worker(broker.url, tmp_path / "victim.log", **WHOLE)
    try:
        pk = _submit_claims(editor)
        running = Job.objects.filter(
            pk=pk, heartbeat_at__isnull=False, progress__done__gte=1000
        )
        wait_for(lambda: running.exists() and _waiting_on_locks() >= 1)
        assert running.get().worker.endswith(f":{victim.pid}")
        os.kill(victim.pid, signal.SIGKILL)
        victim.process.wait(timeout=30)
    finally:
        victim.stop()
    holder.rollback()
    return pk, victim


def _finished_whole(pk: int, worker: Worker) -> Job:
    """Within 60 s, run to its end on its second attempt, by ``worker``, with
    the rows of a clean run: each claim and review once."""
    started = time.monotonic()
    job = _finished(pk, timeout=60)
    assert time.monotonic() - started < 60
    assert job.status == "done", job.summary
    assert (job.attempts, job.worker.rpartition(":")[2]) == (2, str(worker.pid))
    summary = job.summary
    assert summary["imported"] + summary["present"] == CLAIMS, summary
    assert summary["present"] >= 1000, summary  # the dead attempt's batch
    assert summary["reviews_imported"] + summary["reviews_present"] == CLAIMS
    assert Claim.objects.count() == ClaimReview.objects.count() == CLAIMS
    assert Claim.objects.filter(status="published").count() == CLAIMS
    return job


def test_a_worker_killed_mid_job_run_whole_is_taken_over(
    broker, holder, editor, tmp_path
):
    """The killed worker's message comes back (visibility timeout) to the
    worker started after it, which waits out the lease and runs the job
    again: what the dead attempt committed is found present, nothing is
    stored twice."""
    pk, _ = _kill_mid_job(holder, editor, broker, tmp_path)
    worker = Worker(broker.url, tmp_path / "w2.log", **WHOLE)
    try:
        _finished_whole(pk, worker)
        assert "sent no heartbeat" in worker.log.read_text()
    finally:
        worker.stop()


def test_a_job_run_whole_whose_message_was_lost_is_sent_again_by_the_beat(
    broker, holder, editor, tmp_path
):
    """The broker restarts empty after the worker died, the job's message
    with it: the beat's recover_jobs finds the stale lease and sends the job
    out again."""
    pk, _ = _kill_mid_job(holder, editor, broker, tmp_path)
    broker.stop()
    broker.start()
    worker = BeatWorker(broker.url, tmp_path / "w2.log", **WHOLE)
    try:
        _finished_whole(pk, worker)
        assert f"job {pk}: its lease is stale; sent out again" in (
            worker.log.read_text()
        )
    finally:
        worker.stop()


# The beat's recovery, quick: a job still queued after two seconds is sent
# again, and a job in chunks none of which was taken or finished for ten
# (JOB_LEASE_SECONDS, but no less than chunks.TAKEN_GAP, after which the
# chunk a dead worker took may be taken again) has its chunks handed out.
RECOVERY = {**WHOLE, "JOB_QUEUED_RESEND_SECONDS": "2"}


def _queue_length(broker) -> int:
    import redis

    return redis.Redis(port=broker.port).llen("celery")


def test_a_queued_job_whose_message_was_lost_is_sent_again_by_the_beat(
    broker, reviewer, tmp_path
):
    """Submitted while no worker runs, its message lost with the broker
    restarted empty: the beat finds it still queued and sends it once
    again, and the job runs to its end."""
    pk = _submit(reviewer)
    assert _queue_length(broker) == 1  # its message, about to be lost
    broker.stop()
    broker.start()
    assert _queue_length(broker) == 0
    worker = BeatWorker(broker.url, tmp_path / "worker.log", **RECOVERY)
    try:
        job = _finished(pk, timeout=60)
        assert job.status == "done", job.summary
        assert (job.summary["imported"], job.attempts) == (LINES, 1)
        assert Document.objects.count() == LINES
        _every_document_whole()
        log = worker.log.read_text()
        assert log.count(f"job {pk}: still queued after 2 s; sent out again") == 1
    finally:
        worker.stop()


def test_a_chunked_job_whose_workers_died_with_the_broker_is_handed_out_again(
    broker, holder, reviewer, tmp_path
):
    """The job's only worker is killed (SIGKILL) inside its first chunk and
    the broker restarts empty, the job's messages with it: the beat finds
    no chunk taken lately and hands the five out again. The job finishes,
    every document whole and none twice, the dead worker's chunk on its
    second attempt."""
    victim = Worker(broker.url, tmp_path / "victim.log", **VISIBILITY)
    try:
        _lock_documents(holder)
        pk = _submit(reviewer)
        taken = JobChunk.objects.filter(job_id=pk, attempts=1)
        wait_for(lambda: taken.exists() and _waiting_on_locks() >= 1)
        chunk = taken.get()
        assert chunk.worker.endswith(f":{victim.pid}")
        os.kill(victim.pid, signal.SIGKILL)
        victim.process.wait(timeout=30)
    finally:
        victim.stop()
    broker.stop()
    broker.start()
    holder.rollback()
    worker = BeatWorker(broker.url, tmp_path / "worker.log", **RECOVERY)
    try:
        _done_with_the_killed_chunk_again(pk, chunk)
        assert f"job {pk}: no chunk taken or finished for 10 s; its 5 chunks " in (
            worker.log.read_text()
        )
    finally:
        worker.stop()
