"""Load the demo accounts and the annotated seed article, once."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from claims import selectors, services

FIXTURES = ["demo_users.json", "seed_article.json"]


class Command(BaseCommand):
    help = (
        "Load fixtures/demo_users.json and fixtures/seed_article.json into a "
        "database that has no documents yet; do nothing otherwise, so that "
        "`make run` can call it every time without overwriting anyone's work. "
        "Every row loaded gets its first history record, so that the first "
        "change to it can be reverted."
    )

    def handle(self, *args, **options):
        if selectors.any_documents():
            self.stdout.write("Documents exist already; demo data not loaded.")
            return
        with transaction.atomic():
            call_command(
                "loaddata",
                *(settings.BASE_DIR / "fixtures" / name for name in FIXTURES),
            )
            # loaddata saves raw, which simple-history does not record.
            services.history_start(reason="Loaded from the demo fixtures")
