"""Exports of documents in every format, written as they are read.

``export_write(file, format=..., documents=..., labels=..., progress=...)``
is the one way to export: the ``export_documents`` command calls it, and so
can a view or a job. ``export_chunks`` yields the same text, for a streaming
response.

Every document format reads through one reader,
``selectors.documents_for_export`` a batch at a time
(``selectors.in_batches``), so memory holds one batch whatever the size of
the corpus, and each batch takes the same few queries. ClaimReview reads the
claims the same way.

- ``jsonl``: the interchange format (``claims.interchange``), a document a
  line; ``doccano`` a doccano line made from it, and ``labelstudio`` a JSON
  list of Label Studio tasks, a task a line.
- ``w3c``: one W3C AnnotationCollection of every attribution, claim mention
  and note (``claims.formats.w3c``). Its ``total`` and every page's come
  before the annotations, so these are first written compactly to a
  temporary file while they are counted, then read back into the
  collection: the corpus is read once, with no long transaction, and the
  count is always that of what is written.
- ``claimreview``: a JSON list of the published reviews as schema.org
  ClaimReview.
- ``backup``: every source, claim (with its reviews) and document, a line
  each (``claims.backup``), for ``import_documents --format backup`` to
  restore. It is of the whole database: it takes no ``documents``, and it
  is refused to an annotator while independent annotation hides another
  annotator's work from them (``backup_refusal``), rather than written
  without that work: a backup missing rows would restore as if they had
  never been made, and nothing in it would say so.
"""

import io
import json
import tempfile
from collections.abc import Callable, Generator, Iterable, Iterator
from typing import IO, Any

from claims import backup, selectors
from claims.formats import claimreview, doccano, labelstudio, streaming, w3c
from claims.interchange import export_document

# What an export counts, by format.
FORMATS = {
    "jsonl": "documents",
    "w3c": "annotations",
    "claimreview": "reviews",
    "doccano": "documents",
    "labelstudio": "documents",
    "backup": "records",
}

# The formats an export of chosen documents can be written in.
SELECTABLE = [name for name in FORMATS if name != "backup"]

# What a file of each format is called: its ending and media type.
ENDINGS = {
    "jsonl": ("jsonl", "application/jsonl"),
    "w3c": ("jsonld", "application/ld+json"),
    "claimreview": ("json", "application/ld+json"),
    "doccano": ("jsonl", "application/jsonl"),
    "labelstudio": ("json", "application/json"),
    "backup": ("jsonl", "application/jsonl"),
}

Progress = Callable[[int, int], None]


def export_write(
    file: IO,
    *,
    format: str,
    documents: Any = None,
    labels: dict[str, str] | None = None,
    progress: Progress | None = None,
    viewer: Any = None,
) -> int:
    """Write the export of ``documents`` (a queryset of documents or their
    ids; every document by default) in ``format`` to ``file``, a text file
    or a binary one (written as UTF-8); answer how many documents,
    annotations or reviews it holds (``FORMATS``).

    ``labels`` are doccano's and Label Studio's (``spans.parse_labels``);
    ``progress(done, total)`` is told after each batch of documents (claims
    for ``claimreview``) is read. ``viewer`` (who asked for it) leaves out
    the work hidden from them (``selectors.work_visible_to``).
    """
    binary = _is_binary(file)
    chunks = export_chunks(
        format, documents=documents, labels=labels, progress=progress, viewer=viewer
    )
    while True:
        try:
            chunk = next(chunks)
        except StopIteration as finished:
            return finished.value
        file.write(chunk.encode() if binary else chunk)


def export_chunks(
    format: str,
    *,
    documents: Any = None,
    labels: dict[str, str] | None = None,
    progress: Progress | None = None,
    viewer: Any = None,
) -> Generator[str, None, int]:
    """The text of ``export_write`` in chunks, each ending a line; the
    generator's return value is the count."""
    if format not in FORMATS:
        raise ValueError(f"unknown export format {format!r}")
    if format == "claimreview":
        return (yield from _claimreviews(documents, progress))
    if format == "w3c":
        return (yield from _annotations(documents, progress, viewer))
    if format == "backup":
        if documents is not None:
            raise ValueError("a backup is of the whole database: name no documents")
        refusal = backup_refusal(viewer)
        if refusal:
            raise ValueError(refusal)
        return (yield from _lines(backup.backup_records(progress)))
    convert = {
        "jsonl": lambda record: record,
        "doccano": lambda record: doccano.export_line(record, labels),
        "labelstudio": lambda record: labelstudio.export_task(record, labels),
    }[format]
    queryset = selectors.documents_for_export(among=documents, viewer=viewer)
    lines = (
        json.dumps(convert(export_document(document)), ensure_ascii=False)
        for document in _read(queryset, selectors.document_count, documents, progress)
    )
    if format != "labelstudio":
        return (yield from _lines(lines))
    # Label Studio reads one JSON list, a task a line: a task is written
    # once the next shows whether it needs a comma.
    return (yield from _listed(lines))


