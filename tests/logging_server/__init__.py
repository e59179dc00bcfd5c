"""A gunicorn-served app for tests/test_request_logging.py: the project's
settings and URLs, with a view that fails and one that names its server."""
