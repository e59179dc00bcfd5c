from django.apps import AppConfig
from django.core.management import call_command
from django.db.models.signals import post_migrate


def create_cache_table(using: str = "default", **kwargs) -> None:
    """The database cache's table (``CACHES``), made by every ``migrate``:
    it belongs to no model, so no migration makes it. Nothing happens where
    it exists or the cache is elsewhere (Redis)."""
    call_command("createcachetable", database=using, verbosity=0)


class ClaimsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "claims"

    def ready(self) -> None:
        post_migrate.connect(create_cache_table, sender=self)
