"""The interchange format: JSON Lines, one document per line (DESIGN.md).

Import and export write the same shape, declared once, as a JSON Schema, in
``interchange.schema.json`` beside this module: every import path validates
records against it (``parse_document``), the API documents ``POST
/api/documents/`` with it, and the README's key list is checked against it.

    {"title": ..., "text": ..., "url", "publisher", "authors", "published_at",
     "language", "tags", "metadata", "created_by", "id",
     "statements": [{"start", "end", "text", "notes", "id",
                     "attributions": [{"kind", "source", "source_span", "cue",
                                       "content", "via", "primary_source_url",
                                       "origin", "status", "confidence",
                                       "created_by", "reviewed_by",
                                       "reviewed_at", "id"}],
                     "claims": ["claim text" or {"text", "origin", "status",
                                                 "reviewed_by", "created_by",
                                                 "reviewed_at"}, ...]}]}

Offsets are code-point indices into the document's NFC text, from its start
(``text[start:end]``). A source is a name or ``{"name", "kind", "aliases"}``;
export writes the object. Unknown keys are an error. ``id`` keys are
informational: import finds a document by its content hash, so importing the
same text twice changes nothing, and an export imported into an empty database
exports again to the same content apart from ids. ``created_by`` (of a
document), ``notes`` (of a statement), a claim's ``created_by`` and
``reviewed_at``, and independent annotation (a document's
``independent_annotation``, an attribution's or claim's ``independent``) are
what the backup adds to a record (``claims.backup``); the plain export leaves
them out.

This module reads and writes the format only; storing records is the import
service's (``claims.services.imports``).
"""

import datetime
import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from claims import selectors, strictjson
from claims.models import Annotation, Document, Source
from claims.record_errors import InterchangeError
from claims.schema_check import SchemaChecker, Violation
from claims.segmentation import Offsets

SCHEMA_PATH = Path(__file__).with_name("interchange.schema.json")
SCHEMA = json.loads(SCHEMA_PATH.read_text("utf-8"))


# Validation against the schema ---------------------------------------------

_TYPE_NAMES = {
    "object": "an object",
    "array": "a list",
    "string": "a string",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
}

_checker = SchemaChecker(SCHEMA)


where_of = strictjson.where_of


def describe_error(error) -> str:
    """A Django ``ValidationError`` as one line: ``field: messages; ...``."""
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{field}: {' '.join(messages)}"
            for field, messages in error.message_dict.items()
        )
    return " ".join(error.messages)


def _reason(violation: Violation) -> str:
    """What is wrong, in the format's own words (see the schema's errorMessage)."""
    schema, value = violation.schema, violation.value
    if violation.keyword == "additionalProperties":
        allowed = sorted(schema.get("properties", {}))
        unknown = sorted(strictjson.printable(k) for k in set(value) - set(allowed))
        plural = "s" if len(unknown) > 1 else ""
        return (
            f"unknown key{plural} {', '.join(unknown)} (allowed: {', '.join(allowed)})"
        )
    if violation.keyword == "required":
        return f"missing {', '.join(k for k in schema['required'] if k not in value)}"
    if violation.keyword == "enum":
        key = next((p for p in reversed(violation.path) if isinstance(p, str)), "value")
        choices = ", ".join(
            str(c) for c in sorted(c for c in schema["enum"] if c is not None)
        )
        return f"unknown {key} {value!r} (expected one of {choices})"
    if "errorMessage" in schema:
        return schema["errorMessage"]
    if violation.keyword == "type":
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        return f"expected {' or '.join(_TYPE_NAMES[t] for t in types if t != 'null')}"
    return f"breaks the schema's {violation.keyword} {schema[violation.keyword]!r}"


@functools.cache
def _checker_of(definition: str) -> SchemaChecker:
    return SchemaChecker({"$ref": f"#/$defs/{definition}", "$defs": SCHEMA["$defs"]})


def check(value, definition: str | None = None, at: tuple[str, ...] = ()) -> None:
    """Raise ``InterchangeError`` naming the first place where ``value`` breaks
    the schema (the shallowest, as that is where most is wrong); a document,
    or the schema's ``definition`` of that name (a backup's ``backup_claim``)
    found ``at`` that path."""
    checker = _checker if definition is None else _checker_of(definition)
    violation = checker.first_violation(value)
    if violation is not None:
        where = where_of((*at, *violation.path))
        raise InterchangeError(f"{where}: {_reason(violation)}")


