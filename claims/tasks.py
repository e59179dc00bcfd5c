"""The Celery tasks of jobs (config/celery.py): thin, the work is in
``claims.services.jobs`` and ``claims.services.chunks``.

Messages are acknowledged late (config/settings.py), so each task may run
twice: ``run_job`` on a running job hands its chunks out again, or, for a
job run whole, waits while its worker's lease is fresh and takes the job
over once it is stale (``claims.services.leases``); ``work_job`` takes only
chunks no one holds. The database going away is retried, with a growing
wait, rather than failing the job it cannot write to. ``recover_jobs`` (the
beat's) sends out again the jobs whose message was lost: queued too long,
their worker gone quiet, their chunks left with no worker on them
(``claims.services.recovery``); its copy of a queued job, ``run_job`` with
``queued_only``, ends at once if the job has started.
"""

from celery import shared_task
from django.conf import settings

from claims import selectors
from claims.services.chunks import DATABASE_LOST, chunks_work
from claims.services.jobs import job_run, jobs_purge
from claims.services.leases import JobLeaseHeld
from claims.services.recovery import jobs_recover

# job_submit sends the task before its transaction commits (so that a broker
# failing leaves nothing behind): a worker quicker than that commit waits.
WAIT_FOR_COMMIT = {"countdown": 0.2, "max_retries": 50}
# About two minutes of the database refusing, in all, before a task gives
# up; its job's chunks stay queued for the next worker that takes one.
DATABASE_RETRIES = 12


def _database_back(task) -> dict:
    return {
        "countdown": min(0.25 * 2 ** min(task.request.retries, 6), 15),
        "max_retries": DATABASE_RETRIES,
    }


def _lease_back(held: JobLeaseHeld) -> dict:
    # Until the lease would be stale, but back well within the visibility
    # timeout: a message held longer than that is handed out twice.
    return {
        "countdown": max(0.5, min(held.retry_in, settings.JOB_VISIBILITY_TIMEOUT / 3)),
        "max_retries": None,  # the task's own: none, for as long as it runs
    }


# Retried for as long as the job's worker is alive (JobLeaseHeld); each other
# cause of a retry bounds its own.
@shared_task(bind=True, name="claims.tasks.run_job", max_retries=None)
def run_job(self, job_id: int, queued_only: bool = False) -> None:
    try:
        if not selectors.job_committed(job_id):
            raise self.retry(**WAIT_FOR_COMMIT)
        job_run(job_id=job_id, queued_only=queued_only)
    except JobLeaseHeld as held:
        raise self.retry(**_lease_back(held)) from None
    except DATABASE_LOST as error:
        raise self.retry(exc=error, **_database_back(self)) from None


@shared_task(bind=True, name="claims.tasks.work_job")
def work_job(self, job_id: int) -> int:
    """Work chunks of the job until none is left (claims.services.chunks)."""
    try:
        return chunks_work(job_id=job_id)
    except DATABASE_LOST as error:
        raise self.retry(exc=error, **_database_back(self)) from None


@shared_task(name="claims.tasks.purge_jobs")
def purge_jobs() -> int:
    return jobs_purge()


@shared_task(name="claims.tasks.recover_jobs")
def recover_jobs() -> int:
    return jobs_recover()
