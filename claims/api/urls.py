from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from claims.api import views

router = DefaultRouter()
router.register("documents", views.DocumentViewSet, basename="document")
router.register("statements", views.StatementViewSet, basename="statement")
router.register("sources", views.SourceViewSet, basename="source")
router.register("attributions", views.AttributionViewSet, basename="attribution")
router.register("claims", views.ClaimViewSet, basename="claim")
router.register("claim-reviews", views.ClaimReviewViewSet, basename="claimreview")
router.register("annotations", views.AnnotationViewSet, basename="annotation")

urlpatterns = [
    path("token/", obtain_auth_token, name="token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
    path("", include(router.urls)),
]
