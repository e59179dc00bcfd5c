"""Named read paths shared by the admin, the API and the commands."""

from django.db.models import Prefetch, Q, QuerySet
from django.db.models.functions import Lower

from claims.models import Attribution, Claim, ClaimMention, Document, Source, Statement
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
