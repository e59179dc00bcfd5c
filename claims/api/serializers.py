"""How each resource reads and what a write may send.

Serializers shape and validate; the writes themselves are the services'
(``claims.services``), called by the views. Offsets are code-point spans
``{"start", "end"}`` into the document's text.
"""

from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers

from claims.models import (
    Annotation,
    Attribution,
    AttributionKind,
    Claim,
    ClaimMention,
    ClaimReview,
    Document,
    Source,
    Statement,
)

_SPAN = inline_serializer(
    "Span",
    fields={
        "start": serializers.IntegerField(min_value=0),
        "end": serializers.IntegerField(min_value=1),
    },
    allow_null=True,
)


@extend_schema_field(_SPAN)
class SpanField(serializers.Field):
    """A span stored as ``<prefix>_start`` and ``<prefix>_end``, or null."""

    default_error_messages = {
        # Doubled braces: DRF formats these messages with str.format.
        "invalid": 'Expected {{"start": int, "end": int}} with 0 <= start < end, '
        "or null."
    }

    def __init__(self, prefix: str, **kwargs):
        self.prefix = prefix
        super().__init__(source="*", allow_null=True, required=False, **kwargs)

    def to_representation(self, instance):
        start = getattr(instance, f"{self.prefix}_start")
        if start is None:
            return None
        return {"start": start, "end": getattr(instance, f"{self.prefix}_end")}

    def validate_empty_values(self, data):
        # source="*" fields skip null handling; a null span means "none".
        if data is None:
            return True, {self.field_name: None}
        return super().validate_empty_values(data)

    def to_internal_value(self, data):
        if not isinstance(data, dict) or set(data) != {"start", "end"}:
            self.fail("invalid")
        start, end = data["start"], data["end"]
        valid = all(type(n) is int for n in (start, end)) and 0 <= start < end
        if not valid:
            self.fail("invalid")
        return {self.field_name: (start, end)}


class SourceBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["id", "name", "kind"]


class NamesField(serializers.ListField):
    """Related names (aliases, tags): written and read as a list of strings."""

    def __init__(self, max_length: int, **kwargs):
        super().__init__(
            child=serializers.CharField(max_length=max_length), required=False, **kwargs
        )

    def to_representation(self, related):
        return [item.name for item in related.all()]


@extend_schema_field({"type": "string", "nullable": True})
class OwnerField(serializers.ReadOnlyField):
    """Whose work it is, by username."""

    def to_representation(self, value):
        return value.get_username() if value else None


# Sources --------------------------------------------------------------------


class SourceSerializer(serializers.ModelSerializer):
    aliases = NamesField(max_length=300)
    created_by = OwnerField()

    class Meta:
        model = Source
        fields = [
            "id", "name", "kind", "aliases", "description", "url", "wikidata_id",
            "proposed", "created_by", "created_at", "updated_at", "version",
        ]  # fmt: skip
        read_only_fields = ["created_at", "updated_at", "version"]

    def get_fields(self):
        fields = super().get_fields()
        # Names are unique after normalisation, which the service checks with
        # a clear message; the model's plain unique check would not see it.
        fields["name"].validators = []
        return fields


class SourceMergeSerializer(serializers.Serializer):
    source = serializers.PrimaryKeyRelatedField(
        queryset=Source.objects.all(),
        help_text="The source to fold into this one; it is deleted.",
    )


# Attributions ---------------------------------------------------------------


class AttributionSerializer(serializers.ModelSerializer):
    """An attribution; writes name sources by id (``source_id``, ``via_id``)."""

    source = SourceBriefSerializer(read_only=True, allow_null=True)
    source_id = serializers.PrimaryKeyRelatedField(
        source="source",
        queryset=Source.objects.all(),
        allow_null=True,
        required=False,
        write_only=True,
    )
    via = SourceBriefSerializer(read_only=True, allow_null=True)
    via_id = serializers.PrimaryKeyRelatedField(
        source="via",
        queryset=Source.objects.all(),
        allow_null=True,
        required=False,
        write_only=True,
    )
    source_span = SpanField("source")
    cue = SpanField("cue")
    content = SpanField("content")
    created_by = OwnerField()
    document = serializers.IntegerField(source="statement.document_id", read_only=True)

    class Meta:
        model = Attribution
        fields = [
            "id", "statement", "document", "kind", "source", "source_id",
            "source_span", "cue", "content", "via", "via_id", "primary_source_url",
            "origin", "status", "confidence", "created_by", "created_at",
            "updated_at", "version",
        ]  # fmt: skip
        read_only_fields = [
            "origin", "status", "created_at", "updated_at", "version",
        ]  # fmt: skip


