"""W3C Web Annotation import: annotations onto documents already stored.

Reads an Annotation, an AnnotationPage, an AnnotationCollection (pages
embedded or included, as ``claims.formats.w3c`` writes them) or a list of
them. A target's document is found by the sha256 in its ``canonical`` IRI,
else by its IRI on this site, else by its ``url``. The target is anchored by
its TextPositionSelector; when that no longer reads the TextQuoteSelector's
``exact`` (the text has changed since), it is re-anchored where the quote,
with the prefix and suffix that fit best, now stands
(``claims.quote_anchoring``), and the body's spans move with it.

An annotation whose body carries ``claims:kind`` becomes an attribution; one
whose body carries ``claims:claim`` a claim mention (the claim found by its
wording, or created), with its status; any other becomes a reviewer's note
(TextualBody text, ``tagging`` bodies as tags). The target span is a
statement's, or lies inside one. An annotation already stored (same
statement, kind, source and spans; or same target, reviewer, motivation and
text; or the same statement and claim) is not stored again.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import Resolver404, resolve

from claims import selectors, services
from claims.formats import FormatError
from claims.formats.w3c import content_hash_of
from claims.interchange import describe_error
from claims.models import (
    AttributionKind,
    Claim,
    Document,
    Motivation,
    Origin,
    ReviewStatus,
    Source,
    Statement,
)
from claims.quote_anchoring import reanchor_quote

SPAN_KEYS = {"sourceSpan": "source_span", "cue": "cue", "content": "content"}


@dataclass
class Outcome:
    """What became of one annotation: ``created``, already present, or ``error``."""

    where: str
    created: bool = False
    error: str | None = None


def annotations_in(value: object) -> list[dict[str, Any]]:
    """The annotations of a collection, a page, an annotation or a list of them."""
    found: list[dict[str, Any]] = []
    seen_pages: set[object] = set()

    def visit(node: object, where: str) -> None:
        if isinstance(node, list):
            for item in node:
                visit(item, where)
            return
        if not isinstance(node, dict):
            raise FormatError(f"{where}: expected an embedded object, not {node!r}")
        types = _types(node)
        if "Annotation" in types:
            found.append(node)
        elif "AnnotationPage" in types:
            if node.get("id") in seen_pages:
                return
            seen_pages.add(node.get("id"))
            visit(node.get("items", []), "items")
            if isinstance(node.get("next"), dict):
                visit(node["next"], "next")
        elif "AnnotationCollection" in types:
            pages = [node.get("first"), *node.get("@included", [])]
            if node.get("total", 0) and not isinstance(pages[0], dict):
                raise FormatError(
                    "first: the collection's pages are not embedded; "
                    "export them with the collection"
                )
            visit([p for p in pages if p is not None], "first")
        else:
            raise FormatError(
                f"{where}.type: expected Annotation, AnnotationPage or "
                f"AnnotationCollection, not {node.get('type')!r}"
            )

    visit(value, "document")
    return found


def import_annotations(
    items: Iterable[tuple[str, object]], *, created_by: User | None = None
) -> Iterator[Outcome]:
    """Store annotations, all of one target together or none of them.

    ``items`` are ``(where, annotation)`` pairs; each outcome names its
    ``where``. A group stops at its first error, and nothing of it is kept.
    """
    groups: dict[tuple[str, int], tuple[Document | Claim, list[tuple[str, Any]]]] = {}
    for where, annotation in items:
        try:
            target = _target_object(annotation)
        except FormatError as error:
            yield Outcome(where, error=str(error))
            continue
        key = (type(target).__name__, target.pk)
        groups.setdefault(key, (target, []))[1].append((where, annotation))
    for target, members in groups.values():
        outcomes: list[Outcome] = []
        where = members[0][0]
        try:
            with transaction.atomic():
                for where, annotation in members:
                    created = _import_one(annotation, target, created_by)
                    outcomes.append(Outcome(where, created=created))
        except FormatError as error:
            yield Outcome(where, error=str(error))
        except ValidationError as error:
            yield Outcome(where, error=describe_error(error))
        else:
            yield from outcomes


def _types(node: dict[str, Any]) -> list[Any]:
    value = node.get("type", [])
    return value if isinstance(value, list) else [value]


def _target(annotation: dict[str, Any]) -> Any:
    target = annotation.get("target")
    if isinstance(target, list):
        if len(target) != 1:
            raise FormatError("target: expected one target")
        target = target[0]
    if target is None:
        raise FormatError("target: missing")
    return target


def _target_object(annotation: object) -> Document | Claim:
    """The document (or claim) an annotation targets."""
    if not isinstance(annotation, dict):
        raise FormatError("annotation: expected an object")
    target = _target(annotation)
    if isinstance(target, str):
        claim_pk = _local_pk(target, "claim-detail")
        claim = selectors.claim_by_pk(claim_pk) if claim_pk else None
        if claim is None:
            raise FormatError(f"target: {target} is not a claim stored here")
        return claim
    if not isinstance(target, dict) or "source" not in target:
        raise FormatError("target: expected a SpecificResource with a source")
    source = target["source"]
    iri = source.get("id") if isinstance(source, dict) else source
    canonical = source.get("canonical") if isinstance(source, dict) else None
    document = selectors.document_by_reference(
        content_hash=content_hash_of(canonical),
        pk=_local_pk(iri, "document-detail"),
        url=iri if isinstance(iri, str) else None,
    )
    if document is None:
        raise FormatError(
            f"target.source: no stored document is {iri!r}; import the document first"
        )
    return document


def _local_pk(iri: object, url_name: str) -> int | None:
    """The primary key in an IRI of this site's ``url_name``, or None."""
    if not isinstance(iri, str) or not iri.startswith(settings.SITE_URL + "/"):
        return None
    try:
        match = resolve(urlsplit(iri).path)
    except Resolver404:
        return None
    pk = str(match.kwargs.get("pk", ""))
    return int(pk) if match.url_name == url_name and pk.isdigit() else None


