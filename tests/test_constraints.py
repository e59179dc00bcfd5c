"""The database holds the rules even against writes that skip the services."""

import pytest
from django.db import IntegrityError, transaction

from claims import services
from claims.models import Annotation, Attribution, ClaimReview, Document, Statement
from claims.services.bulk import insert_rows

pytestmark = pytest.mark.django_db

TEXT = "One sentence here. Another sentence there."


@pytest.fixture
def document():
    return services.document_ingest(title="T", text=TEXT)


def refused(write):
    with pytest.raises(IntegrityError), transaction.atomic():
        write()


def test_a_statement_text_must_be_as_long_as_its_span(document):
    """Per row: len(text) == end - start."""
    refused(
        lambda: Statement.objects.create(
            document=document, index=5, start=0, end=3, text="On"
        )
    )


def test_an_empty_statement_is_refused(document):
    """Per row: end > start."""
    refused(
        lambda: Statement.objects.create(
            document=document, index=5, start=3, end=3, text=""
        )
    )


def test_an_attribution_other_than_author_needs_a_source(document):
    """Per row: only an author attribution may have no source."""
    statement = document.statements.first()
    refused(
        lambda: Attribution.objects.create(
            statement=statement, kind="direct", origin="manual", status="accepted"
        )
    )


def test_a_span_needs_both_ends_in_order(document):
    """Per row: a span has both ends or neither, and start < end."""
    statement = document.statements.first()
    for start, end in [(4, None), (4, 2)]:
        refused(
            lambda start=start, end=end: Attribution.objects.create(
                statement=statement,
                kind="author",
                origin="manual",
                status="accepted",
                cue_start=start,
                cue_end=end,
            )
        )


def test_an_annotation_has_exactly_one_target(document, reviewer):
    """Per row: a statement or a claim, not both, not neither."""
    refused(lambda: Annotation.objects.create(reviewer=reviewer))


def test_a_published_review_has_a_date(reviewer):
    """Per row: published ⇔ published_at is set."""
    claim = services.claim_create(text="A claim")
    refused(
        lambda: ClaimReview.objects.create(
            claim=claim, reviewer=reviewer, rating=3, summary="S", status="published"
        )
    )


def test_two_documents_cannot_share_a_content_hash(document):
    """Per row: the content hash is unique."""
    refused(
        lambda: Document.objects.create(
            title="Copy", text=TEXT, content_hash=document.content_hash
        )
    )


# Rules across rows: PostgreSQL holds them as well as the services. -------


@pytest.mark.postgres
def test_postgresql_refuses_overlapping_statements(document):
    """A trigger keeps a document's statements apart, from stored ones..."""
    refused(
        lambda: Statement.objects.create(
            document=document, index=9, start=4, end=12, text=TEXT[4:12]
        )
    )


@pytest.mark.postgres
def test_postgresql_refuses_overlapping_statements_written_together(document):
    """...and from each other when one command writes them all."""
    document.statements.all().delete()
    refused(
        lambda: insert_rows(
            Statement,
            ["document", "index", "start", "end", "text"],
            [(document.pk, 0, 0, 8, TEXT[0:8]), (document.pk, 1, 4, 12, TEXT[4:12])],
        )
    )
    insert_rows(
        Statement,
        ["document", "index", "start", "end", "text"],
        [(document.pk, 0, 0, 4, TEXT[0:4]), (document.pk, 1, 4, 12, TEXT[4:12])],
    )
    assert document.statements.count() == 2


@pytest.mark.postgres
def test_postgresql_refuses_a_statement_that_is_not_its_slice(document):
    """A trigger checks that a statement's text is document.text[start:end]."""
    first = document.statements.first()
    refused(
        lambda: Statement.objects.filter(pk=first.pk).update(text="x" * len(first.text))
    )
    document.statements.all().delete()
    refused(
        lambda: Statement.objects.create(
            document=document, index=0, start=0, end=3, text="Two"
        )
    )
    refused(
        lambda: Statement.objects.create(
            document=document, index=0, start=40, end=50, text="x" * 10
        )
    )


@pytest.mark.postgres
def test_postgresql_freezes_the_text_of_a_segmented_document(document):
    """A trigger refuses to change a text that statements point into."""
    refused(
        lambda: Document.objects.filter(pk=document.pk).update(
            text=TEXT.upper(), content_hash=services.content_hash(TEXT.upper())
        )
    )
    document.statements.all().delete()
    Document.objects.filter(pk=document.pk).update(
        text=TEXT.upper(), content_hash=services.content_hash(TEXT.upper())
    )


@pytest.mark.postgres
def test_postgresql_checks_the_content_hash(document):
    """A check constraint ties the content hash to the text."""
    refused(
        lambda: Document.objects.create(title="T", text="Other.", content_hash="0" * 64)
    )


@pytest.mark.postgres
def test_postgresql_refuses_an_attribution_span_past_the_text(document):
    """A trigger keeps attribution spans inside their document."""
    statement = document.statements.first()
    refused(
        lambda: Attribution.objects.create(
            statement=statement,
            kind="author",
            origin="manual",
            status="accepted",
            content_start=0,
            content_end=len(TEXT) + 1,
        )
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgresql_refuses_overlaps_written_by_two_transactions_at_once():
    """The second writer waits for the first, then sees its statement."""
    import threading

    import psycopg2
    from django.db import connection

    document = services.document_ingest(title="T", text=TEXT)
    document.statements.all().delete()
    settings = connection.settings_dict
    insert = (
        'INSERT INTO claims_statement (document_id, "index", start, "end", text) '
        "VALUES (%s, %s, %s, %s, %s)"
    )

    def connect():
        return psycopg2.connect(
            dbname=settings["NAME"],
            user=settings["USER"],
            host=settings["HOST"],
            port=settings["PORT"],
        )

    first, second = connect(), connect()
    outcome = {}

    def write_second():
        try:
            with second, second.cursor() as cursor:
                cursor.execute(insert, [document.pk, 1, 4, 12, TEXT[4:12]])
        except psycopg2.Error as error:
            outcome["error"] = error.pgcode

    try:
        with first.cursor() as cursor:
            cursor.execute(insert, [document.pk, 0, 0, 8, TEXT[0:8]])
        writer = threading.Thread(target=write_second)
        writer.start()
        writer.join(timeout=1)
        assert writer.is_alive(), "the second writer did not wait for the first"
        first.commit()
        writer.join(timeout=10)
        assert outcome == {"error": "23P01"}  # exclusion_violation
    finally:
        first.close()
        second.close()
    assert list(document.statements.values_list("start", "end")) == [(0, 8)]