def backup_refusal(viewer: Any) -> str | None:
    """Why ``viewer`` may not have a backup now, or None.

    A backup is every row, to restore elsewhere: while independent
    annotation hides some of another annotator's work from ``viewer``, it
    can neither hold those rows (that would show them) nor leave them out
    (it would no longer be whole). Editors, readers, reviewers not
    annotating and superusers are never refused; annotators are once their
    documents' annotators are all done.
    """
    withheld = selectors.documents_withheld_from(viewer)
    if not withheld:
        return None
    names = ", ".join(str(pk) for pk in withheld)
    return (
        "A backup holds every annotator's work, and independent annotation "
        f"hides some of it from you until the annotators of document {names} "
        "are all done: ask an editor for the backup, or export jsonl, which "
        "leaves the hidden work out."
    )


def _lines(lines: Iterable[str | dict]) -> Generator[str, None, int]:
    """JSON Lines: each line (a dict is dumped first) with its newline."""
    count = 0
    for line in lines:
        text = line if isinstance(line, str) else json.dumps(line, ensure_ascii=False)
        yield text + "\n"
        count += 1
    return count


def _listed(lines: Iterator[str]) -> Generator[str, None, int]:
    yield "[\n"
    count, pending = 0, None
    for line in lines:
        if pending is not None:
            yield pending + ",\n"
        pending = line
        count += 1
    yield ("" if pending is None else pending + "\n") + "]\n"
    return count


def _annotations(documents, progress, viewer) -> Generator[str, None, int]:
    queryset = selectors.documents_for_export(
        among=documents, metadata=False, notes=True, viewer=viewer
    )

    def items() -> Iterator[dict]:
        for document in _read(queryset, selectors.document_count, documents, progress):
            yield from w3c.document_annotations(document)
        if documents is None:  # notes on claims belong to the whole corpus
            for notes in selectors.in_batches(selectors.claim_notes()):
                yield from (w3c.note_annotation(note) for note in notes)

    with _Spool() as spool:
        total = spool.fill(items())
        label = "All annotations" if documents is None else "Annotations"
        collection = w3c.streamed_collection(
            iri=w3c.collection_iri(), label=label, total=total, items=spool.read()
        )
        yield from streaming.dumps(collection)
    return total


def _claimreviews(documents, progress) -> Generator[str, None, int]:
    claims = _read(
        selectors.claims_for_claimreview(documents),
        selectors.claim_count,
        documents,
        progress,
    )
    counted = _Counted(
        review for claim in claims for review in claimreview.claim_reviews(claim)
    )
    yield from streaming.dumps(counted)
    return counted.count


def _read(queryset, count: Callable[[Any], int], among, progress) -> Iterator:
    """The rows of ``queryset`` a batch at a time, telling ``progress``."""
    total = count(among) if progress else 0
    done = 0
    for batch in selectors.in_batches(queryset):
        yield from batch
        done += len(batch)
        if progress:
            progress(done, total)


class _Counted(Iterator):
    """An iterator that counts what passes through it."""

    def __init__(self, items: Iterable):
        self.items = iter(items)
        self.count = 0

    def __next__(self):
        item = next(self.items)
        self.count += 1
        return item


class _Spool:
    """Annotations held on disk, a compact JSON line each, to be read back."""

    def __enter__(self) -> "_Spool":
        self.file = tempfile.TemporaryFile("w+", encoding="utf-8", newline="\n")
        return self

    def __exit__(self, *exception) -> None:
        self.file.close()

    def fill(self, items: Iterable[dict]) -> int:
        count = 0
        for item in items:
            self.file.write(json.dumps(item, ensure_ascii=False) + "\n")
            count += 1
        self.file.seek(0)
        return count

    def read(self) -> Iterator[dict]:
        return (json.loads(line) for line in self.file)


def _is_binary(file: IO) -> bool:
    return isinstance(file, io.BufferedIOBase | io.RawIOBase) or "b" in getattr(
        file, "mode", ""
    )
