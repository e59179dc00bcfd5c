"""Write every document in an exchange format."""

import json
import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from claims import selectors
from claims.formats import claimreview, doccano, labelstudio, w3c
from claims.formats.spans import parse_labels
from claims.interchange import export_records
from claims.models import Document

FORMATS = ["jsonl", "w3c", "claimreview", "doccano", "labelstudio"]


class Command(BaseCommand):
    help = (
        "Export all documents with their statements, attributions and claims. "
        "jsonl is the interchange format that import_documents reads; w3c one "
        "W3C AnnotationCollection of every attribution and note; claimreview a "
        "JSON list of the published reviews as schema.org ClaimReview; doccano "
        "(JSONL) and labelstudio (JSON) the statements, kinds and sources as "
        "labelled spans."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=FORMATS, default="jsonl")
        parser.add_argument(
            "--labels",
            metavar="LABEL=ROLE,...",
            help="labels to write for doccano and Label Studio instead of the "
            "defaults (e.g. QUOTE=direct)",
        )
        parser.add_argument(
            "-o", "--output", help="file to write (default: standard output)"
        )

    def handle(self, *args, format, output, labels, **options):
        try:
            self.labels = parse_labels(labels)
        except ValueError as error:
            raise CommandError(f"--labels: {error}") from None
        self.format = format
        if output is None:
            count = self._write(self.stdout)
        else:
            # Write beside the target and rename, so a failed export never
            # leaves a half-written file in its place.
            target = Path(output)
            handle, temporary = _temporary_beside(target)
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as file:
                    count = self._write(file)
                os.replace(temporary, target)
            except BaseException:
                os.unlink(temporary)
                raise
        noun = {"w3c": "annotations", "claimreview": "reviews"}
        self.stderr.write(f"{count} {noun.get(format, 'documents')} exported")

    def _write(self, file) -> int:
        if self.format == "w3c":
            return self._write_w3c(file)
        if self.format == "claimreview":
            return self._write_claimreviews(file)
        convert = {
            "jsonl": lambda record: record,
            "doccano": lambda record: doccano.export_line(record, self.labels),
            "labelstudio": lambda record: labelstudio.export_task(record, self.labels),
        }[self.format]
        # Label Studio reads one JSON list, a task a line; the others one
        # object a line. Every write ends a line (as standard output wants):
        # a task is written once the next shows whether it needs a comma.
        listed = self.format == "labelstudio"
        count, pending = 0, None
        if listed:
            file.write("[\n")
        for record in self._progress(export_records(), Document.objects.count()):
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

    def _write_w3c(self, file) -> int:
        documents = selectors.documents_for_annotations()
        items = []
        for document in self._progress(documents, documents.count()):
            items += w3c.document_annotations(document)
        items += [w3c.note_annotation(note) for note in selectors.claim_notes()]
        collection = w3c.collection(
            iri=w3c.collection_iri(), label="All annotations", items=items
        )
        file.write(json.dumps(collection, ensure_ascii=False, indent=2) + "\n")
        return len(items)

    def _write_claimreviews(self, file) -> int:
        claims = selectors.claims_for_claimreview()
        reviews = []
        for claim in self._progress(claims, claims.count()):
            reviews += claimreview.claim_reviews(claim)
        file.write(json.dumps(reviews, ensure_ascii=False, indent=2) + "\n")
        return len(reviews)

    def _progress(self, iterable, total: int):
        with tqdm(total=total, unit="item", disable=None) as progress:
            for item in iterable:
                yield item
                progress.update()


def _temporary_beside(target: Path) -> tuple[int, str]:
    """A new file in the target's folder, or a one-line ``CommandError``
    saying why there can be none (rather than a traceback)."""
    folder = target.parent
    if not folder.exists():
        raise CommandError(f"-o {target}: the folder {folder} does not exist")
    try:
        return tempfile.mkstemp(dir=folder, prefix=f".{target.name}.")
    except OSError as error:
        raise CommandError(
            f"-o {target}: cannot write there ({error.strerror})"
        ) from None
