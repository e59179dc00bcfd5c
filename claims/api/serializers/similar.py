"""Similar claims (claims.search): the query's parameters and the answer."""

from drf_spectacular.utils import OpenApiExample
from rest_framework import serializers

from claims.formats.claimreview import page_url
from claims.models import ClaimStatus, Rating

MAX_TEXT = 10_000
MAX_LIMIT = 50


class SimilarLimitSerializer(serializers.Serializer):
    limit = serializers.IntegerField(
        min_value=1,
        max_value=MAX_LIMIT,
        default=10,
        help_text=f"How many claims to answer, 1 to {MAX_LIMIT}.",
    )


class SimilarQuerySerializer(SimilarLimitSerializer):
    text = serializers.CharField(
        max_length=MAX_TEXT,
        trim_whitespace=False,
        help_text=f"The text to look up, 1 to {MAX_TEXT:,} characters.",
    )


class VerdictSerializer(serializers.Serializer):
    """A claim's latest published review."""

    rating = serializers.ChoiceField(choices=Rating.choices)
    # A field named "label": DRF's metaclass takes it off the class, where
    # Field.label (a string) would be.
    label = serializers.CharField(source="get_rating_display")  # type: ignore[assignment]
    url = serializers.SerializerMethodField(
        help_text="The claim's public page (its ClaimReview url)."
    )
    published_at = serializers.DateTimeField()

    def get_url(self, review) -> str:
        return page_url(review.claim)


class SimilarClaimSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="claim.id")
    text = serializers.CharField(source="claim.text")
    status = serializers.ChoiceField(source="claim.status", choices=ClaimStatus.choices)
    proposed = serializers.BooleanField(source="claim.proposed")
    score = serializers.FloatField(
        help_text="Higher is better; it orders this answer's claims and is not "
        "comparable between texts."
    )
    verdict = VerdictSerializer(source="claim.verdict", allow_null=True)


class SimilarClaimsSerializer(serializers.Serializer):
    method = serializers.ChoiceField(
        choices=["lexical", "semantic"], help_text="Which ranking answered."
    )
    results = SimilarClaimSerializer(many=True)


EXAMPLE = OpenApiExample(
    "A repeated claim",
    value={
        "method": "lexical",
        "results": [
            {
                "id": 42,
                "text": "The city's new tram line cost €2.5m per kilometre",
                "status": "published",
                "proposed": False,
                "score": 0.0328,
                "verdict": {
                    "rating": 2,
                    "label": "Mostly false",
                    "url": "https://claims.example.org/claims/42/",
                    "published_at": "2024-05-02T09:30:00Z",
                },
            },
            {
                "id": 7,
                "text": "The tram line was finished two years late",
                "status": "new",
                "proposed": False,
                "score": 0.0315,
                "verdict": None,
            },
        ],
    },
    response_only=True,
)
