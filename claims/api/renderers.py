"""Renderers for the JSON-LD endpoints (W3C Web Annotation, ClaimReview)."""

from rest_framework.renderers import JSONRenderer


class JSONLDRenderer(JSONRenderer):
    """JSON-LD: what ``Accept: application/ld+json`` (or ``*/*``) gets.

    Its media type carries no parameters, so that it also answers requests
    that name a profile; a view sets the profile it serves on the response.
    """

    media_type = "application/ld+json"
    format = "jsonld"


class LinkedDataMixin:
    """Errors of JSON-LD endpoints are answered as the API's plain JSON errors."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code >= 400 and isinstance(
            getattr(response, "accepted_renderer", None), JSONLDRenderer
        ):
            response.accepted_renderer = JSONRenderer()
            response.accepted_media_type = JSONRenderer.media_type
        return response


def linked_data(request, media_type: str) -> dict:
    """The response's content type: ``media_type`` unless JSON was negotiated."""
    if isinstance(request.accepted_renderer, JSONLDRenderer):
        return {"content_type": media_type}
    return {}