class AttributionUpdateSerializer(AttributionSerializer):
    statement = serializers.PrimaryKeyRelatedField(read_only=True)


class AttributionBulkSerializer(serializers.Serializer):
    attributions = AttributionSerializer(many=True, allow_empty=False)


class StatementAttributionSerializer(AttributionSerializer):
    """An attribution inside its statement: no need to repeat where it is."""

    class Meta(AttributionSerializer.Meta):
        fields = [
            "id", "kind", "source", "source_span", "cue", "content", "via",
            "primary_source_url", "origin", "status", "confidence", "created_by",
            "version",
        ]  # fmt: skip


# Documents and statements ---------------------------------------------------


class DocumentBriefSerializer(serializers.ModelSerializer):
    publisher = SourceBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Document
        fields = ["id", "title", "published_at", "publisher"]


class StatementSerializer(serializers.ModelSerializer):
    document = DocumentBriefSerializer(read_only=True)
    attributions = StatementAttributionSerializer(many=True, read_only=True)
    claims = serializers.SerializerMethodField()

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
        ]

    @extend_schema_field({"type": "array", "items": {"type": "integer"}})
    def get_claims(self, statement) -> list[int]:
        return [mention.claim_id for mention in statement.claim_mentions.all()]


class DocumentStatementSerializer(StatementSerializer):
    class Meta(StatementSerializer.Meta):
        fields = ["id", "index", "start", "end", "text", "attributions", "claims"]


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


_INTERCHANGE_SOURCE = {
    "oneOf": [
        {"type": "string"},
        {
            "type": "object",
            "required": ["name"],
            "properties": {
                "name": {"type": "string"},
                "kind": {"type": "string"},
                "aliases": {"type": "array", "items": {"type": "string"}},
            },
        },
    ],
    "nullable": True,
}


@extend_schema_field(_INTERCHANGE_SOURCE)
class InterchangeSourceField(serializers.JSONField):
    pass


class DocumentCreateSerializer(serializers.Serializer):
    """A document in the interchange format (DESIGN.md); ``statements`` optional.

    Without ``statements`` the text is segmented into sentences. The body is
    checked in full by the importer: unknown keys are an error.
    """

    title = serializers.CharField(max_length=500)
    text = serializers.CharField(trim_whitespace=False)
    url = serializers.URLField(required=False, allow_blank=True, max_length=2000)
    publisher = InterchangeSourceField(required=False, allow_null=True)
    authors = serializers.ListField(child=InterchangeSourceField(), required=False)
    published_at = serializers.CharField(
        required=False, allow_null=True, help_text="ISO 8601 date or datetime"
    )
    language = serializers.CharField(required=False, allow_blank=True, max_length=35)
    tags = serializers.ListField(child=serializers.CharField(), required=False)
    metadata = serializers.DictField(required=False)
    statements = serializers.ListField(
        child=serializers.DictField(),
        required=False,
        allow_null=True,
        help_text='[{"start", "end", "text"?, "attributions"?, "claims"?}, ...]',
    )


# Claims ---------------------------------------------------------------------


class ClaimSerializer(serializers.ModelSerializer):
    tags = NamesField(max_length=100)
    statements = serializers.PrimaryKeyRelatedField(
        queryset=Statement.objects.all(),
        many=True,
        required=False,
        write_only=True,
        help_text="Statements that make the claim (on create).",
    )
    created_by = OwnerField()
    mention_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Claim
        fields = [
            "id", "text", "status", "tags", "statements", "mention_count",
            "created_by", "created_at", "updated_at", "version",
        ]  # fmt: skip
        read_only_fields = ["created_at", "updated_at", "version"]


