from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from claims.api.views.agreement import AgreementViewSet
from claims.api.views.annotations import AnnotationViewSet
from claims.api.views.attributions import AttributionViewSet
from claims.api.views.claims import ClaimReviewViewSet, ClaimViewSet
from claims.api.views.documents import DocumentViewSet
from claims.api.views.jobs import (
    ExportViewSet,
    ImportViewSet,
    JobViewSet,
    SuggestionsViewSet,
)
from claims.api.views.mentions import ClaimMentionViewSet
from claims.api.views.sources import SourceViewSet
from claims.api.views.statements import StatementViewSet
from claims.api.views.tokens import TokenView

router = DefaultRouter()
router.register("documents", DocumentViewSet, basename="document")
router.register("statements", StatementViewSet, basename="statement")
router.register("sources", SourceViewSet, basename="source")
router.register("attributions", AttributionViewSet, basename="attribution")
router.register("claims", ClaimViewSet, basename="claim")
router.register("claim-mentions", ClaimMentionViewSet, basename="claimmention")
router.register("claim-reviews", ClaimReviewViewSet, basename="claimreview")
router.register("annotations", AnnotationViewSet, basename="annotation")
router.register("imports", ImportViewSet, basename="import")
router.register("exports", ExportViewSet, basename="export")
router.register("suggestions", SuggestionsViewSet, basename="suggestions")
router.register("jobs", JobViewSet, basename="job")
router.register("agreement", AgreementViewSet, basename="agreement")

urlpatterns = [
    path("token/", TokenView.as_view(), name="token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script from a URL, not
    # inline, so the Content-Security-Policy needs no 'unsafe-inline'.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="schema", template_name="api/docs.html"
        ),
        name="docs",
    ),
    path("", include(router.urls)),
]
