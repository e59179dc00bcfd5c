"""Importing interchange records: the one write path of ``import_documents``,
``POST /api/documents/`` and the jobs that import files.

A record is checked against the format (``claims.interchange.parse_document``)
before anything is written; its text is normalised and hashed once, and the
texts of a batch are looked up together, once. A text already stored is left
as it is. Everything else a record holds is written all together or not at
all: a record that breaks a rule leaves no trace, not even the sources it
named.

Records of text and metadata alone (statement spans allowed, but no
attributions or claims), which is what archives hold, are written together,
a few queries for the lot; the others one at a time, in file order.

Who the work is filed under: ``created_by`` is who imports, and the author of
whatever names none. The ``created_by``, ``reviewed_by`` and notes'
``reviewer`` a record names are taken as they are only with
``trust_authorship`` (an administrator's import, which keeps an unknown name
as an inactive placeholder account); otherwise they may name the importer
alone, so that nobody files work under someone else's name.
"""

from collections.abc import Iterable
from contextlib import nullcontext
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import DatabaseError, DataError, transaction

from claims import selectors
from claims.database_refusals import connection_lost, database_refusal
from claims.interchange import (
    AttributionRecord,
    ClaimRecord,
    DocumentRecord,
    InterchangeError,
    NoteRecord,
    SourceSpec,
    describe_error,
    parse_document,
)
from claims.models import Claim, Document, Motivation, Origin, Source, Statement
from claims.services.annotations import annotation_create
from claims.services.attributions import attribution_create
from claims.services.claims import claim_get_or_create
from claims.services.documents import (
    DocumentDraft,
    carriage_return_refusal,
    content_hash,
    document_draft,
    document_store,
    documents_store,
    normalize_text,
)
from claims.services.mentions import claim_mention_create
from claims.services.sources import source_get_or_create
from claims.services.users import user_get_or_create


@dataclass
class ImportOutcome:
    """What became of one record: its document (and whether it is new), or
    why it was refused."""

    where: str
    document: Document | None = None
    created: bool = False
    error: str | None = None


@dataclass
class _Pending:
    """A record checked and its text normalised and hashed, not yet stored."""

    where: str
    record: DocumentRecord
    text: str
    digest: str


def document_import(
    *, record: object, created_by: User | None = None, trust_authorship: bool = False
) -> tuple[Document, bool]:
    """Store one record (a dict of the format); return its document and
    whether it is new. A record that breaks a rule raises
    ``InterchangeError`` or ``ValidationError``, and nothing is written."""
    pending = _prepare("document", parse_document(record))
    stored = selectors.documents_by_hash([pending.digest])
    if pending.digest in stored:
        return stored[pending.digest], False
    try:
        return _store_one(pending, _Authors(created_by, trust_authorship))
    except DataError as error:
        # A value that only the database refuses (PostgreSQL's jsonb holds
        # no NUL, say); _store_one's savepoint has undone the record.
        raise ValidationError(
            f"The database refused a value: {database_refusal(error)}.",
            code="refused",
        ) from None


def documents_import(
    *, records: Iterable[tuple[str, object]], created_by: User | None = None,
    trust_authorship: bool = False,
) -> list[ImportOutcome]:  # fmt: skip
    """Store ``(where, record)`` pairs, each all or nothing; an outcome each.

    Call it inside a transaction: the records that fail are reported in their
    outcomes, and the rest are kept.
    """
    authors = _Authors(created_by, trust_authorship)
    outcomes: list[ImportOutcome | _Pending] = []
    for where, value in records:
        try:
            outcomes.append(_prepare(where, parse_document(value)))
        except InterchangeError as error:
            outcomes.append(ImportOutcome(where, error=str(error)))
    pending = [p for p in outcomes if isinstance(p, _Pending)]
    stored = selectors.documents_by_hash([p.digest for p in pending])
    plain: list[_Pending] = []
    done: dict[int, ImportOutcome] = {}
    for item in pending:
        if item.record.plain:
            plain.append(item)
            continue
        done |= _import_plain(plain, stored, authors)
        plain = []
        done[id(item)] = _import_one(item, stored, authors)
    done |= _import_plain(plain, stored, authors)
    return [done[id(o)] if isinstance(o, _Pending) else o for o in outcomes]


