"""Every export reads documents a batch at a time through one reader, and
writes the same text as when it built the whole corpus in memory."""

import io
import json
import tempfile

import pytest

from claims import backup, selectors, services
from claims.exports import FORMATS, export_chunks, export_write
from claims.formats import (
    api_iri,
    claimreview,
    doccano,
    labelstudio,
    streaming,
    w3c,
)
from claims.interchange import export_document
from claims.models import Claim, Document, Source
from tests.conftest import FIXTURES

pytestmark = pytest.mark.django_db

SEED = json.loads((FIXTURES / "seed_article.jsonl").read_text("utf-8"))


def _add_copies(count: int, reviewer, start: int = 1) -> None:
    """Copies of the seed article with a publisher, an author, a conduit and
    notes, so that every part the reader fetches is there in every batch."""
    for number in range(start, start + count):
        record = json.loads(json.dumps(SEED))
        record["text"] += f"\n\nCopy {number}."
        record["publisher"] = {"name": "Daily Planet", "kind": "publication"}
        record["authors"] = [
            {"name": f"Writer {number}", "kind": "person", "aliases": [f"W{number}"]}
        ]
        record["statements"][1]["attributions"][0]["via"] = {
            "name": "Radio Norte",
            "kind": "organization",
            "aliases": ["the radio"],
        }
        document, created = services.document_import(record=record, created_by=reviewer)
        assert created
        services.annotation_create(
            target=document.statements.get(index=2),
            reviewer=reviewer,
            motivation="questioning",
            body=f"Which deception is meant in copy {number}?",
            tags=["check"],
        )


@pytest.fixture
def corpus(seed, reviewer, editor):
    """The seed article and four copies, notes on statements and on a claim,
    two published reviews."""
    _add_copies(4, reviewer)
    services.annotation_create(
        target=Claim.objects.order_by("id").first(),
        reviewer=reviewer,
        motivation="commenting",
        body="Seen elsewhere too.",
        tags=["follow-up"],
    )
    return seed


def _old_w3c(page_size: int = w3c.PAGE_SIZE) -> str:
    """What the export wrote when it built the collection in memory."""
    items = []
    for document in selectors.documents_for_annotations():
        items += w3c.document_annotations(document)
    items += [w3c.note_annotation(note) for note in selectors.claim_notes()]
    collection = w3c.collection(
        iri=w3c.collection_iri(),
        label="All annotations",
        items=items,
        page_size=page_size,
    )
    return json.dumps(collection, ensure_ascii=False, indent=2) + "\n"


def _old(format: str) -> str:
    """The reference text of each format, built whole."""
    if format == "w3c":
        return _old_w3c()
    if format == "claimreview":
        reviews = [
            review
            for claim in selectors.claims_for_claimreview()
            for review in claimreview.claim_reviews(claim)
        ]
        return json.dumps(reviews, ensure_ascii=False, indent=2) + "\n"
    if format == "backup":
        rows = [
            *(
                {"source": backup.source_object(s)}
                for s in selectors.sources_for_backup()
            ),
            *({"claim": backup.claim_object(c)} for c in selectors.claims_for_backup()),
            *(
                {"document": export_document(d, backup=True)}
                for d in selectors.documents_for_export(backup=True)
            ),
        ]
        return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    records = [export_document(d) for d in selectors.documents_for_export()]
    convert = {
        "jsonl": lambda record: record,
        "doccano": doccano.export_line,
        "labelstudio": labelstudio.export_task,
    }[format]
    lines = [json.dumps(convert(r), ensure_ascii=False) for r in records]
    if format == "labelstudio":
        return "[\n" + "".join(line + ",\n" for line in lines)[:-2] + "\n]\n"
    return "".join(line + "\n" for line in lines)


def _export(format: str, **options) -> str:
    file = io.StringIO()
    export_write(file, format=format, **options)
    return file.getvalue()


@pytest.mark.parametrize("format", list(FORMATS))
def test_each_format_writes_what_the_whole_corpus_in_memory_gave(
    corpus, format, monkeypatch
):
    """Read in batches of two (five documents: three batches), every format
    writes the same text, byte for byte, as built whole."""
    expected = _old(format)
    monkeypatch.setattr(selectors, "EXPORT_BATCH", 2)
    assert _export(format) == expected


def test_the_w3c_corpus_spans_two_pages_and_names_its_total(corpus):
    """Five articles' annotations fill more than one page: the collection's
    total, its last page and the included pages all agree."""
    collection = json.loads(_export("w3c"))
    # 11 attributions and 10 claim mentions an article, a note on each copy
    # and one on a claim.
    assert collection["total"] == 5 * 21 + 4 + 1
    assert collection["last"].endswith("?page=2")
    (second,) = collection["@included"]
    assert collection["first"]["next"] == second["id"]
    assert len(collection["first"]["items"]) + len(second["items"]) == 110


@pytest.mark.parametrize("count", [0, 1, 3, 4, 5, 9])
def test_a_streamed_collection_is_the_collection_written_whole(count, seed):
    """Empty, one page, a full page, one over, several pages: the same text."""
    document = selectors.documents_for_annotations().get()
    items = w3c.document_annotations(document)[:count]
    iri = w3c.collection_iri(document)
    whole = w3c.collection(iri=iri, label="A", items=items, page_size=4)
    streamed = w3c.streamed_collection(
        iri=iri, label="A", total=count, items=iter(items), page_size=4
    )
    assert "".join(streaming.dumps(streamed)) == (
        json.dumps(whole, ensure_ascii=False, indent=2) + "\n"
    )


