"""Documents: stored from text or the interchange format, annotated, suggested."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from claims import selectors, services
from claims.api import filters
from claims.api.renderers import LinkedDataMixin, linked_data
from claims.api.serializers.documents import (
    ANNOTATION_COLLECTION,
    AssignmentsSerializer,
    DocumentDetailSerializer,
    DocumentSerializer,
    DocumentUpdateSerializer,
    IndependentAnnotationSerializer,
    ReviewStateSerializer,
    SuggestionReportSerializer,
)
from claims.api.views.adjudication import AdjudicationMixin
from claims.api.views.base import IF_MATCH, LINKED_DATA, VersionedMixin, whole_number
from claims.formats import w3c
from claims.interchange import SCHEMA, openapi_schema


@extend_schema_view(
    create=extend_schema(
        request={"application/json": openapi_schema(SCHEMA)},
        responses={201: DocumentDetailSerializer},
        description="Store a document from its text (segmented into sentences) "
        "or from one interchange-format object with statements and their "
        "attributions. A text already stored answers 409.",
    ),
    partial_update=extend_schema(
        parameters=[IF_MATCH],
        request=DocumentUpdateSerializer,
        responses=DocumentDetailSerializer,
        description="Correct a document's title, URL, publisher, authors, "
        "date (a date alone is that day), language or tags. The text cannot "
        "change: a different `text` answers 400.",
    ),
)
class DocumentViewSet(
    AdjudicationMixin,
    LinkedDataMixin,
    VersionedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    filterset_class = filters.DocumentFilter
    search_fields = ["title", "url"]
    filter_backends = filters.BACKENDS
    # "Suleimani" finds the articles that quote or name Qassem Soleimani.
    search_by_source_names = selectors.documents_by_source_names
    ordering_fields = ["published_at", "created_at", "title", "id"]
    ordering = ["-published_at", "-id"]
    editor_actions = {
        "destroy",
        "assignments",
        "independent_annotation",
        "adjudication",
        "accept_agreeing",
    }
    # review_state: any reviewer, on their own assignment (checked there).
    shared_actions = {"suggest", "review_state"}
    service_argument = "document"
    update_service = services.document_update
    update_serializer_class = DocumentUpdateSerializer
    # Corrections are partial: the text, which a PUT would have to repeat,
    # never changes.
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    # A delete is refused while reviewers' work hangs on the document; it
    # takes no If-Match (as before the details became versioned).
    destroy = mixins.DestroyModelMixin.destroy

    def get_queryset(self):
        if self.action == "list":
            return selectors.documents_listed()
        if self.action in {
            "suggest",
            "assignments",
            "review_state",
            "independent_annotation",
            "adjudication",
            "accept_agreeing",
        }:
            return selectors.documents_unjoined()
        if self.action == "annotations":
            return selectors.documents_for_annotations(self.request.user)
        return selectors.document_with_statements(self.request.user)

    def get_serializer_class(self):
        if self.action == "list":
            return DocumentSerializer
        return DocumentDetailSerializer

    def create(self, request, *args, **kwargs):
        document, created = services.document_import(
            record=request.data, created_by=request.user
        )
        if not created:
            raise services.DuplicateDocumentError(document)
        document = self.get_queryset().get(pk=document.pk)
        return Response(
            DocumentDetailSerializer(document).data,
            status=status.HTTP_201_CREATED,
        )

    def perform_destroy(self, instance):
        services.document_delete(document=instance)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "page",
                OpenApiTypes.INT,
                description="Answer this AnnotationPage (from 1) alone.",
            ),
            OpenApiParameter(
                "page_size",
                OpenApiTypes.INT,
                description=f"Annotations a page (default {w3c.PAGE_SIZE}, "
                "at most 500).",
            ),
        ],
        responses={
            (200, w3c.MEDIA_TYPE): ANNOTATION_COLLECTION,
            (200, "application/json"): ANNOTATION_COLLECTION,
        },
        description="The document's attributions and notes as W3C Web "
        "Annotations: an AnnotationCollection whose first AnnotationPage is "
        "embedded and the others included, or one page with `page`. Served "
        f"as `{w3c.MEDIA_TYPE}`.",
    )
    @action(detail=True, methods=["get"], filter_backends=[], **LINKED_DATA)
    def annotations(self, request, pk=None):
        document = self.get_object()
        page_size = whole_number(request, "page_size", w3c.PAGE_SIZE, maximum=500)
        number = whole_number(request, "page", None)
        iri = w3c.collection_iri(document)
        items = w3c.document_annotations(document)
        if number is None:
            data = w3c.collection(
                iri=iri,
                label=f"Annotations of “{document.title}”",
                items=items,
                page_size=page_size,
            )
        elif number <= max(1, -(-len(items) // page_size)):
            data = w3c.page(iri=iri, items=items, page_size=page_size, number=number)
        else:
            raise exceptions.NotFound(f"The collection has no page {number}.")
        return Response(data, **linked_data(request, w3c.MEDIA_TYPE))

    @extend_schema(
        request=None,
        responses=SuggestionReportSerializer,
        description="Suggest the provenance of every statement (kind, source, "
        "cue, content, conduit, confidence) and the claims it repeats or "
        "proposes, stored with origin and status `suggested` (reviewers). "
        "Earlier suggestions nobody accepted or rejected are replaced; "
        "reviewed ones stay. Unknown sources are created as proposed sources.",
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def suggest(self, request, pk=None):
        document = self.get_object()
        report = services.document_suggest(document=document, created_by=request.user)
        return Response(SuggestionReportSerializer(report).data)

    def _assignment_answer(self, document):
        listed = selectors.documents_listed().get(pk=document.pk)
        return Response(DocumentSerializer(listed).data)

    @extend_schema(
        request=AssignmentsSerializer,
        responses=DocumentSerializer,
        description="Assign the document to these reviewers (editors): the "
        "whole list, so that a reviewer left out is unassigned; those kept keep "
        "their review state. A user who is not a reviewer answers 400 and "
        "nothing changes.",
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def assignments(self, request, pk=None):
        document = self.get_object()
        body = AssignmentsSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        names = list(dict.fromkeys(body.validated_data["assigned_to"]))
        users = [selectors.user_by_username(name) for name in names]
        unknown = [name for name, user in zip(names, users, strict=True) if not user]
        if unknown:
            raise exceptions.ValidationError(
                {"assigned_to": [f"No such user: {', '.join(unknown)}."]}
            )
        services.document_assignments_set(
            document=document,
            reviewers=[user for user in users if user],
            assigned_by=request.user,
        )
        return self._assignment_answer(document)

    @extend_schema(
        request=IndependentAnnotationSerializer,
        responses=DocumentSerializer,
        description="Mark the document for independent double annotation, or "
        "unmark it (editors). Marking needs at least two assigned reviewers "
        "(400 otherwise, nothing changed) and gives each their own copy of the "
        "waiting suggestions; each assignee's work is then hidden from the "
        "others until every assignment is done.",
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="independent-annotation",
        filter_backends=[],
        pagination_class=None,
    )
    def independent_annotation(self, request, pk=None):
        document = self.get_object()
        body = IndependentAnnotationSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.document_independent_annotation_set(
            document=document,
            independent_annotation=body.validated_data["independent_annotation"],
            changed_by=request.user,
        )
        return self._assignment_answer(document)

    @extend_schema(
        request=ReviewStateSerializer,
        responses=DocumentSerializer,
        description="Set the state of the caller's own assignment to the "
        "document (to_do, in_review, done). 403 for a caller it is not "
        "assigned to.",
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="review-state",
        filter_backends=[],
        pagination_class=None,
    )
    def review_state(self, request, pk=None):
        document = self.get_object()
        body = ReviewStateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        assignment = selectors.assignment_of(document.pk, request.user)
        if assignment is None:
            raise exceptions.PermissionDenied(
                "You are not assigned to this document: only its assignees "
                "set their review state."
            )
        services.assignment_set_state(
            assignment=assignment, state=body.validated_data["review_state"]
        )
        return self._assignment_answer(document)
