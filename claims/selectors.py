"""Named read paths shared by the admin, the API and the commands."""

from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce, Lower

from claims.models import (
    Annotation,
    Attribution,
    AttributionKind,
    Claim,
    ClaimMention,
    ClaimReview,
    ClaimReviewStatus,
    Document,
    ReviewStatus,
    Source,
    Statement,
)
from claims.names import normalize_name


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


def documents_by_hash(hashes: list[str]) -> dict[str, Document]:
    """The stored documents among these content hashes, by hash."""
    return {d.content_hash: d for d in Document.objects.filter(content_hash__in=hashes)}


def documents_for_export() -> QuerySet[Document]:
    """Documents with everything the interchange format writes, in few queries."""
    attributions = Attribution.objects.select_related(
        "source", "via", "created_by"
    ).prefetch_related("source__aliases", "via__aliases")
    statements = Statement.objects.order_by("index").prefetch_related(
        Prefetch("attributions", queryset=attributions.order_by("id")),
        Prefetch(
            "claim_mentions",
            queryset=ClaimMention.objects.select_related(
                "claim", "reviewed_by"
            ).order_by("id"),
        ),
    )
    return (
        Document.objects.order_by("id")
        .select_related("publisher")
        .prefetch_related(
            "publisher__aliases",
            "authors__aliases",
            "tags",
            Prefetch("statements", queryset=statements),
        )
    )


# The API's and admin's querysets: everything a page shows, in a fixed number
# of queries whatever its size.


def _count_of(model, parent: str, rows: QuerySet | None = None) -> Subquery:
    """How many ``model`` rows (of ``rows``, if given) point at each row, as a
    scalar subquery.

    Unlike a joined Count, it is computed for the rows of the page only (not
    for the whole table before LIMIT), and filters that join the same
    relation cannot multiply it.
    """
    rows = (
        (model.objects.all() if rows is None else rows)
        .filter(**{parent: OuterRef("pk")})
        .order_by()
        .values(parent)
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(rows), 0)


def _attributions_with_sources() -> QuerySet[Attribution]:
    return Attribution.objects.select_related("source", "via", "created_by").order_by(
        "id"
    )


def _mentions_with_claims() -> QuerySet[ClaimMention]:
    return ClaimMention.objects.select_related(
        "claim", "created_by", "reviewed_by"
    ).order_by("id")


def statements_with_provenance() -> QuerySet[Statement]:
    """Statements with their document, attributions and claim ids."""
    return (
        Statement.objects.select_related("document__publisher")
        .defer("document__text", "document__metadata")
        .prefetch_related(
            Prefetch("attributions", queryset=_attributions_with_sources()),
            Prefetch("claim_mentions", queryset=_mentions_with_claims()),
        )
    )


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


def documents_listed() -> QuerySet[Document]:
    return (
        Document.objects.select_related("publisher")
        .prefetch_related("authors", "tags")
        .annotate(statement_count=_count_of(Statement, "document"))
        .defer("text", "metadata")
    )


