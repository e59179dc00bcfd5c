"""One JSON shape for every error the API answers.

    {"status": 400, "code": "invalid", "message": "text: This field is required.",
     "errors": {"text": ["This field is required."]}}

``errors`` maps each field at fault (or ``non_field_errors``) to its messages;
it is empty when no field is at fault. Errors raised by the services are
mapped here, so that a rule broken in a service is a 4xx, never a 500.
"""

from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.db.models import ProtectedError
from rest_framework import exceptions, status
from rest_framework.fields import get_error_detail
from rest_framework.views import exception_handler as drf_exception_handler

from claims import outage
from claims.api.conventions import PreconditionFailed
from claims.interchange import InterchangeError
from claims.services import DuplicateDocumentError, DuplicateMention, VersionConflict


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with what is stored."
    default_code = "conflict"


class DatabaseUnavailable(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = outage.MESSAGE
    default_code = "database_unavailable"
    # DRF's handler sends Retry-After for an exception with a wait.
    wait = outage.RETRY_AFTER


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"


def _as_api_exception(exc):
    """Map the services' exceptions onto DRF's."""
    if isinstance(exc, outage.UNREACHABLE):
        outage.database_unreachable(exc)
        return DatabaseUnavailable()
    if isinstance(exc, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return PayloadTooLarge(
            f"The body is over the limit of {limit} bytes "
            f"({limit / 1_000_000:g} MB, DATA_UPLOAD_MAX_MEMORY_SIZE)."
        )
    if isinstance(exc, DuplicateDocumentError | DuplicateMention):
        return Conflict(exc.messages[0], code="duplicate")
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(get_error_detail(exc))
    if isinstance(exc, InterchangeError):
        return exceptions.ValidationError({exc.path: [exc.reason]})
    if isinstance(exc, VersionConflict):
        return PreconditionFailed(str(exc))
    if isinstance(exc, ProtectedError):
        return Conflict(exc.args[0], code="protected")
    if isinstance(exc, ObjectDoesNotExist):
        # Deleted between the view reading it and the service locking it.
        return exceptions.NotFound()
    if isinstance(exc, DataError):
        # A value the database cannot hold (a NUL character, a number out of
        # range) that no check before it caught.
        return exceptions.ValidationError(
            {"non_field_errors": ["A value cannot be stored as given."]}
        )
    if isinstance(exc, IntegrityError):
        # A rule the database holds (a unique value taken by a concurrent
        # write, say) that the service's own checks did not see first.
        return Conflict("The change conflicts with data stored meanwhile.")
    return exc


def _first_error(path: str, errors: Any) -> tuple[str, Any]:
    """The first message among a field's errors, and where it is: nested
    ones (a list item's field) are reached by their path, as
    ``evidence[1].url``, not written as the structure's repr."""
    if isinstance(errors, dict):
        for key, inner in errors.items():
            step = f"[{key}]" if isinstance(key, int) else f".{key}"
            if inner:
                return _first_error(f"{path}{step}", inner)
    if isinstance(errors, list) and errors:
        if all(isinstance(item, str) for item in errors):
            return path, errors[0]
        for index, inner in enumerate(errors):
            if inner:
                return _first_error(f"{path}[{index}]", inner)
    return path, errors


def exception_handler(exc, context):
    response = drf_exception_handler(_as_api_exception(exc), context)
    if response is None:
        return None
    detail = response.data
    if isinstance(response.data, dict) and set(response.data) != {"detail"}:
        errors = response.data
    elif isinstance(response.data, list):
        errors = {"non_field_errors": response.data}
    else:
        errors = {}
    if errors:
        field, first = _first_error(*next(iter(errors.items())))
        message = str(first) if field == "non_field_errors" else f"{field}: {first}"
        code = "invalid"
    else:
        detail = response.data.get("detail", "") if isinstance(detail, dict) else detail
        message = str(detail)
        code = getattr(detail, "code", None) or "error"
    response.data = {
        "status": response.status_code,
        "code": code,
        "message": message,
        "errors": errors,
    }
    return response


ERROR_SCHEMA = {
    "type": "object",
    "required": ["status", "code", "message", "errors"],
    "properties": {
        "status": {"type": "integer"},
        "code": {"type": "string"},
        "message": {"type": "string"},
        "errors": {
            "type": "object",
            "additionalProperties": {},
            "description": "Messages by field at fault; empty when none is.",
        },
    },
}

# A write can be refused for its body (400, 413, 415), its rights, its
# conflicts and preconditions (409, 412, 428), its rate or an outage.
_WRITE_ERRORS = [
    "400",
    "401",
    "403",
    "404",
    "409",
    "412",
    "413",
    "415",
    "428",
    "429",
    "503",
]
_ERRORS_BY_METHOD = {
    "get": ["401", "403", "404", "429", "503"],
    "post": _WRITE_ERRORS,
    "put": _WRITE_ERRORS,
    "patch": _WRITE_ERRORS,
    "delete": ["401", "403", "404", "409", "412", "428", "429", "503"],
}


def document_error_responses(result, generator, request, public):
    """drf-spectacular hook: every operation documents the errors it can answer."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = (
        ERROR_SCHEMA
    )
    reference = {
        "description": "An error, in the API's one shape.",
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
        },
    }
    for path in result.get("paths", {}).values():
        for method, operation in path.items():
            for code in _ERRORS_BY_METHOD.get(method, []):
                operation.setdefault("responses", {}).setdefault(code, reference)
    return result
