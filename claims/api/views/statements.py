"""Statements across the corpus, with their provenance."""

from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from claims import search, selectors
from claims.api import filters
from claims.api.serializers.similar import (
    EXAMPLE,
    SimilarClaimsSerializer,
    SimilarLimitSerializer,
)
from claims.api.serializers.statements import StatementSerializer


class StatementViewSet(viewsets.ReadOnlyModelViewSet):
    """Statements across the corpus, with their attributions."""

    serializer_class = StatementSerializer
    filterset_class = filters.StatementFilter
    search_fields = ["text"]
    filter_backends = filters.BACKENDS
    # "Suleimani" finds what Qassem Soleimani said and what names him.
    search_by_source_names = selectors.statements_by_source_names
    ordering_fields = ["document__published_at", "document_id", "index", "id"]
    # By the (document_id, index) unique index: "document" would sort by the
    # document's own ordering, through a join, over the whole corpus.
    ordering = ["document_id", "index"]

    def get_queryset(self):
        if self.action == "similar_claims":
            return selectors.statements_text_only()
        return selectors.statements_with_provenance(self.request.user)

    @extend_schema(
        parameters=[SimilarLimitSerializer],
        responses=SimilarClaimsSerializer,
        examples=[EXAMPLE],
        description="The known claims most like the statement's text, as "
        "`/api/claims/similar/` answers them.",
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="similar-claims",
        filter_backends=[],
        pagination_class=None,
    )
    def similar_claims(self, request, pk=None):
        query = SimilarLimitSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        found = search.similar_claims(
            self.get_object().text,
            limit=query.validated_data["limit"],
            viewer=request.user,
        )
        return Response(SimilarClaimsSerializer(found).data)

    def list(self, request, *args, **kwargs):
        # The serializer's JSON from plain rows: see selectors.statements_page.
        queryset = self.filter_queryset(self.get_queryset())
        queryset = selectors.statements_in_stable_order(queryset)
        page = self.paginator.paginate_lazily(queryset, request, view=self)
        return self.get_paginated_response(
            selectors.statements_page(page, request.user)
        )
