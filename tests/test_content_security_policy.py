"""Every response carries the Content-Security-Policy, and no template of
ours needs it loosened: no inline script or style for it to allow."""

import re

import pytest
from django.conf import settings
from django.urls import path

from claims.models import ClaimReview, ClaimReviewStatus

POLICY = "Content-Security-Policy"


def directives(response):
    header = response.headers[POLICY]
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part)
    }


@pytest.mark.parametrize(
    ("path", "signed_in", "status"),
    [
        ("/admin/", True, 200),
        ("/admin/claims/document/1/change/", True, 200),
        ("/admin/login/", False, 200),
        ("/api/statements/", True, 200),
        ("/api/statements/", False, 401),
        ("/api/schema/", False, 200),
        ("/api/docs/", False, 200),
        ("/api/docs/?script=", False, 200),
        ("/claims/", False, 200),
        ("/claims/{published}/", False, 200),
        ("/claims/999999/", False, 404),
        ("/no/such/page/", False, 404),
    ],
)
def test_every_kind_of_response_carries_the_policy(
    seed, client, reviewer, path, signed_in, status
):
    """Admin pages, API JSON, the docs, public pages, error pages."""
    if signed_in:
        client.force_login(reviewer)
    published = ClaimReview.objects.filter(status=ClaimReviewStatus.PUBLISHED)
    response = client.get(path.format(published=published.first().claim_id))
    assert response.status_code == status
    policy = directives(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in response.headers[POLICY]
    assert "'unsafe-eval'" not in response.headers[POLICY]


def broken(request):
    raise RuntimeError("a bug")


urlpatterns = [path("broken/", broken)]


@pytest.mark.urls(__name__)
def test_a_server_error_page_carries_the_policy(db, client):
    """The 500 page too: the header is added on the way out, whatever failed."""
    client.raise_request_exception = False
    response = client.get("/broken/")
    assert response.status_code == 500
    assert directives(response)["script-src"] == ["'self'"]


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/ld\+json)[^>]*>")
INLINE_STYLE = re.compile(r"<style\b|\sstyle=|\son[a-z]+=")


def test_no_template_of_ours_has_inline_script_or_style():
    """A JSON-LD data block is no script; anything else inline would be refused."""
    found = []
    for template in sorted((settings.BASE_DIR / "claims" / "templates").rglob("*")):
        if template.is_file():
            text = template.read_text()
            for pattern in (INLINE_SCRIPT, INLINE_STYLE):
                found += [f"{template.name}: {m[0]}" for m in pattern.finditer(text)]
    assert found == []
