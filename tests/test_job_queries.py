"""The queries the jobs' read paths make, pinned: the admin's Jobs list and
job page, the document list's job actions, the API's job page, a request's
document ids checked, a worker's wait for the job's row (the export
writers' own are pinned in tests/test_exports.py)."""

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from claims import selectors, services
from claims.api.serializers.jobs import ExportRequestSerializer
from claims.models import Document, Job
from claims.tasks import run_job
from tests.conftest import ranking_queries

TEXT = "The minister said taxes rose {n} percent in 2020. Critics disagreed."


@pytest.fixture(autouse=True)
def no_broker(settings, tmp_path):
    settings.CELERY_BROKER_URL = ""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def documents(seed):
    """The seed article, annotated, and two plain documents after it."""
    return [seed] + [
        services.document_ingest(title=f"D{n}", text=TEXT.format(n=n)) for n in (1, 2)
    ]


def staff(user):
    user.is_staff = True
    user.save()
    return user


def test_the_jobs_list_names_the_submitters_for_editors(
    client, reviewer, editor, django_assert_num_queries
):
    """An editor's list offers a filter by who submitted (one query for the
    names) and filters by it; a reviewer's list shows their own jobs only."""
    Job.objects.create(kind="import", options={}, created_by=reviewer)
    Job.objects.create(kind="export", options={}, created_by=editor)
    client.force_login(staff(editor))
    with django_assert_num_queries(9):
        page = client.get("/admin/claims/job/").content.decode()
    assert f'?created_by={reviewer.pk}"' in page and f'?created_by={editor.pk}"' in page
    with django_assert_num_queries(9):
        page = client.get("/admin/claims/job/", {"created_by": reviewer.pk}).content
    assert b"Import #" in page and b"Export #" not in page
    client.force_login(staff(reviewer))
    with django_assert_num_queries(8):
        page = client.get("/admin/claims/job/").content
    assert b"Import #" in page and b"Export #" not in page


def test_the_job_page_reads_the_job_and_its_documents(
    client, reviewer, documents, django_assert_num_queries
):
    """The job with its submitter joined, then the documents it made in one
    query (with the session, the user, the roles and the admin's own)."""
    job = Job.objects.create(
        kind="import",
        options={},
        created_by=reviewer,
        status="done",
        finished_at=timezone.now(),
        summary={"documents": [d.pk for d in documents[1:]]},
    )
    client.force_login(staff(reviewer))
    with django_assert_num_queries(7):
        page = client.get(f"/admin/claims/job/{job.pk}/change/").content.decode()
    assert ">D1</a>" in page and ">D2</a>" in page and documents[0].title not in page


def test_the_document_lists_actions_submit_the_ids_in_order(
    client, reviewer, documents, django_assert_num_queries
):
    """The selected ids, read oldest first in one query; the job runs at once
    (no broker), its queries counted with the request's (the submitter's
    among them: the export leaves out the work hidden from them)."""
    client.force_login(staff(reviewer))
    chosen = [documents[2].pk, documents[1].pk]
    with django_assert_num_queries(52):
        client.post(
            "/admin/claims/document/",
            {"action": "export_jsonl", "_selected_action": chosen},
        )
    assert Job.objects.get().options["documents"] == sorted(chosen)


def test_suggesting_reads_the_selected_ids_in_order(
    client, reviewer, documents, django_assert_num_queries
):
    """The ids read as export's are; the job runs at once (no broker), its
    suggestions' queries counted with the request's."""
    client.force_login(staff(reviewer))
    chosen = [documents[2].pk, documents[1].pk]
    # The chunk's documents are suggested for together: one search
    # (ranking_queries), and what they propose stored in savepoints (a
    # concurrent run's rows are found), with the chunk's own bookkeeping.
    with django_assert_num_queries(90 + ranking_queries()):
        client.post(
            "/admin/claims/document/",
            {"action": "suggest_provenance", "_selected_action": chosen},
        )
    assert Job.objects.get().options["documents"] == sorted(chosen)


def test_the_api_job_page_is_the_roles_then_the_job_with_its_submitter(
    reviewer, django_assert_num_queries
):
    job = Job.objects.create(kind="import", options={}, created_by=reviewer)
    client = APIClient()
    client.force_authenticate(reviewer)
    with django_assert_num_queries(2):
        answer = client.get(f"/api/jobs/{job.pk}/").json()
    assert answer["created_by"] == "reviewer"


def test_a_requests_document_ids_are_checked_in_one_query(
    documents, django_assert_num_queries
):
    request = {"format": "jsonl", "documents": [documents[1].pk, 10**9]}
    with django_assert_num_queries(1):
        serializer = ExportRequestSerializer(data=request)
        assert not serializer.is_valid()
    assert serializer.errors["documents"] == [f"no document with id {10**9}"]


def test_a_worker_asks_once_whether_the_job_is_committed(db, django_assert_num_queries):
    """A job not yet committed (or gone) is retried later, nothing run: run
    eagerly, each of its 1 + 50 tries asks once, then it gives up."""
    with django_assert_num_queries(1 + 50):
        result = run_job.apply(args=[10**9])
    assert result.state == "FAILURE"


# What the jobs' selectors answer, each in the queries pinned.


def test_the_submitters_are_each_named_once_by_username(
    reviewer, editor, django_assert_num_queries
):
    for user in (reviewer, editor, reviewer, None):
        Job.objects.create(kind="export", options={}, created_by=user)
    with django_assert_num_queries(1):
        assert selectors.job_submitters() == [
            (editor.pk, "editor"),
            (reviewer.pk, "reviewer"),
        ]


def test_a_users_jobs_by_the_user_or_their_id(reviewer, editor):
    mine = Job.objects.create(kind="export", options={}, created_by=reviewer)
    Job.objects.create(kind="export", options={}, created_by=editor)
    jobs = selectors.jobs_listed()
    assert list(selectors.jobs_submitted_by(jobs, reviewer)) == [mine]
    assert list(selectors.jobs_submitted_by(jobs, str(reviewer.pk))) == [mine]


def test_a_job_page_for_no_such_job_is_none(db, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert selectors.job_for_page(10**9) is None


def test_the_documents_a_job_made_are_the_first_so_many_by_id(documents):
    job = Job(summary={"documents": [d.pk for d in reversed(documents)]})
    made = selectors.documents_a_job_made(job, limit=2)
    assert list(made) == sorted(documents[1:], key=lambda d: d.pk)
    assert list(selectors.documents_a_job_made(Job(summary={}), limit=2)) == []


def test_selected_ids_oldest_first_and_stored_ones(
    documents, django_assert_num_queries
):
    rows = Document.objects.filter(pk__in=[d.pk for d in documents[1:]])
    with django_assert_num_queries(1):
        assert selectors.ids_oldest_first(rows) == sorted(d.pk for d in documents[1:])
    with django_assert_num_queries(1):
        assert selectors.stored_document_ids([documents[0].pk, 10**9]) == {
            documents[0].pk
        }
