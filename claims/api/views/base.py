"""What the resources share: versioning (ETag, If-Match), linked data, numbers."""

from collections.abc import Callable
from typing import Any, ClassVar

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, serializers, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from claims.api.conventions import etag, expected_version
from claims.api.renderers import JSONLDRenderer

LINKED_DATA: dict[str, Any] = {"renderer_classes": [JSONLDRenderer, JSONRenderer]}

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description='The ETag you read, e.g. "3" (or a list of them, any of which '
    "may match; weak tags never do); a stale one gets 412, none 428.",
)


class VersionedMixin:
    """ETag on reads; If-Match on every change, checked by the service.

    ``update_service`` and ``delete_service`` are the services that change and
    delete the object; they take it by ``service_argument``.
    """

    service_argument: str
    # Read off the class (``type(self)``), so that they stay plain functions.
    update_service: ClassVar[Callable[..., Any] | None] = None
    delete_service: ClassVar[Callable[..., Any] | None] = None
    update_serializer_class: type[serializers.Serializer] | None = None

    def update_arguments(self) -> dict:
        """What the update service takes besides the body (nothing, here)."""
        return {}

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
            expected_version=expected_version(self.request, instance),
            **arguments,
        )

    def update(self, request, *args, partial=False, **kwargs):
        instance = self.get_object()
        # 428 or 412 before a 400 for the body.
        version = expected_version(request, instance)
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
            **self.update_arguments(),
        )
        return self._changed(self.get_queryset().get(pk=changed.pk))

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    def destroy(self, request, *args, **kwargs):
        self._versioned_call(type(self).delete_service, self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


def whole_number(request, name: str, default, *, maximum: int | None = None):
    """A positive whole-number query parameter, or a 400 naming it."""
    value = request.query_params.get(name)
    if value is None:
        return default
    if not (value.isascii() and value.isdigit()) or int(value) < 1:
        raise exceptions.ValidationError({name: ["Expected a whole number from 1."]})
    return min(int(value), maximum) if maximum else int(value)
