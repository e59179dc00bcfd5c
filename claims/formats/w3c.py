"""W3C Web Annotation JSON-LD: attributions and notes as ``Annotation``\\s.

Each attribution and each reviewer's note is an ``Annotation`` whose id is
its API resource's absolute IRI (``SITE_URL``). A statement target is a
``SpecificResource`` of the document (its IRI, with the sha256 of its text as
a ``canonical`` RFC 6920 ``ni:`` IRI) selected by a ``TextQuoteSelector``
(exact, prefix, suffix) and a ``TextPositionSelector`` (code points,
DESIGN.md); a claim target is the claim's IRI.

An attribution is ``identifying`` (it names a source) or ``describing`` (an
author statement with no known source). Its body is the statement as
attributed, carrying the W3C PROV terms: it ``wasAttributedTo`` the source,
with a ``qualifiedAttribution`` whose ``hadRole`` is the kind
(``claims:direct`` …); a direct quote ``wasQuotedFrom`` the primary source
(or the source's own words); ``hadPrimarySource`` is the primary-source URL.
The spans of the source's words, the cue and the content are selectors under
``claims:sourceSpan``, ``claims:cue`` and ``claims:content``.

A claim mention is a ``linking`` Annotation of the statement whose body is a
``SpecificResource`` of the claim (its IRI, its wording under
``claims:claim``), with the mention's ``claims:origin``, ``claims:status``
and, once reviewed, ``claims:reviewedBy`` and ``claims:reviewed``.

Collections embed their first ``AnnotationPage`` and include the others
(JSON-LD ``@included``), so a whole corpus is one flat document; a corpus is
written as its annotations come (``streamed_collection``). Import
(``claims.formats.w3c_import``) reads what this writes.
"""

import base64
import datetime
from collections.abc import Callable, Iterator
from itertools import islice
from typing import Any, TypeVar

from django.contrib.auth.models import AbstractBaseUser
from django.urls import reverse

from claims.formats import absolute, api_iri
from claims.formats.streaming import Streamed
from claims.models import (
    Annotation,
    Attribution,
    AttributionKind,
    ClaimMention,
    Document,
    Source,
    SourceKind,
    Statement,
)

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
MEDIA_TYPE = f'application/ld+json; profile="{ANNO_CONTEXT}"'
PAGE_SIZE = 100
# Code points of prefix and suffix in a TextQuoteSelector: enough to tell
# repeated quotes apart (Hypothesis uses as many).
QUOTE_CONTEXT = 32
NI_SHA256 = "ni:///sha-256;"
# A collection or page is built as a dict, or as a Streamed for the writer.
_Page = TypeVar("_Page", bound=dict[str, Any])

AGENT_TYPES: dict[str, str] = {
    SourceKind.PERSON: "Person",
    SourceKind.ORGANIZATION: "Organization",
    SourceKind.GROUP: "Organization",
    SourceKind.GOVERNMENT: "Organization",
    SourceKind.PUBLICATION: "Organization",
}


def context() -> list[Any]:
    """The Web Annotation context, then this service's (``context_document``)."""
    return [ANNO_CONTEXT, absolute(reverse("jsonld-context"))]


def context_document() -> dict[str, Any]:
    """The JSON-LD context of the PROV terms and the ``claims:`` vocabulary.

    Served at ``/ns/claims.jsonld``, so that each annotation names it in two
    short strings rather than repeating it.
    """
    return {
        "@context": {
            "prov": "http://www.w3.org/ns/prov#",
            "claims": absolute(reverse("jsonld-context")).removesuffix(".jsonld") + "#",
            "wasAttributedTo": {"@id": "prov:wasAttributedTo", "@type": "@id"},
            "qualifiedAttribution": {"@id": "prov:qualifiedAttribution"},
            "agent": {"@id": "prov:agent", "@type": "@id"},
            "hadRole": {"@id": "prov:hadRole", "@type": "@id"},
            "wasQuotedFrom": {"@id": "prov:wasQuotedFrom", "@type": "@id"},
            "hadPrimarySource": {"@id": "prov:hadPrimarySource", "@type": "@id"},
        }
    }


def content_iri(content_hash: str) -> str:
    """The RFC 6920 ``ni:`` IRI of a text's sha256: the same in any database."""
    digest = base64.urlsafe_b64encode(bytes.fromhex(content_hash)).decode()
    return NI_SHA256 + digest.rstrip("=")


def content_hash_of(iri: object) -> str | None:
    """The hex sha256 named by an ``ni:///sha-256;`` IRI, or None."""
    if not isinstance(iri, str) or not iri.startswith(NI_SHA256):
        return None
    digest = iri.removeprefix(NI_SHA256)
    try:
        raw = base64.urlsafe_b64decode(digest + "=" * (-len(digest) % 4))
    except ValueError:
        return None
    return raw.hex() if len(raw) == 32 else None


