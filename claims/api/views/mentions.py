"""Claim mentions: a statement linked to a claim, and its review."""

from django.db import transaction
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from claims import roles, selectors, services
from claims.api import filters
from claims.api.conventions import etag
from claims.api.serializers.claims import (
    ClaimMentionCreateSerializer,
    ClaimMentionSerializer,
)
from claims.api.views.base import IF_MATCH, VersionedMixin
from claims.models import ReviewStatus


def link(request, *, claim, statement):
    """Link a statement to a claim as ``request.user``: the mention, answered
    201 when new and 200 when a rejected one was linked again.

    Linking a rejected mention again reverses a review, so it takes the right
    to change that mention (the reviewer who rejected it, or an editor).
    """
    existing = services.mention_between(
        claim=claim, statement=statement, by=request.user
    )
    if (
        existing is not None
        and existing.status == ReviewStatus.REJECTED
        and not roles.can_change(request.user, existing)
    ):
        raise exceptions.PermissionDenied(
            f"Claim mention {existing.pk} was rejected by another reviewer; "
            "only they or an editor may link it again."
        )
    mention = services.claim_mention_create(
        claim=claim, statement=statement, created_by=request.user
    )
    mention = selectors.claim_mentions_listed().get(pk=mention.pk)
    response = Response(
        ClaimMentionSerializer(mention).data,
        status=status.HTTP_201_CREATED if mention.version == 1 else status.HTTP_200_OK,
    )
    response["ETag"] = etag(mention)
    return response


@extend_schema_view(
    create=extend_schema(
        request=ClaimMentionCreateSerializer,
        responses={201: ClaimMentionSerializer, 200: ClaimMentionSerializer},
        description="Link a statement to a claim (accepted, as a reviewer's own "
        "work), named by id or by wording (a new wording is a new claim). A pair "
        "already linked answers 409 naming the mention; a rejected one is "
        "accepted instead (200).",
    ),
    destroy=extend_schema(
        parameters=[IF_MATCH],
        description="Unlink: the mention goes (a proposed claim that nothing "
        "else names goes with it). To keep a decision on record, reject instead.",
    ),
)
class ClaimMentionViewSet(
    VersionedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Mentions of claims in statements, reviewed as attributions are: a
    reviewer decides their own and unowned suggestions, an editor any."""

    serializer_class = ClaimMentionSerializer
    filterset_class = filters.ClaimMentionFilter
    search_fields = ["claim__text", "statement__text"]
    ordering_fields = ["created_at", "reviewed_at", "id"]
    ordering = ["id"]
    # Reviewed, not edited: a wrong link is unlinked or rejected. (The versioned
    # mixin brings update methods, which this resource does not route.)
    http_method_names = ["get", "post", "delete", "head", "options"]
    service_argument = "mention"
    delete_service = services.claim_mention_delete

    def get_queryset(self):
        return selectors.claim_mentions_listed(self.request.user)

    def get_serializer_class(self):
        if self.action == "create":
            return ClaimMentionCreateSerializer
        return super().get_serializer_class()

    @transaction.atomic
    def create(self, request, *args, **kwargs):
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        claim = body.validated_data.get("claim") or services.claim_get_or_create(
            text=body.validated_data["claim_text"], created_by=request.user
        )
        return link(request, claim=claim, statement=body.validated_data["statement"])

    @extend_schema(request=None, parameters=[IF_MATCH])
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Accept the mention: the statement makes the claim (a proposed claim
        is confirmed)."""
        changed = self._versioned_call(
            services.claim_mention_accept, self.get_object(), reviewed_by=request.user
        )
        return self._changed(self.get_queryset().get(pk=changed.pk))

    @extend_schema(request=None, parameters=[IF_MATCH])
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Reject the mention; it is kept, marked rejected, so that suggestions
        do not propose it again."""
        changed = self._versioned_call(
            services.claim_mention_reject, self.get_object(), reviewed_by=request.user
        )
        return self._changed(self.get_queryset().get(pk=changed.pk))
