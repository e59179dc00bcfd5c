"""API tokens end: revoked by their holder, by a new password, or by age.

Only a digest of each key is stored (``ApiToken``), and ``/api/token/``
keeps its contract: POST username and password, get ``{"token": …}``, send
``Authorization: Token …``.
"""

import datetime

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from claims.models import ApiToken

RIGHT = {"username": "reviewer", "password": "reviewer-demo"}


def sign_in(credentials=RIGHT):
    response = APIClient().post("/api/token/", credentials, format="json")
    assert response.status_code == 200, response.json()
    return response.json()["token"]


def with_token(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def signs_in(key):
    return with_token(key).get("/api/sources/").status_code == 200


def test_delete_revokes_the_token_it_is_sent_with(reviewer):
    """DELETE /api/token/ answers 204, and the token then gets 401."""
    key, other = sign_in(), sign_in()
    assert with_token(key).delete("/api/token/").status_code == 204
    refused = with_token(key).get("/api/sources/")
    assert refused.status_code == 401
    assert refused.json()["message"] == "Invalid token."
    assert signs_in(other), "the user's other token is not the one revoked"


def test_delete_needs_a_token(reviewer, client_for):
    """Anonymous: 401; signed in by session (no token to name): 400."""
    assert APIClient().delete("/api/token/").status_code == 401
    session = client_for(reviewer).delete("/api/token/")
    assert session.status_code == 400
    assert "Authorization header" in session.json()["message"]


def test_keys_are_stored_only_as_digests(reviewer):
    """No column of the token table holds the key."""
    key = sign_in()
    (row,) = ApiToken.objects.values_list()
    assert all(key not in str(value) for value in row)
    assert signs_in(key)


def test_a_new_password_ends_the_tokens_issued_before_it(reviewer):
    """set_password and save, as services and changepassword do."""
    before = sign_in()
    reviewer.set_password("a new long passphrase")
    reviewer.save()
    refused = with_token(before).get("/api/sources/")
    assert refused.status_code == 401
    assert "password changed" in refused.json()["message"]
    after = sign_in({"username": "reviewer", "password": "a new long passphrase"})
    assert signs_in(after)


def test_a_password_changed_in_the_admin_ends_the_tokens(reviewer, superuser):
    """The admin's password form is one more path to a new password."""
    before = sign_in()
    admin = APIClient()
    admin.force_login(superuser)
    response = admin.post(
        f"/admin/auth/user/{reviewer.pk}/password/",
        {"password1": "Another-passphrase-9", "password2": "Another-passphrase-9"},
        format="multipart",
    )
    assert response.status_code == 302, response.content
    assert not signs_in(before)


def test_saving_the_user_otherwise_keeps_the_tokens(reviewer):
    """A new e-mail address is no reason to sign in again."""
    key = sign_in()
    reviewer.email = "rosa@example.org"
    reviewer.save()
    assert signs_in(key)


def test_tokens_last_api_token_days_when_set(reviewer):
    """Older than API_TOKEN_DAYS: 401 saying so; unset, tokens do not age."""
    old, fresh = sign_in(), sign_in()
    a_year_ago = timezone.now() - datetime.timedelta(days=365)
    ApiToken.objects.exclude(
        pk=ApiToken.objects.order_by("-pk").values("pk")[:1]
    ).update(created_at=a_year_ago)
    assert signs_in(old), "no expiry by default"
    with override_settings(API_TOKEN_DAYS=30):
        refused = with_token(old).get("/api/sources/")
        assert refused.status_code == 401
        assert "expired (API_TOKEN_DAYS=30)" in refused.json()["message"]
        assert signs_in(fresh)


def test_an_inactive_user_s_token_signs_nobody_in(reviewer):
    key = sign_in()
    User.objects.filter(pk=reviewer.pk).update(is_active=False)
    assert not signs_in(key)


def test_create_token_refuses_an_unknown_user(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No user is named 'nobody'"):
        call_command("create_token", "nobody")


def test_a_token_signs_in_with_one_query_more(reviewer, django_assert_num_queries):
    """The key's digest finds the token and its user in one query."""
    key = sign_in()
    client = with_token(key)
    client.get("/api/token/")  # warm up whatever is cached per process
    with django_assert_num_queries(1):
        assert client.get("/api/token/").status_code == 405
