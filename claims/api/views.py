"""The REST API's resources. Thin: they read through ``claims.selectors`` and
write through ``claims.services``."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from claims import selectors, services
from claims.api import filters, serializers
from claims.api.conventions import etag, expected_version
from claims.api.renderers import JSONLDRenderer, LinkedDataMixin, linked_data
from claims.formats import claimreview as schema_org
from claims.formats import w3c
from claims.interchange import import_record
from claims.models import Annotation, ClaimReview, Document

LINKED_DATA = {"renderer_classes": [JSONLDRenderer, JSONRenderer]}

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description='The ETag you read, e.g. "3"; a stale one gets 412, none 428.',
)


class VersionedMixin:
    """ETag on reads; If-Match on every change, checked by the service.

    ``update_service`` and ``delete_service`` are the services that change and
    delete the object; they take it by ``service_argument``.
    """

    service_argument: str
    update_service = None
    delete_service = None
    update_serializer_class = None

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        response = Response(self.get_serializer(instance).data)
        response["ETag"] = etag(instance)
        return response

    def _changed(self, instance, code=status.HTTP_200_OK):
        response = Response(self.get_serializer(instance).data, status=code)
        response["ETag"] = etag(instance)
        return response

    def _versioned_call(self, service, instance, **arguments):
        return service(
            **{self.service_argument: instance},
            expected_version=expected_version(self.request),
            **arguments,
        )

    def update(self, request, *args, partial=False, **kwargs):
        instance = self.get_object()
        version = expected_version(request)  # 428 before a 400 for the body
        serializer = (self.update_serializer_class or self.get_serializer_class())(
            instance,
            data=request.data,
            partial=partial,
            context=self.get_serializer_context(),
        )
        serializer.is_valid(raise_exception=True)
        changed = type(self).update_service(
            **{self.service_argument: instance},
            expected_version=version,
            **serializer.validated_data,
        )
        return self._changed(self.get_queryset().get(pk=changed.pk))

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    def destroy(self, request, *args, **kwargs):
        self._versioned_call(type(self).delete_service, self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


# Documents and statements ---------------------------------------------------


@extend_schema_view(
    create=extend_schema(
        request=serializers.DocumentCreateSerializer,
        responses={201: serializers.DocumentDetailSerializer},
        description="Store a document from its text (segmented into sentences) "
        "or from one interchange-format object with statements and their "
        "attributions. A text already stored answers 409.",
    ),
)
class DocumentViewSet(
    LinkedDataMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    filterset_class = filters.DocumentFilter
    search_fields = ["title", "url"]
    ordering_fields = ["published_at", "created_at", "title", "id"]
    ordering = ["-published_at", "-id"]
    editor_actions = {"destroy"}
    shared_actions = {"suggest"}

    def get_queryset(self):
        if self.action == "list":
            return selectors.documents_listed()
        if self.action == "suggest":
            return Document.objects.all()
        if self.action == "annotations":
            return selectors.documents_for_annotations()
        return selectors.document_with_statements()

    def get_serializer_class(self):
        if self.action == "list":
            return serializers.DocumentSerializer
        if self.action == "create":
            return serializers.DocumentCreateSerializer
        return serializers.DocumentDetailSerializer

    def create(self, request, *args, **kwargs):
        serializers.DocumentCreateSerializer(data=request.data).is_valid(
            raise_exception=True
        )
        result = import_record(dict(request.data), created_by=request.user)
        if not result.created:
            raise services.DuplicateDocumentError(result.document)
        document = self.get_queryset().get(pk=result.document.pk)
        return Response(
            serializers.DocumentDetailSerializer(document).data,
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
            (200, w3c.MEDIA_TYPE): serializers.ANNOTATION_COLLECTION,
            (200, "application/json"): serializers.ANNOTATION_COLLECTION,
        },
        description="The document's attributions and notes as W3C Web "
        "Annotations: an AnnotationCollection whose first AnnotationPage is "
        "embedded and the others included, or one page with `page`. Served "
        f"as `{w3c.MEDIA_TYPE}`.",
    )
    @action(detail=True, methods=["get"], filter_backends=[], **LINKED_DATA)
    def annotations(self, request, pk=None):
        document = self.get_object()
        page_size = _whole_number(request, "page_size", w3c.PAGE_SIZE, maximum=500)
        number = _whole_number(request, "page", None)
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
        responses=serializers.SuggestionReportSerializer,
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
        return Response(serializers.SuggestionReportSerializer(report).data)


def _whole_number(request, name: str, default, *, maximum: int | None = None):
    """A positive whole-number query parameter, or a 400 naming it."""
    value = request.query_params.get(name)
    if value is None:
        return default
    if not (value.isascii() and value.isdigit()) or int(value) < 1:
        raise exceptions.ValidationError({name: ["Expected a whole number from 1."]})
    return min(int(value), maximum) if maximum else int(value)


class StatementViewSet(viewsets.ReadOnlyModelViewSet):
    """Statements across the corpus, with their attributions."""

    serializer_class = serializers.StatementSerializer
    filterset_class = filters.StatementFilter
    search_fields = ["text"]
    ordering_fields = ["document__published_at", "document_id", "index", "id"]
    # By the (document_id, index) unique index: "document" would sort by the
    # document's own ordering, through a join, over the whole corpus.
    ordering = ["document_id", "index"]

    def get_queryset(self):
        return selectors.statements_with_provenance()


# Sources --------------------------------------------------------------------


@extend_schema_view(
    update=extend_schema(parameters=[IF_MATCH]),
    partial_update=extend_schema(parameters=[IF_MATCH]),
    destroy=extend_schema(parameters=[IF_MATCH]),
)
class SourceViewSet(VersionedMixin, viewsets.ModelViewSet):
    serializer_class = serializers.SourceSerializer
    filterset_class = filters.SourceFilter
    search_fields = ["name", "aliases__name"]
    ordering_fields = ["name", "kind", "created_at", "id"]
    ordering = ["name"]
    editor_actions = {"merge"}
    service_argument = "source"
    update_service = services.source_update
    delete_service = services.source_delete

    def get_queryset(self):
        return selectors.sources_listed()

    def perform_create(self, serializer):
        serializer.instance = services.source_create(
            **serializer.validated_data, created_by=self.request.user
        )

    @extend_schema(
        request=serializers.SourceMergeSerializer,
        responses=serializers.SourceSerializer,
        parameters=[IF_MATCH],
        description="Fold another source into this one (editors): its "
        "attributions, documents and aliases move here, its name becomes an "
        "alias, and it is deleted. All or nothing. If-Match names the version "
        "of this (the kept) source.",
    )
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        keep = self.get_object()
        version = expected_version(request)
        body = serializers.SourceMergeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.source_merge(
            keep=keep, merge=body.validated_data["source"], expected_version=version
        )
        return self._changed(self.get_queryset().get(pk=keep.pk))


# Attributions ---------------------------------------------------------------


@extend_schema_view(
    update=extend_schema(parameters=[IF_MATCH]),
    partial_update=extend_schema(parameters=[IF_MATCH]),
    destroy=extend_schema(parameters=[IF_MATCH]),
)
class AttributionViewSet(VersionedMixin, viewsets.ModelViewSet):
    serializer_class = serializers.AttributionSerializer
    update_serializer_class = serializers.AttributionUpdateSerializer
    filterset_class = filters.AttributionFilter
    search_fields = ["statement__text", "source__name"]
    ordering_fields = ["created_at", "updated_at", "id", "confidence"]
    ordering = ["id"]
    service_argument = "attribution"
    update_service = services.attribution_update
    delete_service = services.attribution_delete

    def get_queryset(self):
        return selectors.attributions_listed()

    def perform_create(self, serializer):
        serializer.instance = services.attribution_create(
            **serializer.validated_data, created_by=self.request.user
        )

    @extend_schema(
        request=serializers.AttributionBulkSerializer,
        responses={201: serializers.AttributionSerializer(many=True)},
        description="Create many attributions in one request, all or nothing; "
        "an error names the item at fault by its position.",
    )
    @action(detail=False, methods=["post"])
    def bulk(self, request):
        body = serializers.AttributionBulkSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        created = services.attribution_bulk_create(
            items=body.validated_data["attributions"], created_by=request.user
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


# Claims, reviews and annotations -------------------------------------------


@extend_schema_view(
    update=extend_schema(parameters=[IF_MATCH]),
    partial_update=extend_schema(parameters=[IF_MATCH]),
    destroy=extend_schema(parameters=[IF_MATCH]),
)
class ClaimViewSet(LinkedDataMixin, VersionedMixin, viewsets.ModelViewSet):
    serializer_class = serializers.ClaimSerializer
    update_serializer_class = serializers.ClaimUpdateSerializer
    filterset_class = filters.ClaimFilter
    search_fields = ["text"]
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
        return selectors.claims_listed()

    def perform_create(self, serializer):
        serializer.instance = services.claim_create(
            **serializer.validated_data, created_by=self.request.user
        )
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)

    @extend_schema(
        methods=["get"], responses=serializers.ClaimMentionSerializer(many=True)
    )
    @extend_schema(
        methods=["post"],
        request=serializers.ClaimMentionSerializer,
        responses={201: serializers.ClaimMentionSerializer},
        description="Record that a statement makes this claim.",
    )
    @action(detail=True, methods=["get", "post"])
    def mentions(self, request, pk=None):
        claim = self.get_object()
        if request.method == "POST":
            body = serializers.ClaimMentionSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            mention = services.claim_mention_create(
                claim=claim,
                statement=body.validated_data["statement"],
                created_by=request.user,
            )
            mention = selectors.claim_mentions(claim).get(pk=mention.pk)
            return Response(
                serializers.ClaimMentionSerializer(mention).data,
                status=status.HTTP_201_CREATED,
            )
        page = self.paginate_queryset(selectors.claim_mentions(claim))
        data = serializers.ClaimMentionSerializer(page, many=True).data
        return self.get_paginated_response(data)

    @extend_schema(responses=serializers.TimelineEntrySerializer(many=True))
    @action(detail=True, methods=["get"])
    def timeline(self, request, pk=None):
        """The claim's appearances by document date, with publisher, source, kind."""
        page = self.paginate_queryset(selectors.claim_timeline(self.get_object()))
        data = serializers.TimelineEntrySerializer(page, many=True).data
        return self.get_paginated_response(data)

    @extend_schema(
        responses={
            (200, schema_org.MEDIA_TYPE): serializers.CLAIM_REVIEW_LIST,
            (200, "application/json"): serializers.CLAIM_REVIEW_LIST,
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

    def get_serializer_class(self):
        if self.action in ("mentions", "timeline"):
            return serializers.ClaimMentionSerializer
        return super().get_serializer_class()


@extend_schema_view(
    update=extend_schema(parameters=[IF_MATCH]),
    partial_update=extend_schema(parameters=[IF_MATCH]),
    destroy=extend_schema(parameters=[IF_MATCH]),
)
class ClaimReviewViewSet(VersionedMixin, viewsets.ModelViewSet):
    """Verdicts on claims. Anonymous readers see the published ones."""

    serializer_class = serializers.ClaimReviewSerializer
    update_serializer_class = serializers.ClaimReviewUpdateSerializer
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
        reviews = ClaimReview.objects.select_related("reviewer")
        if not self.request.user.is_authenticated:
            reviews = reviews.filter(status=ClaimReview.Status.PUBLISHED)
        return reviews

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


@extend_schema_view(
    update=extend_schema(parameters=[IF_MATCH]),
    partial_update=extend_schema(parameters=[IF_MATCH]),
    destroy=extend_schema(parameters=[IF_MATCH]),
)
class AnnotationViewSet(VersionedMixin, viewsets.ModelViewSet):
    serializer_class = serializers.AnnotationSerializer
    update_serializer_class = serializers.AnnotationUpdateSerializer
    filterset_class = filters.AnnotationFilter
    search_fields = ["body"]
    ordering_fields = ["created_at", "updated_at", "id"]
    ordering = ["-created_at", "-id"]
    service_argument = "annotation"
    update_service = services.annotation_update
    delete_service = services.annotation_delete

    def get_queryset(self):
        return Annotation.objects.select_related("reviewer").prefetch_related("tags")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        target = data.pop("statement", None) or data.pop("claim", None)
        data.pop("claim", None)
        serializer.instance = services.annotation_create(
            target=target, reviewer=self.request.user, **data
        )