class ClaimUpdateSerializer(ClaimSerializer):
    """Mentions are added through the claim's ``mentions`` action."""

    class Meta(ClaimSerializer.Meta):
        fields = [f for f in ClaimSerializer.Meta.fields if f != "statements"]


class ClaimMentionSerializer(serializers.ModelSerializer):
    statement_text = serializers.CharField(source="statement.text", read_only=True)
    document = DocumentBriefSerializer(source="statement.document", read_only=True)
    created_by = OwnerField()

    class Meta:
        model = ClaimMention
        fields = [
            "id", "claim", "statement", "statement_text", "document", "origin",
            "status", "created_by", "created_at",
        ]  # fmt: skip
        read_only_fields = ["claim", "origin", "status", "created_at"]


class TimelineEntrySerializer(serializers.Serializer):
    """One appearance of a claim: where, when, who said it and how."""

    mention = serializers.IntegerField(source="id")
    statement = serializers.IntegerField(source="statement.id")
    text = serializers.CharField(source="statement.text")
    document = DocumentBriefSerializer(source="statement.document")
    attributions = serializers.SerializerMethodField()

    @extend_schema_field(
        inline_serializer(
            "TimelineAttribution",
            fields={
                "kind": serializers.ChoiceField(choices=AttributionKind.choices),
                "source": SourceBriefSerializer(allow_null=True),
                "status": serializers.CharField(),
            },
            many=True,
        )
    )
    def get_attributions(self, mention):
        return [
            {
                "kind": a.kind,
                "source": SourceBriefSerializer(a.source).data if a.source else None,
                "status": a.status,
            }
            for a in mention.statement.attributions.all()
        ]


class ClaimReviewSerializer(serializers.ModelSerializer):
    reviewer = OwnerField()
    rating_label = serializers.CharField(source="get_rating_display", read_only=True)
    evidence = serializers.ListField(
        child=inline_serializer(
            "EvidenceLink",
            fields={
                "url": serializers.URLField(),
                "title": serializers.CharField(required=False, allow_blank=True),
            },
        ),
        required=False,
    )

    class Meta:
        model = ClaimReview
        fields = [
            "id", "claim", "reviewer", "rating", "rating_label", "summary",
            "evidence", "status", "published_at", "created_at", "updated_at",
            "version",
        ]  # fmt: skip
        read_only_fields = [
            "status", "published_at", "created_at", "updated_at", "version",
        ]  # fmt: skip


class ClaimReviewUpdateSerializer(ClaimReviewSerializer):
    claim = serializers.PrimaryKeyRelatedField(read_only=True)


# Annotations ----------------------------------------------------------------


class AnnotationSerializer(serializers.ModelSerializer):
    reviewer = OwnerField()
    tags = NamesField(max_length=100)

    class Meta:
        model = Annotation
        fields = [
            "id", "statement", "claim", "reviewer", "motivation", "body", "tags",
            "created_at", "updated_at", "version",
        ]  # fmt: skip
        read_only_fields = ["created_at", "updated_at", "version"]

    def validate(self, data):
        if self.instance is None and bool(data.get("statement")) == bool(
            data.get("claim")
        ):
            raise serializers.ValidationError(
                "Give exactly one target: a statement or a claim."
            )
        return data


class AnnotationUpdateSerializer(AnnotationSerializer):
    statement = serializers.PrimaryKeyRelatedField(read_only=True)
    claim = serializers.PrimaryKeyRelatedField(read_only=True)


# JSON-LD (claims.formats): described, not serialized, here.

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

CLAIM_REVIEW_LIST = {
    "type": "array",
    "description": "schema.org ClaimReview objects in JSON-LD: "
    "https://schema.org/ClaimReview",
    "items": {
        "type": "object",
        "required": ["@context", "@type", "url", "claimReviewed", "reviewRating"],
        "properties": {
            "@context": {"type": "string"},
            "@type": {"type": "string", "enum": ["ClaimReview"]},
            "url": {"type": "string", "format": "uri"},
            "claimReviewed": {"type": "string"},
            "reviewRating": {"type": "object", "additionalProperties": {}},
            "author": {"type": "object", "additionalProperties": {}},
            "datePublished": {"type": "string", "format": "date"},
            "itemReviewed": {"type": "object", "additionalProperties": {}},
        },
        "additionalProperties": {},
    },
}
