"""Write every document in an exchange format."""

import json
import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand
from tqdm import tqdm

from claims.interchange import export_records
from claims.models import Document


class Command(BaseCommand):
    help = (
        "Export all documents with their statements, attributions and claims. "
        "jsonl is the interchange format that import_documents reads."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["jsonl"], default="jsonl")
        parser.add_argument(
            "-o", "--output", help="file to write (default: standard output)"
        )

    def handle(self, *args, format, output, **options):
        if output is None:
            count = self._write(self.stdout)
        else:
            # Write beside the target and rename, so a failed export never
            # leaves a half-written file in its place.
            target = Path(output)
            handle, temporary = tempfile.mkstemp(
                dir=target.parent, prefix=f".{target.name}."
            )
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as file:
                    count = self._write(file)
                os.replace(temporary, target)
            except BaseException:
                os.unlink(temporary)
                raise
        self.stderr.write(f"{count} documents exported")

    def _write(self, file) -> int:
        count = 0
        with tqdm(total=Document.objects.count(), unit="doc", disable=None) as progress:
            for record in export_records():
                file.write(json.dumps(record, ensure_ascii=False) + "\n")
                count += 1
                progress.update()
        return count
