"""Sources: who statements are attributed to; editors merge them."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from claims import selectors, services
from claims.api import filters
from claims.api.conventions import expected_version
from claims.api.serializers.sources import (
    RECORD_EXAMPLE,
    SourceMergeSerializer,
    SourceRecordSerializer,
    SourceSerializer,
)
from claims.api.views.base import IF_MATCH, VersionedMixin


@extend_schema_view(
    update=extend_schema(parameters=[IF_MATCH]),
    partial_update=extend_schema(parameters=[IF_MATCH]),
    destroy=extend_schema(parameters=[IF_MATCH]),
)
class SourceViewSet(VersionedMixin, viewsets.ModelViewSet):
    serializer_class = SourceSerializer
    filterset_class = filters.SourceFilter
    search_fields = ["name", "aliases__name"]
    ordering_fields = ["name", "kind", "created_at", "id"]
    ordering = ["name"]
    editor_actions = {"merge"}
    service_argument = "source"
    update_service = services.source_update
    delete_service = services.source_delete

    def get_queryset(self):
        # A source that only another annotator's hidden work names is not
        # found (selectors.sources_visible_to).
        if self.action == "record":
            sources = selectors.source_choices()
        else:
            sources = selectors.sources_listed()
        return selectors.sources_visible_to(sources, self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.source_create(
            **serializer.validated_data, created_by=self.request.user
        )

    @extend_schema(
        request=SourceMergeSerializer,
        responses=SourceSerializer,
        parameters=[IF_MATCH],
        description="Fold another source into this one (editors): its "
        "attributions, documents and aliases move here, its name becomes an "
        "alias, and it is deleted. All or nothing. If-Match names the version "
        "of this (the kept) source.",
    )
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        keep = self.get_object()
        version = expected_version(request, keep)
        body = SourceMergeSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        body.is_valid(raise_exception=True)
        services.source_merge(
            keep=keep, merge=body.validated_data["source"], expected_version=version
        )
        return self._changed(self.get_queryset().get(pk=keep.pk))

    @extend_schema(
        responses=SourceRecordSerializer,
        examples=[RECORD_EXAMPLE],
        description="The source's track record: the claims its statements "
        "carry (accepted mentions on statements with an accepted attribution "
        "to it; suggestions and conduits do not count), the latest published "
        "verdict of each counted by rating (`by_rating`, every rating "
        "present: 1 False … 5 True, 0 unverifiable, -1 not a factual claim), "
        "and those verdicts, newest first, each with its claim, its public "
        "`url` and the statements that carry the claim.",
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def record(self, request, pk=None):
        record = selectors.source_record(self.get_object(), request.user)
        return Response(SourceRecordSerializer(record).data)
