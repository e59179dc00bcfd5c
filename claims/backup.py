"""The backup: everything reviewers made, as JSON Lines, to restore elsewhere.

``export_documents --format backup`` writes it and ``import_documents
--format backup`` restores it (``claims.services.restores``). Each line is
an object with one key, saying what it holds:

    {"source": {"name", "kind", "aliases", "description", "url",
                "wikidata_id", "proposed", "created_by"}}
    {"claim": {"text", "status", "proposed", "tags", "created_by",
               "reviews": [{"rating", "label", "summary", "evidence",
                            "status", "published_at", "publisher_name",
                            "publisher_url", "url", "reviewer"}],
               "notes": [{"motivation", "body", "tags", "reviewer"}]}}
    {"document": an interchange record, with "created_by", each
                 statement's "notes", and each mention's "created_by" and
                 "reviewed_at"}

Every source comes first, then every claim, then every document, so that
what a document names is restored before it. People are named by username.
The schema of each line is ``interchange.schema.json``'s ``backup_line``.

What it does not keep, because a restore writes anew through the services:
ids, versions, the times rows were created and last changed
(``created_at``, ``updated_at``), the change history (the restore starts
each row's), jobs, users' accounts (only their names), API tokens, and the
claims' embeddings (computed again where the model is installed). It keeps
the times that mean something to readers: documents' and reviews'
``published_at`` and mentions' ``reviewed_at``.
"""

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from claims import selectors
from claims.interchange import (
    InterchangeError,
    NoteRecord,
    check,
    check_storable,
    export_document,
    moment,
    note_object,
    parse_moment,
    parse_notes,
    username_of,
)
from claims.models import Source

KINDS = ("source", "claim", "document")


@dataclass(frozen=True)
class SourceBackup:
    where: str
    name: str
    kind: str | None
    aliases: tuple[str, ...]
    description: str
    url: str
    wikidata_id: str
    proposed: bool
    created_by: str | None


@dataclass(frozen=True)
class ReviewBackup:
    where: str
    rating: int
    label: str
    summary: str
    evidence: list[Any]
    status: str | None
    published_at: datetime.datetime | None
    publisher_name: str
    publisher_url: str
    url: str
    reviewer: str


@dataclass(frozen=True)
class ClaimBackup:
    where: str
    text: str
    status: str | None
    proposed: bool
    tags: tuple[str, ...]
    created_by: str | None
    reviews: tuple[ReviewBackup, ...]
    notes: tuple[NoteRecord, ...]


# Writing -------------------------------------------------------------------


def backup_records(
    progress: Callable[[int, int], None] | None = None,
) -> Iterator[dict[str, Any]]:
    """Every line of the backup, in order: sources, claims, documents.

    ``progress(done, total)`` is told after each batch read."""
    total = selectors.backup_count() if progress else 0
    done = 0
    readers: list[tuple[Any, Callable[[Any], dict[str, Any]]]] = [
        (selectors.sources_for_backup(), lambda s: {"source": source_object(s)}),
        (selectors.claims_for_backup(), lambda c: {"claim": claim_object(c)}),
        (
            selectors.documents_for_export(backup=True),
            lambda d: {"document": export_document(d, backup=True)},
        ),
    ]
    for queryset, record in readers:
        for batch in selectors.in_batches(queryset):
            yield from (record(row) for row in batch)
            done += len(batch)
            if progress:
                progress(done, total)


def source_object(source: Source) -> dict[str, Any]:
    return {
        "name": source.name,
        "kind": source.kind,
        "aliases": sorted(alias.name for alias in source.aliases.all()),
        "description": source.description,
        "url": source.url,
        "wikidata_id": source.wikidata_id,
        "proposed": source.proposed,
        "created_by": username_of(source.created_by),
    }


# A claim read by selectors.claims_for_backup() carries its prefetched
# ``all_reviews`` and ``notes`` (to_attr), which the stubs cannot see on the
# model: such a claim is typed Any.
def claim_object(claim: Any) -> dict[str, Any]:
    return {
        "text": claim.text,
        "status": claim.status,
        "proposed": claim.proposed,
        "tags": sorted(tag.name for tag in claim.tags.all()),
        "created_by": username_of(claim.created_by),
        "reviews": [
            {
                "rating": review.rating,
                "label": review.label,
                "summary": review.summary,
                "evidence": review.evidence,
                "status": review.status,
                "published_at": moment(review.published_at),
                "publisher_name": review.publisher_name,
                "publisher_url": review.publisher_url,
                "url": review.url,
                "reviewer": review.reviewer.get_username(),
            }
            for review in claim.all_reviews
        ],
        "notes": [note_object(note) for note in claim.notes],
    }


# Reading -------------------------------------------------------------------


def parse_line(value: object) -> tuple[str, object]:
    """What a backup line holds: ``("source", SourceBackup)``, ``("claim",
    ClaimBackup)`` or ``("document", record)`` with the record as it is,
    for the import service to check; or ``InterchangeError``."""
    if not isinstance(value, dict) or len(value) != 1 or next(iter(value)) not in KINDS:
        raise InterchangeError(
            "a backup line is an object with one key: source, claim or document"
        )
    ((kind, body),) = value.items()
    if kind == "document":
        return kind, body
    check(body, f"backup_{kind}", at=(kind,))
    check_storable(body, (kind,))
    return kind, (_source if kind == "source" else _claim)(body, kind)


def _source(value: dict[str, Any], where: str) -> SourceBackup:
    return SourceBackup(
        where=where,
        name=value["name"],
        kind=value.get("kind"),
        aliases=tuple(value.get("aliases") or ()),
        description=value.get("description") or "",
        url=value.get("url") or "",
        wikidata_id=value.get("wikidata_id") or "",
        proposed=bool(value.get("proposed")),
        created_by=value.get("created_by"),
    )


def _claim(value: dict[str, Any], where: str) -> ClaimBackup:
    return ClaimBackup(
        where=where,
        text=value["text"],
        status=value.get("status"),
        proposed=bool(value.get("proposed")),
        tags=tuple(value.get("tags") or ()),
        created_by=value.get("created_by"),
        reviews=tuple(
            _review(review, f"{where}.reviews[{i}]")
            for i, review in enumerate(value.get("reviews") or ())
        ),
        notes=parse_notes(value.get("notes"), f"{where}.notes"),
    )


def _review(value: dict[str, Any], where: str) -> ReviewBackup:
    return ReviewBackup(
        where=where,
        rating=value["rating"],
        label=value.get("label") or "",
        summary=value["summary"],
        evidence=value.get("evidence") or [],
        status=value.get("status"),
        published_at=parse_moment(value.get("published_at"), f"{where}.published_at"),
        publisher_name=value.get("publisher_name") or "",
        publisher_url=value.get("publisher_url") or "",
        url=value.get("url") or "",
        reviewer=value["reviewer"],
    )
