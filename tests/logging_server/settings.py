"""The production settings (config.settings, from the environment), with
tests.logging_server.urls."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "tests.logging_server.urls"
