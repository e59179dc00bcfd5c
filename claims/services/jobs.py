"""Jobs: long work that a worker runs, with its progress in a row of ours.

``job_submit`` stores the job (and its uploaded file, through Django's
storage API) and hands it to the broker; without a broker configured
(``CELERY_BROKER_URL`` empty, as ``make run`` has it) it runs the job in this
process before answering, so the quick start needs no server. A broker that
does not answer at submit raises ``BrokerUnavailable`` and leaves nothing
written: neither the row nor the file.

A worker calls ``job_run``: ``job_start`` takes a queued job, the work of its
kind (``claims.services.job_work``) reports ``job_progress`` after every
batch it has committed, which answers whether someone asked to cancel, and
``job_finish`` records how it ended. ``job_cancel`` stops a queued job at
once and a running one between batches, keeping what was committed. A job
run whole is leased to its worker while it runs (``claims.services.leases``),
so that another worker takes it over if that one dies.
``jobs_purge`` removes finished jobs' files after ``JOB_RETENTION_DAYS``.
A job whose message the broker lost (restarted empty) is sent again by the
beat (``claims.services.recovery``).
"""

import logging
from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from claims.models import JOB_FINISHED, Job, JobStatus
from claims.services.chunks import DATABASE_LOST
from claims.services.leases import JobLeaseLost, heartbeat, lease_fields, lease_take

log = logging.getLogger(__name__)

TASK = "claims.tasks.run_job"
# A summary keeps this many error lines; "failed" still counts them all.
ERRORS_KEPT = 1000


class BrokerUnavailable(Exception):
    """The broker did not take the job; nothing was stored."""


class JobConflict(Exception):
    """The job is not in a state that allows what was asked."""


class JobCancelled(Exception):
    """Raised by the work of a job when it stops on a request to cancel."""


def broker_configured() -> bool:
    return bool(settings.CELERY_BROKER_URL)


def job_submit(*, kind: str, options: dict, created_by, upload=None) -> Job:
    """Store a queued job (with its uploaded file) and hand it to a worker;
    without a broker, run it here and now. Answers the job as it stands."""
    connection = _broker_connection() if broker_configured() else None
    job = Job(kind=kind, options=options, created_by=created_by)
    job.full_clean(exclude=["input", "output", "created_by"])
    try:
        with transaction.atomic():
            job.save()
            if upload is not None:
                job.input.save(upload.name, upload, save=True)
            if connection is not None:
                _send(job, connection)
    except BaseException:
        if job.input.name:
            job.input.storage.delete(job.input.name)
        raise
    finally:
        if connection is not None:
            connection.release()
    if connection is None:
        job_run(job_id=job.pk)
        job.refresh_from_db()
    return job


def _broker_connection():
    """A connection to the broker, made now, or ``BrokerUnavailable``."""
    connection = current_app.connection_for_write(settings.CELERY_BROKER_URL)
    try:
        connection.ensure_connection(max_retries=1, interval_start=0, timeout=3)
    except Exception as error:
        connection.release()
        raise BrokerUnavailable(
            f"the job queue's broker ({_safe(settings.CELERY_BROKER_URL)}) does "
            f"not answer: {error}; nothing was stored, try again later"
        ) from None
    return connection


def _send(job: Job, connection) -> None:
    # Sent before the row commits, so that a broker failing now leaves no
    # row behind; the worker waits for the commit (claims.tasks.run_job).
    try:
        current_app.send_task(TASK, args=[job.pk], connection=connection, retry=False)
    except Exception as error:
        raise BrokerUnavailable(
            f"the job queue's broker ({_safe(settings.CELERY_BROKER_URL)}) "
            f"refused the job: {error}; nothing was stored, try again later"
        ) from None


def _safe(url: str) -> str:
    """The broker's URL without its password."""
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.rpartition('@')[2]}" if rest else url


def job_run(*, job_id: int, queued_only: bool = False) -> Job | None:
    """Run a queued job to its end; None when it is not queued (cancelled
    before it started, or already run). A job worked in chunks
    (``claims.services.chunks``) is cut into them and handed on to the
    workers, and so is one already running whose message came back (its
    worker died, or the broker handed it out again): chunks never planned or
    never sent go out again, and the workers skip what is done. A job run
    whole that is already running is run again only if its worker's lease
    went stale (``lease_take``; ``JobLeaseHeld`` while it is fresh).
    ``queued_only`` (the copy the beat sends of a job that stayed queued,
    ``claims.services.recovery``) leaves a job no longer queued alone: the
    first message reached a worker after all."""
    from claims.services.chunks import chunks_dispatch, chunks_plan
    from claims.services.job_work import WORK

    job = job_start(job_id=job_id)
    resumed = job is None
    if resumed and queued_only:
        return None
    if resumed:
        job = Job.objects.filter(pk=job_id, status=JobStatus.RUNNING).first()
        if job is None:
            return None
    assert job is not None
    try:
        chunked = chunks_plan(job=job)
    except DATABASE_LOST:
        raise
    except Exception as error:
        log.exception("job %s could not be cut into chunks", job.pk)
        summary = {**job.summary, "errors": [f"the job stopped: {error}"]}
        return job_finish(job=job, status=JobStatus.FAILED, summary=summary)
    if chunked:
        chunks_dispatch(job=job)
        job.refresh_from_db()
        return job
    if resumed:
        job = lease_take(job_id=job_id)
        if job is None:
            return None
    try:
        with heartbeat(job):
            return _run_whole(job, WORK[job.kind])
    except JobLeaseLost as lost:
        log.warning("job %s: %s; this attempt stops", job.pk, lost)
        return None


