"""Chunks: one job shared by many workers (``claims.models.JobChunk``).

An import of a line file and a suggest job are cut into chunks as the job
starts (``chunks_plan``); one message a chunk goes to the broker
(``chunks_dispatch``), and each worker that takes one works the job's chunks
until none is left (``chunks_work``), so idle workers join a running job and
the database, not the broker, says what is left to do.

A chunk is taken under ``SELECT ... FOR UPDATE SKIP LOCKED`` and worked in
one transaction that keeps its row locked and ends by marking it done, so it
commits whole or not at all. A worker that dies mid-chunk takes its lock with
it and the chunk is taken again, by a worker still working the job or by the
dead worker's message coming back (late acknowledgement, the visibility
timeout); should no worker be left on the job and its messages be lost with
the broker, the beat hands its chunks out again once none was taken or
finished for a while (``claims.services.recovery``). The import skips a
document whose content hash is stored, so work done twice adds nothing.
``attempts``, committed before the work, bounds a chunk that keeps failing
(``JOB_CHUNK_ATTEMPTS``): it ends ``failed`` and the job with it, naming
it. After each chunk, ``job_close`` adds the chunks up into the job's
progress under the job's row lock; the chunk that leaves none queued closes
the job.
"""

import logging
import time
from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import Q
from django.utils import timezone

from claims.models import Job, JobChunk, JobChunkStatus, JobStatus
from claims.services.leases import worker_name

log = logging.getLogger(__name__)

TASK = "claims.tasks.work_job"
# The database going away is not the chunk's fault: the task is retried.
DATABASE_LOST = (OperationalError, InterfaceError)
# A chunk's row is unlocked between its attempt committing (chunk_take) and
# its worker locking it again to work it (chunk_run): for this long after it
# was taken, no other worker takes it, which would count a second attempt
# and leave one of the two with nothing to do. A worker that dies in between
# delays its chunk by this much.
TAKEN_GAP = timedelta(seconds=10)


def chunks_plan(*, job: Job) -> bool:
    """Cut a running job into chunks, unless it already is; False when its
    kind (or its file's format) is not worked in chunks."""
    from claims.services.job_work import PLANS

    plan = PLANS.get(job.kind)
    if plan is None:
        return False
    with transaction.atomic():
        locked = Job.objects.select_for_update().get(pk=job.pk)
        if locked.chunks.exists():
            return True
        ranges = plan(locked)
        if ranges is None:
            return False
        JobChunk.objects.bulk_create(
            JobChunk(job=locked, number=number, **part)
            for number, part in enumerate(ranges, 1)
        )
        total = sum(part["size"] for part in ranges)
        Job.objects.filter(pk=job.pk).update(progress={"done": 0, "total": total})
    return True


def chunks_dispatch(*, job: Job) -> None:
    """One message a chunk still queued, for as many workers to join; without
    a broker, the chunks are worked here and now."""
    from claims.services.jobs import broker_configured

    queued = job.chunks.filter(status=JobChunkStatus.QUEUED).count()
    if not queued or not broker_configured():
        chunks_work(job_id=job.pk)
        return
    with current_app.producer_or_acquire() as producer:
        for _ in range(queued):
            current_app.send_task(TASK, args=[job.pk], producer=producer)


def chunks_work(*, job_id: int) -> int:
    """Work the job's chunks until none is left to take; answers how many
    this worker committed. The job is closed when its last chunk ends."""
    worked = 0
    while (chunk := chunk_take(job_id=job_id)) is not None:
        if chunk.status == JobChunkStatus.QUEUED:
            worked += chunk_run(chunk=chunk)
        job_close(job_id=job_id)
    job_close(job_id=job_id)
    return worked


@transaction.atomic
def chunk_take(*, job_id: int) -> JobChunk | None:
    """The next chunk for this worker, its attempt counted; a chunk taken too
    often comes back ``failed`` (for the caller to close the job on); None
    when none is left or the job is not running."""
    job = Job.objects.filter(pk=job_id).values("status", "cancel_requested").first()
    if job is None or job["status"] != JobStatus.RUNNING:
        return None
    if job["cancel_requested"]:
        _cancel_queued(job_id)
        return None
    queued = JobChunk.objects.filter(
        job_id=job_id, status=JobChunkStatus.QUEUED
    ).order_by("number")
    while True:
        # Not those just taken by a worker about to lock them (TAKEN_GAP).
        takeable = queued.filter(
            Q(taken_at__isnull=True) | Q(taken_at__lt=timezone.now() - TAKEN_GAP)
        )
        # Free ones first; when all that are left are being worked, wait on
        # the first rather than leave: its worker may have died with its
        # connection not yet noticed gone, and then this one takes it.
        chunk = (
            takeable.select_for_update(skip_locked=True).first()
            or takeable.select_for_update().first()
        )
        if chunk is not None or not queued.exists():
            break
        time.sleep(0.05)  # only chunks just taken are left: until they are locked
    if chunk is None:
        return None
    chunk.worker = worker_name()
    chunk.taken_at = timezone.now()
    if chunk.attempts >= settings.JOB_CHUNK_ATTEMPTS:
        _give_up(chunk)
    else:
        chunk.attempts += 1
    chunk.save(
        update_fields=[
            "attempts",
            "worker",
            "taken_at",
            "status",
            "summary",
            "finished_at",
        ]
    )
    return chunk


