"""Sign-in limits and client addresses (issue 19): password guessing on the
token endpoint and the admin login is locked out per account and per client,
and the address is the connection's, never a header the client sets."""

import pytest
from django.conf import settings
from django.test import override_settings
from rest_framework.settings import api_settings
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

WRONG = {"username": "reviewer", "password": "nope"}
RIGHT = {"username": "reviewer", "password": "reviewer-demo"}


def token(client, credentials, address="203.0.113.9", forwarded=None):
    extra = {"REMOTE_ADDR": address}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post("/api/token/", credentials, format="json", **extra)


@override_settings(AXES_FAILURE_LIMIT=3)
def test_password_guessing_on_the_token_endpoint_gets_a_429(reviewer):
    """150 wrong passwords answered 150 x 400: now the third locks out, and
    then even the right password is refused, with a clear message."""
    client = APIClient()
    statuses = [token(client, WRONG).status_code for _ in range(4)]
    assert statuses == [400, 400, 429, 429]
    locked = token(client, RIGHT)
    assert locked.status_code == 429
    body = locked.json()
    assert body["code"] == "locked_out"
    assert "Too many failed sign-ins" in body["message"]
    assert int(locked["Retry-After"]) == 15 * 60


@override_settings(AXES_FAILURE_LIMIT=3)
def test_the_account_is_locked_from_every_address(reviewer):
    """Per account: guessing from many addresses does not get round it."""
    client = APIClient()
    statuses = [
        token(client, WRONG, address=f"198.51.100.{n}").status_code for n in range(4)
    ]
    assert statuses[-1] == 429
    assert token(client, RIGHT, address="192.0.2.1").status_code == 429


@override_settings(AXES_FAILURE_LIMIT=3)
def test_one_client_guessing_many_accounts_is_locked_out(reviewer, editor):
    client = APIClient()
    users = ["a", "b", "c", "d"]
    statuses = [
        token(client, {"username": u, "password": "x"}).status_code for u in users
    ]
    assert statuses[-1] == 429
    # Another client still signs in.
    assert token(client, RIGHT, address="192.0.2.7").status_code == 200


@override_settings(AXES_FAILURE_LIMIT=3)
def test_a_spoofed_x_forwarded_for_does_not_reset_the_count(reviewer):
    """A new X-Forwarded-For on each guess is still the same client."""
    client = APIClient()
    statuses = [
        token(
            client, {"username": f"u{n}", "password": "x"}, forwarded=f"10.0.0.{n}"
        ).status_code
        for n in range(4)
    ]
    assert statuses == [400, 400, 429, 429]


@override_settings(AXES_FAILURE_LIMIT=3)
def test_a_right_password_before_the_limit_resets_the_count(reviewer):
    client = APIClient()
    assert [token(client, WRONG).status_code for _ in range(2)] == [400, 400]
    assert token(client, RIGHT).status_code == 200
    assert [token(client, WRONG).status_code for _ in range(2)] == [400, 400]


@override_settings(AXES_FAILURE_LIMIT=3)
def test_the_admin_login_is_locked_out_too(client, reviewer):
    def login(password):
        return client.post(
            "/admin/login/",
            {"username": "reviewer", "password": password},
            REMOTE_ADDR="203.0.113.5",
        )

    statuses = [login("nope").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    locked = login("reviewer-demo")
    assert locked.status_code == 429
    assert b"Too many failed sign-ins" in locked.content


def throttled(**rates):
    merged = {**api_settings.DEFAULT_THROTTLE_RATES, **rates}
    return override_settings(
        REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": merged}
    )


def test_the_anonymous_throttle_ignores_a_spoofed_x_forwarded_for(db):
    """300 of 300 got through with a new header each: now the rate holds."""
    client = APIClient()
    with throttled(anon="3/min"):
        statuses = [
            client.get(
                "/api/claim-reviews/", HTTP_X_FORWARDED_FOR=f"10.1.{n}.1"
            ).status_code
            for n in range(5)
        ]
    assert statuses == [200, 200, 200, 429, 429]


def test_behind_a_trusted_proxy_the_address_it_saw_counts(db):
    """TRUSTED_PROXIES=1: the client address is the last X-Forwarded-For
    entry (the one the proxy wrote), whatever the client put before it."""
    client = APIClient()
    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "anon": "2/min"}
    proxied = {
        **settings.REST_FRAMEWORK,
        "NUM_PROXIES": 1,
        "DEFAULT_THROTTLE_RATES": rates,
    }
    with override_settings(REST_FRAMEWORK=proxied):
        one = [
            client.get(
                "/api/claim-reviews/",
                HTTP_X_FORWARDED_FOR=f"10.9.9.{n}, 198.51.100.1",
            ).status_code
            for n in range(3)
        ]
        other = client.get(
            "/api/claim-reviews/", HTTP_X_FORWARDED_FOR="198.51.100.2"
        ).status_code
    assert one == [200, 200, 429]
    assert other == 200
