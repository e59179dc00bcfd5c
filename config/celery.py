"""The jobs' Celery app: ``celery -A config worker`` runs them.

Configured from Django's settings (``CELERY_*``); its tasks are in
``claims/tasks.py``. The beat schedule (``CELERY_BEAT_SCHEDULE`` in the
settings), for deployments that run ``celery -A config beat``, removes
finished jobs' files after their retention period (``manage.py purge_jobs``
does the same from cron) and sends out again the jobs whose message was
lost with the broker or whose workers died (``claims.services.recovery``).
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
