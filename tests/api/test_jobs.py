"""The jobs API without a broker: each job runs in the web process as it is
submitted (the `make run` default), and the API still answers 202."""

import json
import socket
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings

from claims import services
from claims.models import Attribution, Document, Job

TEXT = "The minister said taxes rose {n} percent in 2020. Critics disagreed."


def jsonl(*records) -> bytes:
    return "".join(
        (r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records
    ).encode()


def upload(client, content: bytes, name="articles.jsonl", **fields):
    return client.post(
        "/api/imports/",
        {"file": SimpleUploadedFile(name, content), **fields},
        format="multipart",
    )


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def closed_port() -> int:
    """A port nothing listens on: bound to port 0, then let go."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(autouse=True)
def no_broker(settings, tmp_path):
    """No broker, and the test's own storage folder."""
    settings.CELERY_BROKER_URL = ""
    settings.MEDIA_ROOT = tmp_path / "media"


def test_import_answers_202_with_the_job_and_reports_bad_lines(client_for, reviewer):
    """The file loads as import_documents loads it; the bad line is named by
    the uploaded file's name and line, the others are stored."""
    content = jsonl(
        {"title": "One", "text": TEXT.format(n=1)},
        "{not json",
        {"title": "Two", "text": TEXT.format(n=2), "colour": "red"},
        {"title": "Three", "text": TEXT.format(n=3)},
    )
    response = upload(client_for(reviewer), content, suggest="true")
    assert response.status_code == 202
    job = response.json()
    assert response["Location"] == f"/api/jobs/{job['id']}/"
    assert (job["kind"], job["status"]) == ("import", "failed")
    assert job["progress"] == {"done": 4, "total": 4}
    summary = job["summary"]
    assert (summary["imported"], summary["present"], summary["failed"]) == (2, 0, 2)
    assert summary["errors"][0].startswith("articles.jsonl:2: malformed JSON")
    assert summary["errors"][1].startswith("articles.jsonl:3: ")
    assert "colour" in summary["errors"][1]
    titles = set(
        Document.objects.filter(pk__in=summary["documents"]).values_list(
            "title", flat=True
        )
    )
    assert titles == {"One", "Three"}
    assert Document.objects.get(title="One").created_by == reviewer
    # "suggest" on: every imported document has its suggestions.
    assert Attribution.objects.filter(
        statement__document__title="One", origin="suggested"
    ).exists()
    assert job["created_by"] == "reviewer" and job["result"] is None


def test_import_again_finds_the_texts_present(client_for, reviewer):
    """A second upload of the same file imports nothing new and is done."""
    content = jsonl({"title": "One", "text": TEXT.format(n=1)})
    client = client_for(reviewer)
    upload(client, content)
    job = upload(client, content).json()
    assert job["status"] == "done"
    assert (job["summary"]["imported"], job["summary"]["present"]) == (0, 1)


def test_an_import_files_authorship_under_the_importer_only(client_for, reviewer):
    """Through a job, as through the API, created_by may name only you."""
    start = TEXT.index("taxes")
    record = {
        "title": "One",
        "text": TEXT.format(n=1),
        "statements": [
            {
                "start": 0,
                "end": TEXT.format(n=1).index(" Critics"),
                "attributions": [
                    {
                        "kind": "indirect",
                        "source": "The minister",
                        "cue": {"start": start - 5, "end": start - 1},
                        "created_by": "editor",
                    }
                ],
            }
        ],
    }
    job = upload(client_for(reviewer), jsonl(record)).json()
    assert job["summary"]["failed"] == 1
    assert "'editor' is not you" in job["summary"]["errors"][0]
    assert not Document.objects.exists()


def test_import_of_an_unknown_ending_asks_for_the_format(client_for, reviewer):
    response = upload(client_for(reviewer), b"a,b\n", name="table.csv")
    assert response.status_code == 400
    assert response.json()["message"].startswith(
        "format: 'table.csv' does not say its format"
    )
    assert not Job.objects.exists()


def test_import_of_a_text_file_and_labels_checked(client_for, reviewer):
    """A .txt file is one document titled by its first line; a bad label map
    is a 400 naming it."""
    client = client_for(reviewer)
    job = upload(client, b"Headline\n\nThe mayor said so.", name="story.txt").json()
    assert job["status"] == "done"
    assert Document.objects.get().title == "Headline"
    response = upload(client, b"{}", name="x.json", labels="QUOTE=wrong")
    assert response.status_code == 400
    assert response.json()["message"].startswith("labels: ")


def test_an_upload_over_the_limit_is_413_naming_it_and_nothing_is_stored(
    client_for, reviewer
):
    with override_settings(JOB_UPLOAD_LIMIT=1024 * 1024):
        big = jsonl({"title": "Big", "text": "word " * 300_000})
        response = upload(client_for(reviewer), big)
    assert response.status_code == 413
    assert "limit of 1 MB" in response.json()["message"]
    assert not Job.objects.exists() and not Document.objects.exists()
    assert stored_files() == []


def test_only_reviewers_import_and_suggest(client_for, reader):
    client = client_for(reader)
    assert upload(client, jsonl({"title": "A", "text": "B"})).status_code == 403
    response = client.post("/api/suggestions/", {"documents": [1]})
    assert response.status_code == 403
    anonymous = client_for(None)
    assert upload(anonymous, b"").status_code == 401
    assert not Job.objects.exists()


def test_broker_down_at_submit_is_503_naming_it_and_nothing_written(
    client_for, reviewer
):
    port = closed_port()
    with override_settings(CELERY_BROKER_URL=f"redis://127.0.0.1:{port}/5"):
        response = upload(client_for(reviewer), jsonl({"title": "A", "text": "B."}))
    assert response.status_code == 503
    message = response.json()["message"]
    assert f"broker (redis://127.0.0.1:{port}/5) does not answer" in message
    assert "nothing was stored" in message
    assert not Job.objects.exists() and not Document.objects.exists()
    assert stored_files() == []


def test_suggestions_for_many_documents_as_one_job(client_for, reviewer):
    documents = [
        services.document_ingest(title=f"D{n}", text=TEXT.format(n=n)) for n in range(3)
    ]
    response = client_for(reviewer).post(
        "/api/suggestions/", {"documents": [d.pk for d in documents]}
    )
    assert response.status_code == 202
    job = response.json()
    assert (job["kind"], job["status"], job["progress"]) == (
        "suggest", "done", {"done": 3, "total": 3},
    )  # fmt: skip
    assert job["summary"] == {"suggested": 3, "failed": 0, "errors": []}
    for document in documents:
        assert Attribution.objects.filter(
            statement__document=document, origin="suggested"
        ).exists()


def test_suggestions_name_unknown_documents(client_for, reviewer):
    response = client_for(reviewer).post("/api/suggestions/", {"documents": [998]})
    assert response.status_code == 400
    assert response.json()["message"] == "documents: no document with id 998"
    response = client_for(reviewer).post("/api/suggestions/", {"documents": []})
    assert response.status_code == 400
    assert not Job.objects.exists()


def test_anyone_signed_in_exports_and_downloads_the_file(client_for, reader, seed):
    other = services.document_ingest(title="Other", text=TEXT.format(n=9))
    client = client_for(reader)
    response = client.post("/api/exports/", {"format": "jsonl"})
    assert response.status_code == 202
    job = response.json()
    assert job["status"] == "done" and job["summary"]["exported"] == 2
    assert job["result"] == f"/api/jobs/{job['id']}/result/"
    download = client.get(job["result"])
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    lines = b"".join(download.streaming_content).decode().splitlines()
    assert [json.loads(line)["title"] for line in lines] == [seed.title, "Other"]

    one = client.post("/api/exports/", {"format": "w3c", "documents": [other.pk]})
    collection = json.loads(
        b"".join(client.get(one.json()["result"]).streaming_content)
    )
    assert collection["type"] == "AnnotationCollection"
    assert collection["total"] == 0  # the other document has no annotations


def test_the_export_job_writes_what_export_documents_writes(
    client_for, reader, seed, tmp_path
):
    client = client_for(reader)
    for file_format in [
        "jsonl",
        "w3c",
        "claimreview",
        "doccano",
        "labelstudio",
        "backup",
    ]:
        job = client.post("/api/exports/", {"format": file_format}).json()
        written = b"".join(client.get(job["result"]).streaming_content).decode()
        target = tmp_path / f"seed.{file_format}"
        call_command("export_documents", format=file_format, output=str(target))
        assert written == target.read_text(), file_format


def test_a_backup_is_of_everything_and_restored_by_the_command_alone(
    client_for, reviewer, seed
):
    """A backup export names no documents; an import job takes no backup."""
    client = client_for(reviewer)
    response = client.post(
        "/api/exports/", {"format": "backup", "documents": [seed.pk]}
    )
    assert response.status_code == 400
    assert response.json()["message"] == (
        "documents: A backup is of the whole database: name no documents."
    )
    response = upload(client, b"{}\n", name="backup.jsonl", format="backup")
    assert response.status_code == 400
    assert "format" in response.json()["message"]
    assert not Job.objects.exists()


def test_result_of_a_job_that_is_not_a_finished_export_is_4xx_naming_it(
    client_for, reviewer
):
    client = client_for(reviewer)
    queued = Job.objects.create(
        kind="export", options={"format": "jsonl"}, created_by=reviewer
    )
    response = client.get(f"/api/jobs/{queued.pk}/result/")
    assert response.status_code == 409
    assert response.json()["message"] == (
        f"job {queued.pk} is queued: its file is ready once it is done"
    )
    imported = upload(client, jsonl({"title": "A", "text": "B."})).json()
    response = client.get(f"/api/jobs/{imported['id']}/result/")
    assert response.status_code == 404
    assert "only exports have a result" in response.json()["message"]


def test_cancel_a_queued_job_then_again(client_for, reviewer, other_reviewer, editor):
    """Cancelling stops a queued job at once; twice is a 409, someone else's
    job a 403, each naming why; an editor cancels anyone's."""
    job = Job.objects.create(
        kind="suggest", options={"documents": []}, created_by=reviewer
    )
    response = client_for(other_reviewer).post(f"/api/jobs/{job.pk}/cancel/")
    assert response.status_code == 403
    assert response.json()["message"] == (
        f"job {job.pk} is reviewer's: only they or an editor may see, cancel or "
        "download it"
    )
    response = client_for(reviewer).post(f"/api/jobs/{job.pk}/cancel/")
    assert response.status_code == 202
    assert response.json()["status"] == "cancelled"
    response = client_for(reviewer).post(f"/api/jobs/{job.pk}/cancel/")
    assert response.status_code == 409
    assert "already cancelled" in response.json()["message"]
    other = Job.objects.create(kind="export", options={}, created_by=other_reviewer)
    response = client_for(editor).post(f"/api/jobs/{other.pk}/cancel/")
    assert response.status_code == 202


def test_a_running_job_asked_to_cancel_once(client_for, reviewer):
    job = Job.objects.create(
        kind="suggest", options={}, created_by=reviewer, status="running"
    )
    client = client_for(reviewer)
    response = client.post(f"/api/jobs/{job.pk}/cancel/")
    assert response.status_code == 202
    assert (response.json()["status"], response.json()["cancel_requested"]) == (
        "running", True,
    )  # fmt: skip
    response = client.post(f"/api/jobs/{job.pk}/cancel/")
    assert response.status_code == 409
    assert "already asked to stop" in response.json()["message"]


def test_jobs_list_own_for_reviewers_all_for_editors_with_filters(
    client_for, reviewer, other_reviewer, editor, django_assert_num_queries
):
    for user, kind, status in [
        (reviewer, "import", "queued"),
        (reviewer, "export", "queued"),
        (other_reviewer, "export", "queued"),
    ]:
        Job.objects.create(kind=kind, status=status, options={}, created_by=user)
    client = client_for(reviewer)
    with django_assert_num_queries(3):  # roles, count, page with usernames
        mine = client.get("/api/jobs/").json()
    assert mine["count"] == 2
    assert {j["created_by"] for j in mine["results"]} == {"reviewer"}
    everyone = client_for(editor).get("/api/jobs/", {"kind": "export"}).json()
    assert {j["created_by"] for j in everyone["results"]} == {"reviewer", "reviewer2"}
    theirs = client_for(editor).get("/api/jobs/", {"created_by": "reviewer2"}).json()
    assert theirs["count"] == 1
    assert client_for(editor).get("/api/jobs/", {"status": "done"}).json()["count"] == 0
    response = client_for(editor).get("/api/jobs/", {"status": "finished"})
    assert response.status_code == 400
    someone_elses = Job.objects.get(created_by=other_reviewer)
    assert client.get(f"/api/jobs/{someone_elses.pk}/").status_code == 403


def test_purge_removes_files_after_the_retention_period(client_for, reader, seed):
    client = client_for(reader)
    job = Job.objects.get(pk=client.post("/api/exports/", {}).json()["id"])
    path = Path(job.output.path)
    assert path.exists()
    call_command("purge_jobs", verbosity=0)
    assert path.exists()  # finished just now: kept
    Job.objects.filter(pk=job.pk).update(
        finished_at=job.finished_at.replace(year=job.finished_at.year - 1)
    )
    call_command("purge_jobs", verbosity=0)
    assert not path.exists()
    response = client.get(f"/api/jobs/{job.pk}/result/")
    assert response.status_code == 410
    assert "removed after 7 days" in response.json()["message"]


def test_an_uploaded_name_is_stored_and_reported_without_its_folders(
    client_for, reviewer
):
    response = upload(
        client_for(reviewer), b"{oops\n", name="../../etc/my feed\0.jsonl"
    )
    job = Job.objects.get(pk=response.json()["id"])
    assert job.options["filename"] == "my_feed.jsonl"
    assert job.summary["errors"][0].startswith("my_feed.jsonl:1: malformed JSON")
    assert job.input.name.startswith("jobs/input/my_feed")


def test_editors_import_checked_claims_as_a_job(client_for, editor, reviewer):
    """kind claims_import reads the file as import_claims does, filed under
    the editor; reviewers may not, since the reviews are published."""
    from claims.models import Claim, ClaimReview

    content = jsonl(
        {"text": "The bridge was built in 1990", "reviews": [
            {"rating": 1, "summary": "It opened in 1994."}
        ]},
        {"text": "Crime fell by half", "reviews": [{"rating": 9, "summary": "x"}]},
        {"text": "Taxes rose"},
    )  # fmt: skip
    response = upload(client_for(reviewer), content, kind="claims_import")
    assert response.status_code == 403
    assert response.json()["message"].startswith("kind: only editors import")
    job = upload(client_for(editor), content, kind="claims_import").json()
    assert (job["kind"], job["status"]) == ("claims_import", "failed")
    summary = job["summary"]
    assert (summary["imported"], summary["reviews_imported"], summary["failed"]) == (
        2, 1, 1,
    )  # fmt: skip
    assert summary["errors"][0].startswith("articles.jsonl:2: ")
    assert job["progress"] == {"done": 3, "total": 3}
    review = ClaimReview.objects.get()
    assert (review.reviewer, review.status) == (editor, "published")
    assert Claim.objects.count() == 2
    response = upload(client_for(editor), content, kind="claims_import", format="txt")
    assert response.status_code == 400
    assert (
        response.json()["message"] == "format: a claims_import reads claimreview, jsonl"
    )


def test_a_job_takes_at_most_ten_thousand_documents_and_a_long_name_is_cut(
    client_for, reviewer
):
    response = client_for(reviewer).post(
        "/api/suggestions/", {"documents": list(range(1, 10_002))}
    )
    assert response.status_code == 400
    assert response.json()["message"] == (
        "documents: at most 10,000 documents a job; this names 10,001"
    )
    name = "." + "a" * 400 + ".jsonl"
    job = upload(client_for(reviewer), b"{oops\n", name=name).json()
    assert job["options"]["filename"] == "." + "a" * 93 + ".jsonl"
