"""The project's settings, with a throw-away secret key for the test run.

Tests run with DEBUG off, as production does, and the settings refuse to start
without a key then; HTTPS-only settings are off (see ``SECURE``).
"""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret")
# The test client speaks plain HTTP, with no TLS-ending proxy in front.
os.environ.setdefault("SECURE", "0")

import tempfile

# Uploads and exports of the run's jobs, apart from any real ones; set in the
# environment so that the worker processes the tests start use it too.
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="claims-test-media-"))

from config.settings import *  # noqa: F403

# No collectstatic before tests: static files come from the apps' folders
# (the test client and live server find them), not from STATIC_ROOT.
STATIC_ROOT = None  # type: ignore[assignment]  # Django takes None: no root

# Each test process keeps its own cache, emptied around the API tests
# (tests/api/conftest.py): the queries each endpoint makes are pinned without
# the database cache's, and nothing is left between tests. The shared caches
# are tested with real server processes (tests/test_shared_throttles.py).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The suite ranks lexically, so `make test` needs no torch even in a venv that
# has it; the semantic tests switch the model on (tests/semantic.py).
from config.settings import CLAIM_EMBEDDING_MODEL  # noqa: E402

SEMANTIC_TEST_MODEL = CLAIM_EMBEDDING_MODEL
CLAIM_EMBEDDING_MODEL = ""
# A vector written is ranked by the next search, as the tests expect; the
# interval itself is tested with its own value (tests/test_semantic_matrix.py).
CLAIM_VECTORS_REFRESH_SECONDS = 0.0
