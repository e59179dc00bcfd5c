"""PostgreSQL's statement rules where migration 0016 cuts and looks up.

The slice check compares a statement with the 255-character pieces its span
falls in, and the overlap check looks only at each written row's neighbours
by start: spans across pieces, at the end of the text, of no document, and
overlaps with the next or a farther statement, written past the services.
"""

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from claims import services
from claims.models import Document, Statement
from claims.services.bulk import insert_rows

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

# Multi-byte characters throughout, so that a byte offset taken for a
# character offset would cut elsewhere. About 6,000 characters: 24 pieces.
SENTENCES = [f"Satz {i} — „é“ über Straße №{i}." for i in range(200)]
LONG = " ".join(SENTENCES)
FIELDS = ["document", "index", "start", "end", "text"]


@pytest.fixture
def long_document():
    return Document.objects.create(
        title="Long", text=LONG, content_hash=services.content_hash(LONG)
    )


def spans_of_sentences():
    spans, start = [], 0
    for sentence in SENTENCES:
        spans.append((start, start + len(sentence)))
        start += len(sentence) + 1
    return spans


def refused(write, code):
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        write()
    assert error.value.__cause__.pgcode == code


CHECK, EXCLUSION = "23514", "23P01"


def test_a_span_across_pieces_is_compared_in_full(long_document):
    def write(start, end, text):
        return lambda: Statement.objects.create(
            document=long_document, index=0, start=start, end=end, text=text
        )

    # One character changed in the third piece the span covers.
    wrong = LONG[250:600] + "x" + LONG[601:800]
    refused(write(250, 800, wrong), CHECK)
    # The right text one character along.
    refused(write(250, 800, LONG[251:801]), CHECK)
    write(250, 800, LONG[250:800])()
    assert long_document.statements.get().text == LONG[250:800]


def test_every_sentence_of_a_long_text_in_one_command(long_document):
    spans = spans_of_sentences()
    rows = [
        (long_document.pk, i, start, end, LONG[start:end])
        for i, (start, end) in enumerate(spans)
    ]
    last = rows[-1]
    bad = [*rows[:-1], (*last[:4], last[4][::-1])]
    refused(lambda: insert_rows(Statement, FIELDS, bad), CHECK)
    assert not long_document.statements.exists()
    insert_rows(Statement, FIELDS, rows)
    assert long_document.statements.count() == len(SENTENCES)


def test_a_span_past_the_end_of_the_text_is_refused(long_document):
    end = len(LONG)
    refused(
        lambda: Statement.objects.create(
            document=long_document, index=0, start=end - 5, end=end + 5,
            text=LONG[-5:] + "xxxxx",
        ),
        CHECK,
    )  # fmt: skip
    Statement.objects.create(
        document=long_document, index=0, start=end - 5, end=end, text=LONG[-5:]
    )


def test_a_statement_of_no_document_is_refused_at_once(long_document):
    def write():
        with connection.cursor() as cursor:
            cursor.execute(
                'INSERT INTO claims_statement (document_id, "index", start, "end", '
                "text) VALUES (%s, 0, 0, 4, %s)",
                [long_document.pk + 1000, LONG[:4]],
            )

    refused(write, CHECK)


def test_overlap_with_the_next_statement_or_several_is_refused(long_document):
    def write(start, end, index=1):
        return lambda: Statement.objects.create(
            document=long_document, index=index, start=start, end=end,
            text=LONG[start:end],
        )  # fmt: skip

    write(100, 200, index=0)()
    write(300, 400, index=2)()
    refused(write(50, 150), EXCLUSION)  # into the next one
    refused(write(150, 250), EXCLUSION)  # from the previous one
    refused(write(120, 130), EXCLUSION)  # inside one
    refused(write(0, 1000), EXCLUSION)  # over both
    refused(write(199, 301), EXCLUSION)  # over the end of one and the start of the next
    write(200, 300)()  # ends meet: no overlap
    assert long_document.statements.count() == 3


def test_moving_a_statement_onto_another_is_refused(long_document):
    rows = [
        (long_document.pk, 0, 0, 10, LONG[0:10]),
        (long_document.pk, 1, 20, 30, LONG[20:30]),
    ]
    insert_rows(Statement, FIELDS, rows)
    second = long_document.statements.get(index=1)
    refused(
        lambda: Statement.objects.filter(pk=second.pk).update(
            start=5, end=15, text=LONG[5:15]
        ),
        EXCLUSION,
    )
    Statement.objects.filter(pk=second.pk).update(start=10, end=20, text=LONG[10:20])


@pytest.mark.django_db(transaction=True)
def test_the_migration_goes_back_to_migration_0007s_function():
    def body():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT prosrc FROM pg_proc WHERE proname = 'claims_statements_check'"
            )
            return cursor.fetchone()[0]

    assert "regexp_matches" in body()
    call_command("migrate", "claims", "0015", verbosity=0)
    try:
        assert "regexp_matches" not in body()
        assert "substr(d.text, w.start + 1" in body()
    finally:
        call_command("migrate", "claims", verbosity=0)
    assert "regexp_matches" in body()
