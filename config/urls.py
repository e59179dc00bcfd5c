"""URL configuration: the admin is the reviewers' workspace; /api/ the REST API;
/claims/<id>/ a claim's public review page."""

from django.contrib import admin
from django.urls import include, path

from claims import views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("claims.api.urls")),
    path("claims/", views.claims_index, name="claims-index"),
    path("claims/<int:pk>/", views.claim_page, name="claim-page"),
    path("ns/claims.jsonld", views.jsonld_context, name="jsonld-context"),
]