def openapi_schema(schema: dict) -> dict:
    """The schema in OpenAPI 3.0's dialect, for the API's documentation.

    OpenAPI 3.0 has no type lists, ``if``/``then`` or ``$defs``: references
    are inlined, ``["x", "null"]`` becomes ``nullable``, and a value that is
    a string or an object (a source, a claim) becomes a ``oneOf`` of the two.
    """
    definitions = schema.get("$defs", {})

    def convert(node):
        if isinstance(node, list):
            return [convert(item) for item in node]
        if not isinstance(node, dict):
            return node
        if "$ref" in node:
            merged = definitions[node["$ref"].rpartition("/")[2]] | {
                k: v for k, v in node.items() if k != "$ref"
            }
            return convert(merged)
        out = {
            key: convert(value)
            for key, value in node.items()
            if key not in {"$schema", "$id", "$defs", "errorMessage", "if", "then"}
        }
        if "enum" in out and None in out["enum"]:
            out["enum"] = [value for value in out["enum"] if value is not None]
            out["nullable"] = True
        types = out.pop("type", None)
        if isinstance(types, list):
            if "null" in types:
                out["nullable"] = True
            types = [t for t in types if t != "null"]
            if len(types) == 1:
                types = types[0]
        if isinstance(types, list):  # a string or an object
            branches = [{"type": t} for t in types]
            if "then" in node:
                then = convert(node["then"])
                branches = [b | then if b["type"] == "object" else b for b in branches]
            if "pattern" in out:
                string = next(b for b in branches if b["type"] == "string")
                string["pattern"] = out.pop("pattern")
            out["oneOf"] = branches
        elif types is not None:
            out["type"] = types
        return out

    return convert(schema)


# Records, as the import service takes them -----------------------------------


@dataclass(frozen=True)
class SourceSpec:
    """A source as a record names it, not yet looked up.

    Named by a string, it has no ``kind`` and no ``aliases`` (None): a source
    found by that name is taken as it is.
    """

    where: str
    name: str
    kind: str | None = None
    aliases: tuple[str, ...] | None = None


@dataclass(frozen=True)
class AttributionRecord:
    where: str
    kind: str
    source: SourceSpec | None
    source_span: Offsets | None
    cue: Offsets | None
    content: Offsets | None
    via: SourceSpec | None
    primary_source_url: str
    origin: str | None
    status: str | None
    confidence: float | None
    created_by: str | None
    reviewed_by: str | None = None
    reviewed_at: datetime.datetime | None = None
    independent: bool = False


@dataclass(frozen=True)
class ClaimRecord:
    where: str
    text: str
    origin: str | None = None
    status: str | None = None
    reviewed_by: str | None = None
    created_by: str | None = None
    reviewed_at: datetime.datetime | None = None
    independent: bool = False


@dataclass(frozen=True)
class NoteRecord:
    """A reviewer's note (an annotation), on a statement or a claim."""

    where: str
    motivation: str | None
    body: str
    tags: tuple[str, ...]
    reviewer: str | None


@dataclass(frozen=True)
class StatementRecord:
    where: str
    start: int
    end: int
    text: str | None
    attributions: tuple[AttributionRecord, ...]
    claims: tuple[ClaimRecord, ...]
    notes: tuple[NoteRecord, ...] = ()


@dataclass(frozen=True)
class DocumentRecord:
    """One record, checked against the schema, its values converted."""

    title: str
    text: str  # as given; the import service normalises it
    url: str
    publisher: SourceSpec | None
    authors: tuple[SourceSpec, ...]
    published_at: datetime.datetime | None
    language: str
    tags: tuple[str, ...]
    metadata: dict
    statements: tuple[StatementRecord, ...] | None
    created_by: str | None = None
    independent_annotation: bool = False

    @property
    def plain(self) -> bool:
        """Text and metadata alone: no statement carries attributions, claims
        or notes, and no author is named."""
        return (
            self.created_by is None
            and not self.independent_annotation
            and not any(
                s.attributions or s.claims or s.notes for s in self.statements or ()
            )
        )

    @property
    def spans(self) -> list[Offsets] | None:
        if self.statements is None:
            return None
        return [(s.start, s.end) for s in self.statements]


