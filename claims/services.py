"""Every write that has rules, one function each: the admin, the API and the
management commands call these and never write the models themselves.

Each service takes keyword arguments, validates before it writes, and runs in
one transaction: a ``ValidationError`` leaves the database as it was.
"""

import hashlib
import unicodedata
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from claims import segmentation
from claims.models import (
    Annotation,
    Attribution,
    Claim,
    ClaimMention,
    ClaimReview,
    ClaimReviewStatus,
    ClaimStatus,
    Document,
    Origin,
    ReviewStatus,
    Source,
    SourceAlias,
    SourceKind,
    Statement,
    Tag,
)
from claims.names import normalize_name
from claims.selectors import claim_by_text, source_by_name

Span = tuple[int, int]


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


# Documents and statements ---------------------------------------------------


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


def tags_get_or_create(names: Iterable[str]) -> list[Tag]:
    """The tags of these names, created where missing."""
    tags = []
    for name in dict.fromkeys(n.strip() for n in names):
        if not name:
            raise ValidationError("A tag name is empty.", code="empty_tag")
        tags.append(Tag.objects.get_or_create(name=name)[0])
    return tags


# Sources --------------------------------------------------------------------


@transaction.atomic
def source_create(
    *,
    name: str,
    kind: str = SourceKind.OTHER,
    aliases: Iterable[str] = (),
    description: str = "",
    url: str = "",
    wikidata_id: str = "",
    proposed: bool = False,
) -> Source:
    """Create a source; its name may not be another source's name or alias."""
    normalized = normalize_name(name)
    _refuse_taken_name(name, normalized, owner=None)
    source = Source(
        name=name.strip(),
        normalized_name=normalized,
        kind=kind,
        description=description,
        url=url,
        wikidata_id=wikidata_id,
        proposed=proposed,
    )
    source.full_clean()
    source.save()
    for alias in aliases:
        source_add_alias(source=source, name=alias)
    return source


@transaction.atomic
def source_add_alias(*, source: Source, name: str) -> SourceAlias | None:
    """Record another name of a source; nothing happens if it already has it."""
    normalized = normalize_name(name)
    if normalized == source.normalized_name:
        return None
    existing = SourceAlias.objects.filter(normalized_name=normalized).first()
    if existing is not None and existing.source_id == source.pk:
        return existing
    _refuse_taken_name(name, normalized, owner=source)
    alias = SourceAlias(source=source, name=name.strip(), normalized_name=normalized)
    alias.full_clean()
    alias.save()
    return alias


def _refuse_taken_name(name: str, normalized: str, *, owner: Source | None) -> None:
    if not normalized:
        raise ValidationError({"name": "A source name is empty."}, code="empty")
    holder = source_by_name(normalized, normalized=True)
    if holder is not None and holder != owner:
        raise ValidationError(
            {"name": f"“{name}” already names source {holder.pk} (“{holder}”)."},
            code="name_taken",
        )


@transaction.atomic
def source_get_or_create(
    *, name: str, kind: str | None = None, aliases: Iterable[str] = ()
) -> Source:
    """The source this name or alias denotes, created if unknown.

    Aliases are added to a source that is found; its kind is left as it is.
    """
    source = source_by_name(name)
    if source is None:
        return source_create(name=name, kind=kind or SourceKind.OTHER, aliases=aliases)
    for alias in aliases:
        source_add_alias(source=source, name=alias)
    return source


# Attributions ---------------------------------------------------------------


def initial_status(origin: str) -> str:
    """A suggestion waits for a reviewer; manual and imported work stands."""
    if origin == Origin.SUGGESTED:
        return ReviewStatus.SUGGESTED
    return ReviewStatus.ACCEPTED


@transaction.atomic
def attribution_create(
    *,
    statement: Statement,
    kind: str,
    source: Source | None = None,
    source_span: Span | None = None,
    cue: Span | None = None,
    content: Span | None = None,
    via: Source | None = None,
    primary_source_url: str = "",
    origin: str = Origin.MANUAL,
    status: str | None = None,
    confidence: float | None = None,
    created_by=None,
) -> Attribution:
    """Record who a statement is attributed to, and how.

    Spans are document offsets and may lie outside the statement (the cue of
    a continuation quote sits in the sentence before). A reviewer's own
    attribution is accepted as made; a suggestion waits for review.
    """
    if status is None:
        status = initial_status(origin)
    text_length = len(statement.document.text)
    spans = {"source_span": source_span, "cue": cue, "content": content}
    for field, span in spans.items():
        if span is not None:
            _check_span_in_text(field, span, text_length)
    attribution = Attribution(
        statement=statement,
        kind=kind,
        source=source,
        source_start=source_span[0] if source_span else None,
        source_end=source_span[1] if source_span else None,
        cue_start=cue[0] if cue else None,
        cue_end=cue[1] if cue else None,
        content_start=content[0] if content else None,
        content_end=content[1] if content else None,
        via=via,
        primary_source_url=primary_source_url,
        origin=origin,
        status=status,
        confidence=confidence,
        created_by=created_by,
    )
    attribution.full_clean()
    attribution.save()
    return attribution


