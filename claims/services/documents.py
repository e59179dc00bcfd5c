"""Documents and their statements: ingest (normalise, hash, segment) and delete."""

import datetime
import hashlib
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from claims import segmentation
from claims.models import Document, Source, Statement
from claims.segmentation import Offsets
from claims.services.bulk import insert_rows
from claims.services.common import (
    UNSET,
    Unset,
    apply_changes,
    check_tag_name,
    delete_or_refuse,
    lock_for_update,
    tags_differ,
    tags_get_or_create,
)


class DuplicateDocumentError(ValidationError):
    """The text is already stored; ``document`` is the one that holds it."""

    def __init__(self, document: Document):
        super().__init__(
            "This text is already stored as document %(id)s (“%(title)s”).",
            code="duplicate",
            params={"id": document.pk, "title": document.title},
        )
        self.document = document


def normalize_text(text: str) -> str:
    """The one canonical form that offsets count in: LF line endings (CR LF
    and a lone CR become LF, as a browser's CR LF from a pasted text would
    otherwise make a second document of a file's LF one), then Unicode NFC.
    A text that is LF and NFC already is left exactly as it is."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def carriage_return_refusal(text: str) -> str | None:
    """Why offsets given with this text cannot be used, if it holds a CR."""
    if "\r" not in text:
        return None
    return (
        f"The text holds a carriage return (CR) at {text.index(chr(13))}: line "
        "endings are normalised to LF when a text is stored, which would move "
        "the statement offsets given with it; convert the text to LF line "
        "endings and its offsets with it first."
    )


def content_hash(text: str) -> str:
    """The sha256 of a text's UTF-8 bytes, hex: what makes a document unique."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_hash = content_hash  # for document_draft, whose argument has the same name


@dataclass
class DocumentDraft:
    """A document checked and ready to store, with what goes with it."""

    document: Document  # unsaved
    spans: list[Offsets]
    tags: list[str]
    authors: list[Source]


def document_draft(
    *,
    title: str,
    text: str,
    url: str = "",
    publisher: Source | None = None,
    authors: Iterable[Source] = (),
    published_at: datetime.date | None = None,
    language: str = "",
    tags: Iterable[str] = (),
    metadata: dict[str, Any] | None = None,
    statements: Sequence[Offsets] | None = None,
    created_by: User | None = None,
    content_hash: str | None = None,
    independent_annotation: bool = False,
) -> DocumentDraft:
    """Check a text and its fields and split it into statements, without writing.

    The text is normalised first (LF line endings, then NFC), so that every
    offset counts code points of one canonical form. ``statements`` gives
    the spans explicitly (offsets into the text as given, which must then
    already be LF and NFC); without it the
    text is segmented into sentences. Whether the text is stored already is
    for the caller to find out (``document_ingest``, ``documents_ingest``).

    ``content_hash``, where the caller has looked the text up by it already,
    says that ``text`` is normalised and this is its hash, so neither is
    computed again (the database checks the hash on PostgreSQL all the same).
    """
    if not text or not text.strip():
        raise ValidationError({"text": "The text is empty."}, code="empty")
    for field, value in (("title", title), ("text", text)):
        if "\x00" in value:
            raise ValidationError(
                {
                    field: f"The {field} holds a NUL character (U+0000) at "
                    f"{value.index(chr(0))}; no database here can store it."
                },
                code="nul",
            )
    normalized = text if content_hash else normalize_text(text)
    if statements is not None and (refusal := carriage_return_refusal(text)):
        raise ValidationError({"text": refusal}, code="carriage_return")
    if statements is not None and normalized != text:
        raise ValidationError(
            {
                "text": "The text is not in Unicode NFC form, so the statement "
                "offsets given with it would point at other characters; "
                "normalise the text and its offsets first."
            },
            code="not_nfc",
        )
    spans = (
        [(span.start, span.end) for span in segmentation.segment(normalized)]
        if statements is None
        else check_statement_spans(normalized, statements)
    )
    document = Document(
        title=title.strip(),
        text=normalized,
        content_hash=content_hash or _hash(normalized),
        url=url,
        publisher=publisher,
        published_at=published_at,
        language=language,
        metadata=metadata or {},
        created_by=created_by,
        independent_annotation=independent_annotation,
    )
    # Uniqueness (the hash) is the caller's to check, and the check
    # constraints (text, title, hash length) hold by construction; re-checking
    # them here would cost a query each for every document of a bulk import.
    # So would the foreign keys' check that the publisher and the user exist:
    # they come as stored objects, and the database's keys refuse any other
    # (an import job files every document under its uploader: a query a
    # document was a quarter of the job's time).
    document.full_clean(
        exclude=["publisher", "created_by"],
        validate_unique=False,
        validate_constraints=False,
    )
    tag_names = list(dict.fromkeys(name.strip() for name in tags))
    for name in tag_names:
        check_tag_name(name)
    return DocumentDraft(document, spans, tag_names, list(authors))


