"""Restoring a backup (``claims.backup``): ``import_documents --format backup``.

Sources and claims are restored here with everything they hold (a source's
details; a claim's status, tags, reviews as they stood, drafts and
published ones with their dates, and notes); documents go through the
import service (``documents_import``) like any interchange record. Lines
are taken in file order, each whole or not at all, so that what a document
names is restored before it.

What is already stored is left as it is: a document by its content hash (as
any import), a source by its name or an alias, a claim by its wording (case
and spacing aside), with their reviews and notes. Restoring a backup into the
database it came from, or a second time, therefore changes nothing.

People are named by username, with the import command's rule: a name that
no account has becomes an inactive placeholder account (no password, so
nobody signs in as it until an administrator sets it up), so that
authorship survives a move between databases.
"""

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from claims import embeddings
from claims.backup import ClaimBackup, SourceBackup, parse_line
from claims.interchange import InterchangeError, describe_error
from claims.models import Claim, ClaimReview, ClaimStatus, SourceKind
from claims.selectors import claim_by_text, source_by_name
from claims.services.common import tags_get_or_create
from claims.services.embeddings import claim_embeddings_store
from claims.services.imports import ImportOutcome, documents_import, notes_import
from claims.services.sources import source_create
from claims.services.users import user_get_or_create


def backup_restore(
    *, lines: Iterable[tuple[str, object]], created_by: User | None = None
) -> list[ImportOutcome]:
    """Restore ``(where, line)`` pairs of a backup in order; an outcome each
    (``created`` is whether the line's row is new).

    Call it inside a transaction: the lines that fail are reported in their
    outcomes, and the rest are kept. ``created_by`` is the author of
    whatever names none.
    """
    outcomes: list[ImportOutcome] = []
    documents: list[tuple[str, object]] = []

    def restore_documents() -> None:
        outcomes.extend(
            documents_import(
                records=documents, created_by=created_by, trust_authorship=True
            )
        )
        documents.clear()

    for where, value in lines:
        try:
            kind, record = parse_line(value)
        except InterchangeError as error:
            restore_documents()
            outcomes.append(ImportOutcome(where, error=str(error)))
            continue
        if kind == "document":
            documents.append((where, record))
            continue
        restore_documents()  # those before this line, to keep the file's order
        outcomes.append(_restore(where, record, created_by))
    restore_documents()
    return outcomes


def _restore(where: str, record: object, created_by: User | None) -> ImportOutcome:
    try:
        if isinstance(record, SourceBackup):
            created = source_restore(record=record, created_by=created_by)
        else:
            assert isinstance(record, ClaimBackup)
            created = claim_restore(record=record, created_by=created_by)
    except InterchangeError as error:
        return ImportOutcome(where, error=str(error))
    except ValidationError as error:
        return ImportOutcome(where, error=describe_error(error))
    except DatabaseError as error:
        reason = str(error).splitlines()[0] if str(error) else "refused"
        return ImportOutcome(where, error=f"the database refused a value: {reason}")
    return ImportOutcome(where, created=created)


@transaction.atomic
def source_restore(*, record: SourceBackup, created_by: User | None = None) -> bool:
    """Restore a source with its details; False if one of its name is stored."""
    if source_by_name(record.name) is not None:
        return False
    try:
        source_create(
            name=record.name,
            kind=record.kind or SourceKind.OTHER,
            aliases=record.aliases,
            description=record.description,
            url=record.url,
            wikidata_id=record.wikidata_id,
            proposed=record.proposed,
            created_by=_user(record.created_by, f"{record.where}.created_by")
            or created_by,
        )
    except ValidationError as error:
        raise InterchangeError(f"{record.where}: {describe_error(error)}") from None
    return True


@transaction.atomic
def claim_restore(*, record: ClaimBackup, created_by: User | None = None) -> bool:
    """Restore a claim as it stood: its status (published too, which only a
    review's publication sets otherwise), tags, reviews and notes; False if a
    claim of its wording is stored."""
    text = " ".join(record.text.split())
    if claim_by_text(text) is not None:
        return False
    claim = Claim(
        text=text,
        status=record.status or ClaimStatus.NEW,
        proposed=record.proposed,
        created_by=_user(record.created_by, f"{record.where}.created_by") or created_by,
    )
    _check(claim, record.where)
    claim.save()
    if embeddings.available():
        claim_embeddings_store(claims=[claim])
    claim.tags.set(tags_get_or_create(record.tags))
    for review in record.reviews:
        restored = ClaimReview(
            claim=claim,
            reviewer=_user(review.reviewer, f"{review.where}.reviewer"),
            rating=review.rating,
            label=review.label,
            summary=review.summary,
            evidence=review.evidence,
            status=review.status or ClaimReview.Status.DRAFT,
            published_at=review.published_at,
            publisher_name=review.publisher_name,
            publisher_url=review.publisher_url,
            url=review.url,
        )
        _check(restored, review.where)
        restored.save()
    notes_import(
        notes=record.notes, target=claim, created_by=created_by, trust_authorship=True
    )
    return True


def _user(username: str | None, where: str) -> User | None:
    if username is None:
        return None
    try:
        return user_get_or_create(username=username)
    except ValidationError as error:
        raise InterchangeError(f"{where}: {' '.join(error.messages)}") from None


def _check(instance: Claim | ClaimReview, where: str) -> None:
    try:
        instance.full_clean()
    except ValidationError as error:
        raise InterchangeError(f"{where}: {describe_error(error)}") from None
