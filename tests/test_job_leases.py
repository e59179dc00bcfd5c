"""The lease of a job run whole (claims.services.leases), in the test's own
process: a fresh heartbeat keeps the job its worker's, a stale one lets the
job be run again from its start (what the dead attempt committed skipped),
the attempts run out into a failure that says why; a worker whose attempt
was taken over stops. The same worker processes are killed for real in
tests/test_jobs_faults.py."""

import json
import time
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from claims import selectors
from claims.formats import claim_records
from claims.models import Claim, ClaimReview, Job, JobChunk
from claims.services import claims_import
from claims.services.jobs import job_finish, job_progress, job_run, job_start
from claims.services.leases import (
    JobLeaseHeld,
    JobLeaseLost,
    heartbeat,
    lease_take,
    worker_name,
)

CLAIMS = 30


@pytest.fixture(autouse=True)
def short_lease(settings, tmp_path):
    settings.CELERY_BROKER_URL = ""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.JOB_LEASE_SECONDS = 30
    settings.JOB_CHUNK_ATTEMPTS = 3


def _lines() -> list[bytes]:
    return [
        json.dumps(
            {
                "text": f"Unemployment fell to {n} percent",
                "reviews": [
                    {"rating": 2, "summary": "No.", "url": f"https://example.org/r/{n}"}
                ],
            }
        ).encode()
        + b"\n"
        for n in range(CLAIMS)
    ]


def _claims_job(editor) -> Job:
    """A claims import, started as a worker starts it (attempt 1)."""
    job = Job.objects.create(
        kind="claims_import", options={"filename": "claims.jsonl"}, created_by=editor
    )
    job.input.save("claims.jsonl", SimpleUploadedFile("c", b"".join(_lines())))
    started = job_start(job_id=job.pk)
    assert started is not None and started.attempts == 1
    assert started.worker == worker_name() and started.heartbeat_at is not None
    return started


def _quiet_for(job: Job, seconds: float) -> None:
    """The job's worker sent its last heartbeat this long ago."""
    Job.objects.filter(pk=job.pk).update(
        heartbeat_at=timezone.now() - timedelta(seconds=seconds), worker="gone:1"
    )


def test_a_fresh_heartbeat_keeps_the_job_its_workers(db, editor):
    """A message for a job whose worker is alive runs nothing: it is told
    to come back when the lease would run out."""
    job = _claims_job(editor)
    _quiet_for(job, 20)
    with pytest.raises(JobLeaseHeld) as held:
        job_run(job_id=job.pk)
    assert 9 < held.value.retry_in <= 10
    assert str(held.value).startswith(f"job {job.pk} is being run by gone:1 (att")
    stored = Job.objects.get(pk=job.pk)
    assert (stored.status, stored.attempts, stored.worker) == ("running", 1, "gone:1")
    assert Claim.objects.count() == 0


