"""The interchange format: JSON Lines, one document per line (DESIGN.md).

Import and export write the same shape::

    {"title": ..., "text": ..., "url", "publisher", "authors", "published_at",
     "language", "tags", "metadata", "id",
     "statements": [{"start", "end", "text", "id",
                     "attributions": [{"kind", "source", "source_span", "cue",
                                       "content", "via", "primary_source_url",
                                       "origin", "status", "confidence",
                                       "created_by", "id"}],
                     "claims": ["claim text", ...]}]}

Offsets are code-point indices into the document's NFC text, from its start
(``text[start:end]``). A source is a name or ``{"name", "kind", "aliases"}``;
export writes the object. Unknown keys are an error. ``id`` keys are
informational: import finds a document by its content hash, so importing the
same text twice changes nothing, and an export imported into an empty database
exports again to the same content apart from ids.
"""

import datetime
from contextlib import nullcontext
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from claims import selectors, services
from claims.models import AttributionKind, Document, Origin, ReviewStatus, Source


class InterchangeError(ValueError):
    """A record that does not follow the format; the message names where.

    Messages read ``"<where>: <reason>"``, where is a path into the record
    (``statements[2].attributions[0].kind``).
    """

    @property
    def path(self) -> str:
        return str(self).partition(": ")[0]

    @property
    def reason(self) -> str:
        return str(self).partition(": ")[2] or str(self)


DOCUMENT_KEYS = {
    "title", "text", "url", "publisher", "authors", "published_at", "language",
    "tags", "metadata", "statements", "id",
}  # fmt: skip
STATEMENT_KEYS = {"start", "end", "text", "attributions", "claims", "id"}
ATTRIBUTION_KEYS = {
    "kind", "source", "source_span", "cue", "content", "via", "primary_source_url",
    "origin", "status", "confidence", "created_by", "id",
}  # fmt: skip
SOURCE_KEYS = {"name", "kind", "aliases"}
SPAN_KEYS = {"start", "end"}


@dataclass
class ImportResult:
    document: Document
    created: bool


@dataclass
class RecordOutcome:
    """What became of one record of ``import_records``: a result or an error."""

    where: str
    result: ImportResult | None = None
    error: str | None = None


# Import ---------------------------------------------------------------------


def import_record(
    record, *, created_by=None, trust_authorship: bool = False
) -> ImportResult:
    """Store one document record with its statements, attributions and claims.

    ``created_by`` is who imports it, and the author of what names none.
    ``created_by`` keys in the record are taken as they are only when
    ``trust_authorship`` (an administrator's import); otherwise they may name
    the importer alone, so that nobody files work under someone else's name.

    All of it or nothing: a record that breaks a rule raises ``InterchangeError``
    (or ``ValidationError`` from a service) and leaves no trace. A text already
    stored is left as it is, once the record's shape is checked.
    """
    fields = _document_fields(record)
    digest = services.content_hash(services.normalize_text(fields["text"]))
    try:
        with transaction.atomic():
            stored = selectors.documents_by_hash([digest]).get(digest)
            if stored is not None:
                return ImportResult(stored, created=False)
            document = services.document_ingest(**_with_sources(fields, created_by))
            _check_statement_texts(record, document.text)
            _import_statements(record, document, created_by, trust_authorship)
    except services.DuplicateDocumentError as duplicate:  # stored meanwhile
        return ImportResult(duplicate.document, created=False)
    return ImportResult(document, created=True)


def import_records(
    items, *, created_by=None, trust_authorship: bool = False
) -> list[RecordOutcome]:
    """Store ``(where, record)`` pairs, each all or nothing, as ``import_record``.

    Records of text and metadata alone (statement spans allowed, but no
    attributions or claims), which is what archives hold, are checked one by
    one and then written together, with a few queries for the lot; the others
    are stored one at a time, in file order. Call it inside a transaction: the
    records that fail are reported in their outcomes, and the rest are kept.
    """
    outcomes, plain = [], []
    for where, record in items:
        if _is_plain(record):
            plain.append((where, record))
            continue
        outcomes += _import_plain(plain, created_by, trust_authorship)
        plain = []
        outcomes.append(_import_one(where, record, created_by, trust_authorship))
    return outcomes + _import_plain(plain, created_by, trust_authorship)


def _is_plain(record) -> bool:
    """Text and metadata alone: no statement carries attributions or claims."""
    if not isinstance(record, dict):
        return False
    statements = record.get("statements")
    if statements is None:
        return True
    return isinstance(statements, list) and all(
        isinstance(s, dict)
        and s.get("attributions") in (None, [])
        and s.get("claims") in (None, [])
        for s in statements
    )


