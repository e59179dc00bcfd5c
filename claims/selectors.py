"""Named read paths shared by the admin, the API and the commands."""

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.db.models.functions import Lower

from claims.models import (
    Attribution,
    Claim,
    ClaimMention,
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


def documents_for_export() -> QuerySet[Document]:
    """Documents with everything the interchange format writes, in few queries."""
    attributions = Attribution.objects.select_related(
        "source", "via", "created_by"
    ).prefetch_related("source__aliases", "via__aliases")
    statements = Statement.objects.order_by("index").prefetch_related(
        Prefetch("attributions", queryset=attributions.order_by("id")),
        Prefetch(
            "claim_mentions",
            queryset=ClaimMention.objects.select_related("claim").order_by("id"),
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


def _attributions_with_sources() -> QuerySet[Attribution]:
    return Attribution.objects.select_related("source", "via", "created_by").order_by(
        "id"
    )


def statements_with_provenance() -> QuerySet[Statement]:
    """Statements with their document, attributions and claim ids."""
    return (
        Statement.objects.select_related("document__publisher")
        .defer("document__text", "document__metadata")
        .prefetch_related(
            Prefetch("attributions", queryset=_attributions_with_sources()),
            Prefetch("claim_mentions", queryset=ClaimMention.objects.order_by("id")),
        )
    )


def documents_listed() -> QuerySet[Document]:
    return (
        Document.objects.select_related("publisher")
        .prefetch_related("authors", "tags")
        .annotate(statement_count=Count("statements"))
        .defer("text", "metadata")
    )


def document_with_statements() -> QuerySet[Document]:
    statements = Statement.objects.order_by("index").prefetch_related(
        Prefetch("attributions", queryset=_attributions_with_sources()),
        Prefetch("claim_mentions", queryset=ClaimMention.objects.order_by("id")),
    )
    return (
        Document.objects.select_related("publisher")
        .prefetch_related(
            "authors", "tags", Prefetch("statements", queryset=statements)
        )
        .annotate(statement_count=Count("statements"))
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
        .annotate(mention_count=Count("mentions"))
    )


def claim_mentions(claim: Claim) -> QuerySet[ClaimMention]:
    return (
        ClaimMention.objects.filter(claim=claim)
        .select_related("statement__document__publisher", "created_by")
        .defer("statement__document__text", "statement__document__metadata")
        .order_by("id")
    )


def claim_timeline(claim: Claim) -> QuerySet[ClaimMention]:
    """A claim's appearances by their document's date (undated last)."""
    standing = _attributions_with_sources().exclude(status=ReviewStatus.REJECTED)
    return (
        claim_mentions(claim)
        .prefetch_related(Prefetch("statement__attributions", queryset=standing))
        .order_by(F("statement__document__published_at").asc(nulls_last=True), "id")
    )
