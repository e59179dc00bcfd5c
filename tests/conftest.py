import pytest
from django.conf import settings
from django.core.management import call_command

# One real Celery worker for the whole session, shared by every module that
# asks for it (a fixture imported into two modules is two fixtures, and two
# workers took each other's jobs).
from tests.worker import celery_worker, session_worker  # noqa: F401

FIXTURES = settings.BASE_DIR / "fixtures"
DATA = settings.BASE_DIR / "tests" / "data"


def pytest_collection_modifyitems(config, items):
    engine = settings.DATABASES["default"]["ENGINE"]
    if "postgresql" in engine:
        return
    skip = pytest.mark.skip(reason=f"needs PostgreSQL; the database is {engine}")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def demo_users(db):
    call_command("loaddata", FIXTURES / "demo_users.json", verbosity=0)


@pytest.fixture
def seed(demo_users):
    """The seed article, annotated, with its claims and reviews."""
    call_command("loaddata", FIXTURES / "seed_article.json", verbosity=0)
    from claims.models import Document

    return Document.objects.get()


@pytest.fixture
def reviewer(demo_users, django_user_model):
    return django_user_model.objects.get(username="reviewer")


@pytest.fixture
def editor(demo_users, django_user_model):
    return django_user_model.objects.get(username="editor")


@pytest.fixture
def second(demo_users, django_user_model):
    """A second reviewer, for work two reviewers share or do apart."""
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("reviewer2", password="x")
    user.groups.add(Group.objects.get(name="reviewer"))
    return user


def ranking_queries() -> int:
    """The queries of one claim search: on PostgreSQL the texts' lexemes
    (with the statistics, where they changed), then the ranking; on SQLite
    the ranking alone."""
    from django.db import connection

    return 2 if connection.vendor == "postgresql" else 1
