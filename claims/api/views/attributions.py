"""Attributions: the provenance of statements, one at a time or in bulk."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from claims import selectors, services
from claims.api import filters
from claims.api.serializers.attributions import (
    AttributionBulkSerializer,
    AttributionSerializer,
    AttributionUpdateSerializer,
)
from claims.api.views.base import IF_MATCH, VersionedMixin


@extend_schema_view(
    update=extend_schema(parameters=[IF_MATCH]),
    partial_update=extend_schema(parameters=[IF_MATCH]),
    destroy=extend_schema(parameters=[IF_MATCH]),
)
class AttributionViewSet(VersionedMixin, viewsets.ModelViewSet):
    serializer_class = AttributionSerializer
    update_serializer_class = AttributionUpdateSerializer
    filterset_class = filters.AttributionFilter
    search_fields = ["statement__text", "source__name"]
    ordering_fields = ["created_at", "updated_at", "id", "confidence"]
    ordering = ["id"]
    service_argument = "attribution"
    update_service = services.attribution_update
    delete_service = services.attribution_delete

    def get_queryset(self):
        return selectors.attributions_listed(self.request.user)

    def update_arguments(self) -> dict:
        # A source that a correction names for the first time is the
        # corrector's.
        return {"changed_by": self.request.user}

    def perform_create(self, serializer):
        serializer.instance = services.attribution_create(
            **serializer.validated_data, created_by=self.request.user
        )

    @extend_schema(
        request=AttributionBulkSerializer,
        responses={201: AttributionSerializer(many=True)},
        description="Create many attributions in one request, all or nothing; "
        "an error names the item at fault by its position.",
    )
    # Not paginated: the answer is every attribution created, as a plain list
    # (without this, drf-spectacular documents a list action as a page).
    @action(detail=False, methods=["post"], pagination_class=None)
    def bulk(self, request):
        body = AttributionBulkSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        body.is_valid(raise_exception=True)
        created = services.attribution_bulk_create(
            items=body.validated_data["attributions"], created_by=request.user
        )
        listed = selectors.attributions_listed_among([a.pk for a in created])
        return Response(
            self.get_serializer(listed, many=True).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=None, parameters=[IF_MATCH])
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Accept a suggestion as it stands."""
        changed = self._versioned_call(
            services.attribution_accept, self.get_object(), reviewed_by=request.user
        )
        return self._changed(self.get_queryset().get(pk=changed.pk))

    @extend_schema(request=None, parameters=[IF_MATCH])
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Reject an attribution; it is kept, marked rejected."""
        changed = self._versioned_call(
            services.attribution_reject, self.get_object(), reviewed_by=request.user
        )
        return self._changed(self.get_queryset().get(pk=changed.pk))
