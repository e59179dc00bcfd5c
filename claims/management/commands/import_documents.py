"""Load documents from interchange JSON Lines files or plain text files."""

import json
import os
from itertools import islice
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from claims import services
from claims.interchange import InterchangeError, describe_error, import_record

FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".txt": "txt"}
BATCH = 200  # lines a transaction


class Command(BaseCommand):
    help = (
        "Import documents. JSON Lines files (.jsonl) hold one interchange record "
        "a line; a .txt file is one document, titled by --title or its first "
        "line. Each document is stored whole or not at all; a text already "
        "stored is skipped. Bad records are reported as FILE:LINE: reason, the "
        "rest still load, and the exit status is 1 if any failed."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument(
            "--format",
            choices=sorted(set(FORMATS.values())),
            help="the files' format (default: from each file's ending)",
        )
        parser.add_argument("--title", help="title of a .txt document")
        parser.add_argument(
            "--user", help="username recorded as the documents' importer"
        )

    def handle(self, *args, paths, format, title, user, **options):
        self.created_by = self._user(user)
        self.counts = {"imported": 0, "present": 0, "failed": 0}
        for path in map(Path, paths):
            file_format = format or FORMATS.get(path.suffix.lower())
            if file_format is None:
                self._fail(
                    f"{path}: unknown format; use --format "
                    f"({', '.join(sorted(set(FORMATS.values())))})"
                )
            elif not path.is_file():
                self._fail(f"{path}: no such file")
            elif file_format == "txt":
                self._import_text(path, title)
            else:
                self._import_lines(path)
        c = self.counts
        summary = (
            f"{c['imported']} imported, {c['present']} already present, "
            f"{c['failed']} failed"
        )
        if c["failed"]:
            raise CommandError(summary)
        self.stdout.write(summary)

    def _user(self, username):
        if username is None:
            return None
        try:
            return get_user_model().objects.get_by_natural_key(username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"--user: no user named {username!r}") from None

    def _import_lines(self, path: Path) -> None:
        with (
            path.open("rb") as file,
            tqdm(
                total=os.path.getsize(path),
                unit="B",
                unit_scale=True,
                desc=path.name,
                disable=None,
            ) as progress,
        ):
            lines = enumerate(file, start=1)
            while batch := list(islice(lines, BATCH)):
                # One commit a batch rather than a document: each document is
                # still all or nothing (a savepoint of its own), and an
                # interrupted run loses at most one batch, which a re-run
                # imports, skipping what is already stored.
                with transaction.atomic():
                    for number, raw in batch:
                        if raw.strip():
                            self._import_line(f"{path}:{number}", raw)
                        progress.update(len(raw))

    def _import_line(self, where: str, raw: bytes) -> None:
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            self._fail(f"{where}: not UTF-8 (byte {raw[error.start]:#04x})")
            return
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            self._fail(f"{where}: malformed JSON: {error.msg} at column {error.colno}")
            return
        self._store(where, record)

    def _import_text(self, path: Path, title: str | None) -> None:
        try:
            text = path.read_bytes().decode("utf-8").strip()
        except UnicodeDecodeError as error:
            self._fail(f"{path}: not UTF-8 (byte offset {error.start})")
            return
        first_line = text.split("\n", 1)[0].strip()
        self._store(f"{path}:1", {"title": title or first_line, "text": text})

    def _store(self, where: str, record) -> None:
        try:
            result = import_record(record, created_by=self.created_by)
        except InterchangeError as error:
            self._fail(f"{where}: {error}")
        except services.DuplicateDocumentError:
            self.counts["present"] += 1
        except ValidationError as error:
            self._fail(f"{where}: {describe_error(error)}")
        else:
            self.counts["imported" if result.created else "present"] += 1

    def _fail(self, message: str) -> None:
        self.counts["failed"] += 1
        self.stderr.write(message)
