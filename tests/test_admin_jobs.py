"""Jobs from the admin, without a broker (each runs as it is submitted):
Import a file, Export (everything, or the selected documents), Suggest
provenance on many documents, the job's page and the Jobs list."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from claims import services
from claims.models import Attribution, Document, Job

TEXT = "The minister said taxes rose {n} percent in 2020. Critics disagreed."


@pytest.fixture(autouse=True)
def no_broker(settings, tmp_path):
    settings.CELERY_BROKER_URL = ""
    settings.MEDIA_ROOT = tmp_path / "media"


def staff(user):
    user.is_staff = True
    user.save()
    return user


def lines(*records) -> bytes:
    return "".join(
        (r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records
    ).encode()


def test_import_a_file_then_its_page_lists_errors_and_documents(client, reviewer):
    client.force_login(staff(reviewer))
    page = client.get("/admin/claims/document/")
    assert b'href="/admin/claims/document/import/"' in page.content
    content = lines({"title": "One", "text": TEXT.format(n=1)}, "{oops")
    response = client.post(
        "/admin/claims/document/import/",
        {"file": SimpleUploadedFile("feed.jsonl", content), "suggest": "on"},
    )
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/claims/job/{job.pk}/change/"
    page = client.get(response["Location"]).content.decode()
    assert 'id="job-progress" max="2" value="2"' in page
    assert "1 imported, 0 already present, 1 failed" in page
    assert "feed.jsonl:2: malformed JSON" in page
    document = Document.objects.get(title="One")
    assert f'href="/admin/claims/document/{document.pk}/change/">One</a>' in page
    assert Attribution.objects.filter(
        statement__document=document, origin="suggested"
    ).exists()


def test_import_form_refuses_a_file_over_the_limit(client, reviewer):
    client.force_login(staff(reviewer))
    with override_settings(JOB_UPLOAD_LIMIT=1024 * 1024):
        response = client.post(
            "/admin/claims/document/import/",
            {"file": SimpleUploadedFile("big.jsonl", b"x" * 1024 * 1100)},
        )
    assert response.status_code == 200
    assert "The file is over its limit of 1 MB." in response.content.decode()
    assert not Job.objects.exists()


def test_readers_cannot_import(client, django_user_model):
    reader = django_user_model.objects.create_user("reader", is_staff=True)
    client.force_login(reader)
    assert client.get("/admin/claims/document/import/").status_code == 403


def test_export_everything_and_the_selected(client, django_user_model, seed):
    """Anyone signed in exports; the job's page offers the download."""
    other = services.document_ingest(title="Other", text=TEXT.format(n=2))
    reader = django_user_model.objects.create_user("reader", is_staff=True)
    client.force_login(reader)
    response = client.post("/admin/claims/document/export/", {"format": "jsonl"})
    job = Job.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert f'href="/api/jobs/{job.pk}/result/"' in page
    assert "2 documents exported" in page

    response = client.post(
        "/admin/claims/document/",
        {"action": "export_doccano", "_selected_action": [other.pk]},
    )
    job = Job.objects.latest("pk")
    assert response["Location"] == f"/admin/claims/job/{job.pk}/change/"
    assert job.options == {"format": "doccano", "documents": [other.pk]}
    file = b"".join(client.get(f"/api/jobs/{job.pk}/result/").streaming_content)
    assert [json.loads(line)["text"] for line in file.splitlines()] == [other.text]


def test_suggest_on_many_documents_is_one_job(client, reviewer):
    client.force_login(staff(reviewer))
    documents = [
        services.document_ingest(title=f"D{n}", text=TEXT.format(n=n)) for n in range(3)
    ]
    response = client.post(
        "/admin/claims/document/",
        {"action": "suggest_provenance", "_selected_action": [d.pk for d in documents]},
    )
    job = Job.objects.get()
    assert response["Location"] == f"/admin/claims/job/{job.pk}/change/"
    assert (job.kind, job.status, job.summary["suggested"]) == ("suggest", "done", 3)


def test_jobs_list_filters_and_only_ones_own(client, reviewer, editor):
    Job.objects.create(kind="import", options={}, created_by=reviewer)
    Job.objects.create(kind="export", options={}, created_by=editor)
    client.force_login(staff(reviewer))
    page = client.get("/admin/claims/job/").content.decode()
    assert "Import #" in page and "Export #" not in page
    client.force_login(staff(editor))
    page = client.get("/admin/claims/job/", {"kind__exact": "export"}).content
    assert b"Export #" in page and b"Import #" not in page
    theirs = Job.objects.get(created_by=editor)
    client.force_login(reviewer)
    assert client.get(f"/admin/claims/job/{theirs.pk}/change/").status_code == 403


def test_cancel_from_the_job_page(client, reviewer):
    job = Job.objects.create(kind="suggest", options={}, created_by=reviewer)
    client.force_login(staff(reviewer))
    client.post(f"/admin/claims/job/{job.pk}/change/", {"cancel": "Cancel"})
    job.refresh_from_db()
    assert job.status == "cancelled"
    page = client.post(
        f"/admin/claims/job/{job.pk}/change/", {"cancel": "Cancel"}, follow=True
    ).content.decode()
    assert f"Job {job.pk} is already cancelled" in page  # the admin capitalises


def test_import_checked_claims_is_for_editors(client, reviewer, editor):
    content = lines({"text": "The bridge was built in 1990", "reviews": [
        {"rating": 1, "summary": "It opened in 1994."}
    ]})  # fmt: skip
    client.force_login(staff(reviewer))
    response = client.post(
        "/admin/claims/document/import/",
        {"file": SimpleUploadedFile("claims.jsonl", content), "kind": "claims_import"},
    )
    assert "Only editors import checked claims." in response.content.decode()
    assert not Job.objects.exists()
    client.force_login(staff(editor))
    response = client.post(
        "/admin/claims/document/import/",
        {"file": SimpleUploadedFile("claims.jsonl", content), "kind": "claims_import"},
    )
    job = Job.objects.get()
    assert (job.kind, job.status, job.summary["reviews_imported"]) == (
        "claims_import", "done", 1,
    )  # fmt: skip
    page = client.get(response["Location"]).content.decode()
    assert "1 claims imported, 0 already present, 0 failed" in page


@pytest.mark.parametrize("object_id", ["import", "999999"])
def test_a_job_page_that_names_no_job_says_so(client, reviewer, object_id):
    """A mistyped or stale job URL goes back to the list with Django's message
    (it was a 500 for an id that is not a number)."""
    client.force_login(staff(reviewer))
    page = client.get(f"/admin/claims/job/{object_id}/change/", follow=True)
    assert page.status_code == 200
    assert f"with ID “{object_id}” doesn’t exist" in page.content.decode()
