"""Documents: listed, in detail with their statements, and created."""

from rest_framework import serializers

from claims.api.serializers.fields import SourceBriefSerializer
from claims.api.serializers.statements import DocumentStatementSerializer
from claims.models import Document


class DocumentSerializer(serializers.ModelSerializer):
    publisher = SourceBriefSerializer(read_only=True, allow_null=True)
    authors = SourceBriefSerializer(many=True, read_only=True)
    tags = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    statement_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Document
        fields = [
            "id", "title", "url", "publisher", "authors", "published_at", "language",
            "tags", "content_hash", "statement_count", "created_at",
        ]  # fmt: skip


class DocumentDetailSerializer(DocumentSerializer):
    statements = DocumentStatementSerializer(many=True, read_only=True)

    class Meta(DocumentSerializer.Meta):
        fields = [*DocumentSerializer.Meta.fields, "text", "metadata", "statements"]


class SuggestionReportSerializer(serializers.Serializer):
    """What a suggestion run stored and replaced on one document."""

    document = serializers.IntegerField()
    attributions_created = serializers.IntegerField()
    attributions_removed = serializers.IntegerField()
    mentions_created = serializers.IntegerField()
    mentions_removed = serializers.IntegerField()
    claims_proposed = serializers.IntegerField()
    sources_proposed = serializers.ListField(child=serializers.CharField())


# JSON-LD (claims.formats.w3c): described, not serialized, here.

ANNOTATION_COLLECTION = {
    "type": "object",
    "description": "A W3C Web Annotation AnnotationCollection (or, with "
    "`page`, one AnnotationPage) in JSON-LD: https://www.w3.org/TR/annotation-model/",
    "required": ["@context", "id", "type"],
    "properties": {
        "@context": {"type": "array", "items": {}},
        "id": {"type": "string", "format": "uri"},
        "type": {"type": "string", "enum": ["AnnotationCollection", "AnnotationPage"]},
        "label": {"type": "string"},
        "total": {"type": "integer"},
        "first": {"type": "object", "additionalProperties": {}},
        "last": {"type": "string", "format": "uri"},
        "items": {
            "type": "array",
            "items": {"type": "object", "additionalProperties": {}},
        },
    },
    "additionalProperties": {},
}
