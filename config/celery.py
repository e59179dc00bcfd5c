"""The jobs' Celery app: ``celery -A config worker`` runs them.

Configured from Django's settings (``CELERY_*``); its tasks are in
``claims/tasks.py``. The beat schedule removes finished jobs' files after
their retention period, for deployments that run ``celery -A config beat``;
``manage.py purge_jobs`` does the same from cron.
"""

import os

from celery import Celery

from claims import request_ids

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Jobs log under the id of the request that submitted them.
request_ids.connect_to_celery()
app.conf.beat_schedule = {
    "purge-finished-jobs": {"task": "claims.tasks.purge_jobs", "schedule": 60 * 60},
}
