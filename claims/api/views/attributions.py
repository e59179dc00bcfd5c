"""Attributions: the provenance of statements, one at a time or in bulk."""

from django.db import transaction
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
        return selectors.attributions_listed()

    # Each write in one transaction with the sources it names by name, so
    # that a write refused (a stale If-Match, a broken rule) creates none.
    @transaction.atomic
    def update(self, request, *args, **kwargs):
        return super().update(request, *args, **kwargs)

    def service_arguments(self, validated_data: dict) -> dict:
        arguments = dict(validated_data)
        for field in ("source", "via"):
            name = arguments.pop(f"{field}_name", None)
            if name is not None:
                arguments[field] = services.source_get_or_create(
                    name=name, created_by=self.request.user
                )
        return arguments

    @transaction.atomic
    def perform_create(self, serializer):
        serializer.instance = services.attribution_create(
            **self.service_arguments(serializer.validated_data),
            created_by=self.request.user,
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
        body = AttributionBulkSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with transaction.atomic():
            created = services.attribution_bulk_create(
                items=[
                    self.service_arguments(item)
                    for item in body.validated_data["attributions"]
                ],
                created_by=request.user,
            )
        listed = self.get_queryset().filter(pk__in=[a.pk for a in created])
        return Response(
            self.get_serializer(listed, many=True).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=None, parameters=[IF_MATCH])
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Accept a suggestion as it stands."""
        changed = self._versioned_call(services.attribution_accept, self.get_object())
        return self._changed(self.get_queryset().get(pk=changed.pk))

    @extend_schema(request=None, parameters=[IF_MATCH])
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Reject an attribution; it is kept, marked rejected."""
        changed = self._versioned_call(services.attribution_reject, self.get_object())
        return self._changed(self.get_queryset().get(pk=changed.pk))