def test_streamed_json_is_cut_at_line_ends(seed):
    """Every chunk ends a line, so a command's output adds nothing between."""
    document = selectors.documents_for_annotations().get()
    items = w3c.document_annotations(document)
    iri = w3c.collection_iri(document)
    streamed = w3c.streamed_collection(
        iri=iri, label="A", total=len(items), items=iter(items), page_size=2
    )
    chunks = list(streaming.lines(streaming.pieces(streamed), size=100))
    assert len(chunks) > 10
    assert all(chunk.endswith("\n") for chunk in chunks)
    whole = w3c.collection(iri=iri, label="A", items=items, page_size=2)
    assert "".join(chunks) == json.dumps(whole, ensure_ascii=False, indent=2) + "\n"


def test_a_binary_file_gets_the_same_text_as_utf8(corpus):
    """A binary file, as a job writes, holds the text encoded as UTF-8."""
    with tempfile.TemporaryFile() as file:
        count = export_write(file, format="w3c")
        file.seek(0)
        assert file.read().decode("utf-8") == _old_w3c()
    assert count == 110


def test_chunks_are_what_the_writer_writes_and_return_the_count(corpus):
    """``export_chunks`` (for a streaming response) gives the same text."""
    chunks = export_chunks("jsonl")
    text = []
    with pytest.raises(StopIteration) as finished:
        while True:
            text.append(next(chunks))
    assert finished.value.value == 5
    assert "".join(text) == _old("jsonl")


def test_given_documents_are_exported_alone(corpus):
    """An export of chosen documents holds those, and only their annotations."""
    chosen = Document.objects.order_by("-id")[:2].values_list("pk", flat=True)
    chosen = list(chosen)
    lines = _export("jsonl", documents=chosen).splitlines()
    assert sorted(json.loads(line)["id"] for line in lines) == sorted(chosen)
    collection = json.loads(_export("w3c", documents=chosen))
    assert collection["total"] == 2 * (21 + 1)  # no note on a claim
    items = collection["first"]["items"]
    assert {item["target"]["source"]["id"] for item in items} == {
        api_iri("document", pk) for pk in chosen
    }


def test_the_claimreview_export_of_given_documents_holds_their_claims(
    corpus, reviewer, editor
):
    """The reviews of claims the chosen documents make, and no others."""
    seed_only = _export("claimreview", documents=[corpus.pk])
    assert len(json.loads(seed_only)) == 2
    record = {"title": "Other", "text": "The sky is green, the mayor said."}
    other, _ = services.document_import(record=record)
    assert json.loads(_export("claimreview", documents=[other.pk])) == []


def test_progress_is_told_after_each_batch(corpus, monkeypatch):
    """Done and total, in documents, after each batch."""
    monkeypatch.setattr(selectors, "EXPORT_BATCH", 2)
    told = []
    export_write(io.StringIO(), format="doccano", progress=lambda *p: told.append(p))
    assert told == [(2, 5), (4, 5), (5, 5)]


def test_an_unknown_format_is_refused():
    """Named in the error, before anything is read."""
    with pytest.raises(ValueError, match="'csv'"):
        export_write(io.StringIO(), format="csv")


# Queries: each batch takes the same few, whatever its documents hold.

# documents (publisher joined), the publisher's aliases, authors and their
# aliases, tags; statements, attributions, their sources' and conduits'
# aliases, claim mentions.
INTERCHANGE_QUERIES = 10
# documents; statements, attributions, sources' and conduits' aliases, claim
# mentions, notes and their tags.
W3C_QUERIES = 8


@pytest.mark.parametrize(
    ("options", "queries"),
    [({}, INTERCHANGE_QUERIES), ({"metadata": False, "notes": True}, W3C_QUERIES)],
)
def test_each_batch_of_the_reader_takes_the_same_queries(
    corpus, options, queries, django_assert_num_queries
):
    """Batches of two of five documents: each the same number of queries."""
    batches = selectors.in_batches(selectors.documents_for_export(**options), size=2)
    write = w3c.document_annotations if options else export_document
    for size in [2, 2, 1]:
        with django_assert_num_queries(queries):
            batch = next(batches)
            for document in batch:  # everything its format touches
                write(document)
        assert len(batch) == size
    with django_assert_num_queries(0):
        assert next(batches, None) is None


@pytest.mark.parametrize(
    ("format", "queries"),
    [
        ("jsonl", INTERCHANGE_QUERIES),
        ("doccano", INTERCHANGE_QUERIES),
        ("labelstudio", INTERCHANGE_QUERIES),
        # and the notes on claims, with their tags
        ("w3c", W3C_QUERIES + 2),
        # claims, their published reviews, accepted mentions and attributions
        ("claimreview", 4),
        # sources and their aliases; claims, their tags, reviews, notes and
        # the notes' tags; the documents as jsonl, with statements' notes
        # and their tags
        ("backup", 2 + 5 + INTERCHANGE_QUERIES + 2),
    ],
)
@pytest.mark.parametrize("copies", [1, 6])
def test_an_export_takes_the_same_queries_whatever_the_number_of_documents(
    seed, reviewer, format, queries, copies, django_assert_num_queries
):
    """Two documents or seven, in one batch: the same queries."""
    _add_copies(copies, reviewer)
    services.annotation_create(
        target=Claim.objects.order_by("id").first(), reviewer=reviewer, tags=["x"]
    )
    lines = Source.objects.count() + Claim.objects.count() + copies + 1
    with django_assert_num_queries(queries):
        count = export_write(io.StringIO(), format=format)
    assert count == {
        "annotations": (copies + 1) * 21 + copies + 1,
        "reviews": 2,
        "records": lines,
    }.get(FORMATS[format], copies + 1)
