"""The work of each kind of job, as ``claims.services.jobs.job_run`` calls it.

Each takes its job and answers its summary; each reports ``job_progress``
after every batch it has committed, which raises ``JobCancelled`` when
someone asked the job to stop, so that what was committed stays.

- ``import``: an uploaded file, read exactly as ``import_documents`` reads it
  (the command itself, fed by the job: the same formats, batches, per-document
  transactions and ``FILE:LINE: reason`` messages, naming the file as it was
  uploaded), with suggestions if asked; authorship is the importer's alone,
  as through the API.
- ``claims_import``: a file of checked claims, read exactly as
  ``import_claims`` reads it, filed under the editor who uploaded it.
- ``suggest``: ``documents_suggest_each`` on each chunk's documents: together,
  or, where that is refused, one at a time, each in its own savepoint;
  a document that fails is reported and the others go on.
- ``export``: ``export_write`` into a file kept through the storage API.

An import of a line file (JSON Lines, doccano) and a suggest job are worked
in chunks (``claims.services.chunks``): ``PLANS`` cuts a job into its chunks
(a batch of the command's lines, found by their byte offsets, or of the
job's documents), ``CHUNK_WORK`` works one chunk inside the transaction that
marks it done and answers its summary and the documents it stored. The
other kinds run whole, as ``WORK`` has them.
"""

import io
import logging
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TextIO, cast

from django.core.files import File

from claims.exports import ENDINGS, FORMATS, export_write
from claims.formats import doccano
from claims.formats.spans import parse_labels
from claims.management.commands import import_claims, import_documents
from claims.models import Document, Job, JobChunk, JobKind
from claims.services.jobs import job_progress
from claims.services.suggestions import documents_suggest_each

log = logging.getLogger(__name__)

# Documents a chunk of a suggest job: two seconds or so of a worker's time,
# so that progress moves and two workers share even a short list. Each chunk
# is one batch (one search, one write a table), whose fixed costs 25
# documents share better than 10: one worker 12.4-13.0 documents/s against
# 11.4-11.6 (BENCHMARKS.md, Jobs in chunks).
SUGGEST_CHUNK = 25
# The import formats read line by line, and so cut into chunks of lines.
LINE_FORMATS = ("jsonl", "doccano")
# Lines a transaction when an import suggests too: a document's suggestions
# take a hundred times its import, and progress is reported each batch.
IMPORT_SUGGEST_BATCH = 20


class _Lines:
    """A stream that keeps each line written, the upload folder left out;
    each is logged too (a warning: a record the importer refused)."""

    def __init__(self, folder: str | None, job_id: int):
        self.prefix = folder + os.sep if folder else ""
        self.job_id = job_id
        self.lines: list[str] = []

    def write(self, text: str) -> None:
        lines = [line.removeprefix(self.prefix) for line in text.splitlines() if line]
        for line in lines:
            log.warning("job %s: %s", self.job_id, line)
        self.lines += lines

    def flush(self) -> None:
        pass


class _JobImport(import_documents.Command):
    """``import_documents`` reporting to its job after each batch."""

    trust_authorship = False

    def __init__(self, job, folder: str | None):
        self.errors = _Lines(folder, job.pk)
        super().__init__(stdout=io.StringIO(), stderr=cast(TextIO, self.errors))
        self.job = job
        self.created_by = job.created_by
        self.suggest = bool(job.options.get("suggest"))
        if self.suggest:
            self.batch = IMPORT_SUGGEST_BATCH
        self.labels = parse_labels(job.options.get("labels") or None)
        self.counts = {"imported": 0, "present": 0, "failed": 0}
        self.not_taken = 0
        self.documents: list[int] = []
        self.total: int | None = None

    def _import_records(self, records):
        outcomes = super()._import_records(records)
        self.documents += [o.document.pk for o in outcomes if o.document]
        return outcomes

    def _read_json(self, path):
        document = super()._read_json(path)
        if document is not None and isinstance(document.value, list):
            self.total = len(document.value)
        return document

    def _store(self, records) -> None:
        super()._store(records)
        job_progress(
            job=self.job, done=self.done, total=self.total, summary=self.summary()
        )

    @property
    def done(self) -> int:
        return sum(self.counts.values())

    def summary(self) -> dict:
        return {
            **self.counts,
            "not_taken": self.not_taken,
            "errors": self.errors.lines,
            "documents": list(dict.fromkeys(self.documents)),
        }


