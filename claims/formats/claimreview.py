"""schema.org ClaimReview JSON-LD for published claim reviews.

One ``ClaimReview`` a published review: ``claimReviewed`` (the claim's
canonical wording), ``reviewRating``, ``url`` (the review on the claim's
public page, ``/claims/<id>/#review-<review id>``, from ``SITE_URL``: one
page shows every published review of a claim, each in the element of that
id), ``author`` (the publishing organisation,
``settings.CLAIMREVIEW_PUBLISHER``), ``datePublished``, ``reviewBody`` (the
summary), ``citation`` (the evidence links) and ``itemReviewed``, a
``Claim`` with its ``author`` (the sources its accepted attributions name),
``datePublished``, ``appearance`` and ``firstAppearance`` (the documents of
its accepted mentions, by date; a document's ``url`` only when it has one,
as the service's own IRIs are not public).

A review imported from another fact-checker's archive (``import_claims``)
is theirs: its ``url`` is the original review's page and its ``author`` the
organisation that published it, and its ``alternateName`` is the verdict as
they worded it ("Pants on Fire"), over the scale's name.

Everything here is public: only accepted attributions and mentions count,
never suggestions awaiting review (``selectors.claims_for_claimreview``).

The rating scale (``claims.models.Rating``): 1 False … 5 True is ordinal, so
those ratings write ``ratingValue`` with ``worstRating`` 1 and
``bestRating`` 5. 0 Unverifiable and -1 Not a factual claim are off that
scale: a number would place them on it (below False), so they write
``alternateName`` alone. Every rating writes its label as ``alternateName``.
"""

from typing import Any

from django.conf import settings
from django.urls import reverse

from claims.formats import absolute
from claims.models import Claim, ClaimMention, ClaimReview, Rating, Source, SourceKind

SCHEMA_CONTEXT = "https://schema.org"
MEDIA_TYPE = "application/ld+json"
BEST, WORST = Rating.TRUE.value, Rating.FALSE.value


def page_url(claim: Claim) -> str:
    """The public page of a claim's published reviews: their ``url``."""
    return absolute(reverse("claim-page", args=[claim.pk]))


def review_url(review: ClaimReview, claim: Claim) -> str:
    """One review on its claim's page: the page and the review's element id."""
    return f"{page_url(claim)}#review-{review.pk}"


def published_url(review: ClaimReview, claim: Claim) -> str:
    """Where a published review is read: an imported one's original page,
    else its element on its claim's page (its ClaimReview ``url``)."""
    return review.url or review_url(review, claim)


def rating(value: int) -> dict[str, Any]:
    """A schema.org Rating for a value of the scale (see the module's doc)."""
    result: dict[str, Any] = {"@type": "Rating", "alternateName": Rating(value).label}
    if WORST <= value <= BEST:
        result |= {"ratingValue": value, "bestRating": BEST, "worstRating": WORST}
    return result


def publisher() -> dict[str, Any]:
    """The organisation that publishes the reviews, from the settings."""
    organisation = settings.CLAIMREVIEW_PUBLISHER
    return {"@type": "Organization", "name": organisation["name"]} | (
        {"url": organisation["url"]} if organisation.get("url") else {}
    )


# A claim read by selectors.claims_for_claimreview() carries its prefetched
# ``published_reviews`` and ``appearances`` (to_attr), which the stubs cannot
# see on the model: such a claim is typed Any.
def claim_reviews(claim: Any) -> list[dict[str, Any]]:
    """The ClaimReviews of a claim's published reviews, oldest first.

    Expects ``selectors.claims_for_claimreview()``'s prefetches.
    """
    item = _claim_item(claim)
    return [claim_review(review, claim, item) for review in claim.published_reviews]


def credited_to(review: ClaimReview) -> dict[str, Any]:
    """Who published a review: the organisation an imported one names, else
    this service's."""
    if not review.publisher_name:
        return publisher()
    return {"@type": "Organization", "name": review.publisher_name} | (
        {"url": review.publisher_url} if review.publisher_url else {}
    )


def claim_review(
    review: ClaimReview, claim: Claim, item: dict[str, Any]
) -> dict[str, Any]:
    # An imported review is the original's: its page, its publisher, its label.
    url = published_url(review, claim)
    # Only published reviews are written, and publishing sets the date.
    assert review.published_at is not None
    result: dict[str, Any] = {
        "@context": SCHEMA_CONTEXT,
        "@type": "ClaimReview",
        "@id": url,
        "url": url,
        "claimReviewed": claim.text,
        "reviewRating": rating(review.rating) | {"alternateName": review.rating_label},
        "author": credited_to(review),
        "datePublished": review.published_at.date().isoformat(),
        "reviewBody": review.summary,
        "itemReviewed": item,
    }
    if review.evidence:
        result["citation"] = [
            {"@type": "CreativeWork", "url": link["url"]}
            | ({"name": link["title"]} if link.get("title") else {})
            | ({"archivedAt": link["archive_url"]} if link.get("archive_url") else {})
            for link in review.evidence
        ]
    return result


def _claim_item(claim: Any) -> dict[str, Any]:
    appearances: list[dict[str, Any]] = []
    authors: list[dict[str, Any]] = []
    seen: set[int] = set()
    documents: set[int] = set()
    for mention in claim.appearances:
        # One appearance a document, however many of its statements say it.
        if mention.statement.document_id not in documents:
            documents.add(mention.statement.document_id)
            appearances.append(_appearance(mention))
        for attribution in mention.statement.attributions.all():
            source = attribution.source
            if source is not None and source.pk not in seen:
                seen.add(source.pk)
                authors.append(_agent(source))
    item: dict[str, Any] = {"@type": "Claim", "text": claim.text}
    if authors:
        item["author"] = authors[0] if len(authors) == 1 else authors
    if appearances:
        # Mentions come by document date, undated last: the first is the
        # earliest known appearance.
        item["firstAppearance"] = appearances[0]
        item["appearance"] = appearances
        if "datePublished" in appearances[0]:
            item["datePublished"] = appearances[0]["datePublished"]
    return item


def _appearance(mention: ClaimMention) -> dict[str, Any]:
    document = mention.statement.document
    # The API's IRI of a document would not open for the public: no url then.
    work: dict[str, Any] = {"@type": "CreativeWork"}
    if document.url:
        work["url"] = document.url
    work["headline"] = document.title
    if document.published_at:
        work["datePublished"] = document.published_at.date().isoformat()
    if document.publisher:
        work["publisher"] = _agent(document.publisher)
    return work


def _agent(source: Source) -> dict[str, Any]:
    # schema.org authors are people or organisations; every kind of source
    # that is not a person speaks as an organisation would.
    kind = "Person" if source.kind == SourceKind.PERSON else "Organization"
    agent = {"@type": kind, "name": source.name}
    if source.url:
        agent["url"] = source.url
    if source.wikidata_id:
        agent["sameAs"] = f"https://www.wikidata.org/wiki/{source.wikidata_id}"
    return agent
