"""import_documents writes archives in bulk: a few queries a batch, not a few
a document, and still each record all or nothing."""

import json

import pytest

from claims import services
from claims.models import Document, Source, Statement, Tag
from claims.services.bulk import insert_rows
from tests.test_commands import GOOD, run_import, write_lines

pytestmark = pytest.mark.django_db


def plain(number: int, **changes) -> bytes:
    record = {
        "title": f"Report {number}",
        "text": f"Report {number}. The mayor said the bridge would open. It did not.",
        "tags": ["bridges", f"tag {number % 3}"],
        "published_at": "2024-05-01",
    }
    return json.dumps(record | changes).encode()


def queries_to_import(tmp_path, count: int, django_assert_max_num_queries) -> int:
    path = write_lines(tmp_path / f"{count}.jsonl", *(plain(n) for n in range(count)))
    with django_assert_max_num_queries(1000) as captured:
        _, err, error = run_import(path)
    assert error is None, err
    return len(captured.captured_queries)


def test_plain_records_take_the_same_queries_however_many(
    tmp_path, django_assert_num_queries, django_assert_max_num_queries
):
    """Three documents or thirty: one batch, the same statements to the database."""
    few = queries_to_import(tmp_path, 3, django_assert_max_num_queries)
    Document.objects.all().delete()
    # Tags exist now; the count is compared on a second, fresh-tag run too.
    Tag.objects.all().delete()
    with django_assert_num_queries(few):
        path = write_lines(
            tmp_path / "many.jsonl", *(plain(n) for n in range(100, 130))
        )
        _, err, error = run_import(path)
    assert error is None, err
    assert Document.objects.count() == 30
    assert Statement.objects.count() == 30 * 3
    assert set(Tag.objects.values_list("name", flat=True)) == {
        "bridges", "tag 0", "tag 1", "tag 2",
    }  # fmt: skip
    document = Document.objects.get(title="Report 101")
    assert sorted(document.tags.values_list("name", flat=True)) == ["bridges", "tag 2"]
    assert [s.text for s in document.statements.all()] == [
        "Report 101.",
        "The mayor said the bridge would open.",
        "It did not.",
    ]


def test_plain_and_annotated_records_mix_in_file_order(tmp_path):
    """A text met twice is imported once, whichever path each copy takes."""
    path = write_lines(
        tmp_path / "mixed.jsonl",
        plain(1),
        json.dumps(GOOD).encode(),
        plain(1),  # the same text again: present
        json.dumps({"title": "Copy", "text": GOOD["text"]}).encode(),  # present
        plain(2),
    )
    out, err, error = run_import(path)
    assert error is None, err
    assert "3 imported, 2 already present, 0 failed" in out
    assert Document.objects.count() == 3
    assert Document.objects.get(text=GOOD["text"]).title == GOOD["title"]


def test_a_rerun_after_an_interruption_imports_only_the_rest(tmp_path):
    """Batches already committed are found by their hashes and skipped."""
    lines = [plain(n) for n in range(10)]
    run_import(write_lines(tmp_path / "first.jsonl", *lines[:4]))
    out, err, error = run_import(write_lines(tmp_path / "all.jsonl", *lines))
    assert error is None, err
    assert "6 imported, 4 already present, 0 failed" in out
    assert Document.objects.count() == 10
    assert Statement.objects.count() == 30


def test_a_nul_character_is_refused_by_name(tmp_path):
    """No database here stores U+0000 in text; it is named, not a crash."""
    path = write_lines(tmp_path / "nul.jsonl", plain(1), plain(2, text="Nul \0 here."))
    _, err, error = run_import(path)
    assert error is not None
    assert f"{path}:2: text: The text holds a NUL character (U+0000) at 4" in err
    assert list(Document.objects.values_list("title", flat=True)) == ["Report 1"]


@pytest.mark.postgres
def test_a_value_the_database_refuses_fails_its_record_alone(tmp_path):
    """PostgreSQL refuses \\u0000 in JSON; the batch's other records are kept."""
    path = write_lines(
        tmp_path / "nul.jsonl",
        plain(1),
        plain(2, metadata={"note": "Nul \0 here."}),
        plain(3),
    )
    _, err, error = run_import(path)
    assert error is not None
    assert f"{path}:2: the database refused a value" in err
    assert sorted(Document.objects.values_list("title", flat=True)) == [
        "Report 1",
        "Report 3",
    ]
    assert Statement.objects.count() == 6


def test_a_text_stored_already_is_present_and_creates_no_source(tmp_path):
    """Its publisher is not made, whichever copy of the text names it first."""
    run_import(write_lines(tmp_path / "first.jsonl", plain(1)))
    path = write_lines(
        tmp_path / "again.jsonl",
        plain(1, publisher={"name": "Brand New Org", "aliases": ["BNO"]}),
        plain(2),
        plain(2, publisher="Another New Org"),  # the same text later in the file
    )
    out, err, error = run_import(path)
    assert error is None, err
    assert "1 imported, 2 already present, 0 failed" in out
    assert not Source.objects.exists()


def test_a_text_stored_already_is_present_before_its_statements_are_checked(
    tmp_path,
):
    """What needs the stored text (a statement's text against its slice) is
    not checked again; the record's shape is, on every path, stored or not."""
    text = "One sentence. Another one."
    run_import(write_lines(tmp_path / "first.jsonl", plain(1, text=text)))
    wrong = [{"start": 0, "end": 13, "text": "Not this."}]
    path = write_lines(
        tmp_path / "again.jsonl",
        plain(1, text=text, statements=wrong),
        plain(1, text=text, statements=[wrong[0] | {"attributions": [{"kind": "x"}]}]),
    )
    _, err, error = run_import(path)
    assert "0 imported, 1 already present, 1 failed" in str(error)
    assert f"{path}:2: statements[0].attributions[0].kind: unknown kind 'x'" in err
    assert Document.objects.count() == 1


@pytest.mark.parametrize("value", [{}, "", 0, False])
def test_malformed_attributions_are_refused_not_skipped(tmp_path, value):
    """Only a list (empty or not) of attributions is an answer."""
    statements = [{"start": 0, "end": 9, "attributions": value}]
    path = write_lines(tmp_path / "in.jsonl", plain(1, statements=statements))
    _, err, error = run_import(path)
    assert error is not None
    assert "statements[0].attributions: expected a list" in err
    assert not Document.objects.exists()


@pytest.mark.postgres
def test_a_record_the_database_refuses_leaves_no_source(tmp_path):
    """Its publisher goes with it; the rest of the batch is kept."""
    path = write_lines(
        tmp_path / "nul.jsonl",
        plain(1, publisher="Kept Publisher"),
        plain(2, publisher="Refused Publisher", metadata={"note": "Nul \0"}),
    )
    _, err, error = run_import(path)
    assert error is not None
    assert f"{path}:2: the database refused a value" in err
    assert list(Source.objects.values_list("name", flat=True)) == ["Kept Publisher"]
    assert Document.objects.get().publisher.name == "Kept Publisher"


def test_insert_rows_refuses_values_it_would_misspell():
    """A dict would be written as its Python repr: refused, nothing written."""
    document = Document.objects.create(
        title="T", text="One.", content_hash=services.content_hash("One.")
    )
    with pytest.raises(TypeError, match="not dict"):
        insert_rows(
            Statement,
            ["document", "index", "start", "end", "text"],
            [(document.pk, 0, 0, 4, {"text": "One."})],
        )
