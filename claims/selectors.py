"""Named read paths shared by the admin, the API and the commands."""

import datetime
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db.models import (
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    Model,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Lower
from rest_framework import serializers

from claims.models import (
    Annotation,
    ApiToken,
    Assignment,
    Attribution,
    AttributionKind,
    Claim,
    ClaimMention,
    ClaimReview,
    ClaimReviewStatus,
    Document,
    Job,
    JobChunk,
    JobChunkStatus,
    JobStatus,
    Origin,
    Rating,
    ReviewState,
    ReviewStatus,
    Source,
    SourceAlias,
    Statement,
    VersionedModel,
)
from claims.name_normalization import normalize_name

_Row = TypeVar("_Row", bound=Model)
# Documents (a queryset or a list) or their ids, to narrow a read to.
Among = Iterable[Any] | None


def api_token_by_digest(digest: str) -> ApiToken | None:
    """The token of this digest, with its user: one query for each request."""
    return ApiToken.objects.select_related("user").filter(digest=digest).first()


def source_by_name(name: str, *, normalized: bool = False) -> Source | None:
    """The source that has this name or alias (compared in normalised form)."""
    key = name if normalized else normalize_name(name)
    if not key:
        return None
    return (
        Source.objects.filter(Q(normalized_name=key) | Q(aliases__normalized_name=key))
        .distinct()
        .first()
    )


def claim_by_text(text: str) -> Claim | None:
    """The claim with this wording, ignoring case."""
    return (
        Claim.objects.annotate(lower_text=Lower("text"))
        .filter(lower_text=text.lower())
        .first()
    )


def sources_by_names(keys: Collection[str]) -> dict[str, Source]:
    """``source_by_name`` for many normalised names, in two queries: the
    source each one names (as its name or an alias), by name; those naming
    none are left out."""
    found = {
        s.normalized_name: s for s in Source.objects.filter(normalized_name__in=keys)
    }
    aliases = SourceAlias.objects.filter(normalized_name__in=keys).select_related(
        "source"
    )
    return found | {alias.normalized_name: alias.source for alias in aliases}


def claims_by_text(texts: Collection[str]) -> dict[str, Claim]:
    """``claim_by_text`` for many wordings, in one query: the claims by their
    wording lower-cased (as the wordings are looked up); those not stored
    are left out."""
    claims = Claim.objects.annotate(lower_text=Lower("text")).filter(
        lower_text__in={text.lower() for text in texts}
    )
    return {claim.lower_text: claim for claim in claims}


def documents_by_hash(hashes: list[str]) -> dict[str, Document]:
    """The stored documents among these content hashes, by hash."""
    return {d.content_hash: d for d in Document.objects.filter(content_hash__in=hashes)}


def documents_for_export(
    *,
    metadata: bool = True,
    notes: bool = False,
    backup: bool = False,
    among: Among = None,
    viewer: Any = None,
) -> QuerySet[Document]:
    """Documents in id order with what the exports write, in few queries.

    One reader for every document format: the interchange format (and
    doccano and Label Studio, made from it) wants the publisher, authors and
    tags (``metadata``); W3C annotations want each statement's notes, in
    ``statement.notes`` (``notes``); the backup both, and who stored each
    document (``backup``). Each part costs its queries only when asked for.
    ``among`` (a queryset of documents or their ids) narrows it; ``viewer``
    leaves out the work hidden from them (``work_visible_to``).
    """
    notes = notes or backup
    attributions = _attributions_with_sources(viewer).prefetch_related(
        "source__aliases", "via__aliases"
    )
    parts: list[Prefetch[Any]] = [Prefetch("attributions", queryset=attributions)]
    parts.append(Prefetch("claim_mentions", queryset=_mentions_with_claims(viewer)))
    if notes:
        parts.append(
            Prefetch(
                "annotations",
                queryset=Annotation.objects.select_related("reviewer")
                .prefetch_related("tags")
                .order_by("id"),
                to_attr="notes",
            )
        )
    statements = Statement.objects.order_by("index").prefetch_related(*parts)
    documents = Document.objects.order_by("id")
    if among is not None:
        documents = documents.filter(pk__in=among)
    if metadata:
        documents = documents.select_related("publisher").prefetch_related(
            "publisher__aliases", "authors__aliases", "tags"
        )
    if backup:
        documents = documents.select_related("created_by")
    return documents.prefetch_related(Prefetch("statements", queryset=statements))


def sources_for_backup() -> QuerySet[Source]:
    """Every source with its aliases and creator, in id order (the backup)."""
    return (
        Source.objects.select_related("created_by")
        .prefetch_related("aliases")
        .order_by("id")
    )


def claims_for_backup() -> QuerySet[Claim]:
    """Every claim with its tags, creator, reviews (oldest first, with their
    reviewers) and notes, in id order (the backup)."""
    return (
        Claim.objects.select_related("created_by")
        .prefetch_related(
            "tags",
            Prefetch(
                "reviews",
                queryset=ClaimReview.objects.select_related("reviewer").order_by("id"),
                to_attr="all_reviews",
            ),
            Prefetch("annotations", queryset=claim_notes(), to_attr="notes"),
        )
        .order_by("id")
    )


def backup_count(among: Among = None) -> int:
    """How many lines a backup writes: a source, a claim, a document each."""
    return Source.objects.count() + Claim.objects.count() + document_count(among)


EXPORT_BATCH = 200


def in_batches(rows: QuerySet[_Row], size: int | None = None) -> Iterator[list[_Row]]:
    """The rows of a queryset ``size`` at a time, in id order, with its
    prefetches: one query for each batch and one for each prefetch.

    Each batch starts after the last id of the one before (a keyset, not an
    OFFSET), so a batch costs the same however far into the table it is and
    nothing is held from one batch to the next.
    """
    size = size or EXPORT_BATCH
    rows = rows.order_by("pk")
    last = None
    while True:
        batch = list((rows if last is None else rows.filter(pk__gt=last))[:size])
        if batch:
            yield batch
        if len(batch) < size:
            return
        last = batch[-1].pk


def document_count(among: Among = None) -> int:
    """How many documents an export of ``among`` (all, by default) reads."""
    documents = Document.objects.all()
    return (documents if among is None else documents.filter(pk__in=among)).count()


def claim_count(among: Among = None) -> int:
    """How many claims the ClaimReview export of ``among`` reads."""
    return claims_for_claimreview(among).count()


# The API's and admin's querysets: everything a page shows, in a fixed number
# of queries whatever its size.


def _count_of(
    model: type[Model], parent: str, rows: QuerySet[Any] | None = None
) -> Coalesce:
    """How many ``model`` rows (of ``rows``, if given) point at each row, as a
    scalar subquery.

    Unlike a joined Count, it is computed for the rows of the page only (not
    for the whole table before LIMIT), and filters that join the same
    relation cannot multiply it.
    """
    rows = (
        (model._default_manager.all() if rows is None else rows)
        .filter(**{parent: OuterRef("pk")})
        .order_by()
        .values(parent)
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(rows), 0)


def _attributions_with_sources(viewer: Any = None) -> QuerySet[Attribution]:
    """Attributions with their sources and people; those ``viewer`` may see
    (``work_visible_to``), or all without one."""
    return work_visible_to(
        Attribution.objects.select_related(
            "source", "via", "created_by", "reviewed_by"
        ).order_by("id"),
        viewer,
    )


def _mentions_with_claims(viewer: Any = None) -> QuerySet[ClaimMention]:
    return work_visible_to(
        ClaimMention.objects.select_related(
            "claim", "created_by", "reviewed_by"
        ).order_by("id"),
        viewer,
    )


def statements_with_provenance(viewer: Any = None) -> QuerySet[Statement]:
    """Statements with their document, attributions and claim ids (those
    ``viewer`` may see)."""
    return (
        Statement.objects.select_related("document__publisher")
        .defer("document__text", "document__metadata")
        .prefetch_related(
            Prefetch("attributions", queryset=_attributions_with_sources(viewer)),
            Prefetch("claim_mentions", queryset=_mentions_with_claims(viewer)),
        )
    )


# The statements list's reader: the JSON of
# claims.api.serializers.statements.StatementSerializer from plain rows (that
# module's docstring says why), the attributions and mentions read through the
# same querysets as statements_with_provenance's prefetches, so that the list
# and the detail show the same rows in the same order.

_STATEMENT_COLUMNS = (
    "id", "document_id", "document__title", "document__published_at",
    "document__publisher_id", "document__publisher__name",
    "document__publisher__kind", "index", "start", "end", "text",
)  # fmt: skip
_ATTRIBUTION_COLUMNS = (
    "statement_id", "id", "kind", "source_id", "source__name", "source__kind",
    "source_start", "source_end", "cue_start", "cue_end", "content_start",
    "content_end", "via_id", "via__name", "via__kind", "primary_source_url",
    "origin", "status", "confidence", f"created_by__{get_user_model().USERNAME_FIELD}",
    f"reviewed_by__{get_user_model().USERNAME_FIELD}", "reviewed_at", "version",
)  # fmt: skip
_MENTION_COLUMNS = (
    "statement_id", "id", "claim_id", "claim__text", "origin", "status",
    f"created_by__{get_user_model().USERNAME_FIELD}",
    f"reviewed_by__{get_user_model().USERNAME_FIELD}", "version",
)  # fmt: skip
# DRF's own rendering, so that a date reads as the serializer's does.
_DATETIME = serializers.DateTimeField()


def _source(
    id_: int | None, name: str | None, kind: str | None
) -> dict[str, Any] | None:
    return None if id_ is None else {"id": id_, "name": name, "kind": kind}


def _when(
    value: datetime.datetime | None,
    seen: dict[datetime.datetime | None, str | None],
) -> str | None:
    """DRF's rendering of a datetime, worked out once per distinct value."""
    if value not in seen:
        seen[value] = None if value is None else _DATETIME.to_representation(value)
    return seen[value]


def _span(start: int | None, end: int | None) -> dict[str, int | None] | None:
    return None if start is None else {"start": start, "end": end}


def statements_page(
    page: QuerySet[Statement], viewer: Any = None
) -> list[dict[str, Any]]:
    """A page of statements (a sliced, unevaluated queryset) as ``StatementSerializer``
    gives them, in three queries whatever its size.

    The page's own query only picks the ids (its LIMIT and OFFSET walk the
    statements alone); the rows are then read by id with their document, so a
    page deep in the list joins 100 rows rather than every row before it.
    """
    ordering = page.query.order_by or page.model._meta.ordering or ()
    rows = (
        Statement.objects.filter(pk__in=page.values("pk"))
        .order_by(*ordering)
        .values_list(*_STATEMENT_COLUMNS)
    )
    statements, dates = {}, {}
    for (
        id_, document_id, title, published_at, publisher_id, publisher_name,
        publisher_kind, index, start, end, text,
    ) in rows:  # fmt: skip
        statements[id_] = {
            "id": id_,
            "document": {
                "id": document_id,
                "title": title,
                "published_at": _when(published_at, dates),
                "publisher": _source(publisher_id, publisher_name, publisher_kind),
            },
            "index": index,
            "start": start,
            "end": end,
            "text": text,
            "attributions": [],
            "claims": [],
            "mentions": [],
        }
    if not statements:
        return []
    attributions = (
        _attributions_with_sources(viewer)
        .filter(statement_id__in=list(statements))
        .values_list(*_ATTRIBUTION_COLUMNS)
    )
    for (
        statement_id, id_, kind, source_id, source_name, source_kind, source_start,
        source_end, cue_start, cue_end, content_start, content_end, via_id,
        via_name, via_kind, url, origin, status, confidence, owner, reviewer,
        reviewed_at, version,
    ) in attributions:  # fmt: skip
        statements[statement_id]["attributions"].append(
            {
                "id": id_,
                "kind": kind,
                "source": _source(source_id, source_name, source_kind),
                "source_span": _span(source_start, source_end),
                "cue": _span(cue_start, cue_end),
                "content": _span(content_start, content_end),
                "via": _source(via_id, via_name, via_kind),
                "primary_source_url": url,
                "origin": origin,
                "status": status,
                "confidence": None if confidence is None else float(confidence),
                "created_by": owner,
                "reviewed_by": reviewer,
                "reviewed_at": _when(reviewed_at, dates),
                "version": version,
            }
        )
    mentions = (
        _mentions_with_claims(viewer)
        .filter(statement_id__in=list(statements))
        .values_list(*_MENTION_COLUMNS)
    )
    for (
        statement_id, id_, claim_id, claim_text, origin, status, owner, reviewer,
        version,
    ) in mentions:  # fmt: skip
        statements[statement_id]["claims"].append(claim_id)
        statements[statement_id]["mentions"].append(
            {
                "id": id_,
                "claim": claim_id,
                "claim_text": claim_text,
                "origin": origin,
                "status": status,
                "created_by": owner,
                "reviewed_by": reviewer,
                "version": version,
            }
        )
    return list(statements.values())


def documents_by_waiting_suggestions(
    documents: QuerySet[Document], waiting: bool
) -> QuerySet[Document]:
    """The documents that have (or have not) suggestions nobody decided on.

    An uncorrelated IN over the suggested attributions, found once by their
    status index, rather than a probe per document.
    """
    suggested = Attribution.objects.filter(status=ReviewStatus.SUGGESTED).values(
        "statement__document_id"
    )
    return (
        documents.filter(pk__in=suggested)
        if waiting
        else documents.exclude(pk__in=suggested)
    )


# Which rows a query parameter picks: the API's filters and the admin's list
# filters call these, so that each rule is written once.


def statements_attributed(
    statements: QuerySet[Statement],
    *,
    source_ids: list[int] | None = None,
    kind: str | None = None,
    status: str | None = None,
    viewer: Any = None,
) -> QuerySet[Statement]:
    """The statements with an attribution of these sources, kind and status.

    Source, kind and status describe one and the same attribution, not three
    that happen to share a statement; without ``status``, a rejected
    attribution does not count (a reviewer said it is not the provenance).
    ``source_ids`` empty matches nothing (an unknown source); ``None`` is any.
    With ``viewer``, only the attributions they may see count
    (``work_visible_to``): a filter must not tell an annotator what another
    annotator's hidden work says.
    """
    wanted: dict[str, Any] = {}
    if source_ids is not None:
        wanted["source_id__in"] = source_ids
    if kind:
        wanted["kind"] = kind
    if not wanted and not status:
        return statements
    attributions = Attribution.objects.filter(**wanted)
    if status:
        attributions = attributions.filter(status=status)
    else:
        attributions = attributions.exclude(status=ReviewStatus.REJECTED)
    if viewer is not None:
        attributions = work_visible_to(attributions, viewer)
    # An uncorrelated IN: the matching attributions are found once through
    # the (source, kind) index. A correlated EXISTS led SQLite's planner to
    # probe that index once per statement of the corpus.
    return statements.filter(pk__in=attributions.values("statement_id"))


def statements_making_claim(
    statements: QuerySet[Statement], claim_id: int, viewer: Any = None
) -> QuerySet[Statement]:
    """The statements that make the claim: a statement a reviewer unlinked by
    rejecting the mention does not. With ``viewer``, only the mentions they
    may see count (``work_visible_to``)."""
    mentions = ClaimMention.objects.filter(claim_id=claim_id).exclude(
        status=ReviewStatus.REJECTED
    )
    if viewer is not None:
        mentions = work_visible_to(mentions, viewer)
    return statements.filter(pk__in=mentions.values("statement_id"))


def statements_by_attribution(
    statements: QuerySet[Statement], *, unattributed: bool
) -> QuerySet[Statement]:
    """The statements with no accepted attribution (``unattributed``), or
    with one: a suggestion does not attribute a statement until accepted."""
    accepted = Attribution.objects.filter(status=ReviewStatus.ACCEPTED).values(
        "statement_id"
    )
    return (
        statements.exclude(pk__in=accepted)
        if unattributed
        else statements.filter(pk__in=accepted)
    )


def attributions_naming(
    attributions: QuerySet[Attribution], source_ids: list[int]
) -> QuerySet[Attribution]:
    """The attributions to these sources or through them (as conduit): both
    are where a source appears in the provenance."""
    return attributions.filter(Q(source_id__in=source_ids) | Q(via_id__in=source_ids))


def claims_by_proposed(claims: QuerySet[Claim], *, proposed: bool) -> QuerySet[Claim]:
    """The proposed claims (only suggestions name them, waiting for a
    reviewer), or the others; lists show the others unless asked."""
    return claims.filter(proposed=proposed)


def documents_listed() -> QuerySet[Document]:
    return (
        Document.objects.select_related("publisher")
        .prefetch_related("authors", "tags", _assignments_prefetch())
        .annotate(statement_count=_count_of(Statement, "document"))
        .defer("text", "metadata")
    )


def documents_for_review(viewer: Any = None) -> QuerySet[Document]:
    """The admin's document list: how far each document's review has got.

    ``attributed_count``: statements with an attribution that is not
    rejected; ``accepted_count``: with an accepted one; ``waiting_count``:
    suggested attributions nobody has decided on. Each is counted for the
    rows of the page alone, of the attributions ``viewer`` may see.
    """

    def statements_having(
        attributions: QuerySet[Attribution],
    ) -> QuerySet[Statement]:
        return Statement.objects.filter(
            Exists(attributions.filter(statement=OuterRef("pk")))
        )

    seen = work_visible_to(Attribution.objects.all(), viewer)
    standing = seen.exclude(status=ReviewStatus.REJECTED)
    accepted = seen.filter(status=ReviewStatus.ACCEPTED)
    waiting = seen.filter(status=ReviewStatus.SUGGESTED)
    return (
        Document.objects.select_related("publisher")
        .defer("text", "metadata")
        .prefetch_related(_assignments_prefetch())
        .annotate(
            statement_count=_count_of(Statement, "document"),
            attributed_count=_count_of(
                Statement, "document", statements_having(standing)
            ),
            accepted_count=_count_of(
                Statement, "document", statements_having(accepted)
            ),
            waiting_count=_count_of(Attribution, "statement__document", waiting),
        )
    )


def sources_for_review(viewer: Any = None) -> QuerySet[Source]:
    """The admin's source list: each source's attributions by kind
    (``direct_count``, ...), counted for the rows of the page alone, of
    those ``viewer`` may see."""
    seen = work_visible_to(Attribution.objects.all(), viewer)
    return Source.objects.annotate(
        **{
            f"{kind}_count": _count_of(Attribution, "source", seen.filter(kind=kind))
            for kind in AttributionKind.values
        }
    )


def document_with_statements(viewer: Any = None) -> QuerySet[Document]:
    statements = Statement.objects.order_by("index").prefetch_related(
        Prefetch("attributions", queryset=_attributions_with_sources(viewer)),
        Prefetch("claim_mentions", queryset=_mentions_with_claims(viewer)),
    )
    return (
        Document.objects.select_related("publisher")
        .prefetch_related(
            "authors",
            "tags",
            _assignments_prefetch(),
            Prefetch("statements", queryset=statements),
        )
        .annotate(statement_count=_count_of(Statement, "document"))
    )


def attributions_listed(viewer: Any = None) -> QuerySet[Attribution]:
    """Attributions as the list shows them: those ``viewer`` may see."""
    return work_visible_to(
        Attribution.objects.select_related(
            "statement", "source", "via", "created_by", "reviewed_by"
        ).defer("statement__text"),
        viewer,
    )


def sources_listed() -> QuerySet[Source]:
    return Source.objects.select_related("created_by").prefetch_related("aliases")


def claims_listed(viewer: Any = None) -> QuerySet[Claim]:
    """Claims with their tags and ``mention_count``: the mentions ``viewer``
    may see (``work_visible_to``). Which claims they may see is
    ``claims_visible_to``'s."""
    mentions = work_visible_to(ClaimMention.objects.all(), viewer)
    return (
        Claim.objects.select_related("created_by")
        .prefetch_related("tags")
        .annotate(mention_count=_count_of(ClaimMention, "claim", mentions))
    )


def claims_mentioned_in(
    claims: QuerySet[Claim], document_id: int, viewer: Any = None
) -> QuerySet[Claim]:
    """The claims a statement of the document mentions, by the mentions
    ``viewer`` may see: a filter must not tell another annotator's links."""
    mentions = work_visible_to(
        ClaimMention.objects.filter(statement__document_id=document_id), viewer
    )
    return claims.filter(pk__in=mentions.values("claim_id"))


def annotations_listed() -> QuerySet[Annotation]:
    """Reviewers' notes with their reviewer and tags, in fixed queries."""
    return Annotation.objects.select_related("reviewer").prefetch_related("tags")


def claim_reviews_visible_to(
    user: User | AnonymousUser,
) -> QuerySet[ClaimReview]:
    """The reviews this user may read, with their reviewer: anonymous readers
    see published ones only (a draft is not yet the service's word), anyone
    signed in sees every one."""
    reviews = ClaimReview.objects.select_related("reviewer")
    if not user.is_authenticated:
        reviews = reviews.filter(status=ClaimReviewStatus.PUBLISHED)
    return reviews


def attributions_listed_among(ids: list[int]) -> QuerySet[Attribution]:
    """These attributions (just written, say) as the list shows them."""
    return attributions_listed().filter(pk__in=ids)


def documents_unjoined() -> QuerySet[Document]:
    """Documents alone, nothing joined or prefetched: for an action that hands
    the row to a service, which reads what it needs itself."""
    return Document.objects.all()


def statements_text_only() -> QuerySet[Statement]:
    """Statements with their text and nothing else (to search with it)."""
    return Statement.objects.only("id", "text")


def statements_in_stable_order(statements: QuerySet[Statement]) -> QuerySet[Statement]:
    """The statements in their requested order, ties broken by id.

    Every statement of a document shares its date: with the id as last key,
    pages neither overlap nor skip, and a page's rows, read again by id
    (``statements_page``), come back in the order that picked them.
    """
    return statements.order_by(*statements.query.order_by, "id")


# What a write may name by id (DRF's related fields look the id up here).


def source_choices() -> QuerySet[Source]:
    """Any source may be named: as the attribution's source, its conduit, or
    the source merged into another."""
    return Source.objects.all()


def statement_choices() -> QuerySet[Statement]:
    """Any statement may be linked to a claim."""
    return Statement.objects.all()


def claim_choices() -> QuerySet[Claim]:
    """Any claim, proposed or not, may be linked to a statement."""
    return Claim.objects.all()


def claim_mentions_listed(viewer: Any = None) -> QuerySet[ClaimMention]:
    """Mentions with their claim, statement, document and reviewers, in one
    query: those ``viewer`` may see."""
    return work_visible_to(
        ClaimMention.objects.select_related(
            "claim", "statement__document__publisher", "created_by", "reviewed_by"
        )
        .defer("statement__document__text", "statement__document__metadata")
        .order_by("id"),
        viewer,
    )


def claim_mentions(claim: Claim, viewer: Any = None) -> QuerySet[ClaimMention]:
    return claim_mentions_listed(viewer).filter(claim=claim)


def claim_timeline(claim: Claim, viewer: Any = None) -> QuerySet[ClaimMention]:
    """A claim's appearances by their document's date (undated last); a
    mention a reviewer rejected is not one."""
    standing = _attributions_with_sources(viewer).exclude(status=ReviewStatus.REJECTED)
    return (
        claim_mentions(claim, viewer)
        .exclude(status=ReviewStatus.REJECTED)
        .prefetch_related(Prefetch("statement__attributions", queryset=standing))
        .order_by(F("statement__document__published_at").asc(nulls_last=True), "id")
    )


# The admin's pages: what a form or an action reads beside the changelist.


def mentions_on_claim_page(mentions: QuerySet[ClaimMention]) -> QuerySet[ClaimMention]:
    """The claim page's mentions (the inline's own queryset, which the admin
    filters by the claim), each with what its row shows: the statement, its
    document and the reviewer, joined rather than read row by row."""
    return mentions.select_related("claim", "statement__document", "reviewed_by").defer(
        "statement__document__text", "statement__document__metadata"
    )


def history_hidden(visible: QuerySet[Any], object_id: Any, user: Any) -> bool:
    """Whether the row of this id is hidden from ``user``, who sees the rows
    of ``visible`` (an admin's queryset, which leaves hidden rows out): so
    that its history answers as a row that never was. A stored row is hidden
    when it is not among them; a deleted attribution or claim mention when
    its last recorded state is (``work_visible_to`` reads historic copies
    too: they have the same fields)."""
    model = visible.model
    try:
        if visible.filter(pk=object_id).exists():
            return False
        if model._default_manager.filter(pk=object_id).exists():
            return True
    except (ValueError, TypeError, ValidationError):
        return False  # not an id: the history page answers for it
    if model is not Attribution and model is not ClaimMention:
        return False
    copies = model.history.model._default_manager
    last = copies.filter(id=object_id).order_by("-history_date", "-pk").first()
    if last is None:
        return False
    return not work_visible_to(copies.filter(pk=last.pk), user).exists()


def stored_version(instance: VersionedModel) -> int | None:
    """The version of the row as stored, which may differ from the instance's:
    the history page builds its form on a historic copy, and reverting changes
    the object as it is now."""
    return (
        type(instance)
        ._default_manager.filter(pk=instance.pk)
        .values_list("version", flat=True)
        .first()
    )


def tag_names(tagged: Claim | Document) -> list[str]:
    """The names of a claim's (or document's) tags, for a form to show."""
    return list(tagged.tags.values_list("name", flat=True))


def alias_names(source: Source) -> list[str]:
    """A source's other names, for a form to show."""
    return list(source.aliases.values_list("name", flat=True))


def sources_proposed(sources: QuerySet[Source]) -> QuerySet[Source]:
    """The sources among these that only suggestions have named so far."""
    return sources.filter(proposed=True)


def reviews_in_draft(reviews: QuerySet[ClaimReview]) -> QuerySet[ClaimReview]:
    """The drafts among these reviews: a published one is not published again."""
    return reviews.filter(status=ClaimReviewStatus.DRAFT)


def in_pk_order(rows: QuerySet[_Row]) -> QuerySet[_Row]:
    """The rows oldest first, so that work done one by one is done in the same
    order every time."""
    return rows.order_by("pk")


# The commands' and roles' reads.


def any_documents() -> bool:
    """Whether any document is stored: demo data goes into an empty database
    only, so that loading it never overwrites anyone's work."""
    return Document.objects.exists()


def claims_for_embedding() -> QuerySet[Claim]:
    """Every claim's id and text, in id order: all that encoding needs."""
    return Claim.objects.order_by("pk").only("pk", "text")


def user_by_username(username: str) -> User | None:
    """The user of this name, or ``None``: a command's ``--user`` names one
    that must exist (imports create placeholders through
    ``services.user_get_or_create`` instead)."""
    user_model = get_user_model()
    try:
        return user_model._default_manager.get_by_natural_key(username)
    except user_model.DoesNotExist:
        return None


def group_names(user: User) -> set[str]:
    """The names of the user's groups, which are its roles (claims.roles)."""
    return set(user.groups.values_list("name", flat=True))


# The standard formats (claims.formats): W3C Web Annotation and ClaimReview.


def documents_for_annotations(viewer: Any = None) -> QuerySet[Document]:
    """Documents with every attribution, claim mention and note (that
    ``viewer`` may see), as W3C annotations need them: the export reader
    without the document metadata.

    Each statement's notes are in ``statement.notes``.
    """
    return documents_for_export(metadata=False, notes=True, viewer=viewer)


def claim_notes() -> QuerySet[Annotation]:
    """Reviewers' notes on claims (rather than on statements), in id order."""
    return (
        Annotation.objects.filter(claim__isnull=False)
        .select_related("reviewer")
        .prefetch_related("tags")
        .order_by("id")
    )


def claims_for_claimreview(among: Among = None) -> QuerySet[Claim]:
    """Claims with a published review, with what their ClaimReview shows;
    with ``among`` (documents or their ids), those these documents make.

    ``claim.published_reviews`` are its published reviews, oldest first;
    ``claim.appearances`` its accepted mentions by document date (undated
    last), each with the statement's accepted attributions and sources.
    This is what anonymous readers see: a suggestion nobody has reviewed
    yet is not the service's word, so it is left out.
    """
    reviews = ClaimReview.objects.filter(status=ClaimReviewStatus.PUBLISHED).order_by(
        "published_at", "id"
    )
    accepted = Attribution.objects.filter(status=ReviewStatus.ACCEPTED).select_related(
        "source"
    )
    mentions = (
        ClaimMention.objects.filter(status=ReviewStatus.ACCEPTED)
        .select_related("statement__document__publisher")
        .defer("statement__document__text", "statement__document__metadata")
        .prefetch_related(Prefetch("statement__attributions", queryset=accepted))
        .order_by(F("statement__document__published_at").asc(nulls_last=True), "id")
    )
    claims = Claim.objects.filter(
        pk__in=ClaimReview.objects.filter(status=ClaimReviewStatus.PUBLISHED).values(
            "claim"
        )
    )
    if among is not None:
        claims = claims.filter(
            pk__in=ClaimMention.objects.filter(
                status=ReviewStatus.ACCEPTED, statement__document__in=among
            ).values("claim")
        )
    return claims.order_by("id").prefetch_related(
        Prefetch("reviews", queryset=reviews, to_attr="published_reviews"),
        Prefetch("mentions", queryset=mentions, to_attr="appearances"),
    )


def document_by_reference(
    *, content_hash: str | None = None, pk: int | None = None, url: str | None = None
) -> Document | None:
    """The document with this text's hash, else this id, else this URL."""
    if content_hash:
        found = Document.objects.filter(content_hash=content_hash).first()
        if found is not None:
            return found
    if pk is not None:
        found = Document.objects.filter(pk=pk).first()
        if found is not None:
            return found
    if url:
        return Document.objects.filter(url=url).order_by("id").first()
    return None


def claim_by_pk(pk: int) -> Claim | None:
    return Claim.objects.filter(pk=pk).first()


def attribution_exists(
    *,
    statement: Statement,
    kind: str,
    source: Source | None,
    source_span: tuple[int, int] | None,
    cue: tuple[int, int] | None,
    content: tuple[int, int] | None,
) -> bool:
    """Whether the statement has this attribution already (same spans too)."""
    spans = {}
    for prefix, span in [("source", source_span), ("cue", cue), ("content", content)]:
        start, end = span if span is not None else (None, None)
        spans[f"{prefix}_start"], spans[f"{prefix}_end"] = start, end
    return Attribution.objects.filter(
        statement=statement, kind=kind, source=source, **spans
    ).exists()


def annotation_exists(
    *,
    statement: Statement | None,
    claim: Claim | None,
    reviewer: User,
    motivation: str,
    body: str,
) -> bool:
    """Whether this reviewer's note with this text is on the target already."""
    return Annotation.objects.filter(
        statement=statement,
        claim=claim,
        reviewer=reviewer,
        motivation=motivation,
        body=body,
    ).exists()


# Search by a source's other names -------------------------------------------


def _names_of_sources_called(term: str) -> tuple[QuerySet[Source], list[str]]:
    """The sources one of whose names or aliases holds ``term`` (case
    ignored), and every name and alias of theirs."""
    sources = Source.objects.filter(
        Q(name__icontains=term) | Q(aliases__name__icontains=term)
    ).distinct()
    names = {
        name
        for pair in sources.values_list("name", "aliases__name")
        for name in pair
        if name
    }
    return sources, sorted(names)


def _holds_any(field: str, names: list[str]) -> Q:
    condition = Q(pk__in=[])
    for name in names:
        condition |= Q(**{f"{field}__icontains": name})
    return condition


def claims_by_source_names(
    queryset: QuerySet[Claim], term: str, viewer: Any = None
) -> QuerySet[Claim]:
    """The claims of ``queryset`` that a source called ``term`` (by its name
    or any alias) is named in, or whose statements are attributed to it:
    "Suleimani" finds the claims about and by Qassem Soleimani. With
    ``viewer``, by the attributions and mentions they may see."""
    sources, names = _names_of_sources_called(term.strip())
    if not names:
        return queryset.none()
    attributed = work_visible_to(
        Attribution.objects.filter(source__in=sources, status=ReviewStatus.ACCEPTED),
        viewer,
    ).values("statement_id")
    said = work_visible_to(
        ClaimMention.objects.filter(statement_id__in=attributed).exclude(
            status=ReviewStatus.REJECTED
        ),
        viewer,
    ).values("claim_id")
    return queryset.filter(Q(pk__in=said) | _holds_any("text", names))


def statements_by_source_names(
    queryset: QuerySet[Statement], term: str, viewer: Any = None
) -> QuerySet[Statement]:
    """The statements of ``queryset`` attributed to a source called ``term``
    (by its name or any alias; by the attributions ``viewer`` may see), or
    that name it."""
    sources, names = _names_of_sources_called(term.strip())
    if not names:
        return queryset.none()
    attributed = work_visible_to(
        Attribution.objects.filter(source__in=sources, status=ReviewStatus.ACCEPTED),
        viewer,
    ).values("statement_id")
    return queryset.filter(Q(pk__in=attributed) | _holds_any("text", names))


def documents_by_source_names(
    queryset: QuerySet[Document], term: str, viewer: Any = None
) -> QuerySet[Document]:
    """The documents of ``queryset`` that a source called ``term`` (by its
    name or any alias) published or wrote, or whose title or statements name
    it or are attributed to it (``statements_by_source_names``)."""
    sources, names = _names_of_sources_called(term.strip())
    if not names:
        return queryset.none()
    statements = statements_by_source_names(Statement.objects.all(), term, viewer)
    written = Document.objects.filter(authors__in=sources).values("pk")
    return queryset.filter(
        Q(publisher__in=sources)
        | Q(pk__in=written)
        | Q(pk__in=statements.values("document_id"))
        | _holds_any("title", names)
    )


def source_statements(source: Source, viewer: Any = None) -> QuerySet[Attribution]:
    """What a source said: its accepted attributions by kind, then by date,
    each with its statement and document, the claims the statement carries
    (rejected links left out) and those claims' published reviews, newest
    first; three queries, however many statements. With ``viewer``, the
    attributions and links they may see."""
    reviews = ClaimReview.objects.filter(status=ClaimReviewStatus.PUBLISHED).order_by(
        "-published_at", "-id"
    )
    mentions = (
        work_visible_to(ClaimMention.objects.all(), viewer)
        .exclude(status=ReviewStatus.REJECTED)
        .select_related("claim")
        .prefetch_related(Prefetch("claim__reviews", queryset=reviews))
        .order_by("id")
    )
    return (
        work_visible_to(
            Attribution.objects.filter(source=source, status=ReviewStatus.ACCEPTED),
            viewer,
        )
        .select_related("statement__document")
        .prefetch_related(Prefetch("statement__claim_mentions", queryset=mentions))
        .order_by(
            "kind",
            F("statement__document__published_at").desc(nulls_last=True),
            "statement__document_id",
            "statement__index",
        )
    )


# A source's track record ----------------------------------------------------
#
# The claims a source's statements carry: accepted mentions on statements
# with an accepted attribution to the source. A suggestion (of either) is
# not yet anyone's word, and a conduit ("told public radio") did not say it.
# Each claim counts once, by its latest published verdict, as on the source's
# page and in the similar claims' ``verdict``.


def _mentions_carried_by(
    source: Source | OuterRef, viewer: Any = None
) -> QuerySet[ClaimMention]:
    """The accepted mentions on statements with an accepted attribution to
    ``source`` (a source, or a reference to one in an enclosing query); with
    ``viewer``, of the attributions and mentions they may see (an editor may
    accept an annotator's row before adjudication)."""
    attributed = work_visible_to(
        Attribution.objects.filter(source=source, status=ReviewStatus.ACCEPTED),
        viewer,
    ).values("statement_id")
    return work_visible_to(
        ClaimMention.objects.filter(
            status=ReviewStatus.ACCEPTED, statement_id__in=attributed
        ),
        viewer,
    )


def _latest_verdicts() -> QuerySet[ClaimReview]:
    """Each claim's latest published review (publishing dates it)."""
    published = ClaimReview.objects.filter(status=ClaimReviewStatus.PUBLISHED)
    latest = published.filter(claim=OuterRef("claim")).order_by("-published_at", "-id")
    return published.filter(pk=Subquery(latest.values("pk")[:1]))


class _CountDistinct(Func):
    # COUNT(DISTINCT …) as a plain function, not an aggregate: in a subquery
    # it counts that subquery's rows without a GROUP BY on a column the
    # subquery lacks (the enclosing source's id).
    function = "COUNT"
    template = "%(function)s(DISTINCT %(expressions)s)"
    output_field = IntegerField()


def _claims_counted(mentions: QuerySet[ClaimMention]) -> Coalesce:
    return Coalesce(
        Subquery(
            mentions.order_by().annotate(n=_CountDistinct("claim_id")).values("n")
        ),
        0,
    )


def sources_with_records(
    sources: QuerySet[Source], viewer: Any = None
) -> QuerySet[Source]:
    """``sources`` with their track record in figures, for the rows of a page
    alone: ``record_claims`` (the claims their statements carry) and, for
    each rating, ``record_false`` … ``record_not_a_claim``
    (``record_field``): how many of those claims' latest published verdict
    has it. What ``source_record`` answers for one source (for ``viewer``)."""
    # Two levels out: the attributions' query sits in the mentions' query,
    # which sits in the sources'.
    carried = _mentions_carried_by(OuterRef(OuterRef("pk")), viewer)
    latest = (
        ClaimReview.objects.filter(
            claim=OuterRef("claim_id"), status=ClaimReviewStatus.PUBLISHED
        )
        .order_by("-published_at", "-id")
        .values("rating")[:1]
    )
    rated = carried.annotate(verdict=Subquery(latest))
    return sources.annotate(
        record_claims=_claims_counted(carried),
        **{
            record_field(rating): _claims_counted(rated.filter(verdict=rating))
            for rating in Rating
        },
    )


def record_field(rating: Rating) -> str:
    """The name of a rating's count in ``sources_with_records``."""
    return f"record_{rating.name.lower()}"


@dataclass(frozen=True)
class SourceRecord:
    """A source's track record: how many claims its statements carry, their
    latest published verdicts counted by rating (every rating, in the scale's
    order), and those verdicts, newest first, each review's claim holding the
    source's statements that carry it (``claim.carried``, by document date)."""

    source: Source
    claims: int
    by_rating: dict[int, int]
    reviews: list[ClaimReview]


def source_record(source: Source, viewer: Any = None) -> SourceRecord:
    """The track record of one source, in three queries however long; with
    ``viewer``, of the attributions and mentions they may see."""
    carried = _mentions_carried_by(source, viewer)
    claims = carried.values("claim_id").distinct().count()
    statements = carried.select_related("statement").order_by(
        F("statement__document__published_at").asc(nulls_last=True),
        "statement__document_id",
        "statement__index",
    )
    reviews = list(
        _latest_verdicts()
        .filter(claim_id__in=carried.values("claim_id"))
        .select_related("claim")
        .prefetch_related(
            Prefetch("claim__mentions", queryset=statements, to_attr="carried")
        )
        .order_by("-published_at", "-id")
    )
    by_rating = dict.fromkeys(Rating.values, 0)
    for review in reviews:
        by_rating[review.rating] += 1
    return SourceRecord(source, claims, by_rating, reviews)


def claims_published() -> QuerySet[Claim]:
    """Claims with a published review, newest verdict first, each with the
    date of its latest (``latest_published_at``): the public index."""
    published = ClaimReview.objects.filter(status=ClaimReviewStatus.PUBLISHED)
    return (
        Claim.objects.filter(Exists(published.filter(claim=OuterRef("pk"))))
        .annotate(
            latest_published_at=Subquery(
                published.filter(claim=OuterRef("pk"))
                .order_by("-published_at")
                .values("published_at")[:1]
            )
        )
        .order_by(F("latest_published_at").desc(nulls_last=True), "-id")
    )


def in_either(
    rows: QuerySet[_Row], first: QuerySet[_Row], second: QuerySet[_Row]
) -> QuerySet[_Row]:
    """The rows of ``rows`` that are in ``first`` or in ``second`` (of the
    same model): a search's matches widened by another's, as one queryset,
    so that ordering and pagination apply to both alike."""
    return rows.filter(Q(pk__in=first.values("pk")) | Q(pk__in=second.values("pk")))


# The jobs' reads: their lists and pages (admin and API), the documents a job
# names, a worker waiting for its job's row, the documents an export writes.


def ids_oldest_first(rows: QuerySet[Any]) -> list[int]:
    """The ids of these rows (an admin action's selection), oldest first, in
    one query: a job names its documents by id, worked through in that order."""
    return list(rows.order_by("pk").values_list("pk", flat=True))


def stored_document_ids(ids: Collection[int]) -> set[int]:
    """Which of these ids are stored documents', in one query: a job's request
    is refused naming the ones that are not, before anything is queued."""
    return set(Document.objects.filter(pk__in=ids).values_list("pk", flat=True))


def job_committed(pk: int) -> bool:
    """Whether the job's row is there for a worker to read: job_submit sends
    the task before its transaction commits, and a quicker worker waits."""
    return Job.objects.filter(pk=pk).exists()


def jobs_lease_stale(before: datetime.datetime) -> list[int]:
    """The running jobs run whole (no chunks) whose worker last renewed its
    lease before ``before``: those the beat sends out again, oldest first.
    Chunked jobs keep no heartbeat; their chunks are handed out again
    instead (``jobs_chunks_stalled``)."""
    return list(
        Job.objects.filter(status=JobStatus.RUNNING)
        .filter(Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=before))
        .exclude(Exists(JobChunk.objects.filter(job=OuterRef("pk"))))
        .order_by("heartbeat_at", "pk")
        .values_list("pk", flat=True)
    )


