"""Jobs on a real Celery worker (tests/worker.py) with Redis as the broker,
on PostgreSQL: the API answers 202 with the job queued, the worker runs it,
a cancel stops it between batches keeping what was committed."""

import json

import psycopg2
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from rest_framework.test import APIClient

from claims import services
from claims.models import Attribution, Document, Job
from tests.worker import wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

TEXT = "The minister said taxes rose {n} percent in 2020. Critics disagreed."


@pytest.fixture
def worker_broker(celery_worker, settings):
    settings.CELERY_BROKER_URL = celery_worker
    return celery_worker


def finished(pk: int):
    job = Job.objects.get(pk=pk)
    return job if job.finished else None


def test_the_worker_runs_an_import_queued_by_the_api(worker_broker, reviewer):
    client = APIClient()
    client.force_authenticate(reviewer)
    content = "".join(
        json.dumps({"title": f"T{n}", "text": TEXT.format(n=n)}) + "\n"
        for n in range(450)
    )
    response = client.post(
        "/api/imports/",
        {"file": SimpleUploadedFile("feed.jsonl", content.encode())},
        format="multipart",
    )
    assert response.status_code == 202
    assert response.json()["status"] == "queued"  # answered before it ran
    job = wait_for(lambda: finished(response.json()["id"]))
    assert job.status == "done", job.summary
    assert job.started_at is not None and job.progress == {"done": 450, "total": 450}
    assert job.summary["imported"] == 450
    assert Document.objects.count() == 450
    assert Document.objects.filter(created_by=reviewer).count() == 450


def test_the_worker_logs_under_the_id_of_the_request_that_submitted_the_job(
    worker_broker,
    session_worker,
    reviewer,
):
    """The worker's lines for a job carry the submitting request's id (sent
    in the message's headers), in the web server's one-line format."""
    client = APIClient()
    client.force_authenticate(reviewer)
    response = client.post(
        "/api/imports/",
        {"file": SimpleUploadedFile("ids.jsonl", b"not json\n")},
        format="multipart",
    )
    assert response.status_code == 202
    job = wait_for(lambda: finished(response.json()["id"]))
    assert job.summary["failed"] == 1, job.summary
    request_id = response["X-Request-ID"]
    refused = wait_for(
        lambda: [
            line
            for line in session_worker.log.read_text().splitlines()
            if f"job {job.pk}: ids.jsonl:1:" in line
        ]
    )
    expected = f" WARNING claims.services.job_work request_id={request_id} job "
    assert all(expected in line for line in refused), refused


def test_cancel_stops_a_running_job_between_documents(worker_broker, reviewer):
    """Cancelled while it runs, the job stops after the document under way;
    the suggestions committed before stay, the rest were never made."""
    documents = [
        services.document_ingest(title=f"D{n}", text=TEXT.format(n=n))
        for n in range(200)
    ]
    client = APIClient()
    client.force_authenticate(reviewer)
    response = client.post(
        "/api/suggestions/", {"documents": [d.pk for d in documents]}
    )
    pk = response.json()["id"]
    # Held in the middle, however fast the machine: the job waits on one
    # document's row lock (suggesting takes it) while it is cancelled.
    holder = psycopg2.connect(**_libpq(connection.settings_dict))
    try:
        with holder.cursor() as cursor:
            cursor.execute(
                "SELECT id FROM claims_document WHERE id = %s FOR UPDATE",
                [documents[100].pk],
            )
            wait_for(lambda: Job.objects.get(pk=pk).progress["done"] >= 3)
            response = client.post(f"/api/jobs/{pk}/cancel/")
            assert response.status_code == 202
            assert response.json()["cancel_requested"] is True
            again = client.post(f"/api/jobs/{pk}/cancel/")
            assert again.status_code == 409
    finally:
        holder.rollback()
        holder.close()
    job = wait_for(lambda: finished(pk))
    assert job.status == "cancelled"
    suggested = job.summary["suggested"]
    assert 3 <= suggested < 200 and job.progress["done"] == suggested
    with_suggestions = (
        Attribution.objects.filter(origin="suggested")
        .values("statement__document")
        .distinct()
        .count()
    )
    assert with_suggestions == suggested
    assert client.post(f"/api/jobs/{pk}/cancel/").status_code == 409


def test_a_queued_job_cancelled_before_a_worker_takes_it_never_runs(
    worker_broker, reviewer
):
    """The worker skips a job that is no longer queued when it comes to it."""
    first = [
        services.document_ingest(title=f"D{n}", text=TEXT.format(n=n)) for n in range(3)
    ]
    client = APIClient()
    client.force_authenticate(reviewer)
    # One worker, one job at a time: the first job is held on its first
    # document's row lock (document_suggest takes it), so the second is still
    # queued, deterministically, when it is cancelled.
    holder = psycopg2.connect(**_libpq(connection.settings_dict))
    try:
        with holder.cursor() as cursor:
            cursor.execute(
                "SELECT id FROM claims_document WHERE id = %s FOR UPDATE",
                [first[0].pk],
            )
            busy = client.post("/api/suggestions/", {"documents": [first[0].pk]})
            wait_for(lambda: Job.objects.get(pk=busy.json()["id"]).status == "running")
            waiting = client.post("/api/suggestions/", {"documents": [first[1].pk]})
            response = client.post(f"/api/jobs/{waiting.json()['id']}/cancel/")
            assert response.json()["status"] == "cancelled"
    finally:
        holder.rollback()
        holder.close()
    wait_for(lambda: finished(busy.json()["id"]))
    job = Job.objects.get(pk=waiting.json()["id"])
    assert (job.status, job.started_at) == ("cancelled", None)


def _libpq(settings: dict) -> dict:
    """A second connection's arguments to the test database, as Django's."""
    return {
        "dbname": settings["NAME"],
        "user": settings["USER"],
        "host": settings["HOST"],
        "port": settings["PORT"] or 5432,
        "password": settings["PASSWORD"],
    }
