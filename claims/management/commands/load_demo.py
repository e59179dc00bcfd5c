"""Load the demo accounts and the annotated seed article, once."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from claims import selectors

FIXTURES = ["demo_users.json", "seed_article.json"]


class Command(BaseCommand):
    help = (
        "Load fixtures/demo_users.json and fixtures/seed_article.json into a "
        "database that has no documents yet; do nothing otherwise, so that "
        "`make run` can call it every time without overwriting anyone's work."
    )

    def handle(self, *args, **options):
        if selectors.any_documents():
            self.stdout.write("Documents exist already; demo data not loaded.")
            return
        call_command(
            "loaddata", *(settings.BASE_DIR / "fixtures" / name for name in FIXTURES)
        )