def jobs_queued_before(before: datetime.datetime) -> list[int]:
    """The jobs submitted before ``before`` and still queued, oldest first:
    those whose message may have been lost with the broker, which the beat
    sends out again."""
    return list(
        Job.objects.filter(status=JobStatus.QUEUED, created_at__lt=before)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)
    )


def jobs_chunks_stalled(before: datetime.datetime) -> list[tuple[int, int]]:
    """The running jobs in chunks with chunks left queued, started before
    ``before``, of which no chunk was taken or finished since: no worker is
    on them, and the beat hands their chunks out again. Each as its id and
    how many chunks are left, oldest first. A chunk whose attempt went stale
    (its worker died) is queued, so left."""
    lately = JobChunk.objects.filter(job=OuterRef("pk")).filter(
        Q(taken_at__gte=before) | Q(finished_at__gte=before)
    )
    return list(
        Job.objects.filter(status=JobStatus.RUNNING, started_at__lt=before)
        .annotate(left=Count("chunks", filter=Q(chunks__status=JobChunkStatus.QUEUED)))
        .filter(left__gt=0)
        .exclude(Exists(lately))
        .order_by("started_at", "pk")
        .values_list("pk", "left")
    )


def jobs_listed() -> QuerySet[Job]:
    """Jobs with their submitters joined: each row (and page) names who
    submitted it, and the roles check whose it is."""
    return Job.objects.select_related("created_by")


