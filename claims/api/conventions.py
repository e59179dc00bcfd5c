"""The API's conventions (DESIGN.md): paging, throttling, ETag and If-Match."""

import re

from django.core.paginator import InvalidPage
from rest_framework import status
from rest_framework.exceptions import APIException, NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class Pagination(PageNumberPagination):
    """``page`` and ``page_size`` (at most 500)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def paginate_lazily(self, queryset, request, view=None):
        """As ``paginate_queryset``, but the page is left an unevaluated queryset.

        For a view that reads the page's rows in a shape of its own rather
        than as model instances; ``get_paginated_response`` works as usual.
        """
        self.request = request
        paginator = self.django_paginator_class(queryset, self.get_page_size(request))
        number = self.get_page_number(request, paginator)
        try:
            self.page = paginator.page(number)
        except InvalidPage as error:
            raise NotFound(
                self.invalid_page_message.format(page_number=number, message=str(error))
            ) from error
        if paginator.num_pages > 1 and self.template is not None:
            self.display_page_controls = True
        return self.page.object_list


class _RateFromSettings:
    # DRF binds the rates when the class is defined; reading them per request
    # lets settings (and tests that override them) change the rate.
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonThrottle(_RateFromSettings, AnonRateThrottle):
    pass


class UserThrottle(_RateFromSettings, UserRateThrottle):
    pass


class PreconditionRequired(APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = (
        "This update needs an If-Match header with the ETag of the version you "
        "read (GET the object first)."
    )
    default_code = "precondition_required"


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The object has changed since you read it."
    default_code = "precondition_failed"


def etag(instance) -> str:
    """The entity tag of a versioned object's current version."""
    return f'"{instance.version}"'


def expected_version(request, current) -> int | None:
    """The version of ``current`` that the request's If-Match lets it change,
    or None for ``*`` (any version: the object exists).

    RFC 9110 13.1.1: the header lists entity tags, any of which may match,
    compared strongly, so a weak tag (``W/"1"``) matches nothing. A missing
    header is refused (428), so that no update is made blind; one that lists
    no tag of the current version is stale (412). The service locks the row
    and checks the version again, in case it changed since ``current`` was read.
    """
    header = request.headers.get("If-Match", "").strip()
    if not header:
        raise PreconditionRequired()
    if header == "*":
        return None
    if etag(current) in strong_entity_tags(header):
        return current.version
    raise PreconditionFailed(
        f"This object has changed since it was read: If-Match {header} does not "
        "name the current version of this object: it is at version "
        f"{current.version} now (ETag {etag(current)})."
    )


# One member of an entity-tag list: optional spaces, [W/] "opaque", a comma
# or the end; etagc excludes the double quote and control characters.
_LISTED_TAG = re.compile(r'[ \t]*(W/)?("[\x21\x23-\x7e\x80-\xff]*")[ \t]*(?:,|\Z)')
_EMPTY_MEMBER = re.compile(r"[ \t]*,")


def strong_entity_tags(header: str) -> set[str]:
    """The strong entity tags (with their quotes) an If-Match header lists;
    none if the header is not a list of entity tags."""
    tags, position = set(), 0
    while position < len(header):
        # The list syntax allows empty members ("1", , "2").
        empty = _EMPTY_MEMBER.match(header, position)
        if empty:
            position = empty.end()
            continue
        member = _LISTED_TAG.match(header, position)
        if member is None:
            return set()
        if member.group(1) is None:
            tags.add(member.group(2))
        position = member.end()
    return tags