class _JobClaimsImport(import_claims.Command):
    """``import_claims`` reporting to its job after each batch."""

    def __init__(self, job, folder: str):
        self.errors = _Lines(folder, job.pk)
        super().__init__(stdout=io.StringIO(), stderr=cast(TextIO, self.errors))
        self.job = job
        self.user = job.created_by
        self.counts = dict.fromkeys(
            ["claims created", "claims present", "reviews created", "reviews present"],
            0,
        )
        self.failed = 0
        self.total: int | None = None

    def _store(self, records, progress) -> None:
        super()._store(records, progress)
        job_progress(
            job=self.job, done=self.done, total=self.total, summary=self.summary()
        )

    @property
    def done(self) -> int:
        counts = self.counts
        return counts["claims created"] + counts["claims present"] + self.failed

    def summary(self) -> dict:
        return {
            "imported": self.counts["claims created"],
            "present": self.counts["claims present"],
            "reviews_imported": self.counts["reviews created"],
            "reviews_present": self.counts["reviews present"],
            "failed": self.failed,
            "errors": self.errors.lines,
        }


def run_import(job) -> dict:
    claims = job.kind == JobKind.CLAIMS_IMPORT
    name = Path(job.options["filename"]).name
    endings = (import_claims if claims else import_documents).FORMATS
    file_format = job.options.get("format") or endings.get(Path(name).suffix.lower())
    with tempfile.TemporaryDirectory(prefix="claims-job-") as folder:
        path = Path(folder) / name
        with job.input.open("rb") as source, path.open("wb") as target:
            shutil.copyfileobj(source, target)
        command: _JobImport | _JobClaimsImport
        if claims:
            command = _JobClaimsImport(job, folder)
            command.total = _records_in(path, file_format)
            job_progress(
                job=job, done=0, total=command.total, summary=command.summary()
            )
            command._import_file(path, file_format)
        else:
            command = _JobImport(job, folder)
            command.total = _records_in(path, file_format)
            job_progress(
                job=job, done=0, total=command.total, summary=command.summary()
            )
            command._import_file(path, file_format, job.options.get("title"))
        job.progress = {"done": command.done, "total": command.done}
        return command.summary()


def _records_in(path: Path, file_format: str | None) -> int | None:
    """How many records a file holds, where lines tell (else None)."""
    if file_format == "txt":
        return 1
    if file_format in ("jsonl", "doccano"):
        with path.open("rb") as file:
            return sum(1 for line in file if line.strip())
    return None


def run_export(job) -> dict:
    file_format = job.options["format"]
    unit = FORMATS[file_format]

    def progress(done: int, total: int) -> None:
        # Told after each batch read; a cancelled job stops here.
        job_progress(job=job, done=done, total=total, summary={"exported": done})

    with tempfile.TemporaryFile() as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        count = export_write(
            text,
            format=file_format,
            documents=job.options.get("documents"),
            labels=parse_labels(job.options.get("labels") or None),
            progress=progress,
            # An annotator's export leaves out what is hidden from them.
            viewer=job.created_by,
        )
        text.flush()
        raw.seek(0)
        ending = ENDINGS[file_format][0]
        job.output.save(f"export-{job.pk}.{ending}", File(raw), save=False)
        text.detach()
    return {"exported": count, "unit": unit, "failed": 0, "errors": []}


WORK: dict[str, Callable[[Job], dict]] = {
    JobKind.IMPORT: run_import,
    JobKind.CLAIMS_IMPORT: run_import,
    JobKind.EXPORT: run_export,
}


# Chunks -------------------------------------------------------------------


class _ChunkImport(_JobImport):
    """``import_documents`` storing one chunk's lines, inside the chunk's
    transaction; the job's progress is the chunks' (``job_close``)."""

    def _store(self, records) -> None:
        import_documents.Command._store(self, records)