def _check_span_in_text(field: str, span: Span, text_length: int) -> None:
    start, end = span
    if not (0 <= start < end <= text_length):
        raise ValidationError(
            {
                field: f"[{start}, {end}) is not a non-empty span of the document, "
                f"which has {text_length} code points."
            },
            code="out_of_range",
        )


@transaction.atomic
def attribution_accept(*, attribution: Attribution, by) -> Attribution:
    """A reviewer takes a suggested attribution as it is."""
    return _attribution_set_status(attribution, ReviewStatus.ACCEPTED)


@transaction.atomic
def attribution_reject(*, attribution: Attribution, by) -> Attribution:
    """A reviewer turns a suggested attribution down; it is kept, as rejected."""
    return _attribution_set_status(attribution, ReviewStatus.REJECTED)


def _attribution_set_status(attribution: Attribution, status: str) -> Attribution:
    locked = Attribution.objects.select_for_update().get(pk=attribution.pk)
    locked.status = status
    locked.version += 1
    locked.full_clean()
    locked.save()
    return locked


# Claims ---------------------------------------------------------------------


@transaction.atomic
def claim_create(
    *,
    text: str,
    tags: Iterable[str] = (),
    statements: Iterable[Statement] = (),
    created_by=None,
) -> Claim:
    """Create a claim in canonical wording, with its mentions in statements."""
    text = " ".join(text.split())
    existing = claim_by_text(text)
    if existing is not None:
        raise ValidationError(
            {"text": f"This claim already exists as claim {existing.pk}."},
            code="duplicate",
        )
    claim = Claim(text=text, created_by=created_by)
    claim.full_clean()
    claim.save()
    claim.tags.set(tags_get_or_create(tags))
    for statement in statements:
        claim_mention_create(claim=claim, statement=statement, created_by=created_by)
    return claim


@transaction.atomic
def claim_get_or_create(*, text: str, created_by=None) -> Claim:
    """The claim with this wording (case and spacing aside), created if new."""
    return claim_by_text(" ".join(text.split())) or claim_create(
        text=text, created_by=created_by
    )


@transaction.atomic
def claim_mention_create(
    *,
    claim: Claim,
    statement: Statement,
    origin: str = Origin.MANUAL,
    status: str | None = None,
    created_by=None,
) -> ClaimMention:
    """Record that a statement makes a claim."""
    if status is None:
        status = initial_status(origin)
    mention = ClaimMention(
        claim=claim,
        statement=statement,
        origin=origin,
        status=status,
        created_by=created_by,
    )
    mention.full_clean()
    mention.save()
    return mention


@transaction.atomic
def claim_review_create(
    *,
    claim: Claim,
    reviewer,
    rating: int,
    summary: str,
    evidence: Sequence[dict] = (),
) -> ClaimReview:
    """Draft a verdict on a claim; the claim is then in review."""
    review = ClaimReview(
        claim=claim,
        reviewer=reviewer,
        rating=rating,
        summary=summary.strip(),
        evidence=list(evidence),
    )
    review.full_clean()
    review.save()
    if claim.status == ClaimStatus.NEW:
        claim.status = ClaimStatus.IN_REVIEW
        claim.version += 1
        claim.save(update_fields=["status", "version", "updated_at"])
    return review


@transaction.atomic
def claim_review_publish(*, review: ClaimReview, by) -> ClaimReview:
    """Publish a verdict: it gets a date and a public page, and so does its claim."""
    review = ClaimReview.objects.select_for_update().get(pk=review.pk)
    if review.status == ClaimReviewStatus.PUBLISHED:
        raise ValidationError("This review is already published.", code="published")
    review.status = ClaimReviewStatus.PUBLISHED
    review.published_at = timezone.now()
    review.version += 1
    review.full_clean()
    review.save()
    claim = review.claim
    claim.status = ClaimStatus.PUBLISHED
    claim.version += 1
    claim.save(update_fields=["status", "version", "updated_at"])
    return review


# Annotations ----------------------------------------------------------------


@transaction.atomic
def annotation_create(
    *,
    target: Statement | Claim,
    reviewer,
    motivation: str = Annotation.Motivation.COMMENTING,
    body: str = "",
    tags: Iterable[str] = (),
) -> Annotation:
    """Attach a reviewer's note to a statement or a claim."""
    if not isinstance(target, Statement | Claim):
        raise ValidationError(
            "An annotation targets a statement or a claim.", code="target"
        )
    annotation = Annotation(
        statement=target if isinstance(target, Statement) else None,
        claim=target if isinstance(target, Claim) else None,
        reviewer=reviewer,
        motivation=motivation,
        body=body,
    )
    annotation.full_clean()
    annotation.save()
    annotation.tags.set(tags_get_or_create(tags))
    return annotation
