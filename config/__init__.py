"""The project's configuration; its Celery app loads with Django, so that
jobs submitted from the web process use it."""

from config.celery import app as celery_app

__all__ = ["celery_app"]