def text_selectors(
    text: str, start: int, end: int, *, around: int = QUOTE_CONTEXT
) -> list[dict[str, Any]]:
    """A quote and a position selector for ``text[start:end]``."""
    quote: dict[str, Any] = {"type": "TextQuoteSelector", "exact": text[start:end]}
    if around:
        quote["prefix"] = text[max(0, start - around) : start]
        quote["suffix"] = text[end : end + around]
    return [quote, {"type": "TextPositionSelector", "start": start, "end": end}]


def _time(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).isoformat(timespec="seconds")[:-6] + "Z"


def _document_resource(document: Document) -> dict[str, Any]:
    resource = {
        "id": api_iri("document", document.pk),
        "type": "Text",
        "canonical": content_iri(document.content_hash),
    }
    if document.language:
        resource["language"] = document.language
    return resource


def _text_target(document: Document, statement: Statement) -> dict[str, Any]:
    return {
        "type": "SpecificResource",
        "source": _document_resource(document),
        "selector": text_selectors(document.text, statement.start, statement.end),
    }


def _agent(source: Source) -> dict[str, Any]:
    return {
        "id": api_iri("source", source.pk),
        "type": AGENT_TYPES.get(source.kind, "prov:Agent"),
        "name": source.name,
        "claims:sourceKind": source.kind,
        "claims:aliases": sorted(alias.name for alias in source.aliases.all()),
    }


def _person(user: AbstractBaseUser) -> dict[str, Any]:
    return {"type": "Person", "nickname": user.get_username()}


def _stamp(
    annotation: dict[str, Any],
    obj: Attribution | Annotation,
    user: AbstractBaseUser | None,
) -> dict[str, Any]:
    annotation["created"] = _time(obj.created_at)
    annotation["modified"] = _time(obj.updated_at)
    if user is not None:
        annotation["creator"] = _person(user)
    return annotation


def attribution_annotation(
    attribution: Attribution, statement: Statement, document: Document
) -> dict[str, Any]:
    """The Annotation of one attribution of ``statement`` in ``document``."""
    kind, source, text = attribution.kind, attribution.source, document.text
    body: dict[str, Any] = {
        "type": "SpecificResource",
        "source": api_iri("statement", statement.pk),
        "purpose": "identifying" if source else "describing",
        "claims:kind": kind,
    }
    if source is not None:
        body["wasAttributedTo"] = _agent(source)
        body["qualifiedAttribution"] = {
            "type": "prov:Attribution",
            "agent": body["wasAttributedTo"]["id"],
            "hadRole": f"claims:{kind}",
        }
    if kind == AttributionKind.DIRECT:
        body["wasQuotedFrom"] = attribution.primary_source_url or {
            "type": "prov:Entity",
            **({"wasAttributedTo": body["wasAttributedTo"]["id"]} if source else {}),
        }
    if attribution.primary_source_url:
        body["hadPrimarySource"] = attribution.primary_source_url
    for key, prefix in [
        ("sourceSpan", "source"),
        ("cue", "cue"),
        ("content", "content"),
    ]:
        start = getattr(attribution, f"{prefix}_start")
        if start is not None:
            end = getattr(attribution, f"{prefix}_end")
            body[f"claims:{key}"] = text_selectors(text, start, end, around=0)
    if attribution.via is not None:
        body["claims:via"] = _agent(attribution.via)
    body["claims:origin"] = attribution.origin
    body["claims:status"] = attribution.status
    if attribution.confidence is not None:
        body["claims:confidence"] = attribution.confidence
    if attribution.reviewed_by is not None:
        body["claims:reviewedBy"] = _person(attribution.reviewed_by)
    if attribution.reviewed_at is not None:
        body["claims:reviewed"] = _time(attribution.reviewed_at)
    annotation: dict[str, Any] = {
        "@context": context(),
        "id": api_iri("attribution", attribution.pk),
        "type": "Annotation",
        "motivation": body["purpose"],
        "body": body,
        "target": _text_target(document, statement),
    }
    return _stamp(annotation, attribution, attribution.created_by)


def mention_annotation(
    mention: ClaimMention, statement: Statement, document: Document
) -> dict[str, Any]:
    """The Annotation linking ``statement`` to the claim it makes."""
    body: dict[str, Any] = {
        "type": "SpecificResource",
        "source": api_iri("claim", mention.claim_id),
        "purpose": "linking",
        "claims:claim": mention.claim.text,
        "claims:origin": mention.origin,
        "claims:status": mention.status,
    }
    if mention.reviewed_by is not None:
        body["claims:reviewedBy"] = _person(mention.reviewed_by)
    if mention.reviewed_at is not None:
        body["claims:reviewed"] = _time(mention.reviewed_at)
    annotation: dict[str, Any] = {
        "@context": context(),
        "id": api_iri("claimmention", mention.pk),
        "type": "Annotation",
        "motivation": "linking",
        "body": body,
        "target": _text_target(document, statement),
        "created": _time(mention.created_at),
        "modified": _time(mention.reviewed_at or mention.created_at),
    }
    if mention.created_by is not None:
        annotation["creator"] = _person(mention.created_by)
    return annotation