@transaction.atomic
def document_ingest(**fields: Any) -> Document:
    """Store a text as a document and split it into statements.

    Takes the fields of ``document_draft``. A text already stored raises
    ``DuplicateDocumentError``.
    """
    # A text stored already is refused before anything else is checked.
    digest = content_hash(normalize_text(fields.get("text") or ""))
    existing = Document.objects.filter(content_hash=digest).first()
    if existing is not None:
        raise DuplicateDocumentError(existing)
    draft = document_draft(**fields)
    try:
        with transaction.atomic():
            draft.document.save()
    except IntegrityError:
        # Another transaction stored the same text since the check above.
        raise DuplicateDocumentError(
            Document.objects.get(content_hash=digest)
        ) from None
    _store_parts([draft])
    return draft.document


@transaction.atomic
def documents_ingest(drafts: Sequence[DocumentDraft]) -> list[tuple[Document, bool]]:
    """Store many drafts with a handful of queries, whatever their number.

    Returns, for each draft, its document and whether it was created now;
    a text stored already (by an earlier draft of the same call, too) gives
    the stored document.
    """
    hashes = [draft.document.content_hash for draft in drafts]
    stored = {
        document.content_hash: document
        for document in Document.objects.filter(content_hash__in=hashes)
    }
    new = []
    for draft, digest in zip(drafts, hashes, strict=True):
        if digest not in stored:
            stored[digest] = draft.document
            new.append(draft)
    written = dict(zip(map(id, new), documents_store(new), strict=True))
    return [
        written.get(id(draft), (stored[digest], False))
        for draft, digest in zip(drafts, hashes, strict=True)
    ]


@transaction.atomic
def documents_store(drafts: Sequence[DocumentDraft]) -> list[tuple[Document, bool]]:
    """Store drafts of texts the caller found were not stored, in bulk.

    Returns, for each, its document and whether it was created now. Should
    another transaction store one of the texts meanwhile, the drafts are
    stored one by one instead (``document_store``), so that one duplicate
    does not fail the others.
    """
    try:
        with transaction.atomic():
            Document.objects.bulk_create([draft.document for draft in drafts])
            _store_parts(drafts)
    except IntegrityError:
        for draft in drafts:
            draft.document.pk = None
        return [document_store(draft) for draft in drafts]
    return [(draft.document, True) for draft in drafts]


@transaction.atomic
def document_store(draft: DocumentDraft) -> tuple[Document, bool]:
    """Store one draft with its statements; a text stored meanwhile by another
    transaction gives that document, and False."""
    try:
        with transaction.atomic():
            draft.document.save()
    except IntegrityError:
        stored = Document.objects.filter(content_hash=draft.document.content_hash)
        if not stored:
            raise  # not the text's uniqueness: the caller's to report
        return stored[0], False
    _store_parts([draft])
    return draft.document, True


def _store_parts(drafts: Sequence[DocumentDraft]) -> None:
    """Statements, tags and authors of documents just saved, in bulk.

    The spans were checked in one pass and the database re-checks each row's
    constraints, so the rows go in as they are: no model instance or
    full_clean each (several queries a statement).
    """
    insert_rows(
        Statement,
        ["document", "index", "start", "end", "text"],
        (
            (draft.document.pk, i, start, end, draft.document.text[start:end])
            for draft in drafts
            for i, (start, end) in enumerate(draft.spans)
        ),
    )
    tags = tags_get_or_create(name for draft in drafts for name in draft.tags)
    tag_ids = {tag.name: tag.pk for tag in tags}
    insert_rows(
        Document.tags.through,
        ["document", "tag"],
        ((draft.document.pk, tag_ids[name]) for draft in drafts for name in draft.tags),
    )
    insert_rows(
        Document.authors.through,
        ["document", "source"],
        (
            (draft.document.pk, source.pk)
            for draft in drafts
            for source in dict.fromkeys(draft.authors)
        ),
    )


