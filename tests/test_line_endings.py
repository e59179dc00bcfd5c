"""Line endings are normalised at ingest on every path: CR LF and a lone CR
become LF, then NFC, then the hash; offsets given with a CR text are refused."""

import io
import json

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from claims import services
from claims.models import Document

pytestmark = pytest.mark.django_db

ARTICLE = (settings.BASE_DIR / "tests" / "data" / "seed_article.txt").read_text()


def crlf(text: str) -> str:
    return text.replace("\n", "\r\n")


def test_crlf_and_lone_cr_become_lf():
    assert services.normalize_text("a\r\nb\rc\n") == "a\nb\nc\n"


def test_an_lf_text_keeps_its_hash():
    """Texts stored before the change are found by the same hash."""
    text = "One.\n\nTwo é."
    assert services.content_hash(services.normalize_text(text)) == (
        services.content_hash(text)
    )


def test_the_article_pasted_with_crlf_and_imported_from_a_file_is_one_document(
    client, reviewer, tmp_path
):
    """A browser sends a pasted text with CR LF; the file has LF."""
    client.force_login(reviewer)
    response = client.post(
        reverse("admin:claims_document_add"),
        {"title": "Pasted", "text": crlf(ARTICLE), "tag_names": ""},
    )
    assert response.status_code == 302
    pasted = Document.objects.get()
    assert "\r" not in pasted.text
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE)
    call_command("import_documents", str(path), stdout=io.StringIO())
    assert list(Document.objects.all()) == [pasted]
    crlf_path = tmp_path / "article-crlf.txt"
    crlf_path.write_bytes(crlf(ARTICLE).encode())
    call_command("import_documents", str(crlf_path), stdout=io.StringIO())
    assert list(Document.objects.all()) == [pasted]


def test_offsets_given_with_a_cr_text_are_refused_by_the_service():
    with pytest.raises(ValidationError, match="carriage return"):
        services.document_ingest(title="T", text="One.\r\nTwo.", statements=[(0, 4)])
    assert not Document.objects.exists()


def test_a_record_with_cr_and_statements_is_refused_naming_the_line(tmp_path):
    """FILE:LINE: the reason; nothing is stored; a plain CR record still loads."""
    path = tmp_path / "in.jsonl"
    with_statements = {
        "title": "T",
        "text": "One.\r\nTwo.",
        "statements": [{"start": 0, "end": 4}, {"start": 6, "end": 10}],
    }
    plain = {"title": "U", "text": "Three.\r\nFour."}
    path.write_text(json.dumps(with_statements) + "\n" + json.dumps(plain) + "\n")
    errors = tmp_path / "err.txt"
    with open(errors, "w") as err, pytest.raises(CommandError):
        call_command("import_documents", str(path), stdout=io.StringIO(), stderr=err)
    assert f"{path}:1: text: The text holds a carriage return (CR) at 4" in (
        errors.read_text()
    )
    assert list(Document.objects.values_list("text", flat=True)) == ["Three.\nFour."]


def test_the_api_refuses_a_cr_record_with_statements(reviewer):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(reviewer)
    response = api.post(
        "/api/documents/",
        {"title": "T", "text": "One.\rTwo.", "statements": [{"start": 0, "end": 4}]},
        format="json",
    )
    assert response.status_code == 400
    assert "carriage return" in str(response.json())
    assert not Document.objects.exists()
