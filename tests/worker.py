"""A real Celery worker for the tests: ``celery -A config worker --pool=solo``
in its own process, on Redis, pointed at the test database.

The worker reads the database through its own connection, so it sees only
what the test committed: the tests that use it are ``transactional_db`` ones
on PostgreSQL (pytest-django's SQLite test database lives in memory, where no
other process reaches). The broker is Redis database ``JOBS_TEST_REDIS``
(default ``redis://127.0.0.1:6379/5``), emptied when the worker starts; the
worker has a name of its own, which its log shows ready.
"""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings

BROKER = os.environ.get("JOBS_TEST_REDIS", "redis://127.0.0.1:6379/5")
STARTUP = 60  # seconds a worker may take to say it is ready


def _database_url() -> str:
    database = settings.DATABASES["default"]
    return (
        f"postgres://{database['USER']}@{database['HOST']}:{database['PORT'] or 5432}"
        f"/{database['NAME']}"
    )


class Worker:
    """``celery -A config worker --pool=solo`` as a process of its own, its
    log in ``log``; started ready (by its own name) or the test fails."""

    beat = False  # whether it runs the beat's schedule too

    def __init__(self, broker: str, log: Path, database_url: str = "", **env):
        self.name = f"jobs-test-{uuid.uuid4().hex[:8]}@localhost"
        self.log = log
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "DATABASE_URL": database_url or _database_url(),
            "CELERY_BROKER_URL": broker,
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            **env,
        }
        celery = Path(sys.executable).with_name("celery")
        schedule = log.with_suffix(".beat")
        embedded = ["-B", "--schedule", str(schedule)] if self.beat else []
        with log.open("wb") as output:
            self.process = subprocess.Popen(
                [
                    str(celery), "-A", "config", "worker", "--pool=solo",
                    "--concurrency=1", "--loglevel=INFO", "--hostname", self.name,
                    "--without-gossip", "--without-mingle", *embedded,
                ],
                cwd=settings.BASE_DIR,
                env=environment,
                stdout=output,
                stderr=subprocess.STDOUT,
            )  # fmt: skip
        try:
            deadline = time.monotonic() + STARTUP
            while b" ready." not in log.read_bytes():
                if self.process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"the worker did not start:\n{log.read_text()}")
                time.sleep(0.2)
            # Our process, by its own name, is the one that started.
            assert f"{self.name} ready.".encode() in log.read_bytes(), log.read_text()
        except BaseException:
            self.stop()
            raise

    @property
    def pid(self) -> int:
        return self.process.pid

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class BeatWorker(Worker):
    """A worker that runs the beat's schedule too (``-B``, its schedule's
    file beside the log)."""

    beat = True


@pytest.fixture(scope="session")
def session_worker(django_db_setup, tmp_path_factory):
    """A running worker, its log in ``log``; stopped at the end of the session."""
    import redis

    redis.Redis.from_url(BROKER).flushdb()
    worker = Worker(BROKER, tmp_path_factory.mktemp("worker") / "worker.log")
    try:
        yield worker
    finally:
        worker.stop()


@pytest.fixture(scope="session")
def celery_worker(session_worker):
    """The broker URL of the running worker."""
    return BROKER


def wait_for(predicate, timeout: float = 120, every: float = 0.2):
    """Poll ``predicate`` until it answers something true; that answer."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        answer = predicate()
        if answer:
            return answer
        time.sleep(every)
    raise AssertionError(f"not within {timeout} s")
