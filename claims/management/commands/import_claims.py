"""Load an archive of checked claims: JSON Lines or schema.org ClaimReview."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import reset_queries, transaction
from tqdm import tqdm

from claims import roles, selectors, strictjson
from claims.formats import FormatError, claim_records, claimreview_import
from claims.formats.located import Located
from claims.management.lines import line_batches
from claims.services import claims_import

FORMATS = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "claimreview",
    ".jsonld": "claimreview",
}
BATCH = 1000  # records a transaction


class Command(BaseCommand):
    help = (
        "Import checked claims: JSON Lines (.jsonl), one claim a line with its "
        "reviews, or schema.org ClaimReview JSON-LD (.json, .jsonld: one "
        "object, a list, an @graph or a DataFeed). Each review is published, "
        "credited to the publisher it names, and filed under --user. Claims "
        "are found by their wording, reviews by their URL: importing again "
        "adds nothing. Each line or object is stored whole or not at all; "
        "bad ones are reported as FILE:LINE: reason, the rest still load, "
        "and the exit status is 1 if any failed."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument(
            "--format",
            choices=sorted(set(FORMATS.values())),
            help="the files' format (default: from each file's ending)",
        )
        parser.add_argument(
            "--user",
            required=True,
            help="the editor who imports the reviews: their reviewer of record",
        )

    def handle(self, *args, paths, format, user, **options):
        self.user = self._editor(user)
        self.counts = dict.fromkeys(
            ["claims created", "claims present", "reviews created", "reviews present"],
            0,
        )
        self.failed = 0
        try:
            for path in map(Path, paths):
                self._import_file(path, format)
        except KeyboardInterrupt:
            raise CommandError(
                f"interrupted: {self._summary()}; the batch under way was rolled "
                "back, and running the same command again imports the rest"
            ) from None
        if self.failed:
            raise CommandError(self._summary())
        self.stdout.write(self._summary())

    def _summary(self) -> str:
        c = self.counts
        return (
            f"claims: {c['claims created']:,} created, {c['claims present']:,} "
            f"already present; reviews: {c['reviews created']:,} created, "
            f"{c['reviews present']:,} already present; {self.failed:,} failed"
        )

    def _editor(self, username: str):
        user = selectors.user_by_username(username)
        if user is None:
            raise CommandError(f"--user: no user named {username!r}")
        # Imported reviews are published at once, which editors alone do.
        if not roles.is_editor(user):
            raise CommandError(
                f"--user: {username!r} is not an editor; imported reviews are "
                "published, and only editors publish reviews"
            )
        return user

    def _import_file(self, path: Path, format: str | None) -> None:
        file_format = format or FORMATS.get(path.suffix.lower())
        if file_format is None:
            self._fail(f"{path}: unknown format; use --format (jsonl, claimreview)")
        elif not path.is_file():
            self._fail(f"{path}: no such file")
        elif file_format == "jsonl":
            self._import_lines(path)
        else:
            self._import_claim_reviews(path)

    def _import_lines(self, path: Path) -> None:
        for batch, progress in line_batches(path, BATCH):
            records = []
            for number, raw in batch:
                if not raw.strip():
                    continue
                try:
                    records.append((f"{path}:{number}", claim_records.parse_line(raw)))
                except FormatError as error:
                    self._fail(f"{path}:{number}: {error}")
            self._store(records, progress)

    def _import_claim_reviews(self, path: Path) -> None:
        raw = path.read_bytes()
        try:
            document = Located(raw.decode("utf-8"))
        except UnicodeDecodeError as error:
            line = raw.count(b"\n", 0, error.start) + 1
            self._fail(f"{path}:{line}: not UTF-8 (byte {raw[error.start]:#04x})")
            return
        except json.JSONDecodeError as error:
            self._fail(
                f"{path}:{error.lineno}: malformed JSON: {error.msg} "
                f"at column {error.colno}"
            )
            return
        except strictjson.JSONInputError as error:
            self._fail(f"{path}: {error}")
            return
        nodes = claimreview_import.nodes_by_id(document.value)
        records = []
        for node, problem in claimreview_import.claim_reviews_in(document.value):
            where = f"{path}:{document.line_of(node)}"
            if problem is not None or not isinstance(node, dict):
                self._fail(f"{where}: {problem or 'expected a ClaimReview object'}")
                continue
            try:
                records.append((where, claimreview_import.claim_record(node, nodes)))
            except FormatError as error:
                self._fail(f"{where}: {error}")
        with tqdm(
            total=len(records), unit="review", desc=path.name, disable=None
        ) as progress:
            for start in range(0, len(records), BATCH):
                batch = records[start : start + BATCH]
                self._store(batch, progress)
                progress.update(len(batch))

    def _store(self, records, progress) -> None:
        """Store one batch in one transaction; its counts once committed."""
        # A commit a batch: each record is still all or nothing, and an
        # interruption loses at most the batch under way, which a re-run
        # imports, skipping what is stored.
        counts = dict.fromkeys(self.counts, 0)
        failed = 0
        with transaction.atomic():
            for outcome in claims_import(records=records, created_by=self.user):
                if outcome.error is not None:
                    self.stderr.write(f"{outcome.where}: {outcome.error}")
                    failed += 1
                    continue
                counts[
                    "claims created" if outcome.claim_created else "claims present"
                ] += 1
                counts["reviews created"] += outcome.reviews_created
                counts["reviews present"] += outcome.reviews_present
        for key, number in counts.items():
            self.counts[key] += number
        self.failed += failed
        # With DEBUG on, Django keeps the last 9,000 queries, bulk inserts
        # with every text in them: memory would grow with the file. Only
        # then, as clearing the log also blinds whoever counts the queries.
        if settings.DEBUG:
            reset_queries()
        progress.set_postfix_str(
            f"{self.counts['claims created']:,} claims created", refresh=False
        )

    def _fail(self, message: str) -> None:
        self.failed += 1
        self.stderr.write(message)
