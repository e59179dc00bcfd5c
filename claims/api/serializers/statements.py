"""Statements with their provenance, as the statements list and documents show them.

The serializers below describe the shape (the OpenAPI schema) and serve the
statement detail and a document's statements. The statements list, the API's
most-read page, is answered by ``claims.selectors.statements_page`` instead:
the same JSON, built from plain rows. DRF serialises each field of each nested
object through a Field instance (~2,700 of them for a page of 100), and
prefetching builds a queryset for each statement and relation to attach the
rows it fetched; together they were three quarters of the request. Tests hold
the two equal, byte for byte (``tests/api/test_statement_page.py``).
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from claims.api.serializers.attributions import StatementAttributionSerializer
from claims.api.serializers.fields import OwnerField, SourceBriefSerializer
from claims.models import ClaimMention, Document, Statement


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
