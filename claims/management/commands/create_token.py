"""Issue an API token for a user, as ``POST /api/token/`` does at sign-in."""

from django.core.management.base import BaseCommand, CommandError

from claims import selectors, services


class Command(BaseCommand):
    help = (
        "Issue a new API token for USER and print it (only its digest is "
        "stored, so it is shown this once). Earlier tokens keep working."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = selectors.user_by_username(username)
        if user is None:
            raise CommandError(f"No user is named {username!r}.")
        key = services.token_create(user=user)
        # DRF's drf_create_token's line, which scripts read the third word of.
        self.stdout.write(f"Generated token {key} for user {username}")
