"""One JSON shape for every error, and the statuses the services' errors map to."""

import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from rest_framework.settings import api_settings
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

SHAPE = {"status", "code", "message", "errors"}


def check_shape(response, status):
    body = response.json()
    assert response.status_code == status, body
    assert set(body) == SHAPE
    assert body["status"] == status
    assert body["message"]
    return body


def test_400_names_the_field(client_for, reviewer):
    """A missing field is named in errors and in the message."""
    body = check_shape(
        client_for(reviewer).post("/api/claims/", {}, format="json"), 400
    )
    assert body["errors"] == {"text": ["This field is required."]}
    assert body["message"] == "text: This field is required."


def test_a_services_validation_error_is_a_400(client_for, reviewer):
    """An empty text is refused by the service: a 400 on ``text``, not a 500."""
    response = client_for(reviewer).post(
        "/api/documents/", {"title": "T", "text": "   "}, format="json"
    )
    body = check_shape(response, 400)
    assert "text" in str(body["errors"])


def test_401_403_404(client_for, reader, seed):
    """Anonymous, forbidden and missing all answer in the same shape."""
    check_shape(client_for(None).get("/api/statements/"), 401)
    check_shape(
        client_for(reader).post("/api/claims/", {"text": "x"}, format="json"), 403
    )
    body = check_shape(client_for(reader).get("/api/claims/999999/"), 404)
    assert body["code"] == "not_found"


def test_409_412_428(client_for, reviewer, editor, seed):
    """Conflict, stale version and missing If-Match share the shape too."""
    client = client_for(editor)
    check_shape(client.delete(f"/api/documents/{seed.pk}/"), 409)
    claim = seed.statements.first().claim_mentions.first().claim
    check_shape(client.patch(f"/api/claims/{claim.pk}/", {"tags": ["x"]}), 428)
    check_shape(
        client.patch(f"/api/claims/{claim.pk}/", {"tags": ["x"]}, HTTP_IF_MATCH='"99"'),
        412,
    )


def throttled(**rates):
    """The API's settings with other throttle rates."""
    merged = {**api_settings.DEFAULT_THROTTLE_RATES, **rates}
    return override_settings(
        REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": merged}
    )


def test_429_when_a_client_goes_over_its_rate(reader):
    """Throttling answers 429 with Retry-After, in the same shape."""
    client = APIClient()
    client.force_authenticate(reader)
    with throttled(user="3/min"):
        statuses = [client.get("/api/sources/").status_code for _ in range(4)]
        response = client.get("/api/sources/")
    assert statuses == [200, 200, 200, 429]
    check_shape(response, 429)
    assert int(response["Retry-After"]) > 0


def test_anonymous_clients_are_throttled_by_address(db):
    """Anonymous readers of published reviews are throttled by their address."""
    with throttled(anon="2/min"):
        client = APIClient()
        statuses = [client.get("/api/claim-reviews/").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_a_token_from_create_token_signs_in(reviewer):
    """``manage.py create_token USER`` gives a working token."""
    out = io.StringIO()
    call_command("create_token", "reviewer", stdout=out)
    token = out.getvalue().split()[2]
    client = APIClient()
    assert client.get("/api/sources/").status_code == 401
    response = client.get("/api/sources/", HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 200


def test_a_token_from_the_token_endpoint_signs_in(reviewer):
    """POST username and password to /api/token/; a wrong password is a 400."""
    client = APIClient()
    wrong = client.post(
        "/api/token/", {"username": "reviewer", "password": "nope"}, format="json"
    )
    check_shape(wrong, 400)
    response = client.post(
        "/api/token/",
        {"username": "reviewer", "password": "reviewer-demo"},
        format="json",
    )
    token = response.json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/statements/").status_code == 200
