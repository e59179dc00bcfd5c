"""The jobs service (claims.services.jobs) in the web process: a run's
progress and summary, a request to cancel seen between batches, the error
list kept to its first thousand lines."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from claims.models import Job
from claims.services.jobs import (
    JobCancelled,
    job_cancel,
    job_progress,
    job_run,
    job_start,
    job_submit,
)


@pytest.fixture(autouse=True)
def no_broker(settings, tmp_path):
    settings.CELERY_BROKER_URL = ""
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_job_asked_to_cancel_stops_at_its_next_report(db, reviewer):
    """The report after a batch raises, carrying what the job had done."""
    job = Job.objects.create(kind="suggest", options={"documents": []})
    job = job_start(job_id=job.pk)
    assert job.status == "running"
    job_progress(job=job, done=1, total=3, summary={"suggested": 1})
    job_cancel(job=Job.objects.get(pk=job.pk))
    with pytest.raises(JobCancelled) as stop:
        job_progress(job=job, done=2, total=3, summary={"suggested": 2})
    assert stop.value.args[0] == {"suggested": 2}
    stored = Job.objects.get(pk=job.pk)
    assert (stored.status, stored.progress) == ("running", {"done": 2, "total": 3})


def test_a_job_no_longer_queued_is_not_run_again(db):
    job = Job.objects.create(kind="suggest", options={"documents": []})
    job_cancel(job=job)
    assert job_run(job_id=job.pk) is None
    assert Job.objects.get(pk=job.pk).started_at is None


def test_the_summary_keeps_the_first_thousand_errors_and_counts_all(db, reviewer):
    content = b"{bad\n" * 1005
    job = job_submit(
        kind="import",
        options={"filename": "bad.jsonl"},
        created_by=reviewer,
        upload=SimpleUploadedFile("bad.jsonl", content),
    )
    assert (job.status, job.summary["failed"]) == ("failed", 1005)
    assert len(job.summary["errors"]) == 1000
    assert job.summary["errors"][-1].startswith("bad.jsonl:1000: malformed JSON")
    assert job.summary["errors_left_out"] == 5
