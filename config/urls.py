"""URL configuration: the admin is the reviewers' workspace; /api/ the REST API."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("claims.api.urls")),
]
