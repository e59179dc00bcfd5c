"""Documents and their statements: ingest (normalise, hash, segment) and delete."""

import hashlib
import unicodedata
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from claims import segmentation
from claims.models import Document, Source, Statement
from claims.services.common import Span, delete_or_refuse, tags_get_or_create


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
    """The one canonical form that offsets count in: Unicode NFC."""
    return unicodedata.normalize("NFC", text)


def content_hash(text: str) -> str:
    """The sha256 of a text's UTF-8 bytes, hex: what makes a document unique."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@transaction.atomic
def document_ingest(
    *,
    title: str,
    text: str,
    url: str = "",
    publisher: Source | None = None,
    authors: Iterable[Source] = (),
    published_at=None,
    language: str = "",
    tags: Iterable[str] = (),
    metadata: dict | None = None,
    statements: Sequence[Span] | None = None,
    created_by=None,
) -> Document:
    """Store a text as a document and split it into statements.

    The text is NFC-normalised first, so that every offset counts code points
    of one canonical form. ``statements`` gives the spans explicitly (offsets
    into the text as given, which must then already be NFC); without it the
    text is segmented into sentences. A text already stored raises
    ``DuplicateDocumentError``.
    """
    if not text or not text.strip():
        raise ValidationError({"text": "The text is empty."}, code="empty")
    normalized = normalize_text(text)
    if statements is not None and normalized != text:
        raise ValidationError(
            {
                "text": "The text is not in Unicode NFC form, so the statement "
                "offsets given with it would point at other characters; "
                "normalise the text and its offsets first."
            },
            code="not_nfc",
        )
    digest = content_hash(normalized)
    existing = Document.objects.filter(content_hash=digest).first()
    if existing is not None:
        raise DuplicateDocumentError(existing)

    spans = (
        [(span.start, span.end) for span in segmentation.segment(normalized)]
        if statements is None
        else check_statement_spans(normalized, statements)
    )
    document = Document(
        title=title.strip(),
        text=normalized,
        content_hash=digest,
        url=url,
        publisher=publisher,
        published_at=published_at,
        language=language,
        metadata=metadata or {},
        created_by=created_by,
    )
    # Uniqueness (the hash) is checked above and the check constraints (text,
    # title, hash length) by construction; re-checking them here would cost a
    # query each for every document of a bulk import.
    document.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError:
        # Another transaction stored the same text since the check above.
        raise DuplicateDocumentError(
            Document.objects.get(content_hash=digest)
        ) from None
    if authors:
        document.authors.set(authors)
    if tags:
        document.tags.set(tags_get_or_create(tags))
    # The spans were checked in one pass above and the database re-checks each
    # row's constraints, so bulk_create skips the per-row full_clean (which
    # would cost several queries a statement).
    Statement.objects.bulk_create(
        Statement(
            document=document, index=i, start=start, end=end, text=normalized[start:end]
        )
        for i, (start, end) in enumerate(spans)
    )
    return document


def check_statement_spans(text: str, spans: Sequence[Span]) -> list[Span]:
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


@transaction.atomic
def document_delete(*, document: Document) -> None:
    """Delete a document and its statements, unless reviewers' work hangs on them."""
    delete_or_refuse(document)