def job_for_page(pk: int | str) -> Job | None:
    """The job of this id as its page shows it (its submitter joined), or None
    when there is none (an id that is not a number, as a mistyped URL gives,
    names none)."""
    if not str(pk).isdigit():
        return None
    return jobs_listed().filter(pk=pk).first()


def jobs_submitted_by(jobs: QuerySet[Job], user: User | int) -> QuerySet[Job]:
    """The jobs among these that this user (or user id) submitted: all that a
    reviewer sees of them, and the editor's filter by submitter."""
    return jobs.filter(created_by=user)


def job_submitters() -> list[tuple[int, str]]:
    """Everyone who submitted a job, (id, username) by username, each once:
    the choices of the Jobs list's filter by submitter."""
    return list(
        Job.objects.filter(created_by__isnull=False)
        .values_list("created_by__pk", "created_by__username")
        .distinct()
        .order_by("created_by__username")
    )


def documents_a_job_made(job: Job, *, limit: int) -> QuerySet[Document]:
    """The first ``limit`` documents of the job's summary (an import's), by id:
    its page links to them, and says how many more there are."""
    ids = (job.summary.get("documents") or [])[:limit]
    return Document.objects.filter(pk__in=ids).order_by("pk")


# Assignments: who reviews what, and each reviewer's queue.


