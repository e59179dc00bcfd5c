"""Leases: a job run whole (not cut into chunks: an export, a claims import,
an import of a file not read line by line) belongs to the worker that took
it for as long as that worker's heartbeat is fresh.

``job_start`` takes a queued job's first lease (``lease_fields``): attempt
1, this worker's name, a heartbeat now. While the work runs, ``heartbeat``
renews it every ``JOB_HEARTBEAT_SECONDS`` from a thread of its own, so a
worker busy in a long batch, or waiting on a lock, still shows alive.

Messages are acknowledged late, so the message of a job whose worker died
comes back (at once from a pool's parent, else after the visibility
timeout), and the beat sends out again those whose message was lost with
the broker (``claims.services.recovery``). Either way ``lease_take``
decides: a fresh heartbeat means the job is still worked on
(``JobLeaseHeld``, try again later); a heartbeat older than
``JOB_LEASE_SECONDS`` lets this worker take the job over, counting an
attempt, by one conditional UPDATE, so that of two workers only one takes
it; after ``JOB_CHUNK_ATTEMPTS`` attempts the job fails saying why. The
new attempt runs the job from its start: what the dead one committed is
skipped (imports find records by content hash or wording), and an export
writes its file anew.

The lease also fences a worker that was only slow: its heartbeat, progress
and finish count only while the attempt they carry is the job's, and its
next report raises ``JobLeaseLost``.
"""

import logging
import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connections
from django.db.models import F
from django.utils import timezone

from claims.models import Job, JobStatus

log = logging.getLogger(__name__)


class JobLeaseHeld(Exception):
    """Another worker holds the job's lease: try again in ``retry_in`` s."""

    def __init__(self, job: Job, retry_in: float):
        super().__init__(
            f"job {job.pk} is being run by {job.worker or 'another worker'} "
            f"(attempt {job.attempts}), whose lease runs {retry_in:.1f} s more "
            "unless renewed"
        )
        self.retry_in = retry_in


class JobLeaseLost(Exception):
    """This worker's attempt is no longer the job's: another took it over."""


def worker_name() -> str:
    """This process as leases and chunks name it: host:pid."""
    return f"{socket.gethostname()}:{os.getpid()}"


def lease_fields(job: Job) -> list[str]:
    """Give a job being started its first lease; the fields to save."""
    job.attempts = 1
    job.worker = worker_name()
    job.heartbeat_at = timezone.now()
    return ["attempts", "worker", "heartbeat_at"]


def lease_take(*, job_id: int) -> Job | None:
    """Take over a running job run whole whose worker went quiet: the job,
    its attempt counted, for this worker to run again; ``JobLeaseHeld``
    while its heartbeat is fresh or when another worker took it first; None
    when it is not running any more, or was ended now (given up after its
    attempts, or cancelled while no worker ran it)."""
    job = Job.objects.filter(pk=job_id, status=JobStatus.RUNNING).first()
    if job is None:
        return None
    now = timezone.now()
    lease = timedelta(seconds=settings.JOB_LEASE_SECONDS)
    if job.heartbeat_at is not None and job.heartbeat_at > now - lease:
        retry_in = (job.heartbeat_at + lease - now).total_seconds()
        raise JobLeaseHeld(job, retry_in)
    # Each change below holds only if the row is still as read: a worker
    # that took the job over, or a slow one that renewed its lease, wins.
    unchanged = Job.objects.filter(
        pk=job_id,
        status=JobStatus.RUNNING,
        attempts=job.attempts,
        heartbeat_at=job.heartbeat_at,
    )
    if job.cancel_requested:
        _end(unchanged, JobStatus.CANCELLED, job.summary, now)
        return None
    if job.attempts >= settings.JOB_CHUNK_ATTEMPTS:
        _end(unchanged, JobStatus.FAILED, _given_up(job, lease), now)
        return None
    taken = unchanged.update(
        attempts=F("attempts") + 1, worker=worker_name(), heartbeat_at=now
    )
    if not taken:
        raise JobLeaseHeld(job, lease.total_seconds())
    log.warning(
        "job %s: its worker %s sent no heartbeat for %g s; attempt %s here",
        job.pk,
        job.worker or "(unknown)",
        lease.total_seconds(),
        job.attempts + 1,
    )
    job.attempts += 1
    job.worker = worker_name()
    job.heartbeat_at = now
    return job


def _end(unchanged, status: str, summary: dict, now) -> None:
    from claims.services.jobs import _kept

    unchanged.update(status=status, summary=_kept(summary), finished_at=now)


def _given_up(job: Job, lease: timedelta) -> dict:
    last = f"{job.heartbeat_at:%Y-%m-%d %H:%M:%S} UTC" if job.heartbeat_at else "never"
    reason = (
        f"the job stopped: given up after {job.attempts} attempts, its worker "
        f"going quiet each time (no heartbeat for over {lease.total_seconds():g} s; "
        f"the last worker, {job.worker or 'unknown'}, sent its last at {last})"
    )
    summary = {**job.summary}
    summary["errors"] = [*summary.get("errors", []), reason]
    return summary


class _Heartbeat(threading.Thread):
    """Renews one attempt's lease until stopped; on its own connection."""

    def __init__(self, job: Job):
        super().__init__(name=f"job-{job.pk}-heartbeat", daemon=True)
        self.job_id = job.pk
        self.attempt = job.attempts
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.wait(settings.JOB_HEARTBEAT_SECONDS):
                self.beat()
        finally:
            connections.close_all()  # this thread's own

    def beat(self) -> None:
        try:
            Job.objects.filter(
                pk=self.job_id, status=JobStatus.RUNNING, attempts=self.attempt
            ).update(heartbeat_at=timezone.now())
        except DatabaseError as error:
            # The lease ages meanwhile; the work, on the same database, will
            # most likely stop too, and the next beat connects again.
            log.warning("job %s: heartbeat not recorded: %s", self.job_id, error)
            connections.close_all()


@contextmanager
def heartbeat(job: Job) -> Iterator[None]:
    """Keep this worker's lease on ``job`` fresh while the block runs. Not in
    the web process (no broker): nothing there would hand the job on."""
    from claims.services.jobs import broker_configured

    if not broker_configured():
        yield
        return
    beating = _Heartbeat(job)
    beating.start()
    try:
        yield
    finally:
        beating.stopped.set()
        beating.join()