# Where NUL has its own, older message (document_draft) or its own path (a
# metadata value the database refuses fails its record alone).
_NUL_CHECKED_ELSEWHERE = {("title",), ("text",)}


def check_storable(value, path=()) -> None:
    """Raise ``InterchangeError`` naming the first string (key or value) that
    holds a character no database here can store."""
    for where, char, position in strictjson.unstorable(value, path):
        if char == "\x00" and (
            where in _NUL_CHECKED_ELSEWHERE or where[:1] == ("metadata",)
        ):
            continue
        raise InterchangeError(
            f"{where_of(where)}: {strictjson.describe(char, position)}"
        )


def parse_document(value) -> DocumentRecord:
    """A record checked against the schema and converted, or ``InterchangeError``."""
    check(value)
    check_storable(value)
    statements = value.get("statements")
    return DocumentRecord(
        title=value["title"],
        text=value["text"],
        url=value.get("url") or "",
        publisher=_source(value.get("publisher"), "publisher"),
        authors=tuple(
            _source(author, f"authors[{i}]")
            for i, author in enumerate(value.get("authors") or ())
        ),
        published_at=parse_moment(value.get("published_at"), "published_at"),
        language=value.get("language") or "",
        tags=tuple(value.get("tags") or ()),
        metadata=value.get("metadata") or {},
        statements=None
        if statements is None
        else tuple(
            _statement(statement, f"statements[{i}]")
            for i, statement in enumerate(statements)
        ),
        created_by=value.get("created_by"),
        independent_annotation=bool(value.get("independent_annotation")),
    )


def _statement(value: dict, where: str) -> StatementRecord:
    return StatementRecord(
        where=where,
        start=value["start"],
        end=value["end"],
        text=value.get("text"),
        attributions=tuple(
            _attribution(attribution, f"{where}.attributions[{i}]")
            for i, attribution in enumerate(value.get("attributions") or ())
        ),
        claims=tuple(
            _claim(claim, f"{where}.claims[{i}]")
            for i, claim in enumerate(value.get("claims") or ())
        ),
        notes=parse_notes(value.get("notes"), f"{where}.notes"),
    )


def parse_notes(values: list | None, where: str) -> tuple[NoteRecord, ...]:
    return tuple(
        NoteRecord(
            where=f"{where}[{i}]",
            motivation=note.get("motivation"),
            body=note.get("body") or "",
            tags=tuple(note.get("tags") or ()),
            reviewer=note.get("reviewer"),
        )
        for i, note in enumerate(values or ())
    )


def _attribution(value: dict, where: str) -> AttributionRecord:
    return AttributionRecord(
        where=where,
        kind=value["kind"],
        source=_source(value.get("source"), f"{where}.source"),
        source_span=_span(value.get("source_span")),
        cue=_span(value.get("cue")),
        content=_span(value.get("content")),
        via=_source(value.get("via"), f"{where}.via"),
        primary_source_url=value.get("primary_source_url") or "",
        origin=value.get("origin"),
        status=value.get("status"),
        confidence=value.get("confidence"),
        created_by=value.get("created_by"),
        reviewed_by=value.get("reviewed_by"),
        reviewed_at=_datetime(value.get("reviewed_at"), f"{where}.reviewed_at"),
        independent=bool(value.get("independent")),
    )


def _claim(value, where: str) -> ClaimRecord:
    if isinstance(value, str):
        return ClaimRecord(where, value)
    return ClaimRecord(
        where,
        value["text"],
        origin=value.get("origin"),
        status=value.get("status"),
        reviewed_by=value.get("reviewed_by"),
        created_by=value.get("created_by"),
        reviewed_at=parse_moment(value.get("reviewed_at"), f"{where}.reviewed_at"),
        independent=bool(value.get("independent")),
    )


def _source(value, where: str) -> SourceSpec | None:
    if value is None:
        return None
    if isinstance(value, str):
        return SourceSpec(where, value)
    aliases = value.get("aliases")
    return SourceSpec(where, value["name"], value.get("kind"), tuple(aliases or ()))


def _span(value) -> Offsets | None:
    return None if value is None else (value["start"], value["end"])


def parse_moment(value: str | None, where: str) -> datetime.datetime | None:
    """An ISO 8601 date or datetime; a date or a naive time is taken as UTC."""
    return _datetime(value, "published_at")


