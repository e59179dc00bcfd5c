"""Statements across the corpus, with their provenance."""

from rest_framework import viewsets

from claims import selectors
from claims.api import filters
from claims.api.serializers.statements import StatementSerializer, statements_page


class StatementViewSet(viewsets.ReadOnlyModelViewSet):
    """Statements across the corpus, with their attributions."""

    serializer_class = StatementSerializer
    filterset_class = filters.StatementFilter
    search_fields = ["text"]
    ordering_fields = ["document__published_at", "document_id", "index", "id"]
    # By the (document_id, index) unique index: "document" would sort by the
    # document's own ordering, through a join, over the whole corpus.
    ordering = ["document_id", "index"]

    def get_queryset(self):
        return selectors.statements_with_provenance()

    def list(self, request, *args, **kwargs):
        # The serializer's JSON from plain rows: see statements_page.
        queryset = self.filter_queryset(self.get_queryset())
        # Ties (every statement of a document shares its date) broken by id:
        # pages then neither overlap nor skip, and the page's rows, read
        # again by id, come back in the order that picked them.
        queryset = queryset.order_by(*queryset.query.order_by, "id")
        page = self.paginator.paginate_lazily(queryset, request, view=self)
        return self.get_paginated_response(statements_page(page))