def _import_format(job) -> str | None:
    name = Path(job.options["filename"]).name
    return job.options.get("format") or import_documents.FORMATS.get(
        Path(name).suffix.lower()
    )


def plan_import(job) -> list[dict] | None:
    """The chunks of a line file: the command's batches of lines, each by
    its byte offsets and first line number; None for other formats."""
    if _import_format(job) not in LINE_FORMATS:
        return None
    suggest = job.options.get("suggest")
    lines = IMPORT_SUGGEST_BATCH if suggest else import_documents.BATCH
    ranges: list[dict] = []
    offset = number = 0
    with job.input.open("rb"):
        for raw in iter(job.input.file.readline, b""):
            if number % lines == 0:
                first = number + 1
                ranges.append(
                    {"start": offset, "stop": offset, "first_line": first, "size": 0}
                )
            number += 1
            offset += len(raw)
            ranges[-1]["stop"] = offset
            ranges[-1]["size"] += bool(raw.strip())
    return ranges


def import_chunk(job, chunk) -> tuple[dict, list[int]]:
    name = Path(job.options["filename"]).name
    convert = doccano.import_line if _import_format(job) == "doccano" else None
    with job.input.open("rb"):
        job.input.seek(chunk.start)
        data = job.input.read(chunk.stop - chunk.start)
    command = _ChunkImport(job, None)
    records = [
        (f"{name}:{number}", record)
        for number, raw in enumerate(io.BytesIO(data), chunk.first_line)
        if raw.strip()
        and (record := command._parse(f"{name}:{number}", raw, convert)) is not None
    ]
    command._store(records)
    summary = command.summary()
    return summary, summary.pop("documents")


def plan_suggest(job) -> list[dict]:
    count = len(job.options["documents"])
    starts = range(0, count, SUGGEST_CHUNK)
    stops = [min(start + SUGGEST_CHUNK, count) for start in starts]
    return [
        {"start": start, "stop": stop, "size": stop - start}
        for start, stop in zip(starts, stops, strict=True)
    ]


def suggest_chunk(job, chunk) -> tuple[dict, list[int]]:
    """The chunk's documents suggested for together (one search for all
    their statements), or one at a time where that is refused, so that only
    the documents refused are reported. A database gone away passes through:
    the chunk is taken again."""
    ids = job.options["documents"][chunk.start : chunk.stop]
    documents = Document.objects.in_bulk(ids)
    refused = documents_suggest_each(
        documents=[documents[pk] for pk in ids if pk in documents],
        created_by=job.created_by,
    )
    summary: dict = {"suggested": 0, "failed": 0, "errors": []}
    for pk in ids:
        reason = "no longer stored" if pk not in documents else refused.get(pk)
        if reason is None:
            summary["suggested"] += 1
        else:
            summary["failed"] += 1
            summary["errors"].append(f"document {pk}: {reason}")
    return summary, []


def describe(job, chunk) -> str:
    """A chunk as a message names it."""
    if job.kind == JobKind.SUGGEST:
        ids = job.options["documents"][chunk.start : chunk.stop]
        return f"documents {', '.join(map(str, ids))}"
    name = Path(job.options["filename"]).name
    return f"{name}:{chunk.first_line} and the {chunk.size} records from there"


PLANS: dict[str, Callable[[Job], list[dict] | None]] = {
    JobKind.IMPORT: plan_import,
    JobKind.SUGGEST: plan_suggest,
}
CHUNK_WORK: dict[str, Callable[[Job, JobChunk], tuple[dict, list[int]]]] = {
    JobKind.IMPORT: import_chunk,
    JobKind.SUGGEST: suggest_chunk,
}
# A job's summary before any chunk ends: the keys its chunks add up.
EMPTY: dict[str, Callable[[], dict]] = {
    JobKind.IMPORT: lambda: {
        "imported": 0, "present": 0, "failed": 0, "errors": [], "documents": []
    },
    JobKind.SUGGEST: lambda: {"suggested": 0, "failed": 0, "errors": []},
}  # fmt: skip
