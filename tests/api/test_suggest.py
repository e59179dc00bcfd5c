"""POST /api/documents/{id}/suggest/: suggestions through the API."""

import pytest

from claims import services
from claims.models import Attribution

pytestmark = pytest.mark.django_db


def test_a_reviewer_runs_suggestions_and_reads_the_report(client_for, reviewer):
    """The answer says what was stored; the attributions wait for review."""
    document = services.document_ingest(
        title="T", text="“It works,” said Ana Ruiz. The bridge opened in 2021."
    )
    response = client_for(reviewer).post(f"/api/documents/{document.pk}/suggest/")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["document"] == document.pk
    assert body["attributions_created"] == 2
    assert body["sources_proposed"] == ["Ana Ruiz"]
    assert set(Attribution.objects.values_list("status", "origin")) == {
        ("suggested", "suggested")
    }
    again = client_for(reviewer).post(f"/api/documents/{document.pk}/suggest/")
    assert again.json()["attributions_removed"] == 2
    assert Attribution.objects.count() == 2


def test_suggest_on_a_missing_document_is_404(client_for, reviewer):
    """An unknown id answers 404 in the error shape."""
    response = client_for(reviewer).post("/api/documents/999999/suggest/")
    assert response.status_code == 404
    assert response.json()["status"] == 404


def test_the_schema_documents_the_action(client_for):
    """The OpenAPI schema lists the endpoint with its report."""
    response = client_for().get("/api/schema/", {"format": "json"})
    paths = response.json()["paths"]
    operation = paths["/api/documents/{id}/suggest/"]["post"]
    assert "SuggestionReport" in str(operation["responses"]["200"])
