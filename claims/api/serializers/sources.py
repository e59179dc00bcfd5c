"""Sources: who statements are attributed to."""

from drf_spectacular.utils import OpenApiExample, extend_schema_field
from rest_framework import serializers

from claims import selectors
from claims.api.serializers.fields import (
    NamesField,
    OwnerField,
    PlainChoiceField,
    VisibleRelatedField,
)
from claims.formats.claimreview import published_url
from claims.models import Rating, Source


class SourceSerializer(serializers.ModelSerializer):
    serializer_choice_field = PlainChoiceField
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
    source = VisibleRelatedField(
        queryset=selectors.source_choices(),
        help_text="The source to fold into this one; it is deleted.",
    )


# A source's track record (selectors.source_record) --------------------------


class RecordSourceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class RecordClaimSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()


class RecordStatementSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="statement.id")
    document = serializers.IntegerField(source="statement.document_id")
    text = serializers.CharField(source="statement.text")


class RecordReviewSerializer(serializers.Serializer):
    """A claim the source's statements carry, with its latest published verdict."""

    id = serializers.IntegerField(help_text="The review (`/api/claim-reviews/{id}/`).")
    claim = RecordClaimSerializer()
    rating = serializers.ChoiceField(choices=Rating.choices)
    # A field named "label": DRF's metaclass takes it off the class, where
    # Field.label (a string) would be.
    label = serializers.CharField(  # type: ignore[assignment]
        source="rating_label",
        help_text="The verdict as its publisher worded it, else the scale's name.",
    )
    url = serializers.SerializerMethodField(
        help_text="Where the review is read: its public page, or an imported "
        "review's original."
    )
    published_at = serializers.DateTimeField()
    statements = RecordStatementSerializer(
        source="claim.carried",
        many=True,
        help_text="The source's statements that carry the claim, by date.",
    )

    def get_url(self, review) -> str:
        return published_url(review, review.claim)


# One count a rating, named by its value ("1" False … "5" True, "0"
# unverifiable, "-1" not a factual claim), every rating present.
ByRatingSerializer = type(
    "ByRatingSerializer",
    (serializers.Serializer,),
    {
        str(rating.value): serializers.IntegerField(help_text=f"{rating.label}.")
        for rating in Rating
    },
)


class SourceRecordSerializer(serializers.Serializer):
    source = RecordSourceSerializer()
    claims = serializers.IntegerField(
        help_text="How many claims the source's statements carry, checked or not."
    )
    by_rating = serializers.SerializerMethodField(
        help_text="The latest published verdict of each, counted by rating."
    )
    reviews = RecordReviewSerializer(
        many=True, help_text="Those verdicts, one a claim, newest first."
    )

    @extend_schema_field(ByRatingSerializer)
    def get_by_rating(self, record) -> dict[str, int]:
        return {str(rating): count for rating, count in record.by_rating.items()}


RECORD_EXAMPLE = OpenApiExample(
    "A source's record",
    value={
        "source": {"id": 3, "name": "Iraqi resistance groups"},
        "claims": 3,
        "by_rating": {"1": 1, "2": 0, "3": 1, "4": 0, "5": 0, "0": 0, "-1": 0},
        "reviews": [
            {
                "id": 2,
                "claim": {
                    "id": 4,
                    "text": "Iraqi resistance groups announced a halt to attacks "
                    "on foreign troops",
                },
                "rating": 3,
                "label": "Mixed",
                "url": "https://claims.example.org/claims/4/#review-2",
                "published_at": "2020-10-12T09:00:00Z",
                "statements": [
                    {
                        "id": 1,
                        "document": 1,
                        "text": "Iraqi resistance groups have issued a statement "
                        "announcing a halt to attacks …",
                    }
                ],
            }
        ],
    },
    response_only=True,
)