def _import_one(
    annotation: dict[str, Any], target: Document | Claim, created_by: User | None
) -> bool:
    user = _creator(annotation) or created_by
    body = annotation.get("body")
    if isinstance(target, Claim):
        return _note(annotation, None, target, user)
    text = target.text
    selected = _target(annotation).get("selector")
    start, end, shift = anchor(text, selected, where="target.selector")
    statement = _statement(target, start, end)
    if isinstance(body, dict) and "claims:kind" in body:
        return _attribution(body, statement, text, shift, user)
    if isinstance(body, dict) and "claims:claim" in body:
        return _mention(body, statement, user)
    return _note(annotation, statement, None, user)


def _statement(document: Document, start: int, end: int) -> Statement:
    statements = list(document.statements.all())
    for statement in statements:
        if (statement.start, statement.end) == (start, end):
            return statement
    for statement in statements:
        if statement.start <= start and end <= statement.end:
            return statement
    raise FormatError(f"target: [{start}, {end}) lies in no statement of the document")


def anchor(
    text: str, selected: Any, *, where: str, shift: int = 0
) -> tuple[int, int, int]:
    """Where selectors point in ``text``: ``(start, end, shift)``.

    The position selector (moved by ``shift``) is taken when it reads the
    quote; else the quote's best match, by how much of its prefix and suffix
    fit, then by nearness. ``shift`` returned is how far the span moved.
    """
    found = selected if isinstance(selected, list) else [selected]
    quote = next((s for s in found if _is(s, "TextQuoteSelector")), None)
    position = next((s for s in found if _is(s, "TextPositionSelector")), None)
    if quote is None and position is None:
        raise FormatError(f"{where}: expected a TextQuoteSelector or a position")
    exact = quote.get("exact") if quote else None
    if quote is not None and not (isinstance(exact, str) and exact):
        raise FormatError(f"{where}: the TextQuoteSelector has no exact text")
    for key in ("prefix", "suffix"):
        if (
            quote is not None
            and quote.get(key) is not None
            and not isinstance(quote[key], str)
        ):
            raise FormatError(
                f"{where}: the TextQuoteSelector's {key} must be a string, "
                f"not {quote[key]!r}"
            )
    origin = None
    if position is not None:
        start, end = position.get("start"), position.get("end")
        if not all(type(n) is int for n in (start, end)):
            raise FormatError(f"{where}: start and end must be integers")
        origin = start
        start, end = start + shift, end + shift
        inside = 0 <= start < end <= len(text)
        if inside and (exact is None or text[start:end] == exact):
            return start, end, start - origin
        if exact is None:
            raise FormatError(f"{where}: [{start}, {end}) is not a span of the text")
    # Without a quote, the position selector has answered or failed above.
    assert quote is not None and isinstance(exact, str)
    best = reanchor_quote(
        text,
        exact,
        prefix=quote.get("prefix") or "",
        suffix=quote.get("suffix") or "",
        near=(origin or 0) + shift,
    )
    if best is None:
        raise FormatError(f"{where}: the quote {exact!r} is not in the text")
    return best, best + len(exact), best - (origin if origin is not None else best)


def _is(selector: object, kind: str) -> bool:
    return isinstance(selector, dict) and selector.get("type") == kind