def _prepare(where: str, record: DocumentRecord) -> _Pending:
    if record.spans is not None and (refusal := carriage_return_refusal(record.text)):
        raise InterchangeError(f"text: {refusal}")
    text = normalize_text(record.text)
    return _Pending(where, record, text, content_hash(text))


def _import_plain(
    items: list[_Pending], stored: dict[str, Document], authors: "_Authors"
) -> dict[int, ImportOutcome]:
    """Plain records: drafted one by one, then written together."""
    outcomes: dict[int, ImportOutcome] = {}
    drafts: list[tuple[_Pending, DocumentDraft]] = []
    try:
        with transaction.atomic():
            first_with: dict[str, _Pending] = {}
            for item in items:
                if item.digest in stored or item.digest in first_with:
                    continue  # present: filled in below
                try:
                    # A savepoint only where sources may be created: two
                    # queries a record otherwise spent for nothing.
                    names_sources = item.record.publisher or item.record.authors
                    with transaction.atomic() if names_sources else nullcontext():
                        drafts.append((item, _draft(item, authors)))
                except (InterchangeError, ValidationError) as error:
                    outcomes[id(item)] = ImportOutcome(item.where, error=_say(error))
                else:
                    first_with[item.digest] = item
            written = documents_store([draft for _, draft in drafts])
    except DatabaseError as error:
        if connection_lost(error):
            raise  # nothing more can be stored; the command says so
        # A value the database refuses (a NUL in the metadata, say) fails the
        # lot and what it created; one at a time, only its own record fails.
        return {id(item): _import_one(item, stored, authors) for item in items}
    for (item, _), (document, created) in zip(drafts, written, strict=True):
        stored.setdefault(item.digest, document)
        outcomes[id(item)] = ImportOutcome(item.where, document, created)
    for item in items:
        if id(item) not in outcomes:
            outcomes[id(item)] = ImportOutcome(item.where, stored[item.digest])
    return outcomes


def _import_one(
    item: _Pending, stored: dict[str, Document], authors: "_Authors"
) -> ImportOutcome:
    if item.digest in stored:
        return ImportOutcome(item.where, stored[item.digest])
    try:
        document, created = _store_one(item, authors)
    except (InterchangeError, ValidationError) as error:
        return ImportOutcome(item.where, error=_say(error))
    except DatabaseError as error:
        if connection_lost(error):
            raise
        return ImportOutcome(
            item.where, error=f"the database refused a value: {database_refusal(error)}"
        )
    stored[item.digest] = document
    return ImportOutcome(item.where, document, created)


@transaction.atomic
def _store_one(item: _Pending, authors: "_Authors") -> tuple[Document, bool]:
    """A record with everything it holds, in one transaction."""
    document, created = document_store(_draft(item, authors))
    if created:
        _import_statements(item.record, document, authors)
    return document, created


def _draft(item: _Pending, authors: "_Authors") -> DocumentDraft:
    record = item.record
    draft = document_draft(
        title=record.title,
        text=item.text,
        content_hash=item.digest,
        url=record.url,
        publisher=_resolve(record.publisher, authors.importer),
        authors=[
            source
            for spec in record.authors
            if (source := _resolve(spec, authors.importer)) is not None
        ],
        published_at=record.published_at,
        language=record.language,
        tags=record.tags,
        metadata=record.metadata,
        statements=record.spans,
        created_by=authors.named(record.created_by, "created_by"),
        independent_annotation=authors.independent(
            record.independent_annotation, "independent_annotation"
        ),
    )
    for statement in record.statements or ():
        piece = item.text[statement.start : statement.end]
        if statement.text is not None and statement.text != piece:
            raise InterchangeError(
                f"{statement.where}.text: {statement.text!r} is not the text at "
                f"[{statement.start}, {statement.end}), which reads {piece!r}"
            )
    return draft


def _import_statements(
    record: DocumentRecord, document: Document, authors: "_Authors"
) -> None:
    by_start = {s.start: s for s in document.statements.all()}
    for data in record.statements or ():
        statement = by_start[data.start]
        for attribution in data.attributions:
            _import_attribution(attribution, statement, authors)
        for claim in data.claims:
            _import_claim(claim, statement, authors)
        _import_notes(data.notes, statement, authors)


