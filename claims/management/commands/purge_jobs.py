"""Remove finished jobs' uploads and results after their retention period."""

from django.conf import settings
from django.core.management.base import BaseCommand

from claims.services.jobs import jobs_purge


class Command(BaseCommand):
    help = (
        "Remove the uploaded files and results of jobs that finished more than "
        "JOB_RETENTION_DAYS ago (the jobs and their summaries stay). Run it "
        "from cron, or let `celery -A config beat` run it hourly."
    )

    def handle(self, *args, **options):
        removed = jobs_purge()
        self.stdout.write(
            f"{removed} file{'s' * (removed != 1)} removed "
            f"(older than {settings.JOB_RETENTION_DAYS} days)"
        )
