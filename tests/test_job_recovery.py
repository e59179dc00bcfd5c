"""What the beat sends out again (claims.services.recovery), in the test's
own process with kombu's in-memory broker: a job left queued too long, a job
run whole whose lease is stale, a job in chunks that no worker is on; and
what a worker does with each copy when it comes too late. Real worker
processes and a broker restarted empty are in tests/test_jobs_faults.py."""

import logging
import queue
from datetime import datetime, timedelta

import pytest
from django.utils import timezone
from kombu import Connection

from claims import selectors
from claims.models import Job, JobChunk
from claims.services.chunks import chunks_work
from claims.services.jobs import job_run, job_start
from claims.services.recovery import jobs_recover

SECONDS = timedelta(seconds=1)


@pytest.fixture(autouse=True)
def timings(settings, tmp_path):
    settings.CELERY_BROKER_URL = ""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.JOB_LEASE_SECONDS = 30
    settings.JOB_QUEUED_RESEND_SECONDS = 600
    settings.JOB_RECOVER_SECONDS = 60


@pytest.fixture
def broker(settings):
    """The in-memory broker (one a process), as the settings name it; its
    queue, emptied before and after."""
    settings.CELERY_BROKER_URL = "memory://"
    with Connection("memory://") as connection:
        messages = connection.SimpleQueue("celery")
        messages.clear()
        yield messages
        messages.clear()
        messages.close()


def _sent(messages) -> list[tuple[str, list, dict, datetime]]:
    """Each message in the queue: its task, arguments and expiry."""
    found = []
    while True:
        try:
            message = messages.get(block=False)
        except queue.Empty:
            return found
        args, kwargs, _ = message.decode()
        expires = datetime.fromisoformat(message.headers["expires"])
        found.append((message.headers["task"], args, kwargs, expires))
        message.ack()


def _ago(seconds: float) -> datetime:
    return timezone.now() - seconds * SECONDS


def _queued(seconds: float) -> Job:
    """A job submitted this long ago that no worker has started."""
    job = Job.objects.create(kind="export", options={"format": "jsonl"})
    Job.objects.filter(pk=job.pk).update(created_at=_ago(seconds))
    return job


def _running_whole(heartbeat: float) -> Job:
    """An export a worker started, its last heartbeat this long ago."""
    job = _queued(600)
    job_start(job_id=job.pk)
    Job.objects.filter(pk=job.pk).update(heartbeat_at=_ago(heartbeat))
    return Job.objects.get(pk=job.pk)


def _running_in_chunks(*chunks: dict, started: float = 120) -> Job:
    """A suggest job started this long ago, with these chunks (their
    status, attempts, and how long ago they were taken or finished)."""
    job = Job.objects.create(kind="suggest", options={"documents": []})
    job_start(job_id=job.pk)
    Job.objects.filter(pk=job.pk).update(started_at=_ago(started))
    for number, chunk in enumerate(chunks, 1):
        taken, finished = chunk.pop("taken", None), chunk.pop("finished", None)
        JobChunk.objects.create(
            job=job,
            number=number,
            start=number - 1,
            stop=number,
            size=1,
            taken_at=None if taken is None else _ago(taken),
            finished_at=None if finished is None else _ago(finished),
            **chunk,
        )
    return job


DONE = {"status": "done", "attempts": 1, "taken": 100, "finished": 90}
# Taken by a worker that died before committing it: queued, unlocked.
STALE_ATTEMPT = {"attempts": 1, "taken": 80}
UNTAKEN: dict = {}


def test_queued_jobs_are_sent_again_once_older_than_the_setting(
    db, django_assert_num_queries
):
    """Oldest first; not those submitted lately, nor started or ended ones."""
    newer, older = _queued(700), _queued(800)
    _queued(500)
    _running_whole(heartbeat=0)
    cancelled = _queued(900)
    Job.objects.filter(pk=cancelled.pk).update(
        status="cancelled", finished_at=timezone.now()
    )
    with django_assert_num_queries(1):
        assert selectors.jobs_queued_before(_ago(600)) == [older.pk, newer.pk]


def test_chunked_jobs_no_worker_is_on_are_stalled_with_the_chunks_left(
    db, django_assert_num_queries
):
    """A chunk whose attempt went stale counts as left; a chunk taken or
    finished lately, or a job just started, shows a worker on it."""
    stalled = _running_in_chunks(dict(DONE), dict(STALE_ATTEMPT), dict(UNTAKEN))
    older = _running_in_chunks(dict(UNTAKEN), started=300)
    _running_in_chunks(dict(DONE), {"attempts": 1, "taken": 5})  # being worked
    _running_in_chunks({**DONE, "finished": 5}, dict(UNTAKEN))  # between two
    _running_in_chunks(dict(DONE), dict(DONE))  # nothing left (closing)
    _running_in_chunks(dict(UNTAKEN), started=5)  # its messages just went out
    ended = _running_in_chunks(dict(UNTAKEN))
    Job.objects.filter(pk=ended.pk).update(
        status="cancelled", finished_at=timezone.now()
    )
    _running_whole(heartbeat=120)  # the lease's to recover, not the chunks'
    with django_assert_num_queries(1):
        found = selectors.jobs_chunks_stalled(_ago(30))
    assert found == [(older.pk, 1), (stalled.pk, 2)]