def _creator(annotation: dict[str, Any]) -> User | None:
    creator = annotation.get("creator")
    if isinstance(creator, list):
        creator = creator[0] if creator else None
    if isinstance(creator, dict) and "Software" not in _types(creator):
        name = creator.get("nickname")
        if isinstance(name, str) and name:
            try:
                return services.user_get_or_create(username=name)
            except ValidationError as error:
                raise FormatError(
                    f"creator.nickname: {' '.join(error.messages)}"
                ) from None
    return None


def _attribution(
    body: dict[str, Any],
    statement: Statement,
    text: str,
    shift: int,
    user: User | None,
) -> bool:
    kind = body["claims:kind"]
    if kind not in AttributionKind.values:
        raise FormatError(
            f"body.claims:kind: unknown kind {kind!r} "
            f"(expected one of {', '.join(AttributionKind.values)})"
        )
    spans: dict[str, tuple[int, int]] = {}
    for key, argument in SPAN_KEYS.items():
        if body.get(f"claims:{key}") is not None:
            start, end, _ = anchor(
                text, body[f"claims:{key}"], where=f"body.claims:{key}", shift=shift
            )
            spans[argument] = (start, end)
    fields = {
        "statement": statement,
        "kind": kind,
        "source": _source(body.get("wasAttributedTo"), "body.wasAttributedTo", user),
        "source_span": spans.get("source_span"),
        "cue": spans.get("cue"),
        "content": spans.get("content"),
    }
    if selectors.attribution_exists(**fields):
        return False
    primary = body.get("hadPrimarySource") or ""
    if isinstance(primary, dict):
        primary = primary.get("id", "")
    services.attribution_create(
        **fields,
        via=_source(body.get("claims:via"), "body.claims:via", user),
        primary_source_url=primary,
        origin=body.get("claims:origin") or Origin.IMPORTED,
        status=body.get("claims:status"),
        confidence=body.get("claims:confidence"),
        created_by=user,
    )
    return True


def _mention(body: dict[str, Any], statement: Statement, user: User | None) -> bool:
    wording = body["claims:claim"]
    if not isinstance(wording, str) or not wording.strip():
        raise FormatError("body.claims:claim: expected the claim's wording")
    status = body.get("claims:status")
    if status is not None and status not in ReviewStatus.values:
        raise FormatError(
            f"body.claims:status: unknown status {status!r} "
            f"(expected one of {', '.join(ReviewStatus.values)})"
        )
    claim = services.claim_get_or_create(text=wording, created_by=user)
    if services.mention_between(claim=claim, statement=statement) is not None:
        return False
    services.claim_mention_create(
        claim=claim,
        statement=statement,
        origin=Origin.IMPORTED,
        status=status,
        created_by=user,
    )
    return True


def _source(agent: object, where: str, user: User | None) -> Source | None:
    if agent is None:
        return None
    if not isinstance(agent, dict) or not isinstance(agent.get("name"), str):
        raise FormatError(f"{where}: expected an agent with a name")
    aliases = agent.get("claims:aliases") or []
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise FormatError(f"{where}.claims:aliases: expected a list of names")
    return services.source_get_or_create(
        name=agent["name"],
        kind=agent.get("claims:sourceKind"),
        aliases=aliases,
        created_by=user,
    )


def _note(
    annotation: dict[str, Any],
    statement: Statement | None,
    claim: Claim | None,
    user: User | None,
) -> bool:
    if user is None:
        raise FormatError(
            "creator: a note needs its reviewer: give the annotation a creator "
            "with a nickname, or import with --user"
        )
    motivation = annotation.get("motivation", Motivation.COMMENTING)
    if isinstance(motivation, list) and len(motivation) == 1:
        motivation = motivation[0]
    if motivation not in Motivation.values:
        raise FormatError(f"motivation: {motivation!r} is not a W3C motivation")
    body = annotation.get("body", [])
    texts: list[str] = []
    tags: list[str] = []
    for item in body if isinstance(body, list) else [body]:
        if isinstance(item, str):
            texts.append(item)
        elif isinstance(item, dict) and isinstance(item.get("value"), str):
            (tags if item.get("purpose") == "tagging" else texts).append(item["value"])
        else:
            raise FormatError("body: expected text bodies or IRIs")
    if isinstance(annotation.get("bodyValue"), str):
        texts.append(annotation["bodyValue"])
    text = "\n\n".join(texts)
    if selectors.annotation_exists(
        statement=statement,
        claim=claim,
        reviewer=user,
        motivation=motivation,
        body=text,
    ):
        return False
    services.annotation_create(
        target=services.annotation_target(statement=statement, claim=claim),
        reviewer=user,
        motivation=motivation,
        body=text,
        tags=tags,
    )
    return True
