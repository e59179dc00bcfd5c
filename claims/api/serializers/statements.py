"""Statements with their provenance, as the statements list and documents show them.

The serializers below describe the shape (the OpenAPI schema) and serve the
statement detail and a document's statements. The statements list, the API's
most-read page, is answered by ``statements_page`` instead: the same JSON,
built from plain rows. DRF serialises each field of each nested object through
a Field instance (~2,700 of them for a page of 100), and prefetching builds a
queryset for each statement and relation to attach the rows it fetched;
together they were three quarters of the request. Tests hold the two equal,
byte for byte (``tests/api/test_statement_page.py``).
"""

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from claims.api.serializers.attributions import StatementAttributionSerializer
from claims.api.serializers.fields import OwnerField, SourceBriefSerializer
from claims.models import Attribution, ClaimMention, Document, Statement


class DocumentBriefSerializer(serializers.ModelSerializer):
    publisher = SourceBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Document
        fields = ["id", "title", "published_at", "publisher"]


class StatementMentionSerializer(serializers.ModelSerializer):
    """A statement's link to a claim, with its review (``/api/claim-mentions/``)."""

    claim_text = serializers.CharField(source="claim.text", read_only=True)
    created_by = OwnerField()
    reviewed_by = OwnerField()

    class Meta:
        model = ClaimMention
        fields = [
            "id", "claim", "claim_text", "origin", "status", "created_by",
            "reviewed_by", "version",
        ]  # fmt: skip


class StatementSerializer(serializers.ModelSerializer):
    document = DocumentBriefSerializer(read_only=True)
    attributions = StatementAttributionSerializer(many=True, read_only=True)
    claims = serializers.SerializerMethodField(
        help_text="Ids of the claims it is linked to, whatever the review "
        "(kept for compatibility; ``mentions`` gives each link's status)."
    )
    mentions = StatementMentionSerializer(
        source="claim_mentions", many=True, read_only=True
    )

    class Meta:
        model = Statement
        fields = [
            "id",
            "document",
            "index",
            "start",
            "end",
            "text",
            "attributions",
            "claims",
            "mentions",
        ]

    @extend_schema_field({"type": "array", "items": {"type": "integer"}})
    def get_claims(self, statement) -> list[int]:
        return [mention.claim_id for mention in statement.claim_mentions.all()]


class DocumentStatementSerializer(StatementSerializer):
    class Meta(StatementSerializer.Meta):
        fields = [
            "id", "index", "start", "end", "text", "attributions", "claims",
            "mentions",
        ]  # fmt: skip


# The list's reader --------------------------------------------------------

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
    "version",
)  # fmt: skip
_MENTION_COLUMNS = (
    "statement_id", "id", "claim_id", "claim__text", "origin", "status",
    f"created_by__{get_user_model().USERNAME_FIELD}",
    f"reviewed_by__{get_user_model().USERNAME_FIELD}", "version",
)  # fmt: skip
_DATETIME = serializers.DateTimeField()


def _source(id_, name, kind) -> dict | None:
    return None if id_ is None else {"id": id_, "name": name, "kind": kind}


def _when(value, seen: dict) -> str | None:
    """DRF's rendering of a datetime, worked out once per distinct value."""
    if value not in seen:
        seen[value] = _DATETIME.to_representation(value)
    return seen[value]


def _span(start, end) -> dict | None:
    return None if start is None else {"start": start, "end": end}


def statements_page(page: QuerySet[Statement]) -> list[dict]:
    """A page of statements (a sliced, unevaluated queryset) as ``StatementSerializer``
    gives them, in three queries whatever its size.

    The page's own query only picks the ids (its LIMIT and OFFSET walk the
    statements alone); the rows are then read by id with their document, so a
    page deep in the list joins 100 rows rather than every row before it.
    """
    ordering = page.query.order_by or page.model._meta.ordering
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
        Attribution.objects.filter(statement_id__in=list(statements))
        .order_by("id")
        .values_list(*_ATTRIBUTION_COLUMNS)
    )
    for (
        statement_id, id_, kind, source_id, source_name, source_kind, source_start,
        source_end, cue_start, cue_end, content_start, content_end, via_id,
        via_name, via_kind, url, origin, status, confidence, owner, version,
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
                "version": version,
            }
        )
    mentions = (
        ClaimMention.objects.filter(statement_id__in=list(statements))
        .order_by("id")
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
