"""The database unreachable (issue 19): 503 with Retry-After naming the
problem, not a bare 500; and served again once it is back. For real: the
connection goes to a port bound here that nobody listens on, so PostgreSQL's
client is refused (the in-memory SQLite of the tests cannot be cut off)."""

import socket
from contextlib import contextmanager

import pytest
from django.db import connection
from rest_framework.test import APIClient

from claims.models import Document

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@contextmanager
def database_unreachable():
    """The default connection pointed at a refused port, then put back."""
    refusing = socket.socket()
    refusing.bind(("127.0.0.1", 0))  # bound, never listening: refused
    saved = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict.update(HOST="127.0.0.1", PORT=refusing.getsockname()[1])
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)
        refusing.close()


def test_an_api_write_during_an_outage_is_a_503_then_works_again(editor):
    client = APIClient()
    client.force_authenticate(editor)
    body = {"title": "Outage", "text": "The lights went out. They came back."}
    with database_unreachable():
        response = client.post("/api/documents/", body, format="json")
    assert response.status_code == 503, response.content
    data = response.json()
    assert data["code"] == "database_unavailable"
    assert "database cannot be reached" in data["message"]
    assert response["Retry-After"] == "5"
    assert not Document.objects.exists()
    again = client.post("/api/documents/", body, format="json")
    assert again.status_code == 201
    # A retry of a write whose answer was lost: the 409 names the document.
    assert client.post("/api/documents/", body, format="json").status_code == 409


def test_an_api_read_during_an_outage_is_a_503(editor):
    client = APIClient()
    client.force_authenticate(editor)
    with database_unreachable():
        response = client.get("/api/statements/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"


def test_an_admin_page_during_an_outage_is_a_503(client, editor):
    client.force_login(editor)
    with database_unreachable():
        response = client.get("/admin/claims/document/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert b"database cannot be reached" in response.content
