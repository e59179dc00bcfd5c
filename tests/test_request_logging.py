"""Logs for production (issue 22): with DEBUG off, a request's server error
is one line on standard error, with the request's id, which the response
gives the client in ``X-Request-ID``; an import job's refusals too.

The server is a real gunicorn (its standard error read from a file), on a
port the kernel chose, checked to answer with this test's token.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from rest_framework.test import APIClient

STARTUP = 60  # seconds gunicorn may take to answer


def get(url: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture
def server(tmp_path):
    """A gunicorn of the production settings; its URL and standard error."""
    identity = uuid.uuid4().hex
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    port, fd = listener.getsockname()[1], listener.fileno()
    os.set_inheritable(fd, True)
    stderr = tmp_path / "stderr.log"
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "tests.logging_server.settings",
        "DEBUG": "0",
        "SECRET_KEY": "tests-only-not-a-secret",
        "SECURE": "0",
        "TRUSTED_PROXIES": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
        "CLAIM_EMBEDDING_MODEL": "",
        "LOGGING_TEST_IDENTITY": identity,
    }
    with stderr.open("wb") as output:
        process = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "config.wsgi:application", "--workers", "1",
                "--bind", f"fd://{fd}", "--log-level", "warning",
            ],
            cwd=settings.BASE_DIR, env=env, pass_fds=(fd,), stderr=output,
        )  # fmt: skip
    listener.close()
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP
        while True:
            assert process.poll() is None, stderr.read_text()
            assert time.monotonic() < deadline, "gunicorn did not answer"
            try:
                status, _, body = get(f"{url}/test/identity/")
            except OSError:
                time.sleep(0.2)
                continue
            assert (status, body.decode()) == (200, identity), "not our server"
            break
        yield url, stderr
    finally:
        process.terminate()
        process.wait(timeout=30)


def lines_with(log: Path, text: str) -> list[str]:
    return [line for line in log.read_text().splitlines() if text in line]


def test_a_server_error_is_one_line_with_the_request_id(server):
    url, stderr = server
    status, headers, _ = get(f"{url}/test/fail/")
    assert status == 500
    request_id = headers["X-Request-ID"]
    assert len(request_id) == 32  # made here: the request named none
    # The proxy's id, when it sends one (TRUSTED_PROXIES is 1 here).
    given = "proxy-id-42"
    status, headers, _ = get(f"{url}/test/fail/", {"X-Request-ID": given})
    assert (status, headers["X-Request-ID"]) == (500, given)
    # Written before the response was sent.
    [line] = lines_with(stderr, f"request_id={request_id} ")
    assert " ERROR django.request " in line
    assert "Internal Server Error: /test/fail/" in line
    assert "RuntimeError: the failure a test asked for" in line  # the traceback
    [line] = lines_with(stderr, f"request_id={given} ")
    assert "Internal Server Error: /test/fail/" in line
    assert len(lines_with(stderr, "Internal Server Error")) == 2


def test_a_refusal_writes_nothing(server):
    """A 4xx is the client's mistake, said in the response, not logged."""
    url, stderr = server
    status, headers, _ = get(f"{url}/api/documents/")
    assert status == 401
    assert lines_with(stderr, headers["X-Request-ID"]) == []


@pytest.mark.django_db
@override_settings(TRUSTED_PROXIES=0)
def test_a_client_cannot_choose_its_request_id_without_a_trusted_proxy():
    response = APIClient().get("/api/schema/", HTTP_X_REQUEST_ID="chosen")
    assert response["X-Request-ID"] not in {"", "chosen"}


@pytest.mark.django_db
@override_settings(TRUSTED_PROXIES=1)
def test_an_id_that_is_not_a_plain_token_is_replaced():
    response = APIClient().get("/api/schema/", HTTP_X_REQUEST_ID="a b=c")
    assert response["X-Request-ID"] != "a b=c"


def test_an_import_jobs_refusals_are_logged_one_each(reviewer, capsys):
    """Each record an import job refuses is a line on standard error naming
    the job and the line, with the id of the request that ran it (in the web
    process: no broker)."""
    client = APIClient()
    client.force_authenticate(reviewer)
    content = b'{"title": "T", "text": ""}\nnot json\n'
    capsys.readouterr()
    response = client.post(
        "/api/imports/",
        {"file": SimpleUploadedFile("feed.jsonl", content)},
        format="multipart",
    )
    assert response.status_code == 202, response.content
    job = response.json()["id"]
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 2, lines
    request_id = response["X-Request-ID"]
    expected = f" WARNING claims.services.job_work request_id={request_id} job {job}: "
    for line in lines:
        assert expected + "feed.jsonl:" in line
    assert sorted(line.split("feed.jsonl:")[1][:2] for line in lines) == ["1:", "2:"]
