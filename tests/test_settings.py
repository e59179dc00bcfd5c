import os
import subprocess
import sys

from django.conf import settings


def load_settings(**env):
    """Import the settings in a fresh interpreter with only these variables."""
    environment = {"PATH": os.environ["PATH"], **env}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import config.settings as s; print(s.DEBUG, s.SITE_URL)",
        ],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
    )


def test_without_debug_a_secret_key_is_required():
    """Outside DEBUG there is no fallback key: the settings refuse to load."""
    result = load_settings()
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_debug_runs_with_a_development_key():
    """With DEBUG on, a development key is used; SITE_URL has a default."""
    result = load_settings(DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "http://127.0.0.1:8000"]


def test_a_job_lease_shorter_than_two_heartbeats_is_refused():
    """A live worker would lose its job run whole to the next that asks."""
    result = load_settings(DEBUG="1", JOB_HEARTBEAT_SECONDS="5", JOB_LEASE_SECONDS="9")
    assert result.returncode != 0
    assert (
        "JOB_LEASE_SECONDS (9) must be at least twice JOB_HEARTBEAT_SECONDS (5)"
    ) in result.stderr
    assert load_settings(DEBUG="1", JOB_LEASE_SECONDS="10").returncode == 0


def test_the_environment_sets_the_site_url():
    """SITE_URL comes from the environment, without a trailing slash."""
    result = load_settings(SECRET_KEY="k", SITE_URL="https://claims.example.org/")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "https://claims.example.org"]


def test_production_settings_pass_the_deployment_checks():
    """check --deploy finds nothing to warn about, with nothing silenced."""
    environment = {
        "PATH": os.environ["PATH"],
        "SECRET_KEY": "p" + "".join(chr(33 + (n * 7) % 90) for n in range(60)),
        "ALLOWED_HOSTS": "claims.example.org",
        "DATABASE_URL": "sqlite:///:memory:",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