def test_recover_sends_each_lost_job_again_expiring_by_the_next_recovery(
    db, broker, caplog, django_assert_num_queries
):
    """A copy of the queued job marked to start it only if still queued; the
    stale lease's job as it was; one chunk message a chunk left. Each says
    so in the log."""
    queued = _queued(700)
    stale = _running_whole(heartbeat=31)
    stalled = _running_in_chunks(dict(DONE), dict(STALE_ATTEMPT), dict(UNTAKEN))
    _queued(5)
    _running_whole(heartbeat=1)
    _running_in_chunks(dict(DONE), {"attempts": 1, "taken": 5})
    before = timezone.now()
    with caplog.at_level(logging.WARNING), django_assert_num_queries(3):
        assert jobs_recover() == 3
    sent = _sent(broker)
    assert [message[:3] for message in sent] == [
        ("claims.tasks.run_job", [queued.pk], {"queued_only": True}),
        ("claims.tasks.run_job", [stale.pk], {}),
        ("claims.tasks.work_job", [stalled.pk], {}),
        ("claims.tasks.work_job", [stalled.pk], {}),
    ]
    for *_, expires in sent:
        assert before + 60 * SECONDS <= expires <= timezone.now() + 60 * SECONDS
    assert [record.getMessage() for record in caplog.records] == [
        f"job {queued.pk}: still queued after 600 s; sent out again",
        f"job {stale.pk}: its lease is stale; sent out again",
        f"job {stalled.pk}: no chunk taken or finished for 30 s; its 2 chunks "
        "left sent out again",
    ]


def test_recover_with_nothing_lost_sends_nothing(db, broker, django_assert_num_queries):
    _queued(5)
    _running_whole(heartbeat=1)
    _running_in_chunks(dict(DONE), {"attempts": 1, "taken": 5})
    with django_assert_num_queries(3):
        assert jobs_recover() == 0
    assert _sent(broker) == []


def test_a_chunked_job_is_stalled_only_once_a_dead_workers_chunk_can_be_taken(
    db, settings
):
    """With a lease shorter than chunks.TAKEN_GAP (10 s), the chunk a dead
    worker took is handed out only once another may take it."""
    settings.JOB_LEASE_SECONDS = 3
    job = _running_in_chunks({"attempts": 1, "taken": 5})
    assert selectors.jobs_chunks_stalled(_ago(10)) == []
    JobChunk.objects.filter(job=job).update(taken_at=_ago(11))
    assert selectors.jobs_chunks_stalled(_ago(10)) == [(job.pk, 1)]


def test_the_copy_of_a_queued_job_starts_it(db):
    job = _queued(700)
    finished = job_run(job_id=job.pk, queued_only=True)
    assert finished is not None and (finished.status, finished.attempts) == (
        "done",
        1,
    )


def test_the_copy_of_a_job_already_started_is_dropped_at_once(
    db, django_assert_num_queries
):
    """Not retried while the job's lease is fresh, as its first message
    would be (JobLeaseHeld): it ends in the one query that finds the job
    started (between the savepoints of job_start's transaction), and leaves
    the job as it was."""
    running = _running_whole(heartbeat=1)
    with django_assert_num_queries(1 + 2):
        assert job_run(job_id=running.pk, queued_only=True) is None
    stored = Job.objects.get(pk=running.pk)
    assert (stored.status, stored.attempts, stored.heartbeat_at) == (
        "running",
        1,
        running.heartbeat_at,
    )
    done = _running_in_chunks(dict(DONE))
    Job.objects.filter(pk=done.pk).update(status="done", finished_at=timezone.now())
    with django_assert_num_queries(1 + 2):
        assert job_run(job_id=done.pk, queued_only=True) is None


def test_a_chunk_message_for_a_job_with_nothing_left_ends_at_once(
    db, django_assert_num_queries
):
    """Running with its last chunk committed (its worker died before closing
    it), or finished: no chunk taken, no wait. Two transactions, each
    between two savepoints: chunk_take's and job_close's."""
    closing = _running_in_chunks(dict(DONE))
    with django_assert_num_queries(8 + 4):
        assert chunks_work(job_id=closing.pk) == 0
    assert Job.objects.get(pk=closing.pk).status == "done"  # closed on the way
    with django_assert_num_queries(2 + 4):
        assert chunks_work(job_id=closing.pk) == 0
