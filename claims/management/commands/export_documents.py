"""Write every document in an exchange format (``claims.exports``)."""

import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from claims.exports import FORMATS, export_write
from claims.formats.spans import parse_labels


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
        parser.add_argument("--format", choices=list(FORMATS), default="jsonl")
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
        self.stderr.write(f"{count} {FORMATS[format]} exported")

    def _write(self, file) -> int:
        # Told after each batch read, so the bar moves in batches; its total
        # (documents, or claims for claimreview) comes with the first.
        with tqdm(unit="item", disable=None) as bar:

            def progress(done: int, total: int) -> None:
                bar.total = total
                bar.update(done - bar.n)

            return export_write(
                file, format=self.format, labels=self.labels, progress=progress
            )


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
