"""Recovery: the beat's ``recover_jobs`` (every ``JOB_RECOVER_SECONDS``)
sends out again the jobs whose message was lost with the broker (a Redis
restarted empty) or whose workers all died, which nothing else would hand to
a worker again:

- a job still queued ``JOB_QUEUED_RESEND_SECONDS`` after it was submitted:
  its ``run_job``, marked to start the job only if it is still queued, so
  that a copy reaching a worker after the first message did is dropped there
  at once (not retried for as long as the job runs, as a copy of a job run
  whole would be while its lease is fresh);
- a running job run whole whose lease is stale: its ``run_job``, for
  ``lease_take`` to decide (``claims.services.leases``);
- a running job in chunks with chunks left, of which none was taken or
  finished for ``JOB_LEASE_SECONDS`` (nor less than ``TAKEN_GAP``, after
  which a chunk a dead worker took can be taken again): one ``work_job`` a
  chunk left, as ``chunks_dispatch`` sends them, for as many workers to
  join; one given to a worker when none is left ends at once.

Each copy expires when the next recovery is due, which sends again what is
still lost. Jobs merely waiting their turn behind busy workers get no
copies: the beat's own message waits in the same queue, which Redis hands
out in order, behind every message sent before it (and expires there behind
a backlog), so by the time a worker runs it those messages were taken, and
a job still queued or stalled had lost its own. A copy that arrives anyway,
its job started meanwhile, costs the worker a query or two.
"""

import logging
from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.utils import timezone

from claims import selectors
from claims.services import chunks, jobs

log = logging.getLogger(__name__)


def jobs_recover() -> int:
    """Send out again the jobs queued too long, those run whole whose lease
    is stale and those in chunks that no worker is on; answers how many."""
    now = timezone.now()
    lease = timedelta(seconds=settings.JOB_LEASE_SECONDS)
    queued_for = timedelta(seconds=settings.JOB_QUEUED_RESEND_SECONDS)
    idle_for = max(lease, chunks.TAKEN_GAP)
    queued = selectors.jobs_queued_before(now - queued_for)
    stale = selectors.jobs_lease_stale(now - lease)
    stalled = selectors.jobs_chunks_stalled(now - idle_for)
    if not (queued or stale or stalled):
        return 0
    # The broker the settings name, as job_submit sends to.
    with current_app.connection_for_write(settings.CELERY_BROKER_URL) as connection:
        producer = current_app.amqp.Producer(connection, auto_declare=False)

        def send(task: str, pk: int, **kwargs) -> None:
            current_app.send_task(
                task,
                args=[pk],
                kwargs=kwargs,
                producer=producer,
                expires=settings.JOB_RECOVER_SECONDS,
            )

        for pk in queued:
            log.warning(
                "job %s: still queued after %g s; sent out again",
                pk,
                queued_for.total_seconds(),
            )
            send(jobs.TASK, pk, queued_only=True)
        for pk in stale:
            log.warning("job %s: its lease is stale; sent out again", pk)
            send(jobs.TASK, pk)
        for pk, left in stalled:
            log.warning(
                "job %s: no chunk taken or finished for %g s; its %s chunks "
                "left sent out again",
                pk,
                idle_for.total_seconds(),
                left,
            )
            for _ in range(left):
                send(chunks.TASK, pk)
    return len(queued) + len(stale) + len(stalled)
