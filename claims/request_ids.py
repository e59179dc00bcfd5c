"""Each request's id, in its response's ``X-Request-ID`` and in every log
line written while it is handled, so that a client's report of an error
finds its line in the log.

The id is the one the proxy in front sent, when there is a trusted proxy
(``TRUSTED_PROXIES``, which must then set the header itself, overwriting a
client's: nginx ``proxy_set_header X-Request-ID $request_id;``) and it is a
plain token; otherwise a new one. Log lines are one a record: a traceback's
line breaks are written as ``\\n``, so that each error is one line of the log.

A job keeps the id of the request that submitted it: the id travels in each
Celery message's headers (``before_task_publish``), the job's chunks'
included, and the worker logs under it while it runs the task
(``task_prerun``), so that one id finds a submission's lines in the web
server's log and in every worker's.
"""

import contextvars
import logging
import re
import sys
import uuid

from django.conf import settings

HEADER = "X-Request-ID"
# The same id in a Celery message's headers (a name no Celery header has).
TASK_HEADER = "claims_request_id"
# Letters, digits and a little punctuation: nothing that could forge a log line.
_PLAIN = re.compile(r"[A-Za-z0-9._:-]{1,128}\Z")
_current: contextvars.ContextVar[str] = contextvars.ContextVar(
    "request_id", default="-"
)


def current() -> str:
    """The id of the request being handled (or of the job being run), or ``-``."""
    return _current.get()


def request_id_of(request) -> str:
    given = request.headers.get(HEADER, "")
    if settings.TRUSTED_PROXIES and _PLAIN.match(given):
        return given
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Sets ``request.request_id`` and answers it in ``X-Request-ID``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = request_id_of(request)
        token = _current.set(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response[HEADER] = request.request_id
        return response


class RequestIdFilter(logging.Filter):
    """Gives each record ``request_id``: its request's, or ``-`` outside one."""

    def filter(self, record: logging.LogRecord) -> bool:
        # Django logs a 4xx after the middleware has returned, with the request.
        request = getattr(record, "request", None)
        record.request_id = getattr(request, "request_id", None) or _current.get()
        return True


class OneLineFormatter(logging.Formatter):
    """A record, its traceback included, on one line."""

    def format(self, record: logging.LogRecord) -> str:
        return super().format(record).replace("\r", "").replace("\n", "\\n")


class StandardErrorHandler(logging.StreamHandler):
    """``sys.stderr`` as it is when a record is written, not as it was when
    logging was configured (a test runner or a command may replace it)."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value) -> None:
        pass


# Celery: the id from the sending process to the worker's log lines.
_task_tokens: dict[str, contextvars.Token] = {}


def _publish_with_request_id(headers=None, **_) -> None:
    if headers is not None:
        headers.setdefault(TASK_HEADER, _current.get())


def _run_under_request_id(task_id=None, task=None, **_) -> None:
    given = getattr(task.request, TASK_HEADER, None) if task is not None else None
    if isinstance(given, str) and _PLAIN.match(given):
        _task_tokens[task_id] = _current.set(given)


def _task_done(task_id=None, **_) -> None:
    token = _task_tokens.pop(task_id, None)
    if token is not None:
        _current.reset(token)


def connect_to_celery() -> None:
    """Carry request ids through Celery's messages (``config.celery``)."""
    from celery import signals

    signals.before_task_publish.connect(_publish_with_request_id, weak=False)
    signals.task_prerun.connect(_run_under_request_id, weak=False)
    signals.task_postrun.connect(_task_done, weak=False)
