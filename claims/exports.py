"""Writing documents in an exchange format to a file: what ``export_documents``
and the export jobs share.

``export_write`` takes the documents to write (their ids; all when None) and
a ``progress(items, total)`` wrapper that yields the items as they are
written, so that the command draws its bar and a job reports and stops.
"""

import json
from collections.abc import Callable, Collection, Iterable

from claims import selectors
from claims.formats import claimreview, doccano, labelstudio, w3c
from claims.interchange import export_records

FORMATS = ["jsonl", "w3c", "claimreview", "doccano", "labelstudio"]
# What a file of each format is called: its ending and media type.
ENDINGS = {
    "jsonl": ("jsonl", "application/jsonl"),
    "w3c": ("jsonld", "application/ld+json"),
    "claimreview": ("json", "application/ld+json"),
    "doccano": ("jsonl", "application/jsonl"),
    "labelstudio": ("json", "application/json"),
}
# What the count export_write answers counts.
NOUNS = {"w3c": "annotations", "claimreview": "reviews"}


def _each(items: Iterable, total: int) -> Iterable:
    return items


def export_write(
    file,
    *,
    format: str,
    documents: Collection[int] | None = None,
    labels: dict | None = None,
    progress: Callable[[Iterable, int], Iterable] = _each,
) -> int:
    """Write ``documents`` (ids; all when None) to ``file`` in ``format``;
    answer how many documents, annotations (w3c) or reviews (claimreview)."""
    if format == "w3c":
        return _write_w3c(file, documents, progress)
    if format == "claimreview":
        return _write_claimreviews(file, documents, progress)
    convert = {
        "jsonl": lambda record: record,
        "doccano": lambda record: doccano.export_line(record, labels),
        "labelstudio": lambda record: labelstudio.export_task(record, labels),
    }[format]
    queryset = selectors.documents_for_export()
    counted = selectors.documents_unjoined()
    if documents is not None:
        queryset = selectors.documents_among(queryset, documents)
        counted = selectors.documents_among(counted, documents)
    # Label Studio reads one JSON list, a task a line; the others one
    # object a line. Every write ends a line (as standard output wants):
    # a task is written once the next shows whether it needs a comma.
    listed = format == "labelstudio"
    count, pending = 0, None
    if listed:
        file.write("[\n")
    for record in progress(export_records(queryset), counted.count()):
        line = json.dumps(convert(record), ensure_ascii=False)
        if not listed:
            file.write(line + "\n")
        elif pending is not None:
            file.write(pending + ",\n")
        pending = line
        count += 1
    if listed:
        file.write(("" if pending is None else pending + "\n") + "]\n")
    return count


def _write_w3c(file, documents, progress) -> int:
    queryset = selectors.documents_for_annotations()
    notes = selectors.claim_notes()
    if documents is not None:
        queryset = selectors.documents_among(queryset, documents)
        # The notes on the claims that the chosen documents mention.
        notes = selectors.notes_on_claims_in(notes, documents)
    items = []
    for document in progress(queryset, queryset.count()):
        items += w3c.document_annotations(document)
    items += [w3c.note_annotation(note) for note in notes]
    collection = w3c.collection(
        iri=w3c.collection_iri(), label="All annotations", items=items
    )
    file.write(json.dumps(collection, ensure_ascii=False, indent=2) + "\n")
    return len(items)


def _write_claimreviews(file, documents, progress) -> int:
    claims = selectors.claims_for_claimreview()
    if documents is not None:
        claims = selectors.claims_mentioned_in(claims, documents)
    reviews = []
    for claim in progress(claims, claims.count()):
        reviews += claimreview.claim_reviews(claim)
    file.write(json.dumps(reviews, ensure_ascii=False, indent=2) + "\n")
    return len(reviews)