def _give_up(chunk: JobChunk) -> None:
    from claims.services.job_work import EMPTY, describe

    reason = chunk.summary.get("last_error") or "its worker stopped each time"
    chunk.status = JobChunkStatus.FAILED
    chunk.summary = {
        **EMPTY[chunk.job.kind](),
        "failed": chunk.size,
        "errors": [
            f"{describe(chunk.job, chunk)}: given up after {chunk.attempts} "
            f"attempts: {reason}"
        ],
    }
    chunk.finished_at = timezone.now()


def chunk_run(*, chunk: JobChunk) -> int:
    """Work one chunk in one transaction; 1 when it committed, 0 when another
    worker had it or it failed (its error kept for the next attempt)."""
    from claims.services.job_work import CHUNK_WORK

    try:
        with transaction.atomic():
            locked = (
                JobChunk.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("job", "job__created_by")
                .filter(pk=chunk.pk, status=JobChunkStatus.QUEUED)
                .first()
            )
            if locked is None:  # taken by another worker meanwhile, or cancelled
                return 0
            summary, documents = CHUNK_WORK[locked.job.kind](locked.job, locked)
            locked.status = JobChunkStatus.DONE
            locked.summary = summary
            locked.documents = documents
            locked.finished_at = timezone.now()
            locked.save(update_fields=["status", "summary", "documents", "finished_at"])
    except DATABASE_LOST:
        raise
    except Exception as error:
        # Not a record's fault (those are reported in its summary): a bug or
        # storage failing. Kept for the next attempt, and named if it is the
        # last.
        log.exception("chunk %s of job %s failed", chunk.number, chunk.job_id)
        with transaction.atomic():
            JobChunk.objects.filter(pk=chunk.pk, status=JobChunkStatus.QUEUED).update(
                summary={"last_error": str(error) or type(error).__name__}
            )
        return 0
    return 1


def _cancel_queued(job_id: int) -> None:
    """Cancel the chunks no worker is working on; the others finish."""
    free = JobChunk.objects.select_for_update(skip_locked=True).filter(
        job_id=job_id, status=JobChunkStatus.QUEUED
    )
    JobChunk.objects.filter(pk__in=list(free.values_list("pk", flat=True))).update(
        status=JobChunkStatus.CANCELLED, finished_at=timezone.now()
    )


def chunks_cancel(*, job: Job) -> None:
    """Stop a running job's chunks that are not under way (``job`` locked);
    with none under way, the job ends cancelled now."""
    _cancel_queued(job.pk)
    _close(job)


@transaction.atomic
def job_close(*, job_id: int) -> Job:
    """Add the job's chunks up into its progress and summary; when none is
    left queued, finish it. Under the job's row lock, so that of two chunks
    ending together exactly one closes the job."""
    job = Job.objects.select_for_update().get(pk=job_id)
    _close(job)
    return job


def _close(job: Job) -> None:
    from claims.services.job_work import EMPTY
    from claims.services.jobs import _kept

    if job.status != JobStatus.RUNNING or not job.chunks.exists():
        return
    chunks = list(job.chunks.order_by("number").values("status", "size", "summary"))
    ended = [c for c in chunks if c["status"] != JobChunkStatus.QUEUED]
    summary = EMPTY[job.kind]()
    for chunk in ended:
        if chunk["status"] == JobChunkStatus.CANCELLED:
            continue
        for key, value in chunk["summary"].items():
            if key in summary:
                summary[key] += value
    counted = [c for c in ended if c["status"] != JobChunkStatus.CANCELLED]
    job.progress = {
        "done": sum(c["size"] for c in counted),
        "total": sum(c["size"] for c in chunks),
    }
    fields = ["progress", "summary"]
    if len(ended) == len(chunks):
        if "documents" in summary:
            for documents in (
                job.chunks.filter(status=JobChunkStatus.DONE)
                .order_by("number")
                .values_list("documents", flat=True)
            ):
                summary["documents"] += documents
        statuses = {c["status"] for c in chunks}
        if job.cancel_requested and JobChunkStatus.CANCELLED in statuses:
            job.status = JobStatus.CANCELLED
        elif summary.get("failed"):
            job.status = JobStatus.FAILED
        else:
            job.status = JobStatus.DONE
        job.finished_at = timezone.now()
        fields += ["status", "finished_at"]
    job.summary = _kept(summary)
    job.save(update_fields=fields)