def note_annotation(
    note: Annotation,
    statement: Statement | None = None,
    document: Document | None = None,
) -> dict[str, Any]:
    """The Annotation of a reviewer's note on a statement or on a claim."""
    bodies: list[dict[str, Any]] = []
    if note.body:
        bodies.append(
            {
                "type": "TextualBody",
                "value": note.body,
                "format": "text/plain",
                "purpose": note.motivation,
            }
        )
    bodies += [
        {"type": "TextualBody", "value": tag.name, "purpose": "tagging"}
        for tag in note.tags.all()
    ]
    target: str | dict[str, Any]
    if statement is not None:
        # A note on a statement comes with the statement's document.
        assert document is not None
        target = _text_target(document, statement)
    else:
        # A note is on a statement or on a claim (Annotation's check constraint).
        assert note.claim_id is not None
        target = api_iri("claim", note.claim_id)
    annotation: dict[str, Any] = {
        "@context": context(),
        "id": api_iri("annotation", note.pk),
        "type": "Annotation",
        "motivation": note.motivation,
        "target": target,
    }
    if bodies:
        annotation["body"] = bodies[0] if len(bodies) == 1 else bodies
    return _stamp(annotation, note, note.reviewer)


def document_annotations(document: Document) -> list[dict[str, Any]]:
    """Every attribution, claim mention and note on the statements of a
    document, in order.

    Expects ``selectors.documents_for_annotations()``'s prefetches.
    """
    items: list[dict[str, Any]] = []
    for statement in document.statements.all():
        items += [
            attribution_annotation(a, statement, document)
            for a in statement.attributions.all()
        ]
        items += [
            mention_annotation(m, statement, document)
            for m in statement.claim_mentions.all()
        ]
        # ``notes`` is the selector's to_attr prefetch, which the stubs cannot see.
        notes: list[Annotation] = statement.notes  # type: ignore[attr-defined]
        items += [note_annotation(n, statement, document) for n in notes]
    return items


def collection_iri(document: Document | None = None) -> str:
    """A document's collection IRI (its API endpoint), or the corpus'."""
    if document is None:
        return absolute(reverse("annotation-list"))
    return absolute(reverse("document-annotations", args=[document.pk]))


def collection(
    *, iri: str, label: str, items: list[Any], page_size: int = PAGE_SIZE
) -> dict[str, Any]:
    """An AnnotationCollection: the first page embedded, the others included."""
    return _collection(
        iri=iri,
        total=len(items),
        label=label,
        page_size=page_size,
        items_from=lambda start: items[start : start + page_size],
        kind=dict,
    )


def streamed_collection(
    *,
    iri: str,
    label: str,
    total: int,
    items: Iterator[dict[str, Any]],
    page_size: int = PAGE_SIZE,
) -> Streamed:
    """The same collection as ``collection``, for ``streaming.dumps`` to write
    as ``items`` come; they must be ``total`` in number."""
    return _collection(
        iri=iri,
        total=total,
        label=label,
        page_size=page_size,
        items_from=lambda start: islice(items, page_size),
        kind=Streamed,
    )


def _collection(
    *,
    iri: str,
    total: int,
    label: str,
    page_size: int,
    items_from: Callable[[int], Any],
    kind: type[_Page],
) -> _Page:
    count = _page_count(total, page_size)
    # Built as the writer reaches it: page n takes its items after n - 1.
    pages = (
        _page(
            iri=iri,
            total=total,
            page_size=page_size,
            number=n,
            items=items_from((n - 1) * page_size),
            kind=kind,
        )
        for n in range(1, count + 1)
    )
    result = kind(
        {
            "@context": context(),
            "id": iri,
            "type": "AnnotationCollection",
            "label": label,
            "total": total,
        }
    )
    if count:
        result["first"] = next(pages)
        result["last"] = page_iri(iri, count, page_size)
    if count > 1:
        result["@included"] = pages if kind is Streamed else list(pages)
    return result


def page(*, iri: str, items: list[Any], page_size: int, number: int) -> dict[str, Any]:
    """Page ``number`` (from 1) of a collection, linked to its neighbours."""
    start = (number - 1) * page_size
    return _page(
        iri=iri,
        total=len(items),
        page_size=page_size,
        number=number,
        items=items[start : start + page_size],
        kind=dict,
    )


def _page(
    *, iri: str, total: int, page_size: int, number: int, items: Any, kind: type[_Page]
) -> _Page:
    result = kind(
        {
            "@context": context(),
            "id": page_iri(iri, number, page_size),
            "type": "AnnotationPage",
            "partOf": {"id": iri, "total": total},
            "startIndex": (number - 1) * page_size,
            "items": items,
        }
    )
    if number > 1:
        result["prev"] = page_iri(iri, number - 1, page_size)
    if number < _page_count(total, page_size):
        result["next"] = page_iri(iri, number + 1, page_size)
    return result


def page_iri(iri: str, number: int, page_size: int = PAGE_SIZE) -> str:
    """A page's IRI: the collection's, with the page (and a size not the default)."""
    size = "" if page_size == PAGE_SIZE else f"&page_size={page_size}"
    return f"{iri}?page={number}{size}"


def _page_count(total: int, page_size: int) -> int:
    return -(-total // page_size)