def check_statement_spans(text: str, spans: Sequence[Offsets]) -> list[Offsets]:
    """Return the spans sorted, or raise naming the first one that is invalid.

    A span lies inside the text, is not empty, has no surrounding whitespace,
    and does not overlap another.
    """
    for start, end in spans:
        if not all(type(n) is int for n in (start, end)):
            raise ValidationError(
                f"Statement [{start!r}, {end!r}): offsets must be integers.",
                code="offsets",
            )
    ordered = sorted(spans)
    previous_end = 0
    for position, (start, end) in enumerate(ordered):
        where = f"Statement [{start}, {end})"
        if start < 0 or end > len(text):
            raise ValidationError(
                f"{where} lies outside the text, which has {len(text)} code points.",
                code="out_of_range",
            )
        if end <= start:
            raise ValidationError(f"{where} is empty.", code="empty_span")
        if position and start < previous_end:
            raise ValidationError(
                f"{where} overlaps the statement ending at {previous_end}.",
                code="overlap",
            )
        piece = text[start:end]
        if piece != piece.strip():
            raise ValidationError(
                f"{where} begins or ends with whitespace: {piece!r}.",
                code="whitespace",
            )
        previous_end = end
    return ordered


# A document's details: what ``document_update`` may change in its row.
DETAILS = ["title", "url", "publisher", "published_at", "language"]


def published_at_of(value: datetime.date | None) -> datetime.datetime | None:
    """A publication date as stored: a date alone is that day, at 00:00 UTC
    (as the interchange format reads one)."""
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return datetime.datetime.combine(value, datetime.time(), tzinfo=datetime.UTC)
    return value


@transaction.atomic
def document_update(
    *,
    document: Document,
    expected_version: int | None = None,
    title: str | Unset = UNSET,
    url: str | Unset = UNSET,
    publisher: Source | Unset | None = UNSET,
    authors: Iterable[Source] | Unset = UNSET,
    published_at: datetime.date | Unset | None = UNSET,
    language: str | Unset = UNSET,
    tags: Iterable[str] | Unset = UNSET,
    text: str | Unset = UNSET,
) -> Document:
    """Correct a document's details; ``authors`` and ``tags``, when given, are
    the whole new lists.

    The text is not among them: statements, attributions and their cues
    point into it by offset, so it cannot change once it has statements
    (every stored text has). Passing the text it already has is allowed.
    """
    document = lock_for_update(document, expected_version)
    tags = list(tags) if tags is not UNSET else UNSET
    authors = list(authors) if authors is not UNSET else UNSET
    if text is not UNSET and text != document.text:
        raise ValidationError(
            {
                "text": "The text cannot change once it has statements: their "
                "offsets, and every cue and source span, point into it. "
                "Correct the title, date, publisher, URL, authors, language "
                "or tags; store a corrected text as a new document."
            },
            code="text_immutable",
        )
    if published_at is not UNSET:
        published_at = published_at_of(published_at)
    if title is not UNSET:
        title = title.strip()
    apply_changes(
        document,
        {
            "title": title,
            "url": url,
            "publisher": publisher,
            "published_at": published_at,
            "language": language,
        },
    )
    document.full_clean()
    relations_changed = (tags is not UNSET and tags_differ(document, tags)) or (
        authors is not UNSET
        and {author.pk for author in authors}
        != set(document.authors.values_list("pk", flat=True))
    )
    if not (relations_changed or document.differs_from_stored()):
        return document  # A correction that corrects nothing writes nothing.
    document.version += 1
    # Not the text (nor its hash): it does not change, and rewriting it
    # would send it, however long, to the database again.
    document.save(update_fields=[*DETAILS, "version"])
    document.remember_stored()
    if tags is not UNSET:
        document.tags.set(tags_get_or_create(tags))
    if authors is not UNSET:
        document.authors.set(list(dict.fromkeys(authors)))
    return document


@transaction.atomic
def document_delete(*, document: Document) -> None:
    """Delete a document and its statements, unless reviewers' work hangs on them."""
    delete_or_refuse(document)
