"""The database unreachable: a 503 with ``Retry-After``, not a bare 500.

A lost or refused connection (``OperationalError``, ``InterfaceError``) says
nothing about the request: the same request may well succeed in a moment.
The API's exception handler answers it in the API's error shape
(``claims.api.errors``); this middleware answers it for every other page
(the admin, the public claim pages). A ``POST /api/documents/`` whose answer
was lost may have been stored all the same: sent again, it gets the 409
naming the stored document.
"""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse

RETRY_AFTER = 5  # seconds: a restart or a fail-over, not a long outage
MESSAGE = (
    "The database cannot be reached just now; nothing was changed unless a "
    f"response said so. Please retry in {RETRY_AFTER} seconds."
)
UNREACHABLE = (OperationalError, InterfaceError)

log = logging.getLogger(__name__)


def database_unreachable(error: Exception) -> None:
    """Log the cause, which the client is not shown (it names hosts)."""
    log.error("database unreachable: %s", error)


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, UNREACHABLE):
            return None
        database_unreachable(exception)
        response = HttpResponse(MESSAGE, status=503, content_type="text/plain")
        response["Retry-After"] = str(RETRY_AFTER)
        return response
