"""The project's settings, with a throw-away secret key for the test run.

Tests run with DEBUG off, as production does, and the settings refuse to start
without a key then.
"""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret")

from config.settings import *  # noqa: F403