def documents_for_review() -> QuerySet[Document]:
    """The admin's document list: how far each document's review has got.

    ``attributed_count``: statements with an attribution that is not
    rejected; ``accepted_count``: with an accepted one; ``waiting_count``:
    suggested attributions nobody has decided on. Each is counted for the
    rows of the page alone.
    """

    def statements_having(attributions: QuerySet[Attribution]) -> QuerySet:
        return Statement.objects.filter(
            Exists(attributions.filter(statement=OuterRef("pk")))
        )

    standing = Attribution.objects.exclude(status=ReviewStatus.REJECTED)
    accepted = Attribution.objects.filter(status=ReviewStatus.ACCEPTED)
    waiting = Attribution.objects.filter(status=ReviewStatus.SUGGESTED)
    return (
        Document.objects.select_related("publisher")
        .defer("text", "metadata")
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


def sources_for_review() -> QuerySet[Source]:
    """The admin's source list: each source's attributions by kind
    (``direct_count``, ...), counted for the rows of the page alone."""
    return Source.objects.annotate(
        **{
            f"{kind}_count": _count_of(
                Attribution, "source", Attribution.objects.filter(kind=kind)
            )
            for kind in AttributionKind.values
        }
    )


def document_with_statements() -> QuerySet[Document]:
    statements = Statement.objects.order_by("index").prefetch_related(
        Prefetch("attributions", queryset=_attributions_with_sources()),
        Prefetch("claim_mentions", queryset=_mentions_with_claims()),
    )
    return (
        Document.objects.select_related("publisher")
        .prefetch_related(
            "authors", "tags", Prefetch("statements", queryset=statements)
        )
        .annotate(statement_count=_count_of(Statement, "document"))
    )


def attributions_listed() -> QuerySet[Attribution]:
    return Attribution.objects.select_related(
        "statement", "source", "via", "created_by"
    ).defer("statement__text")


def sources_listed() -> QuerySet[Source]:
    return Source.objects.select_related("created_by").prefetch_related("aliases")


def claims_listed() -> QuerySet[Claim]:
    return (
        Claim.objects.select_related("created_by")
        .prefetch_related("tags")
        .annotate(mention_count=_count_of(ClaimMention, "claim"))
    )


def claim_mentions_listed() -> QuerySet[ClaimMention]:
    """Mentions with their claim, statement, document and reviewers, in one query."""
    return (
        ClaimMention.objects.select_related(
            "claim", "statement__document__publisher", "created_by", "reviewed_by"
        )
        .defer("statement__document__text", "statement__document__metadata")
        .order_by("id")
    )


def claim_mentions(claim: Claim) -> QuerySet[ClaimMention]:
    return claim_mentions_listed().filter(claim=claim)


def claim_timeline(claim: Claim) -> QuerySet[ClaimMention]:
    """A claim's appearances by their document's date (undated last); a
    mention a reviewer rejected is not one."""
    standing = _attributions_with_sources().exclude(status=ReviewStatus.REJECTED)
    return (
        claim_mentions(claim)
        .exclude(status=ReviewStatus.REJECTED)
        .prefetch_related(Prefetch("statement__attributions", queryset=standing))
        .order_by(F("statement__document__published_at").asc(nulls_last=True), "id")
    )


# The standard formats (claims.formats): W3C Web Annotation and ClaimReview.


def documents_for_annotations() -> QuerySet[Document]:
    """Documents with every attribution, claim mention and note, as W3C
    annotations need them.

    Each statement's notes are in ``statement.notes``.
    """
    attributions = _attributions_with_sources().prefetch_related(
        "source__aliases", "via__aliases"
    )
    notes = (
        Annotation.objects.select_related("reviewer")
        .prefetch_related("tags")
        .order_by("id")
    )
    statements = Statement.objects.order_by("index").prefetch_related(
        Prefetch("attributions", queryset=attributions),
        Prefetch("claim_mentions", queryset=_mentions_with_claims()),
        Prefetch("annotations", queryset=notes, to_attr="notes"),
    )
    return Document.objects.order_by("id").prefetch_related(
        Prefetch("statements", queryset=statements)
    )


def claim_notes() -> QuerySet[Annotation]:
    """Reviewers' notes on claims (rather than on statements)."""
    return (
        Annotation.objects.filter(claim__isnull=False)
        .select_related("reviewer")
        .prefetch_related("tags")
        .order_by("id")
    )


def claims_for_claimreview() -> QuerySet[Claim]:
    """Claims with a published review, with what their ClaimReview shows.

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
    return (
        Claim.objects.filter(
            pk__in=ClaimReview.objects.filter(
                status=ClaimReviewStatus.PUBLISHED
            ).values("claim")
        )
        .order_by("id")
        .prefetch_related(
            Prefetch("reviews", queryset=reviews, to_attr="published_reviews"),
            Prefetch("mentions", queryset=mentions, to_attr="appearances"),
        )
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


def attribution_exists(*, statement, kind, source, source_span, cue, content) -> bool:
    """Whether the statement has this attribution already (same spans too)."""
    spans = {}
    for prefix, span in [("source", source_span), ("cue", cue), ("content", content)]:
        start, end = span if span is not None else (None, None)
        spans[f"{prefix}_start"], spans[f"{prefix}_end"] = start, end
    return Attribution.objects.filter(
        statement=statement, kind=kind, source=source, **spans
    ).exists()


def annotation_exists(*, statement, claim, reviewer, motivation, body) -> bool:
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


def claims_by_source_names(queryset: QuerySet[Claim], term: str) -> QuerySet[Claim]:
    """The claims of ``queryset`` that a source called ``term`` (by its name
    or any alias) is named in, or whose statements are attributed to it:
    "Suleimani" finds the claims about and by Qassem Soleimani."""
    sources, names = _names_of_sources_called(term.strip())
    if not names:
        return queryset.none()
    said = (
        ClaimMention.objects.filter(
            statement__attributions__source__in=sources,
            statement__attributions__status=ReviewStatus.ACCEPTED,
        )
        .exclude(status=ReviewStatus.REJECTED)
        .values("claim_id")
    )
    return queryset.filter(Q(pk__in=said) | _holds_any("text", names))


def statements_by_source_names(
    queryset: QuerySet[Statement], term: str
) -> QuerySet[Statement]:
    """The statements of ``queryset`` attributed to a source called ``term``
    (by its name or any alias), or that name it."""
    sources, names = _names_of_sources_called(term.strip())
    if not names:
        return queryset.none()
    attributed = Attribution.objects.filter(
        source__in=sources, status=ReviewStatus.ACCEPTED
    ).values("statement_id")
    return queryset.filter(Q(pk__in=attributed) | _holds_any("text", names))


def source_statements(source: Source) -> QuerySet[Attribution]:
    """What a source said: its accepted attributions by kind, then by date,
    each with its statement and document, the claims the statement carries
    (rejected links left out) and those claims' published reviews, newest
    first; three queries, however many statements."""
    reviews = ClaimReview.objects.filter(status=ClaimReviewStatus.PUBLISHED).order_by(
        "-published_at", "-id"
    )
    mentions = (
        ClaimMention.objects.exclude(status=ReviewStatus.REJECTED)
        .select_related("claim")
        .prefetch_related(Prefetch("claim__reviews", queryset=reviews))
        .order_by("id")
    )
    return (
        Attribution.objects.filter(source=source, status=ReviewStatus.ACCEPTED)
        .select_related("statement__document")
        .prefetch_related(Prefetch("statement__claim_mentions", queryset=mentions))
        .order_by(
            "kind",
            F("statement__document__published_at").desc(nulls_last=True),
            "statement__document_id",
            "statement__index",
        )
    )


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
