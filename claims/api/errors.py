"""One JSON shape for every error the API answers.

    {"status": 400, "code": "invalid", "message": "text: This field is required.",
     "errors": {"text": ["This field is required."]}}

``errors`` maps each field at fault (or ``non_field_errors``) to its messages;
it is empty when no field is at fault. A field of a nested object or list is
named by its path, ``statements[0].attributions[2].kind``, as the interchange
format names it, and a rule of a nested object by the object's path; a
model's rule (Django's ``__all__``) is under ``non_field_errors``, in the
sentence its constraint gives, never its name. Errors raised by the services are
mapped here, so that a rule broken in a service is a 4xx, never a 500.
"""

from django.conf import settings
from django.core.exceptions import (
    NON_FIELD_ERRORS,
    ObjectDoesNotExist,
    RequestDataTooBig,
)
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


NON_FIELD = "non_field_errors"


def _child(path: str, key: object) -> str:
    if not path and key not in (NON_FIELD_ERRORS, NON_FIELD):
        # Top-level keys as the body or the service gave them (the bulk
        # write names its items "0", "1", …, as documented).
        return str(key)
    if isinstance(key, int) or (isinstance(key, str) and key.isdigit()):
        return f"{path}[{key}]"
    if key in (NON_FIELD_ERRORS, NON_FIELD):
        return path  # a rule of the object at this path
    return f"{path}.{key}" if path else str(key)


def error_paths(errors: object, path: str = "") -> dict[str, list[str]]:
    """DRF's nested errors as ``{path: [message, …]}``, in the body's order.

    DRF nests a list serializer's errors as a list (``{}`` for the items
    that passed) and a list field's as a dict by index; both become
    ``[i]`` in the path, and the messages plain strings.
    """
    flat: dict[str, list[str]] = {}
    if isinstance(errors, dict):
        for key, value in errors.items():
            for where, messages in error_paths(value, _child(path, key)).items():
                flat.setdefault(where, []).extend(messages)
    elif isinstance(errors, list) and any(isinstance(e, dict | list) for e in errors):
        for index, value in enumerate(errors):
            for where, messages in error_paths(value, _child(path, index)).items():
                flat.setdefault(where, []).extend(messages)
    elif isinstance(errors, list):
        if errors:
            flat[path or NON_FIELD] = [str(message) for message in errors]
    else:
        flat[path or NON_FIELD] = [str(errors)]
    return flat


def exception_handler(exc, context):
    response = drf_exception_handler(_as_api_exception(exc), context)
    if response is None:
        return None
    detail = response.data
    if (
        isinstance(response.data, dict) and set(response.data) != {"detail"}
    ) or isinstance(response.data, list):
        errors = error_paths(response.data)
    else:
        errors = {}
    if errors:
        field, messages = next(iter(errors.items()))
        message = messages[0] if field == NON_FIELD else f"{field}: {messages[0]}"
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