def _assignments_prefetch() -> "Prefetch[Any]":
    """A document's assignments with their reviewers (``assigned_to`` and,
    through ``models.review_state_of``, ``review_state``): one query a page."""
    return Prefetch(
        "assignments",
        queryset=Assignment.objects.select_related("reviewer").order_by("id"),
    )


def documents_assigned_to(
    documents: QuerySet[Document], username: str
) -> QuerySet[Document]:
    """The documents assigned to the user of this name."""
    return documents.filter(
        Exists(
            Assignment.objects.filter(
                document=OuterRef("pk"), reviewer__username=username
            )
        )
    )


def documents_in_review_state(
    documents: QuerySet[Document], state: str
) -> QuerySet[Document]:
    """The documents whose review state (``models.review_state_of``) is
    ``state``, said as conditions on their assignments."""
    mine = Assignment.objects.filter(document=OuterRef("pk"))
    assigned = Exists(mine)
    unfinished = Exists(mine.exclude(state=ReviewState.DONE))
    started = Exists(mine.exclude(state=ReviewState.TO_DO))
    if state == ReviewState.DONE:
        return documents.filter(assigned & ~unfinished)
    if state == ReviewState.IN_REVIEW:
        return documents.filter(started & unfinished)
    return documents.filter(assigned & ~started)


