"""Annotations: reviewers' notes on statements and claims."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from claims import selectors, services
from claims.api import filters
from claims.api.serializers.annotations import (
    AnnotationSerializer,
    AnnotationUpdateSerializer,
)
from claims.api.views.base import IF_MATCH, VersionedMixin


@extend_schema_view(
    update=extend_schema(parameters=[IF_MATCH]),
    partial_update=extend_schema(parameters=[IF_MATCH]),
    destroy=extend_schema(parameters=[IF_MATCH]),
)
class AnnotationViewSet(VersionedMixin, viewsets.ModelViewSet):
    serializer_class = AnnotationSerializer
    update_serializer_class = AnnotationUpdateSerializer
    filterset_class = filters.AnnotationFilter
    search_fields = ["body"]
    ordering_fields = ["created_at", "updated_at", "id"]
    ordering = ["-created_at", "-id"]
    service_argument = "annotation"
    update_service = services.annotation_update
    delete_service = services.annotation_delete

    def get_queryset(self):
        return selectors.annotations_listed()

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        target = services.annotation_target(
            statement=data.pop("statement", None), claim=data.pop("claim", None)
        )
        serializer.instance = services.annotation_create(
            target=target, reviewer=self.request.user, **data
        )
