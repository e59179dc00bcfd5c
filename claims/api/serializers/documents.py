"""Documents: listed, in detail with their statements, and created."""

from rest_framework import ISO_8601, serializers

from claims import selectors
from claims.api.serializers.fields import (
    NamesField,
    SourceBriefSerializer,
    VisibleRelatedField,
)
from claims.api.serializers.statements import DocumentStatementSerializer
from claims.models import Document, ReviewState, review_state_of


class DocumentSerializer(serializers.ModelSerializer):
    publisher = SourceBriefSerializer(read_only=True, allow_null=True)
    authors = SourceBriefSerializer(many=True, read_only=True)
    tags = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    statement_count = serializers.IntegerField(read_only=True)
    assigned_to = serializers.SerializerMethodField(
        help_text="The usernames of the reviewers it is assigned to."
    )
    review_state = serializers.SerializerMethodField(
        help_text="null while unassigned; done once every assignee is done; "
        "in_review once any has started; to_do otherwise."
    )

    class Meta:
        model = Document
        fields = [
            "id", "title", "url", "publisher", "authors", "published_at", "language",
            "tags", "content_hash", "statement_count", "assigned_to", "review_state",
            "independent_annotation", "created_at",
        ]  # fmt: skip
        extra_kwargs = {
            "independent_annotation": {
                "read_only": True,
                "help_text": "Marked for independent double annotation: each "
                "assignee's work is hidden from the others until all are done "
                "(set by editors: POST …/independent-annotation/).",
            }
        }

    def get_assigned_to(self, document) -> list[str]:
        return [a.reviewer.get_username() for a in document.assignments.all()]

    def get_review_state(self, document) -> str | None:
        return review_state_of([a.state for a in document.assignments.all()])


class DocumentDetailSerializer(DocumentSerializer):
    statements = DocumentStatementSerializer(many=True, read_only=True)

    class Meta(DocumentSerializer.Meta):
        fields = [*DocumentSerializer.Meta.fields, "text", "metadata", "statements"]


class DocumentUpdateSerializer(serializers.Serializer):
    """The details of a document that can be corrected; sources by id.

    ``text`` is accepted only to be refused with the rule that keeps it
    (``document_update``), rather than silently ignored.
    """

    title = serializers.CharField(max_length=500, required=False)
    url = serializers.URLField(max_length=2000, allow_blank=True, required=False)
    publisher_id = VisibleRelatedField(
        source="publisher",
        queryset=selectors.source_choices(),
        allow_null=True,
        required=False,
    )
    author_ids = VisibleRelatedField(
        source="authors", queryset=selectors.source_choices(), many=True, required=False
    )
    published_at = serializers.DateTimeField(
        # A date alone is that day (00:00 UTC), as in the interchange format.
        input_formats=[ISO_8601, "%Y-%m-%d"],
        allow_null=True,
        required=False,
        help_text="ISO 8601 date (2024-06-01) or datetime.",
    )
    language = serializers.CharField(max_length=35, allow_blank=True, required=False)
    tags = NamesField(max_length=100)
    text = serializers.CharField(
        required=False,
        trim_whitespace=False,
        help_text="Refused unless unchanged: the text is immutable.",
    )


class AssignmentsSerializer(serializers.Serializer):
    """Whom a document is assigned to (the whole list: others are unassigned)."""

    assigned_to = serializers.ListField(
        child=serializers.CharField(max_length=150), allow_empty=True
    )


class IndependentAnnotationSerializer(serializers.Serializer):
    """Mark a document for independent double annotation, or unmark it."""

    independent_annotation = serializers.BooleanField()


class ReviewStateSerializer(serializers.Serializer):
    """The caller's own assignment's state."""

    review_state = serializers.ChoiceField(choices=ReviewState.choices)


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