def _datetime(value, where: str) -> datetime.datetime | None:
    """An ISO 8601 date or datetime; a date or a naive time is taken as UTC."""
    if value is None:
        return None
    try:
        parsed = parse_datetime(value) or parse_date(value)
    except ValueError:  # well-formed but impossible, like February 30
        parsed = None
    if parsed is None:
        raise InterchangeError(
            f"{where}: {value!r} is not an ISO 8601 date or datetime"
        )
    if not isinstance(parsed, datetime.datetime):
        parsed = datetime.datetime.combine(parsed, datetime.time())
    if timezone.is_naive(parsed):
        parsed = parsed.replace(tzinfo=datetime.UTC)
    return parsed


# Export ---------------------------------------------------------------------


def export_records(documents=None):
    """Yield one interchange record per document, with everything it holds."""
    queryset = selectors.documents_for_export() if documents is None else documents
    for batch in selectors.in_batches(queryset):
        yield from (export_document(document) for document in batch)


def export_document(document: Document, *, backup: bool = False) -> dict:
    """A document's record; ``backup`` adds who made what and when
    (``created_by``, ``notes``, a mention's ``created_by`` and
    ``reviewed_at``): it needs ``documents_for_export(backup=True)``."""
    record = {
        "id": document.pk,
        "title": document.title,
        "text": document.text,
        "url": document.url,
        "publisher": _source_object(document.publisher),
        "authors": [_source_object(a) for a in document.authors.all()],
        "published_at": document.published_at.isoformat()
        if document.published_at
        else None,
        "language": document.language,
        "tags": sorted(tag.name for tag in document.tags.all()),
        "metadata": document.metadata,
        "statements": [
            {
                "id": statement.pk,
                "start": statement.start,
                "end": statement.end,
                "text": statement.text,
                "attributions": [
                    _attribution_object(a, backup=backup)
                    for a in statement.attributions.all()
                ],
                "claims": [
                    _claim_object(m, backup=backup)
                    for m in statement.claim_mentions.all()
                ],
                **(
                    {"notes": [note_object(n) for n in statement.notes]}
                    if backup
                    else {}
                ),
            }
            for statement in document.statements.all()
        ],
    }
    if backup:
        record["created_by"] = username_of(document.created_by)
        record["independent_annotation"] = document.independent_annotation
    return record


def _attribution_object(attribution, *, backup: bool = False) -> dict:
    def span(start, end):
        return None if start is None else {"start": start, "end": end}

    record = {
        "id": attribution.pk,
        "kind": attribution.kind,
        "source": _source_object(attribution.source),
        "source_span": span(attribution.source_start, attribution.source_end),
        "cue": span(attribution.cue_start, attribution.cue_end),
        "content": span(attribution.content_start, attribution.content_end),
        "via": _source_object(attribution.via),
        "primary_source_url": attribution.primary_source_url,
        "origin": attribution.origin,
        "status": attribution.status,
        "confidence": attribution.confidence,
        "created_by": username_of(attribution.created_by),
        "reviewed_by": username_of(attribution.reviewed_by),
        "reviewed_at": moment(attribution.reviewed_at),
    }
    if backup:
        record["independent"] = attribution.independent
    return record


def _claim_object(mention, *, backup: bool = False) -> dict:
    claim = {
        "text": mention.claim.text,
        "origin": mention.origin,
        "status": mention.status,
        "reviewed_by": username_of(mention.reviewed_by),
    }
    if backup:
        claim["created_by"] = username_of(mention.created_by)
        claim["reviewed_at"] = moment(mention.reviewed_at)
        claim["independent"] = mention.independent
    return claim


def note_object(note: Annotation) -> dict[str, Any]:
    return {
        "motivation": note.motivation,
        "body": note.body,
        "tags": sorted(tag.name for tag in note.tags.all()),
        "reviewer": username_of(note.reviewer),
    }


def username_of(user: AbstractBaseUser | None) -> str | None:
    return None if user is None else user.get_username()


def moment(value: datetime.datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _source_object(source: Source | None) -> dict | None:
    if source is None:
        return None
    return {
        "name": source.name,
        "kind": source.kind,
        "aliases": sorted(alias.name for alias in source.aliases.all()),
    }