def _import_attribution(
    data: AttributionRecord, statement: Statement, authors: "_Authors"
) -> None:
    try:
        attribution_create(
            statement=statement,
            kind=data.kind,
            source=_resolve(data.source, authors.importer),
            source_span=data.source_span,
            cue=data.cue,
            content=data.content,
            via=_resolve(data.via, authors.importer),
            primary_source_url=data.primary_source_url,
            origin=data.origin or Origin.IMPORTED,
            status=data.status,
            confidence=data.confidence,
            created_by=authors.named(data.created_by, f"{data.where}.created_by"),
            reviewed_by=authors.named(data.reviewed_by, f"{data.where}.reviewed_by")
            if data.reviewed_by
            else None,
            reviewed_at=data.reviewed_at,
            independent=authors.independent(
                data.independent, f"{data.where}.independent"
            ),
        )
    except ValidationError as error:
        raise InterchangeError(f"{data.where}: {describe_error(error)}") from None


def _import_claim(data: ClaimRecord, statement: Statement, authors: "_Authors") -> None:
    try:
        claim = claim_get_or_create(text=data.text, created_by=authors.importer)
        claim_mention_create(
            claim=claim,
            statement=statement,
            origin=data.origin or Origin.IMPORTED,
            status=data.status,
            created_by=authors.named(data.created_by, f"{data.where}.created_by"),
            reviewed_by=authors.named(data.reviewed_by, f"{data.where}.reviewed_by")
            if data.reviewed_by
            else None,
            reviewed_at=data.reviewed_at,
            independent=authors.independent(
                data.independent, f"{data.where}.independent"
            ),
        )
    except ValidationError as error:
        raise InterchangeError(f"{data.where}: {describe_error(error)}") from None


def notes_import(
    *,
    notes: Iterable[NoteRecord],
    target: Statement | Claim,
    created_by: User | None = None,
    trust_authorship: bool = False,
) -> None:
    """Reviewers' notes on a statement or a claim, filed as ``created_by``
    and ``trust_authorship`` say (the module docstring); the caller's
    transaction holds them."""
    _import_notes(notes, target, _Authors(created_by, trust_authorship))


def _import_notes(
    notes: Iterable[NoteRecord], target: Statement | Claim, authors: "_Authors"
) -> None:
    for note in notes:
        reviewer = authors.named(note.reviewer, f"{note.where}.reviewer")
        if reviewer is None:
            raise InterchangeError(
                f"{note.where}.reviewer: a note needs its reviewer (name one, or "
                "import as someone)"
            )
        try:
            annotation_create(
                target=target,
                reviewer=reviewer,
                motivation=note.motivation or Motivation.COMMENTING,
                body=note.body,
                tags=note.tags,
            )
        except ValidationError as error:
            raise InterchangeError(f"{note.where}: {describe_error(error)}") from None


def _resolve(spec: SourceSpec | None, created_by: User | None) -> Source | None:
    """The source a record names, found or created."""
    if spec is None:
        return None
    try:
        if spec.kind is None and spec.aliases is None:  # named by a string
            return source_get_or_create(name=spec.name, created_by=created_by)
        return source_get_or_create(
            name=spec.name,
            kind=spec.kind,
            aliases=list(spec.aliases or ()),
            created_by=created_by,
        )
    except ValidationError as error:
        raise InterchangeError(f"{spec.where}: {describe_error(error)}") from None


class _Authors:
    """Whom the work of a record is filed under (see the module docstring)."""

    def __init__(self, importer: User | None, trusted: bool) -> None:
        self.importer = importer
        self.trusted = trusted

    def named(self, username: str | None, where: str) -> User | None:
        if username is None:
            return self.importer
        if self.trusted:
            try:
                return user_get_or_create(username=username)
            except ValidationError as error:
                raise InterchangeError(f"{where}: {' '.join(error.messages)}") from None
        if self.importer is not None and username == self.importer.get_username():
            return self.importer
        raise InterchangeError(
            f"{where}: {username!r} is not you; work you import is filed under "
            "your own name"
        )

    def independent(self, value: bool, where: str) -> bool:
        """Independent annotation as a backup kept it: restored by the
        administrator's import alone (editors mark documents, and each
        annotator's rows are made as they work)."""
        if value and not self.trusted:
            raise InterchangeError(
                f"{where}: independent annotation is restored from a backup by "
                "import_documents only; an editor marks a document for it"
            )
        return value


def _say(error: Exception) -> str:
    return describe_error(error) if isinstance(error, ValidationError) else str(error)