def test_a_stale_heartbeat_runs_the_job_again_skipping_what_was_committed(db, editor):
    """The dead attempt's first batch is stored; the second attempt, taken
    by this worker, finds it present and adds the rest: no duplicates."""
    job = _claims_job(editor)
    half = [
        (f"claims.jsonl:{n + 1}", claim_records.parse_line(line))
        for n, line in enumerate(_lines()[: CLAIMS // 2])
    ]
    claims_import(records=half, created_by=editor)  # what attempt 1 committed
    _quiet_for(job, 31)
    finished = job_run(job_id=job.pk)
    assert finished is not None
    assert (finished.status, finished.attempts) == ("done", 2), finished.summary
    assert finished.worker == worker_name()
    assert finished.summary["imported"] == CLAIMS - CLAIMS // 2
    assert finished.summary["present"] == CLAIMS // 2
    assert Claim.objects.count() == ClaimReview.objects.count() == CLAIMS


def test_a_stale_export_writes_its_file_anew(db, seed, editor):
    job = Job.objects.create(
        kind="export", options={"format": "jsonl"}, created_by=editor
    )
    job_start(job_id=job.pk)
    _quiet_for(job, 60)
    finished = job_run(job_id=job.pk)
    assert finished is not None
    assert (finished.status, finished.attempts) == ("done", 2)
    with finished.output.open("rb") as file:
        assert len(file.read().splitlines()) == 1


def test_a_job_whose_worker_went_quiet_every_attempt_fails_saying_why(db, editor):
    job = _claims_job(editor)
    Job.objects.filter(pk=job.pk).update(attempts=3)
    _quiet_for(job, 31)
    assert job_run(job_id=job.pk) is None
    stored = Job.objects.get(pk=job.pk)
    assert (stored.status, stored.attempts) == ("failed", 3)
    assert stored.finished_at is not None
    reason = stored.summary["errors"][-1]
    assert reason.startswith(
        "the job stopped: given up after 3 attempts, its worker going quiet each "
        "time (no heartbeat for over 30 s; the last worker, gone:1, sent its last at "
    ), reason
    assert Claim.objects.count() == 0


def test_a_job_asked_to_stop_while_its_worker_was_gone_ends_cancelled(db, editor):
    job = _claims_job(editor)
    Job.objects.filter(pk=job.pk).update(cancel_requested=True)
    _quiet_for(job, 31)
    assert job_run(job_id=job.pk) is None
    stored = Job.objects.get(pk=job.pk)
    assert (stored.status, stored.attempts) == ("cancelled", 1)
    assert Claim.objects.count() == 0


def test_a_lease_is_taken_once(db, editor):
    """The first taker's heartbeat is fresh for the next."""
    job = _claims_job(editor)
    _quiet_for(job, 31)
    taken = lease_take(job_id=job.pk)
    assert taken is not None and taken.attempts == 2
    with pytest.raises(JobLeaseHeld):
        lease_take(job_id=job.pk)
    assert Job.objects.get(pk=job.pk).attempts == 2


def test_an_attempt_taken_over_stops_and_records_nothing(db, editor):
    """The slow worker's next report and its finish are refused: the job is
    the new attempt's."""
    job = _claims_job(editor)
    _quiet_for(job, 31)
    lease_take(job_id=job.pk)
    with pytest.raises(JobLeaseLost):
        job_progress(job=job, done=5, total=CLAIMS, summary={"imported": 5})
    with pytest.raises(JobLeaseLost):
        job_finish(job=job, status="done", summary={"imported": 5})
    stored = Job.objects.get(pk=job.pk)
    assert (stored.status, stored.attempts, stored.summary) == ("running", 2, {})


def test_the_beat_sends_again_only_jobs_run_whole_with_a_stale_lease(
    db, editor, django_assert_num_queries
):
    stale = _claims_job(editor)
    _quiet_for(stale, 31)
    fresh = _claims_job(editor)
    chunked = _claims_job(editor)
    _quiet_for(chunked, 31)
    JobChunk.objects.create(job=chunked, number=1, start=0, stop=1, size=1)
    Job.objects.create(
        kind="export", options={}, status="done", finished_at=timezone.now()
    )
    queued = Job.objects.create(kind="export", options={})
    before = timezone.now() - timedelta(seconds=30)
    with django_assert_num_queries(1):
        assert selectors.jobs_lease_stale(before) == [stale.pk]
    assert fresh.pk and queued.pk


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_renews_the_lease_while_the_work_runs(settings, editor):
    """From a thread of its own, every JOB_HEARTBEAT_SECONDS; not once the
    attempt was taken over."""
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # only "a worker's"
    settings.JOB_HEARTBEAT_SECONDS = 0.05
    job = _claims_job(editor)
    _quiet_for(job, 20)
    Job.objects.filter(pk=job.pk).update(worker=job.worker)
    first = Job.objects.get(pk=job.pk).heartbeat_at
    with heartbeat(job):
        deadline = time.monotonic() + 10
        while Job.objects.get(pk=job.pk).heartbeat_at == first:
            assert time.monotonic() < deadline, "no heartbeat"
            time.sleep(0.02)
        Job.objects.filter(pk=job.pk).update(attempts=2)  # taken over
        time.sleep(0.1)
        last = Job.objects.get(pk=job.pk).heartbeat_at
        time.sleep(0.3)
        assert Job.objects.get(pk=job.pk).heartbeat_at == last
    assert timezone.now() - last < timedelta(seconds=5)
