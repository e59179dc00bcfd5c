"""Claims, their mentions and timeline, and the reviews of claims."""

from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers

from claims import selectors
from claims.api.serializers.fields import (
    NamesField,
    OwnerField,
    PlainChoiceField,
    SourceBriefSerializer,
    VisibleRelatedField,
)
from claims.api.serializers.statements import DocumentBriefSerializer
from claims.models import AttributionKind, Claim, ClaimMention, ClaimReview


class ClaimSerializer(serializers.ModelSerializer):
    serializer_choice_field = PlainChoiceField
    tags = NamesField(max_length=100)
    statements = serializers.PrimaryKeyRelatedField(
        queryset=selectors.statement_choices(),
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
            "id", "text", "status", "proposed", "tags", "statements", "mention_count",
            "created_by", "created_at", "updated_at", "version",
        ]  # fmt: skip
        read_only_fields = ["proposed", "created_at", "updated_at", "version"]


class ClaimUpdateSerializer(ClaimSerializer):
    """Mentions are added through the claim's ``mentions`` action."""

    class Meta(ClaimSerializer.Meta):
        fields = [f for f in ClaimSerializer.Meta.fields if f != "statements"]


class ClaimMentionSerializer(serializers.ModelSerializer):
    """A claim's appearance in a statement, and its review."""

    serializer_choice_field = PlainChoiceField

    claim_text = serializers.CharField(source="claim.text", read_only=True)
    statement_text = serializers.CharField(source="statement.text", read_only=True)
    document = DocumentBriefSerializer(source="statement.document", read_only=True)
    created_by = OwnerField()
    reviewed_by = OwnerField()

    class Meta:
        model = ClaimMention
        fields = [
            "id", "claim", "claim_text", "statement", "statement_text", "document",
            "origin", "status", "created_by", "reviewed_by", "reviewed_at",
            "created_at", "version",
        ]  # fmt: skip
        read_only_fields = [
            "claim", "origin", "status", "reviewed_at", "created_at", "version",
        ]  # fmt: skip


class ClaimMentionCreateSerializer(ClaimMentionSerializer):
    """``{"claim", "statement"}``: link a statement to a claim; or
    ``{"claim_text", "statement"}``: to the claim of that wording."""

    claim = VisibleRelatedField(queryset=selectors.claim_choices(), required=False)
    claim_text = serializers.CharField(
        required=False,
        help_text="Instead of claim: the claim's wording, matched as the service "
        "matches claims (case and spacing aside); a wording nobody has used yet "
        "creates the claim, in the same transaction.",
    )

    class Meta(ClaimMentionSerializer.Meta):
        # A pair already linked is the service's to answer: 409 naming the
        # mention, or a rejected one accepted again.
        validators = []

    def validate(self, data):
        if ("claim" in data) == ("claim_text" in data):
            raise serializers.ValidationError(
                "Give the claim by id (claim) or by wording (claim_text)."
            )
        return data


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
    serializer_choice_field = PlainChoiceField
    # The claim, by id, among those the reviewer may see.
    serializer_related_field = VisibleRelatedField
    reviewer = OwnerField()
    # The verdict as its publisher worded it (an imported review's label),
    # else the scale's name.
    rating_label = serializers.CharField(read_only=True)
    # Empty for the service's own reviews, so strings rather than URIs.
    publisher_url = serializers.CharField(
        read_only=True, help_text="The original publisher's site; empty for ours."
    )
    url = serializers.CharField(
        read_only=True,
        help_text="The original review's page (imported reviews); empty for ours, "
        "whose page is the claim's public page.",
    )
    evidence = serializers.ListField(
        child=inline_serializer(
            "EvidenceLink",
            fields={
                "url": serializers.URLField(),
                "title": serializers.CharField(required=False, allow_blank=True),
                "archive_url": serializers.URLField(
                    required=False,
                    allow_blank=True,
                    help_text="Where a copy of the record is archived.",
                ),
            },
        ),
        required=False,
    )

    class Meta:
        model = ClaimReview
        fields = [
            "id", "claim", "reviewer", "rating", "rating_label", "summary",
            "evidence", "status", "published_at", "publisher_name",
            "publisher_url", "url", "created_at", "updated_at", "version",
        ]  # fmt: skip
        # Who published an imported review, and where: import_claims sets them.
        read_only_fields = [
            "status", "published_at", "publisher_name", "publisher_url", "url",
            "created_at", "updated_at", "version",
        ]  # fmt: skip


class ClaimReviewUpdateSerializer(ClaimReviewSerializer):
    claim = serializers.PrimaryKeyRelatedField(read_only=True)


# JSON-LD (claims.formats.claimreview): described, not serialized, here.

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
