import os

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as project_urls


def fail(request):
    raise RuntimeError("the failure a test asked for")


def identity(request):
    """The token this server was started with: proof it is the test's own."""
    return HttpResponse(os.environ["LOGGING_TEST_IDENTITY"])


urlpatterns = [
    path("test/fail/", fail),
    path("test/identity/", identity),
    *project_urls,
]