def _import_plain(items, created_by, trusted) -> list[RecordOutcome]:
    """Plain records (see ``import_records``): texts stored already are found in
    one query and left alone, the others checked and written together."""
    outcomes: dict[int, RecordOutcome] = {}
    checked = []
    for position, (where, record) in enumerate(items):
        try:
            fields = _document_fields(record)
        except InterchangeError as error:
            outcomes[position] = RecordOutcome(where, error=str(error))
        else:
            text = services.normalize_text(fields["text"])
            checked.append((position, record, fields, services.content_hash(text)))
    stored = selectors.documents_by_hash([digest for *_, digest in checked])
    try:
        with transaction.atomic():
            drafts, first_with = [], {}
            for position, record, fields, digest in checked:
                where = items[position][0]
                if digest in stored or digest in first_with:
                    continue  # present: filled in below
                try:
                    # A savepoint only where sources may be created: two
                    # queries a record otherwise spent for nothing.
                    with (
                        transaction.atomic()
                        if _names_sources(fields)
                        else nullcontext()
                    ):
                        draft = services.document_draft(
                            **_with_sources(fields, created_by)
                        )
                        _check_statement_texts(record, draft.document.text)
                except (InterchangeError, ValidationError) as error:
                    outcomes[position] = RecordOutcome(where, error=_message(error))
                else:
                    first_with[digest] = position
                    drafts.append((position, draft))
            written = services.documents_ingest([draft for _, draft in drafts])
    except DatabaseError:
        # A value the database refuses (a NUL in the metadata, say) fails the
        # lot and what it created; one at a time, only its own record fails.
        return [
            _import_one(where, record, created_by, trusted) for where, record in items
        ]
    for (position, _), (document, created) in zip(drafts, written, strict=True):
        stored.setdefault(document.content_hash, document)
        outcomes[position] = RecordOutcome(
            items[position][0], ImportResult(document, created)
        )
    for position, _, _, digest in checked:
        if position not in outcomes:
            outcomes[position] = RecordOutcome(
                items[position][0], ImportResult(stored[digest], created=False)
            )
    return [outcomes[position] for position in range(len(items))]


def _import_one(where, record, created_by, trusted) -> RecordOutcome:
    try:
        result = import_record(record, created_by=created_by, trust_authorship=trusted)
    except (InterchangeError, ValidationError) as error:
        return RecordOutcome(where, error=_message(error))
    except DatabaseError as error:
        return RecordOutcome(
            where, error=f"the database refused a value: {error}".strip()
        )
    return RecordOutcome(where, result)


