"""Throttles counted once for every worker (issue 22): two gunicorn
servers, each its own process with its own memory, on one database, let
through the rate once between them, with the cache in Redis or in the
database.

A per-process cache (Django's default, LocMem) let each process count on its
own: four workers let through four times the rate, and here each server
would answer 200 to every request. PostgreSQL only, since the servers are
other processes and pytest-django's SQLite test database lives in memory.
"""

import os
import urllib.error
import urllib.request

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from bench.server import serve
from claims import services
from claims.apps import create_cache_table

# Anonymous requests an hour: no test outlasts the window. The servers'
# start-up checks are signed in (the user throttle's), so however many times
# a busy machine makes them retry, they leave this count alone.
RATE = 4
REDIS = os.environ.get("THROTTLE_TEST_REDIS", "redis://127.0.0.1:6379/9")
DATABASE_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "claims_cache",
    }
}
REDIS_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS,
    }
}


def _database_url() -> str:
    database = settings.DATABASES["default"]
    return (
        f"postgres://{database['USER']}@{database['HOST']}:{database['PORT'] or 5432}"
        f"/{database['NAME']}"
    )


def anonymous_status(url: str) -> int:
    request = urllib.request.Request(f"{url}/api/claim-reviews/")
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("cache_url", "cache_setting"), [("", DATABASE_CACHE), (REDIS, REDIS_CACHE)]
)
def test_two_server_processes_share_one_count(cache_url, cache_setting, editor):
    with override_settings(CACHES=cache_setting):
        create_cache_table()  # as migrate does; nothing for Redis
        caches["default"].clear()  # counts from an earlier run
    token = services.token_create(user=editor)
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": _database_url(),
        "DEBUG": "0",
        "SECURE": "0",
        "CACHE_URL": cache_url,
        "THROTTLE_ANON": f"{RATE}/hour",
        "CLAIM_EMBEDDING_MODEL": "",
    }
    with serve(env, token, workers=1) as one, serve(env, token, workers=1) as two:
        assert one.process.pid != two.process.pid
        statuses = [anonymous_status(server.url) for server in [one, two] * 3]
    assert statuses == [200, 200, 200, 200, 429, 429]


@override_settings(CACHES=DATABASE_CACHE)
def test_migrate_creates_the_database_cache_table(transactional_db):
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS claims_cache")
    assert "claims_cache" not in connection.introspection.table_names()
    call_command("migrate", verbosity=0)
    assert "claims_cache" in connection.introspection.table_names()
    caches["default"].set("k", "v")
    assert caches["default"].get("k") == "v"
