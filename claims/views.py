"""Public pages: what anonymous readers see without signing in."""

import json

from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from claims import selectors
from claims.formats import claimreview, w3c

# Inside <script>, "</script>" or "<!--" in a value would end or change the
# element: escape the characters that can start them (as json_script does).
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@require_safe
def claims_index(request):
    """The published claim reviews, newest first: the admin's "View site"."""
    paginator = Paginator(selectors.claims_published(), 50)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "claims/claims_index.html", {"page": page})


@require_safe
def claim_page(request, pk: int):
    """A claim's published reviews, with their ClaimReview JSON-LD embedded.

    The page is the reviews' ``url``; a claim with no published review has
    none (404).
    """
    claim = get_object_or_404(selectors.claims_for_claimreview(), pk=pk)
    reviews = claimreview.claim_reviews(claim)
    json_ld = json.dumps(reviews, ensure_ascii=False, indent=2)
    return render(
        request,
        "claims/claim_page.html",
        {
            "claim": claim,
            # Each review credited to whoever published it (an imported
            # one to its fact-checker).
            "reviews": [
                (review, claimreview.credited_to(review))
                for review in claim.published_reviews
            ],
            "appearances": claim.appearances,
            "publisher": claimreview.publisher(),
            "json_ld": mark_safe(json_ld.translate(_SCRIPT_ESCAPES)),
        },
    )


@require_safe
def jsonld_context(request):
    """The JSON-LD context that W3C annotation exports name after anno.jsonld."""
    return JsonResponse(w3c.context_document(), content_type="application/ld+json")