def assignment_of(document_id: int, user: User) -> Assignment | None:
    """The user's assignment to the document, if any."""
    return Assignment.objects.filter(document_id=document_id, reviewer=user).first()


def assignments_of_document(document_id: int) -> QuerySet[Assignment]:
    return Assignment.objects.filter(document_id=document_id).select_related("reviewer")


def reviewer_queue(user: User) -> QuerySet[Assignment]:
    """The user's assignments, oldest first, each with its document's
    ``statement_count`` and ``waiting_count`` (suggested attributions and
    claim mentions nobody has decided on, of those the user may see), in
    one query."""

    def count(rows: QuerySet[Any]) -> Coalesce:
        counted = (
            rows.filter(statement__document=OuterRef("document_id"))
            .order_by()
            .values("statement__document")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return Coalesce(Subquery(counted), 0)

    statements = (
        Statement.objects.filter(document=OuterRef("document_id"))
        .order_by()
        .values("document")
        .annotate(count=Count("pk"))
        .values("count")
    )
    # What waits for them: not the other annotators' work nor the shared
    # suggestions they each have their own copy of (work_visible_to).
    waiting_attributions = work_visible_to(
        Attribution.objects.filter(status=ReviewStatus.SUGGESTED), user
    )
    waiting_mentions = work_visible_to(
        ClaimMention.objects.filter(status=ReviewStatus.SUGGESTED), user
    )
    return (
        Assignment.objects.filter(reviewer=user)
        .select_related("document", "assigned_by")
        .defer("document__text", "document__metadata")
        .annotate(
            statement_count=Coalesce(Subquery(statements), 0),
            waiting_count=count(waiting_attributions) + count(waiting_mentions),
        )
        .order_by("assigned_at", "id")
    )


def users_in_groups(names: Collection[str]) -> QuerySet[User]:
    """Active users in any of these groups (roles), and superusers, by name."""
    return (
        get_user_model()
        ._default_manager.filter(is_active=True)
        .filter(Q(groups__name__in=names) | Q(is_superuser=True))
        .distinct()
        .order_by("username")
    )


# Agreement (claims.agreement): each annotator's values, unit by unit.

AGREEMENT_ATTRIBUTES = ("kind", "source", "source_span", "cue", "claims")


def _annotators_values() -> Q:
    """The rows that carry an annotator's values: those not rejected, and
    on a document in independent annotation their own rows only, including
    those an adjudication rejected (someone else than their annotator did),
    so that adjudicating changes no agreement figure; the final attribution
    an editor wrote is not an annotator's."""
    adjudicated_away = Q(status=ReviewStatus.REJECTED, reviewed_by__isnull=False) & ~Q(
        reviewed_by=F("created_by")
    )
    return (
        Q(independent=True) | Q(statement__document__independent_annotation=False)
    ) & (~Q(status=ReviewStatus.REJECTED) | (Q(independent=True) & adjudicated_away))


def agreement_units(
    documents: QuerySet[Document], viewer: Any = None
) -> tuple[list[int], list[str], dict[str, dict[Any, dict[str, Any]]], list[int]]:
    """The documents' ids, their annotators (the reviewers they are assigned
    to) by username, each attribute's units, and the documents withheld
    from ``viewer``, in three queries.

    Withheld: documents whose annotators' work ``viewer`` may not see yet
    (``work_visible_to``): their figures would tell the other annotators'
    values, so they are left out of the rest, and only named.

    An annotator's value for a statement is read from their own first
    attribution of it that counts (``_annotators_values``: not rejected, or
    rejected by an adjudication); a statement they did not attribute
    is a value missing, not a disagreement. Kind and source: one unit per
    statement; source span and cue: the exact span, or "none". Claims: one
    yes/no unit per (statement, claim) that any annotator linked, "yes" for
    each annotator of the document who linked it (not rejected), "no" for the
    others.
    """
    username = f"reviewer__{get_user_model().USERNAME_FIELD}"
    # A withheld document is assigned to the viewer: its assignments say so.
    withheld_documents = _withheld_documents(viewer)
    hidden: Any = (
        Exists(withheld_documents.filter(pk=OuterRef("document_id")))
        if withheld_documents is not None
        else Value(False)
    )
    assigned = (
        Assignment.objects.filter(document__in=documents.order_by().values("pk"))
        .annotate(hidden=hidden)
        .order_by("document_id", username)
        .values_list("document_id", username, "hidden")
    )
    by_document: dict[int, list[str]] = {}
    withheld: set[int] = set()
    for document_id, name, is_hidden in assigned:
        if is_hidden:
            withheld.add(document_id)
        else:
            by_document.setdefault(document_id, []).append(name)
    annotators = sorted({name for names in by_document.values() for name in names})
    owner = f"created_by__{get_user_model().USERNAME_FIELD}"
    attributions = (
        Attribution.objects.filter(
            _annotators_values(),
            statement__document_id__in=list(by_document),
            created_by__isnull=False,
        )
        .order_by("id")
        .values_list(
            "statement__document_id",
            "statement_id",
            owner,
            "kind",
            "source_id",
            "source_start",
            "source_end",
            "cue_start",
            "cue_end",
        )
    )
    units: dict[str, dict[Any, dict[str, Any]]] = {
        name: {} for name in AGREEMENT_ATTRIBUTES
    }
    for (
        document_id, statement_id, name, kind, source_id, source_start,
        source_end, cue_start, cue_end,
    ) in attributions:  # fmt: skip
        if name not in by_document[document_id]:
            continue
        values = {
            "kind": kind,
            "source": source_id if source_id is not None else "none",
            "source_span": (source_start, source_end)
            if source_start is not None
            else "none",
            "cue": (cue_start, cue_end) if cue_start is not None else "none",
        }
        for attribute, value in values.items():
            units[attribute].setdefault(statement_id, {}).setdefault(name, value)
    mentions = ClaimMention.objects.filter(
        _annotators_values(),
        statement__document_id__in=list(by_document),
        created_by__isnull=False,
    ).values_list("statement__document_id", "statement_id", "claim_id", owner)
    linked: dict[tuple[int, int, int], set[str]] = {}
    for document_id, statement_id, claim_id, name in mentions:
        if name in by_document[document_id]:
            linked.setdefault((document_id, statement_id, claim_id), set()).add(name)
    for (document_id, statement_id, claim_id), names in linked.items():
        units["claims"][(statement_id, claim_id)] = {
            name: "yes" if name in names else "no" for name in by_document[document_id]
        }
    return sorted(by_document), annotators, units, sorted(withheld)


# Independent double annotation (services.independent): whose work is whose,
# and who may see it yet.

_Work = TypeVar("_Work", Attribution, ClaimMention)


def _withheld_documents(user: Any) -> QuerySet[Any] | None:
    """The documents whose annotators' work ``user`` may not see yet, as a
    subquery (their ids): marked for independent annotation, assigned to
    ``user``, some assignment not done, and ``user`` no editor. None for
    those who see everything: no user, anonymous readers, superusers."""
    if user is None or not user.is_authenticated or user.is_superuser:
        return None
    from claims.roles import EDITOR  # roles reads its groups through here

    editor = get_user_model().groups.through.objects.filter(
        user_id=user.pk, group__name=EDITOR
    )
    assignments = Assignment.objects.filter(document=OuterRef("pk"))
    return Document.objects.filter(
        Exists(assignments.filter(reviewer_id=user.pk)),
        Exists(assignments.exclude(state=ReviewState.DONE)),
        ~Exists(editor),
        independent_annotation=True,
    ).values("pk")


def _hidden_work(user: Any) -> Q | None:
    """The attributions or claim mentions (or their historic copies, which
    have the same fields) hidden from ``user``: on a document withheld from
    them, the other annotators' rows and the shared suggestions waiting.
    None where nothing is."""
    withheld = _withheld_documents(user)
    if withheld is None:
        return None
    others = (Q(independent=True) & ~Q(created_by_id=user.pk)) | Q(
        independent=False, status=ReviewStatus.SUGGESTED
    )
    return Q(statement__document__in=withheld) & others


def work_visible_to(rows: QuerySet[_Work], user: Any) -> QuerySet[_Work]:
    """The attributions or claim mentions among ``rows`` that ``user`` may see.

    The one rule of independent double annotation, for the API and the admin
    alike: on a document marked for it, an annotator (a reviewer assigned to
    it) sees, until every assignment of the document is done, their own
    independent work and the shared work that is decided, not the other
    annotators' rows nor the waiting suggestions (each works from their own
    copy of those). Readers, editors, reviewers not assigned to the document
    and, once all are done, the annotators too, see everything. Said as a
    subquery, so that it adds no query to a read.

    What the hidden rows alone brought in is hidden with them
    (``claims_visible_to``, ``sources_visible_to``), and so are the
    documents' agreement figures (``agreement_units``) and their history.
    """
    hidden = _hidden_work(user)
    return rows if hidden is None else rows.exclude(hidden)


def _naming(fields: tuple[str, ...], target: Any) -> Q:
    """The rows one of whose ``fields`` points at ``target``."""
    condition = Q(**{fields[0]: target})
    for field in fields[1:]:
        condition |= Q(**{field: target})
    return condition


def _without_brought_in(
    targets: QuerySet[_Row],
    user: Any,
    rows: QuerySet[Any],
    fields: tuple[str, ...],
    other_reasons: list[QuerySet[Any]],
) -> QuerySet[_Row]:
    """``targets`` (claims or sources) less those that work hidden from
    ``user`` alone brought in: a hidden row names each (in one of its
    ``fields``) and its maker made that row (or nobody made it: a suggestion
    proposed it); no row the user may see names it, and nothing else holds it
    (``other_reasons``, each the rows that point at it, ``OuterRef("pk")``).

    The candidates are those the hidden rows name, found first (few, and
    none for most users), a field at a time: an OR of two would have the
    planner test every target against both."""
    hidden = _hidden_work(user)
    if hidden is None:
        return targets
    hidden_rows = rows.filter(hidden)
    named = hidden_rows.filter(_naming(fields, OuterRef("pk")))
    held = [
        Exists(rows.exclude(hidden).filter(_naming(fields, OuterRef("pk")))),
        *(Exists(reason) for reason in other_reasons),
    ]
    for field in fields:
        brought = targets.model._default_manager.filter(
            Q(pk__in=hidden_rows.values(field)),
            Q(Exists(named.filter(created_by=OuterRef("created_by"))))
            | Q(created_by__isnull=True, proposed=True),
        )
        for reason in held:
            brought = brought.exclude(reason)
        targets = targets.exclude(pk__in=brought.values("pk"))
    return targets


def claims_visible_to(claims: QuerySet[Claim], user: Any) -> QuerySet[Claim]:
    """The claims among ``claims`` that ``user`` may see (``work_visible_to``).

    A claim is hidden from an annotator when hidden work alone brought it in:
    another annotator made it for a link of theirs (or a suggestion
    proposed it) on a document withheld from the annotator, no mention of it
    they may see exists, and it has no review and no note. An ordinary claim
    another annotator merely linked stays, as do claims nothing links (an
    import's, a claim made for later): it was there before, and hiding it
    would tell the link. Said as a subquery, as ``work_visible_to``.
    """
    return _without_brought_in(
        claims,
        user,
        ClaimMention.objects.all(),
        ("claim_id",),
        [
            ClaimReview.objects.filter(claim=OuterRef("pk")),
            Annotation.objects.filter(claim=OuterRef("pk")),
        ],
    )


def sources_visible_to(sources: QuerySet[Source], user: Any) -> QuerySet[Source]:
    """The sources among ``sources`` that ``user`` may see: as claims
    (``claims_visible_to``), a source is hidden from an annotator when only
    hidden attributions name it (as source or conduit), their maker made it
    (or suggestions proposed it), and no document names it as publisher or
    author."""
    return _without_brought_in(
        sources,
        user,
        Attribution.objects.all(),
        ("source_id", "via_id"),
        [
            Document.objects.filter(publisher=OuterRef("pk")),
            Document.authors.through.objects.filter(source=OuterRef("pk")),
        ],
    )


def visible_to(rows: QuerySet[_Row], user: Any) -> QuerySet[_Row]:
    """The rows among ``rows`` that ``user`` may see, by their model's rule:
    ``work_visible_to`` for attributions and claim mentions,
    ``claims_visible_to``, ``sources_visible_to``; every row of the other
    models. For what a request names by id (the API's related fields, the
    admin's choices): a hidden row is answered as one that does not exist."""
    model = rows.model
    if model is Attribution or model is ClaimMention:
        return work_visible_to(rows, user)  # type: ignore[type-var]
    if model is Claim:
        return claims_visible_to(rows, user)  # type: ignore[arg-type,return-value]
    if model is Source:
        return sources_visible_to(rows, user)  # type: ignore[arg-type,return-value]
    return rows


def documents_withheld_from(user: Any) -> list[int]:
    """The ids of the documents whose annotators' work ``user`` may not see
    yet (``work_visible_to``), in order: none for most users. One short
    query (none for those who see everything), which a hot read asks first
    to skip building the visibility rules where nothing is hidden: composing
    them costs more than running them (BENCHMARKS.md, Similar claims through
    gunicorn)."""
    withheld = _withheld_documents(user)
    if withheld is None:
        return []
    return list(
        Document.objects.filter(pk__in=withheld)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def annotates_independently(document_id: int, user: User) -> bool:
    """Whether the document is marked for independent annotation and
    assigned to ``user``: their work on it is theirs alone."""
    return Assignment.objects.filter(
        document_id=document_id, reviewer=user, document__independent_annotation=True
    ).exists()


def reviewers_of_document(document_id: int) -> list[User]:
    """The reviewers a document is assigned to, in the order assigned."""
    return [a.reviewer for a in assignments_of_document(document_id).order_by("id")]


def has_independent_work(document_id: int, user: User) -> bool:
    """Whether ``user`` has independent rows on the document already."""
    return (
        Attribution.objects.filter(
            statement__document_id=document_id, created_by=user, independent=True
        ).exists()
        or ClaimMention.objects.filter(
            statement__document_id=document_id, created_by=user, independent=True
        ).exists()
    )


def waiting_suggestions(
    document_id: int,
) -> tuple[list[Attribution], list[ClaimMention]]:
    """The document's shared suggestions nobody has decided on, in id order."""
    waiting = {
        "statement__document_id": document_id,
        "origin": Origin.SUGGESTED,
        "status": ReviewStatus.SUGGESTED,
        "independent": False,
    }
    return (
        list(Attribution.objects.filter(**waiting).order_by("id")),
        list(ClaimMention.objects.filter(**waiting).order_by("id")),
    )


def independent_accepted_exists(row: Attribution | ClaimMention) -> bool:
    """Whether another annotator's row like this one (on its statement; for a
    mention, to its claim) is accepted already."""
    if isinstance(row, Attribution):
        others: QuerySet[Any] = Attribution.objects.filter(
            statement_id=row.statement_id
        )
    else:
        others = ClaimMention.objects.filter(
            statement_id=row.statement_id, claim_id=row.claim_id
        )
    return (
        others.filter(independent=True, status=ReviewStatus.ACCEPTED)
        .exclude(pk=row.pk)
        .exists()
    )


def independent_mention_of(
    *, claim: Claim, statement: Statement, user: User
) -> ClaimMention | None:
    """The annotator's own link of this statement to this claim, if any."""
    return ClaimMention.objects.filter(
        claim=claim, statement=statement, created_by=user, independent=True
    ).first()


# Adjudication (services.adjudication): the annotators' waiting work on a
# document, statement by statement, side by side.

# What makes two annotators' attributions of a statement the same: what
# agreement_units compares (kind, source, source span, cue).
ADJUDICATION_FIELDS = (
    "kind", "source_id", "source_start", "source_end", "cue_start", "cue_end",
)  # fmt: skip


@dataclass
class AnnotatorWork:
    """One annotator's waiting attributions of a statement (none: they left
    it alone, or rejected their copy)."""

    annotator: str
    attributions: list[Attribution]


@dataclass
class ClaimPair:
    """A (statement, claim) link that some annotators made and others not."""

    claim: Claim
    linked_by: list[str]
    not_linked_by: list[str]
    mentions: list[ClaimMention]


@dataclass
class StatementAdjudication:
    statement: Statement
    work: list[AnnotatorWork]
    attributions_agree: bool
    claims: list[ClaimPair]


@dataclass
class Adjudication:
    """A document's annotators (by username), those not done yet, the
    statements where they differ, and the waiting rows where all agree: one
    attribution list per statement and one mention list per (statement,
    claim), each in the annotators' order."""

    annotators: list[str]
    waiting_for: list[str]
    differing: list[StatementAdjudication]
    agreeing_attributions: list[list[Attribution]]
    agreeing_mentions: list[list[ClaimMention]]


def _waiting_independent(model: type[_Work], document_id: int) -> QuerySet[_Work]:
    return model._default_manager.filter(
        statement__document_id=document_id,
        independent=True,
        status=ReviewStatus.SUGGESTED,
    )


def adjudication_rows(document: Document) -> Adjudication:
    """What waits for adjudication on the document, in three queries however
    many statements it has.

    An annotator's work is their independent rows still ``suggested`` (an
    editor's decision accepts or rejects them all). A statement is agreed on
    where every annotator has exactly one such attribution and all are the
    same in ``ADJUDICATION_FIELDS``; it differs where any of them has one and
    it is not agreed on. A (statement, claim) link is agreed on where every
    annotator made it, and differs where only some did.
    """
    assignments = list(assignments_of_document(document.pk))
    annotators = sorted(a.reviewer.get_username() for a in assignments)
    waiting_for = sorted(
        a.reviewer.get_username() for a in assignments if a.state != ReviewState.DONE
    )
    attributions = (
        _waiting_independent(Attribution, document.pk)
        .select_related("statement", "source", "via", "created_by", "reviewed_by")
        .order_by("statement__index", "id")
    )
    by_statement: dict[int, dict[str, list[Attribution]]] = {}
    statements: dict[int, Statement] = {}
    for attribution in attributions:
        name = attribution.created_by.get_username() if attribution.created_by else ""
        if name not in annotators:
            continue
        statements[attribution.statement_id] = attribution.statement
        rows = by_statement.setdefault(attribution.statement_id, {})
        rows.setdefault(name, []).append(attribution)
    mentions = (
        _waiting_independent(ClaimMention, document.pk)
        .select_related("statement", "claim", "created_by")
        .order_by("statement__index", "claim_id", "id")
    )
    pairs: dict[tuple[int, int], dict[str, ClaimMention]] = {}
    for mention in mentions:
        name = mention.created_by.get_username() if mention.created_by else ""
        if name not in annotators:
            continue
        statements.setdefault(mention.statement_id, mention.statement)
        pairs.setdefault((mention.statement_id, mention.claim_id), {})[name] = mention

    def same(rows: dict[str, list[Attribution]]) -> bool:
        if set(rows) != set(annotators) or any(len(r) != 1 for r in rows.values()):
            return False
        keys = {
            tuple(getattr(r[0], f) for f in ADJUDICATION_FIELDS) for r in rows.values()
        }
        return len(keys) == 1

    answer = Adjudication(annotators, waiting_for, [], [], [])
    differing_pairs: dict[int, list[ClaimPair]] = {}
    for (statement_id, _claim_id), made in pairs.items():
        ordered = [made[name] for name in annotators if name in made]
        if len(made) == len(annotators):
            answer.agreeing_mentions.append(ordered)
            continue
        differing_pairs.setdefault(statement_id, []).append(
            ClaimPair(
                claim=ordered[0].claim,
                linked_by=[name for name in annotators if name in made],
                not_linked_by=[name for name in annotators if name not in made],
                mentions=ordered,
            )
        )
    for statement_id, statement in sorted(
        statements.items(), key=lambda item: item[1].index
    ):
        rows = by_statement.get(statement_id, {})
        agree = same(rows)
        if rows and agree:
            answer.agreeing_attributions.append([rows[name][0] for name in annotators])
        if (rows and not agree) or statement_id in differing_pairs:
            answer.differing.append(
                StatementAdjudication(
                    statement=statement,
                    work=[
                        AnnotatorWork(name, rows.get(name, [])) for name in annotators
                    ],
                    attributions_agree=agree or not rows,
                    claims=differing_pairs.get(statement_id, []),
                )
            )
    return answer


def adjudication_open_rows(
    statement_ids: Collection[int],
) -> tuple[list[Attribution], list[ClaimMention]]:
    """The rows of these statements that an adjudication decides, in id
    order: the independent attributions and claim links not rejected, and
    the shared suggestions still waiting (the services lock each as they
    write it)."""
    open_rows = (Q(independent=True) & ~Q(status=ReviewStatus.REJECTED)) | Q(
        independent=False, status=ReviewStatus.SUGGESTED
    )
    among = {"statement_id__in": list(statement_ids)}
    return (
        list(Attribution.objects.filter(open_rows, **among).order_by("id")),
        list(ClaimMention.objects.filter(open_rows, **among).order_by("id")),
    )


def document_locked(pk: int) -> Document:
    """The document's row, locked until the transaction ends: adjudications
    of one document wait for each other."""
    return Document.objects.select_for_update().get(pk=pk)


def adjudication_targets(
    document_id: int,
    statement_id: int,
    attribution_id: int | None = None,
    claim_id: int | None = None,
) -> tuple[Statement | None, Attribution | None, Claim | None]:
    """What an adjudication request names, or None for each it does not
    find: the statement among the document's, the attribution among the
    statement's, the claim."""
    statement = Statement.objects.filter(
        pk=statement_id, document_id=document_id
    ).first()
    attribution = (
        Attribution.objects.filter(pk=attribution_id, statement_id=statement_id).first()
        if attribution_id is not None and statement is not None
        else None
    )
    claim = Claim.objects.filter(pk=claim_id).first() if claim_id is not None else None
    return statement, attribution, claim
