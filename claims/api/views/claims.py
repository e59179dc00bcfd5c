"""Claims, their mentions and timeline, and the reviews of claims."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from claims import search, selectors, services
from claims.api import filters
from claims.api.renderers import LinkedDataMixin, linked_data
from claims.api.serializers.claims import (
    CLAIM_REVIEW_LIST,
    ClaimMentionSerializer,
    ClaimReviewSerializer,
    ClaimReviewUpdateSerializer,
    ClaimSerializer,
    ClaimUpdateSerializer,
    TimelineEntrySerializer,
)
from claims.api.serializers.similar import (
    EXAMPLE,
    SimilarClaimsSerializer,
    SimilarQuerySerializer,
)
from claims.api.views.base import IF_MATCH, LINKED_DATA, VersionedMixin
from claims.api.views.mentions import link
from claims.formats import claimreview as schema_org


@extend_schema_view(
    update=extend_schema(parameters=[IF_MATCH]),
    partial_update=extend_schema(parameters=[IF_MATCH]),
    destroy=extend_schema(parameters=[IF_MATCH]),
)
class ClaimViewSet(LinkedDataMixin, VersionedMixin, viewsets.ModelViewSet):
    serializer_class = ClaimSerializer
    update_serializer_class = ClaimUpdateSerializer
    filterset_class = filters.ClaimFilter
    search_fields = ["text"]
    filter_backends = filters.BACKENDS
    # "Suleimani" finds what Qassem Soleimani said and what names him.
    search_by_source_names = selectors.claims_by_source_names
    ordering_fields = ["created_at", "updated_at", "id"]
    ordering = ["-created_at", "-id"]
    shared_actions = {"mentions"}
    service_argument = "claim"
    update_service = services.claim_update
    delete_service = services.claim_delete

    @property
    def public_read(self):
        """Anonymous readers read a claim's published reviews, nothing else."""
        return self.action == "claimreview"

    def get_queryset(self):
        if self.action == "claimreview":
            return selectors.claims_for_claimreview()
        # A claim that only another annotator's hidden work brought in is
        # not found, and the counts are of the mentions one may see.
        user = self.request.user
        return selectors.claims_visible_to(selectors.claims_listed(user), user)

    def update_arguments(self) -> dict:
        # A wording refused as taken names the claim only to whoever may see it.
        return {"changed_by": self.request.user}

    def perform_create(self, serializer):
        serializer.instance = services.claim_create(
            **serializer.validated_data, created_by=self.request.user
        )
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)

    @extend_schema(methods=["get"], responses=ClaimMentionSerializer(many=True))
    @extend_schema(
        methods=["post"],
        request=ClaimMentionSerializer,
        responses={201: ClaimMentionSerializer},
        description="Record that a statement makes this claim: as "
        "POST /api/claim-mentions/ with this claim.",
    )
    @action(detail=True, methods=["get", "post"])
    def mentions(self, request, pk=None):
        claim = self.get_object()
        if request.method == "POST":
            body = ClaimMentionSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            # The same write as POST /api/claim-mentions/.
            return link(
                request, claim=claim, statement=body.validated_data["statement"]
            )
        page = self.paginate_queryset(selectors.claim_mentions(claim, request.user))
        data = ClaimMentionSerializer(page, many=True).data
        return self.get_paginated_response(data)

    @extend_schema(responses=TimelineEntrySerializer(many=True))
    @action(detail=True, methods=["get"])
    def timeline(self, request, pk=None):
        """The claim's appearances by document date, with publisher, source, kind."""
        page = self.paginate_queryset(
            selectors.claim_timeline(self.get_object(), request.user)
        )
        data = TimelineEntrySerializer(page, many=True).data
        return self.get_paginated_response(data)

    @extend_schema(
        responses={
            (200, schema_org.MEDIA_TYPE): CLAIM_REVIEW_LIST,
            (200, "application/json"): CLAIM_REVIEW_LIST,
        },
        description="The claim's published reviews as schema.org ClaimReview "
        "JSON-LD (a list, oldest first), as embedded in its public page "
        "`/claims/{id}/`. Public; 404 when the claim has no published review.",
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="claimreview",
        filter_backends=[],
        **LINKED_DATA,
    )
    def claimreview(self, request, pk=None):
        reviews = schema_org.claim_reviews(self.get_object())
        return Response(reviews, **linked_data(request, schema_org.MEDIA_TYPE))

    @extend_schema(
        parameters=[SimilarQuerySerializer],
        responses=SimilarClaimsSerializer,
        examples=[EXAMPLE],
        description="The known claims most like a text, best first, each with "
        "its latest published verdict: has this been checked already? Not "
        "paged; `text` (1 to 10,000 characters) and `limit` (1 to 50) out of "
        "range are a 400.",
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def similar(self, request):
        query = SimilarQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        found = search.similar_claims(
            query.validated_data["text"],
            limit=query.validated_data["limit"],
            viewer=request.user,
        )
        return Response(SimilarClaimsSerializer(found).data)

    def get_serializer_class(self):
        if self.action == "similar":
            return SimilarClaimsSerializer
        if self.action in ("mentions", "timeline"):
            return ClaimMentionSerializer
        return super().get_serializer_class()


@extend_schema_view(
    update=extend_schema(parameters=[IF_MATCH]),
    partial_update=extend_schema(parameters=[IF_MATCH]),
    destroy=extend_schema(parameters=[IF_MATCH]),
)
class ClaimReviewViewSet(VersionedMixin, viewsets.ModelViewSet):
    """Verdicts on claims. Anonymous readers see the published ones."""

    serializer_class = ClaimReviewSerializer
    update_serializer_class = ClaimReviewUpdateSerializer
    filterset_class = filters.ClaimReviewFilter
    search_fields = ["summary", "claim__text"]
    ordering_fields = ["created_at", "published_at", "rating", "id"]
    ordering = ["-created_at", "-id"]
    editor_actions = {"publish"}
    public_read = True
    service_argument = "review"
    update_service = services.claim_review_update
    delete_service = services.claim_review_delete

    def get_queryset(self):
        return selectors.claim_reviews_visible_to(self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.claim_review_create(
            **serializer.validated_data, reviewer=self.request.user
        )

    @extend_schema(request=None, parameters=[IF_MATCH])
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        """Publish the verdict (editors): it gets a date and a public page."""
        changed = self._versioned_call(services.claim_review_publish, self.get_object())
        return self._changed(self.get_queryset().get(pk=changed.pk))