def _message(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return describe_error(error)
    return str(error)


def _document_fields(record) -> dict:
    """The ``document_draft`` arguments of a record, checked, with its publisher
    and authors as ``_SourceSpec``s (``_with_sources`` finds or makes them)."""
    _check_object(record, "document", DOCUMENT_KEYS, required={"title", "text"})
    statements = record.get("statements")
    if statements is not None and not isinstance(statements, list):
        raise InterchangeError("statements: expected a list")
    spans = None
    if statements is not None:
        spans = []
        for i, statement in enumerate(statements):
            where = f"statements[{i}]"
            _check_object(statement, where, STATEMENT_KEYS, {"start", "end"})
            spans.append(
                _span({"start": statement["start"], "end": statement["end"]}, where)
            )
    tags = _list(record, "tags", "document")
    if not all(isinstance(tag, str) for tag in tags):
        raise InterchangeError("document.tags: expected a list of strings")
    publisher = record.get("publisher")
    return {
        "title": _string(record, "title", "document"),
        "text": _string(record, "text", "document"),
        "url": _optional_string(record, "url", "document"),
        "publisher": None
        if publisher is None
        else _source_spec(publisher, "publisher"),
        "authors": [
            _source_spec(author, f"authors[{i}]")
            for i, author in enumerate(_list(record, "authors", "document"))
        ],
        "published_at": _published_at(record.get("published_at")),
        "language": _optional_string(record, "language", "document"),
        "tags": tags,
        "metadata": _metadata(record.get("metadata")),
        "statements": spans,
    }


def _names_sources(fields: dict) -> bool:
    return fields["publisher"] is not None or bool(fields["authors"])


def _with_sources(fields: dict, created_by) -> dict:
    """The fields with their publisher and authors found or created."""
    publisher = fields["publisher"]
    return fields | {
        "publisher": None if publisher is None else _resolve(publisher, created_by),
        "authors": [_resolve(spec, created_by) for spec in fields["authors"]],
        "created_by": created_by,
    }


def _check_statement_texts(record: dict, text: str) -> None:
    """A statement's ``text``, where given, must be what its span reads."""
    for i, data in enumerate(record.get("statements") or ()):
        start, end = data["start"], data["end"]
        if "text" in data and data["text"] != text[start:end]:
            raise InterchangeError(
                f"statements[{i}].text: {data['text']!r} is not the text at "
                f"[{start}, {end}), which reads {text[start:end]!r}"
            )


def _import_statements(record: dict, document, created_by, trusted) -> None:
    if not record.get("statements"):
        return
    by_start = {s.start: s for s in document.statements.all()}
    for i, data in enumerate(record["statements"]):
        _import_statement(
            data, by_start[data["start"]], f"statements[{i}]", created_by, trusted
        )


def _import_statement(data: dict, statement, where: str, created_by, trusted) -> None:
    for i, attribution in enumerate(_list(data, "attributions", where)):
        _import_attribution(
            attribution, statement, f"{where}.attributions[{i}]", created_by, trusted
        )
    for i, claim_text in enumerate(_list(data, "claims", where)):
        if not isinstance(claim_text, str) or not claim_text.strip():
            raise InterchangeError(f"{where}.claims[{i}]: expected a claim's text")
        claim = services.claim_get_or_create(text=claim_text, created_by=created_by)
        services.claim_mention_create(
            claim=claim,
            statement=statement,
            origin=Origin.IMPORTED,
            created_by=created_by,
        )


def _import_attribution(data, statement, where: str, importer, trusted) -> None:
    _check_object(data, where, ATTRIBUTION_KEYS, required={"kind"})
    kind = _choice(data, "kind", AttributionKind, where)
    origin = _choice(data, "origin", Origin, where, default=Origin.IMPORTED)
    status = _choice(data, "status", ReviewStatus, where, default=None)
    confidence = data.get("confidence")
    if confidence is not None and (
        isinstance(confidence, bool) or not isinstance(confidence, int | float)
    ):
        raise InterchangeError(f"{where}.confidence: expected a number from 0 to 1")
    try:
        services.attribution_create(
            statement=statement,
            kind=kind,
            source=_source_or_none(data.get("source"), f"{where}.source", importer),
            source_span=_span(data.get("source_span"), f"{where}.source_span"),
            cue=_span(data.get("cue"), f"{where}.cue"),
            content=_span(data.get("content"), f"{where}.content"),
            via=_source_or_none(data.get("via"), f"{where}.via", importer),
            primary_source_url=_optional_string(data, "primary_source_url", where),
            origin=origin,
            status=status,
            confidence=confidence,
            created_by=_author(
                data.get("created_by"), f"{where}.created_by", importer, trusted
            ),
        )
    except ValidationError as error:
        raise InterchangeError(f"{where}: {describe_error(error)}") from None


def _check_object(value, where: str, allowed: set[str], required: set[str]) -> None:
    if not isinstance(value, dict):
        raise InterchangeError(f"{where}: expected an object")
    unknown = sorted(set(value) - allowed)
    if unknown:
        raise InterchangeError(
            f"{where}: unknown key{'s' if len(unknown) > 1 else ''} "
            f"{', '.join(unknown)} (allowed: {', '.join(sorted(allowed))})"
        )
    missing = sorted(required - set(value))
    if missing:
        raise InterchangeError(f"{where}: missing {', '.join(missing)}")


def _string(data: dict, key: str, where: str) -> str:
    value = data[key]
    if not isinstance(value, str):
        raise InterchangeError(f"{where}.{key}: expected a string")
    return value


def _optional_string(data: dict, key: str, where: str) -> str:
    return "" if data.get(key) is None else _string(data, key, where)


def _list(data: dict, key: str, where: str) -> list:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise InterchangeError(f"{where}.{key}: expected a list")
    return value


def _choice(data: dict, key: str, choices, where: str, default=...):
    value = data.get(key)
    if value is None and default is not ...:
        return default
    if value not in choices.values:
        raise InterchangeError(
            f"{where}.{key}: unknown {key} {value!r} "
            f"(expected one of {', '.join(sorted(choices.values))})"
        )
    return value


def _span(value, where: str) -> tuple[int, int] | None:
    if value is None:
        return None
    _check_object(value, where, SPAN_KEYS, required=SPAN_KEYS)
    start, end = value["start"], value["end"]
    if not all(isinstance(n, int) and not isinstance(n, bool) for n in (start, end)):
        raise InterchangeError(f"{where}: start and end must be integers")
    return start, end


@dataclass
class _SourceSpec:
    """A source as a record names it, checked, not yet looked up."""

    where: str
    name: str
    kind: str | None = None
    aliases: list[str] | None = None


def _source_spec(value, where: str) -> _SourceSpec:
    if isinstance(value, str):
        return _SourceSpec(where, value)
    _check_object(value, where, SOURCE_KEYS, required={"name"})
    kind = value.get("kind")
    if kind is not None and kind not in Source.Kind.values:
        raise InterchangeError(
            f"{where}.kind: unknown source kind {kind!r} "
            f"(expected one of {', '.join(Source.Kind.values)})"
        )
    aliases = value.get("aliases") or []
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise InterchangeError(f"{where}.aliases: expected a list of names")
    return _SourceSpec(where, _string(value, "name", where), kind, aliases)


def _resolve(spec: _SourceSpec, created_by=None) -> Source:
    if spec.kind is None and spec.aliases is None:  # named by a string
        return services.source_get_or_create(name=spec.name, created_by=created_by)
    try:
        return services.source_get_or_create(
            name=spec.name,
            kind=spec.kind,
            aliases=spec.aliases,
            created_by=created_by,
        )
    except ValidationError as error:
        raise InterchangeError(f"{spec.where}: {describe_error(error)}") from None


def _source_or_none(value, where: str, created_by=None) -> Source | None:
    return None if value is None else _resolve(_source_spec(value, where), created_by)


def _published_at(value) -> datetime.datetime | None:
    """An ISO 8601 date or datetime; a date or a naive time is taken as UTC."""
    if value is None:
        return None
    try:
        parsed = (
            (parse_datetime(value) or parse_date(value))
            if isinstance(value, str)
            else None
        )
    except ValueError:  # well-formed but impossible, like February 30
        parsed = None
    if parsed is None:
        raise InterchangeError(
            f"published_at: {value!r} is not an ISO 8601 date or datetime"
        )
    if not isinstance(parsed, datetime.datetime):
        parsed = datetime.datetime.combine(parsed, datetime.time())
    if timezone.is_naive(parsed):
        parsed = parsed.replace(tzinfo=datetime.UTC)
    return parsed


def _metadata(value) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InterchangeError("metadata: expected an object")
    return value


def _author(username, where: str, importer, trusted: bool):
    """Whom an attribution is filed under (see ``import_record``)."""
    if username is None:
        return importer
    if trusted:
        return user_for_username(username, where)
    if importer is not None and username == importer.get_username():
        return importer
    raise InterchangeError(
        f"{where}: {username!r} is not you; work you import is filed under "
        "your own name"
    )


def user_for_username(username, where: str):
    """The user of this name; an unknown one becomes an inactive placeholder.

    So authorship survives a move to another database, and nobody can sign in
    as the placeholder until an administrator sets it up.
    """
    if username is None:
        return None
    if not isinstance(username, str) or not username:
        raise InterchangeError(f"{where}: expected a username")
    user_model = get_user_model()
    try:
        user_model._meta.get_field(user_model.USERNAME_FIELD).clean(username, None)
    except ValidationError as error:
        raise InterchangeError(f"{where}: {' '.join(error.messages)}") from None
    user, created = user_model.objects.get_or_create(
        username=username, defaults={"is_active": False}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def describe_error(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{field}: {' '.join(messages)}"
            for field, messages in error.message_dict.items()
        )
    return " ".join(error.messages)


# Export ---------------------------------------------------------------------


def export_records(documents=None):
    """Yield one interchange record per document, with everything it holds."""
    queryset = selectors.documents_for_export() if documents is None else documents
    for document in queryset.iterator(chunk_size=200):
        yield export_document(document)


def export_document(document: Document) -> dict:
    return {
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
                    _attribution_object(a) for a in statement.attributions.all()
                ],
                "claims": [m.claim.text for m in statement.claim_mentions.all()],
            }
            for statement in document.statements.all()
        ],
    }


def _attribution_object(attribution) -> dict:
    def span(start, end):
        return None if start is None else {"start": start, "end": end}

    return {
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
        "created_by": attribution.created_by.get_username()
        if attribution.created_by
        else None,
    }


def _source_object(source: Source | None) -> dict | None:
    if source is None:
        return None
    return {
        "name": source.name,
        "kind": source.kind,
        "aliases": sorted(alias.name for alias in source.aliases.all()),
    }
