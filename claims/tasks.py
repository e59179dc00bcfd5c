"""The Celery tasks of jobs (config/celery.py): thin, the work is in
``claims.services.jobs`` and ``claims.services.chunks``.

Messages are acknowledged late (config/settings.py), so each task may run
twice: ``run_job`` on a running job hands its chunks out again, and
``work_job`` takes only chunks no one holds. The database going away is
retried, with a growing wait, rather than failing the job it cannot write to.
"""

from celery import shared_task

from claims import selectors
from claims.services.chunks import DATABASE_LOST, chunks_work
from claims.services.jobs import job_run, jobs_purge

# job_submit sends the task before its transaction commits (so that a broker
# failing leaves nothing behind): a worker quicker than that commit waits.
WAIT_FOR_COMMIT = {"countdown": 0.2, "max_retries": 50}
# About two minutes of the database refusing, in all, before a task gives
# up; its job's chunks stay queued for the next worker that takes one.
DATABASE_RETRIES = 12


def _database_back(task) -> dict:
    return {
        "countdown": min(0.25 * 2**task.request.retries, 15),
        "max_retries": DATABASE_RETRIES,
    }


@shared_task(bind=True, name="claims.tasks.run_job")
def run_job(self, job_id: int) -> None:
    try:
        if not selectors.job_committed(job_id):
            raise self.retry(**WAIT_FOR_COMMIT)
        job_run(job_id=job_id)
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
