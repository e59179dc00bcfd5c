"""The Celery tasks of jobs (config/celery.py): thin, the work is in
``claims.services.jobs``."""

from celery import shared_task

from claims import selectors
from claims.services.jobs import job_run, jobs_purge

# job_submit sends the task before its transaction commits (so that a broker
# failing leaves nothing behind): a worker quicker than that commit waits.
WAIT_FOR_COMMIT = {"countdown": 0.2, "max_retries": 50}


@shared_task(bind=True, name="claims.tasks.run_job")
def run_job(self, job_id: int) -> None:
    if not selectors.job_committed(job_id):
        raise self.retry(**WAIT_FOR_COMMIT)
    job_run(job_id=job_id)


@shared_task(name="claims.tasks.purge_jobs")
def purge_jobs() -> int:
    return jobs_purge()
