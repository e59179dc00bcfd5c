"""Load documents from interchange JSON Lines, plain text, doccano, Label Studio
or W3C Web Annotation files (the last onto documents already stored), or
restore a backup (``export_documents --format backup``)."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, reset_queries, transaction
from tqdm import tqdm

from claims import selectors
from claims.database_refusals import connection_lost
from claims.formats import doccano, labelstudio, w3c_import
from claims.formats.located import Located
from claims.formats.spans import Read, parse_labels
from claims.interchange import InterchangeError
from claims.management.lines import LineError, line_batches, parse_line
from claims.services import documents_import, documents_suggest_each
from claims.services.restores import backup_restore

FORMATS = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".txt": "txt",
    ".jsonld": "w3c",
    ".json": "labelstudio",
}
CHOICES = sorted({*FORMATS.values(), "doccano"})
# Only this command restores a backup, never an import job: it keeps the
# authorship and the published reviews the file records, as an
# administrator's tool does.
BACKUP = "backup"
BATCH = 200  # lines a transaction


class Command(BaseCommand):
    # An administrator's tool keeps the authorship a file records; the import
    # jobs of reviewers (claims.services.job_work) file it all under them.
    trust_authorship = True
    batch = BATCH

    help = (
        "Import documents. JSON Lines files (.jsonl) hold one interchange record "
        "a line; a .txt file is one document, titled by --title or its first "
        "line. Each document is stored whole or not at all; a text already "
        "stored is skipped. doccano JSONL and Label Studio JSON (.json) load "
        "with a --labels mapping; W3C annotations (.jsonld) go onto documents "
        "already stored, all of one document or none. Bad records are reported "
        "as FILE:LINE: reason, the rest still load, and the exit status is 1 if "
        "any failed. What a doccano or Label Studio record holds that the model "
        "cannot (a side entry matching no span, a cue joined to no attribution, "
        "a second source for one) is reported the same way and counted as not "
        "taken, with exit status 1 too."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument(
            "--format",
            choices=[*CHOICES, BACKUP],
            help="the files' format (default: from each file's ending; doccano "
            "files need --format doccano, a backup --format backup)",
        )
        parser.add_argument(
            "--labels",
            metavar="LABEL=ROLE,...",
            help="what doccano and Label Studio labels mean, over the defaults "
            "(DIRECT=direct, …, SOURCE=source, CUE=cue, CONTENT=content); "
            "roles: direct, indirect, mixed, author, statement, source, cue, "
            "content, ignore",
        )
        parser.add_argument("--title", help="title of a .txt document")
        parser.add_argument(
            "--user", help="username recorded as the documents' importer"
        )
        parser.add_argument(
            "--suggest",
            action="store_true",
            help="suggest provenance and claims for each document (new or "
            "already stored) right after it is imported, in the same "
            "transaction; earlier unreviewed suggestions are replaced, and a "
            "document whose suggestions fail is kept and reported",
        )

    def handle(self, *args, paths, format, title, user, labels, **options):
        self.created_by = self._user(user)
        self.suggest = options.get("suggest", False)
        if format == BACKUP and self.suggest:
            raise CommandError(
                "--suggest: a backup is restored as it was, its suggestions with it"
            )
        try:
            self.labels = parse_labels(labels)
        except ValueError as error:
            raise CommandError(f"--labels: {error}") from None
        self.counts = {"imported": 0, "present": 0, "failed": 0}
        self.not_taken = 0
        try:
            for path in map(Path, paths):
                self._import_file(path, format, title)
        except KeyboardInterrupt:
            raise CommandError(
                f"interrupted: {self._summary()}; the batch under way was rolled "
                "back, and running the same command again imports the rest"
            ) from None
        except DatabaseError as error:
            if not connection_lost(error):
                raise
            raise CommandError(
                f"the connection to the database was lost: {self._summary()}; "
                "the batch under way was rolled back, and running the same "
                "command again imports the rest"
            ) from None
        if self.counts["failed"] or self.not_taken:
            raise CommandError(self._summary())
        self.stdout.write(self._summary())

    def _summary(self) -> str:
        c = self.counts
        summary = (
            f"{c['imported']} imported, {c['present']} already present, "
            f"{c['failed']} failed"
        )
        # Only doccano and Label Studio records can hold what is not taken.
        return summary + (f", {self.not_taken} not taken" if self.not_taken else "")

    def _import_file(self, path: Path, format: str | None, title: str | None):
        file_format = format or FORMATS.get(path.suffix.lower())
        if file_format is None:
            self._fail(f"{path}: unknown format; use --format ({', '.join(CHOICES)})")
        elif not path.is_file():
            self._fail(f"{path}: no such file")
        elif file_format == "txt":
            self._import_text(path, title)
        elif file_format == "doccano":
            self._import_lines(path, convert=doccano.import_line)
        elif file_format == "labelstudio":
            self._import_tasks(path)
        elif file_format == "w3c":
            self._import_annotations(path)
        elif file_format == BACKUP:
            if not self.trust_authorship:
                self._fail(f"{path}: a backup is restored by import_documents alone")
                return
            self.restoring = True
            try:
                self._import_lines(path)
            finally:
                self.restoring = False
        else:
            self._import_lines(path)

    def _user(self, username):
        if username is None:
            return None
        user = selectors.user_by_username(username)
        if user is None:
            raise CommandError(f"--user: no user named {username!r}")
        return user

    def _import_lines(self, path: Path, convert=None) -> None:
        for batch, progress in line_batches(path, self.batch):
            records = [
                (f"{path}:{number}", record)
                for number, raw in batch
                if raw.strip()
                and (record := self._parse(f"{path}:{number}", raw, convert))
                is not None
            ]
            self._store(records)
            # With DEBUG on, Django keeps the last 9,000 queries, bulk
            # inserts with every text in them: memory would grow with the
            # file for hours of a big import. (Only then: the log is also
            # what the tests count queries in.)
            if settings.DEBUG:
                reset_queries()
            progress.set_postfix_str(
                f"{self.counts['imported']:,} imported", refresh=False
            )

    def _parse(self, where: str, raw: bytes, convert=None):
        """The record of one line, or None after reporting why not."""
        try:
            record = parse_line(raw)
            if convert is None:
                return record
            return self._taken(where, convert(record, self.labels))
        except LineError as error:
            self._fail(f"{where}: {error}")
        except InterchangeError as error:
            self._fail(f"{where}: {error}")
        return None

    def _taken(self, where: str, read: Read) -> dict:
        """The record of a tool's record, after reporting what it leaves out."""
        for note in read.notes:
            self.stderr.write(f"{where}: {note}")
        self.not_taken += len(read.notes)
        return read.record

    def _import_text(self, path: Path, title: str | None) -> None:
        try:
            text = path.read_bytes().decode("utf-8").strip()
        except UnicodeDecodeError as error:
            self._fail(f"{path}: not UTF-8 (byte offset {error.start})")
            return
        first_line = text.split("\n", 1)[0].strip()
        self._store([(f"{path}:1", {"title": title or first_line, "text": text})])

    def _read_json(self, path: Path) -> Located | None:
        """A whole-file JSON document, or None after reporting why not."""
        try:
            return Located(path.read_bytes().decode("utf-8"))
        except UnicodeDecodeError as error:
            self._fail(f"{path}: not UTF-8 (byte offset {error.start})")
        except json.JSONDecodeError as error:
            self._fail(
                f"{path}:{error.lineno}: malformed JSON: {error.msg} "
                f"at column {error.colno}"
            )
        except LineError as error:
            self._fail(f"{path}: {error}")
        return None

    def _import_tasks(self, path: Path) -> None:
        document = self._read_json(path)
        if document is None:
            return
        tasks = document.value if isinstance(document.value, list) else [document.value]
        with tqdm(total=len(tasks), unit="task", desc=path.name, disable=None) as bar:
            for start in range(0, len(tasks), self.batch):
                records = []
                for task in tasks[start : start + self.batch]:
                    where = f"{path}:{document.line_of(task)}"
                    try:
                        read = labelstudio.import_task(task, self.labels)
                        records.append((where, self._taken(where, read)))
                    except InterchangeError as error:
                        self._fail(f"{where}: {error}")
                self._store(records)
                bar.update(len(tasks[start : start + self.batch]))

    def _import_annotations(self, path: Path) -> None:
        document = self._read_json(path)
        if document is None:
            return
        try:
            annotations = w3c_import.annotations_in(document.value)
        except InterchangeError as error:
            self._fail(f"{path}:1: {error}")
            return
        items = [(f"{path}:{document.line_of(a)}", a) for a in annotations]
        outcomes = w3c_import.import_annotations(items, created_by=self.created_by)
        with tqdm(total=len(items), unit="annotation", disable=None) as bar:
            for outcome in outcomes:
                if outcome.error:
                    self._fail(f"{outcome.where}: {outcome.error}")
                else:
                    self.counts["imported" if outcome.created else "present"] += 1
                bar.update()

    def _store(self, records) -> None:
        """Store ``(where, record)`` pairs in one transaction, with suggestions."""
        # One commit a batch rather than a document: each document is still
        # all or nothing, and an interrupted run loses at most one batch,
        # which a re-run imports, skipping what is already stored. Its counts
        # are added once it has committed, so that an interruption's summary
        # says what was kept.
        counts = dict.fromkeys(self.counts, 0)
        with transaction.atomic():
            outcomes = self._import_records(records)
            stored = [outcome for outcome in outcomes if outcome.error is None]
            refused = self._suggest(stored) if self.suggest else {}
            for outcome in outcomes:
                if outcome.error is not None:
                    self.stderr.write(f"{outcome.where}: {outcome.error}")
                    counts["failed"] += 1
                elif id(outcome) in refused:
                    self.stderr.write(
                        f"{outcome.where}: stored, but suggestions failed: "
                        f"{refused[id(outcome)]}"
                    )
                    counts["failed"] += 1
                else:
                    counts["imported" if outcome.created else "present"] += 1
        for key, number in counts.items():
            self.counts[key] += number

    restoring = False  # reading a backup: its lines are sources, claims, documents

    def _import_records(self, records):
        if self.restoring:
            return backup_restore(lines=records, created_by=self.created_by)
        return documents_import(
            records=records,
            created_by=self.created_by,
            trust_authorship=self.trust_authorship,
        )

    def _suggest(self, outcomes) -> dict[int, str]:
        """Suggest for the stored documents of a batch (together, or one at
        a time where the batch is refused); why each that failed did, by the
        id of its outcome."""
        refused = documents_suggest_each(
            documents=[outcome.document for outcome in outcomes],
            created_by=self.created_by,
        )
        return {
            id(outcome): refused[outcome.document.pk]
            for outcome in outcomes
            if outcome.document.pk in refused
        }

    def _fail(self, message: str) -> None:
        self.counts["failed"] += 1
        self.stderr.write(message)