def _run_whole(job: Job, work) -> Job:
    try:
        summary = work(job)
    except JobCancelled as stop:
        return job_finish(job=job, status=JobStatus.CANCELLED, summary=stop.args[0])
    except (JobLeaseLost, *DATABASE_LOST):
        # Not the job's fault: another worker has it, or the database went
        # away (the task is retried, and the lease taken over once stale).
        raise
    except Exception as error:
        log.exception("job %s failed", job.pk)
        summary = {**job.summary}
        summary["errors"] = [*summary.get("errors", []), f"the job stopped: {error}"]
        return job_finish(job=job, status=JobStatus.FAILED, summary=summary)
    status = JobStatus.FAILED if summary.get("failed") else JobStatus.DONE
    return job_finish(job=job, status=status, summary=summary)


@transaction.atomic
def job_start(*, job_id: int) -> Job | None:
    """Mark a queued job running, leased to this worker; None when it is not
    queued any more."""
    job = Job.objects.select_for_update().filter(pk=job_id).first()
    if job is None or job.status != JobStatus.QUEUED:
        return None
    job.status = JobStatus.RUNNING
    job.started_at = timezone.now()
    job.save(update_fields=["status", "started_at", *lease_fields(job)])
    return job


def job_progress(*, job: Job, done: int, total: int | None, summary: dict) -> None:
    """Record how far a running job is; raise ``JobCancelled`` (with the
    summary) when someone asked it to stop. Call it after a batch commits."""
    job.progress = {"done": done, "total": total}
    job.summary = _kept(summary)
    with transaction.atomic():
        ours = Job.objects.filter(pk=job.pk, attempts=job.attempts).update(
            progress=job.progress, summary=job.summary
        )
        asked = ours and Job.objects.filter(pk=job.pk, cancel_requested=True).exists()
    if not ours:
        raise JobLeaseLost(f"attempt {job.attempts} was taken over by another")
    if asked:
        raise JobCancelled(job.summary)


@transaction.atomic
def job_finish(*, job: Job, status: str, summary: dict) -> Job:
    """Record how a job ended: done, failed or cancelled, with its summary,
    its progress and the file it wrote (``job.output``, already stored)."""
    locked = Job.objects.select_for_update().get(pk=job.pk)
    if locked.attempts != job.attempts:
        raise JobLeaseLost(
            f"attempt {job.attempts} was taken over by another (attempt "
            f"{locked.attempts}), which records how the job ended"
        )
    locked.status = status
    locked.summary = _kept(summary)
    locked.progress = job.progress
    locked.finished_at = timezone.now()
    if job.output:
        locked.output = job.output.name
    locked.full_clean(exclude=["input", "output", "created_by"])
    locked.save()
    return locked


@transaction.atomic
def job_cancel(*, job: Job) -> Job:
    """Stop a queued job now, a running one between batches; a finished job,
    or one already asked to stop, raises ``JobConflict``."""
    locked = Job.objects.select_for_update().get(pk=job.pk)
    if locked.status in JOB_FINISHED:
        raise JobConflict(
            f"job {locked.pk} is already {locked.status}; only a queued or "
            "running job can be cancelled"
        )
    if locked.cancel_requested:
        raise JobConflict(
            f"job {locked.pk} was already asked to stop; it stops after the "
            "batch under way"
        )
    locked.cancel_requested = True
    if locked.status == JobStatus.QUEUED:
        locked.status = JobStatus.CANCELLED
        locked.finished_at = timezone.now()
    locked.save()
    if locked.status == JobStatus.RUNNING:
        from claims.services.chunks import chunks_cancel

        chunks_cancel(job=locked)
    return locked


def jobs_purge(*, now=None) -> int:
    """Remove the uploads and results of jobs finished more than
    ``JOB_RETENTION_DAYS`` ago; the rows stay, with their summaries.
    Answers how many files went."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.JOB_RETENTION_DAYS)
    removed = 0
    expired = Job.objects.filter(status__in=JOB_FINISHED, finished_at__lt=cutoff)
    for job in expired.exclude(input="", output="").iterator():
        for field in (job.input, job.output):
            if field.name:
                field.storage.delete(field.name)
                removed += 1
        with transaction.atomic():
            Job.objects.filter(pk=job.pk).update(input="", output="")
    return removed


def _kept(summary: dict) -> dict:
    errors = summary.get("errors")
    if errors is not None and len(errors) > ERRORS_KEPT:
        summary = {**summary, "errors": errors[:ERRORS_KEPT]}
        summary["errors_left_out"] = len(errors) - ERRORS_KEPT
    return summary
