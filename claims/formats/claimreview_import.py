"""schema.org ClaimReview JSON-LD into claim records, as fact-checkers publish it.

A file holds one ClaimReview, a list of them, an ``@graph`` (whose other
nodes, an ``Organization`` say, are context that ``{"@id": …}`` references
resolve to), or a ``DataFeed`` whose ``dataFeedElement`` holds ClaimReviews
or ``DataFeedItem``s with them as ``item`` (Google's Fact Check markup).

Each ClaimReview becomes a ``ClaimRecord`` with one review:

- ``claimReviewed`` is the claim's wording (required);
- ``url`` is the review's own page, which identifies it (required, as
  Google requires it);
- ``author`` (else ``publisher``) is the organisation that published it:
  its ``name`` (required) and ``url``; of several, the first Organization;
- ``reviewRating``: ``ratingValue`` within ``worstRating``..``bestRating``
  (defaults 1 and 5, either way round) is mapped linearly onto 1..5, to the
  nearest (halves up); a value outside its scale is an error. No
  ``ratingValue`` is a verdict off any scale: unverifiable. ``alternateName``
  is the verdict's label, kept as its publisher worded it;
- ``reviewBody``, else ``description``, ``headline`` or ``name``, is the
  summary (one of them is required);
- ``datePublished`` and ``citation`` (URLs or CreativeWorks) are kept.

Other properties are left aside, as JSON-LD allows. Plain Python, as
``claim_records``, whose record shapes these are.
"""

import math
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from claims.formats import FormatError
from claims.formats.claim_records import (
    BEST,
    RATING_NAMES,
    WORST,
    ClaimRecord,
    ReviewRecord,
    parse_date,
)

WHERE = "ClaimReview"
# A JSON-LD node as json.load gives it.
Node = dict[str, Any]
SUMMARY_KEYS = ("reviewBody", "description", "headline", "name")


def claim_reviews_in(value: object) -> Iterator[tuple[object, str | None]]:
    """The ClaimReview objects of a document (see the module's doc), in order.

    Yields ``(node, None)`` for each ClaimReview, and ``(node, reason)`` for
    a node that should be one and is not, so that the caller names its line
    and goes on with the others.
    """
    if isinstance(value, list):
        for node in value:
            yield from _reviews_of_element(node, "list item")
    elif not isinstance(value, dict):
        yield value, "expected a ClaimReview, a list, an @graph or a DataFeed"
    elif "@graph" in value:
        graph = value["@graph"]
        for node in graph if isinstance(graph, list) else [graph]:
            # Other nodes of a graph are what its reviews refer to.
            if isinstance(node, dict) and _is(node, "ClaimReview"):
                yield node, None
            elif isinstance(node, dict) and _is(node, "DataFeed"):
                yield from _feed(node)
    elif _is(value, "DataFeed"):
        yield from _feed(value)
    else:
        yield from _reviews_of_element(value, "the document")


def nodes_by_id(value: object) -> dict[str, Node]:
    """Every node of the document that has an ``@id``, by it."""
    found: dict[str, Node] = {}

    def visit(node: object) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("@id"), str) and len(node) > 1:
                found.setdefault(node["@id"], node)
            for child in node.values():
                visit(child)
        elif isinstance(node, list):
            for child in node:
                visit(child)

    visit(value)
    return found


def claim_record(review: Node, nodes: dict[str, Node] | None = None) -> ClaimRecord:
    """The claim and the one verdict of a ClaimReview object."""
    nodes = nodes or {}
    text = review.get("claimReviewed")
    if not isinstance(text, str) or not text.strip():
        raise FormatError("claimReviewed: missing; it is the claim's wording")
    url = review.get("url")
    if not isinstance(url, str) or not url.strip():
        raise FormatError("url: missing; it is the review's own page")
    rating, label = _rating(_resolve(review.get("reviewRating"), nodes))
    publisher_name, publisher_url = _publisher(review, nodes)
    return ClaimRecord(
        text=text,
        reviews=[
            ReviewRecord(
                where=WHERE,
                rating=rating,
                label=label,
                summary=_summary(review),
                url=url.strip(),
                published_at=parse_date(review.get("datePublished"), "datePublished"),
                evidence=_citations(review.get("citation")),
                publisher_name=publisher_name,
                publisher_url=publisher_url,
            )
        ],
    )


def scale_rating(value: float, worst: float, best: float) -> int:
    """``value`` on the scale ``worst``..``best`` as 1..5, to the nearest."""
    if best == worst:
        raise ValueError("a scale needs two different ends")
    if not min(worst, best) <= value <= max(worst, best):
        raise ValueError("outside its scale")
    position = (Decimal(str(value)) - Decimal(str(worst))) / (
        Decimal(str(best)) - Decimal(str(worst))
    )
    scaled = WORST + (BEST - WORST) * position
    return int(scaled.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _feed(feed: Node) -> Iterator[tuple[object, str | None]]:
    elements = feed.get("dataFeedElement")
    if not isinstance(elements, list):
        yield feed, "dataFeedElement: expected a list"
        return
    for element in elements:
        yield from _reviews_of_element(element, "dataFeedElement item")


def _reviews_of_element(node: object, what: str) -> Iterator[tuple[object, str | None]]:
    if not isinstance(node, dict):
        yield node, f"{what}: expected a ClaimReview object, not {node!r:.40}"
    elif _is(node, "ClaimReview"):
        yield node, None
    elif _is(node, "DataFeedItem"):
        items = node.get("item")
        if not isinstance(items, list | dict):
            yield node, "DataFeedItem: its item is not a ClaimReview"
            return
        for item in items if isinstance(items, list) else [items]:
            yield from _reviews_of_element(item, "DataFeedItem item")
    elif _is(node, "DataFeed"):
        yield from _feed(node)
    else:
        types = ", ".join(_types(node)) or "no @type"
        yield node, f"{what}: expected a ClaimReview, not {types}"


def _types(node: Node) -> list[str]:
    types = node.get("@type", [])
    # "ClaimReview", "schema:ClaimReview" and "https://schema.org/ClaimReview"
    # are the same type under the usual contexts.
    return [
        t.rsplit("/", 1)[-1].rsplit(":", 1)[-1]
        for t in (types if isinstance(types, list) else [types])
        if isinstance(t, str)
    ]


def _is(node: Node, kind: str) -> bool:
    return kind in _types(node)


def _resolve(value: object, nodes: dict[str, Node]) -> object:
    """A node referred to by ``{"@id": …}`` alone, as the graph holds it."""
    if isinstance(value, dict) and set(value) == {"@id"}:
        return nodes.get(value["@id"], value)
    return value


def _number(rating: Node, key: str, default: float | None) -> float:
    value = rating.get(key, default)
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            raise FormatError(
                f"reviewRating.{key}: {rating[key]!r} is not a number"
            ) from None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise FormatError(f"reviewRating.{key}: {value!r} is not a number")
    if not math.isfinite(value):
        raise FormatError(f"reviewRating.{key}: {value!r} is not a number")
    return value


def _rating(rating: object) -> tuple[int, str]:
    if not isinstance(rating, dict):
        raise FormatError("reviewRating: missing; expected a Rating object")
    label = rating.get("alternateName")
    if isinstance(label, list):  # several names: the first
        label = next((name for name in label if isinstance(name, str)), None)
    if label is not None and not isinstance(label, str):
        raise FormatError("reviewRating.alternateName: expected a string")
    label = (label or "").strip()
    if rating.get("ratingValue") in (None, ""):
        if not label:
            raise FormatError(
                "reviewRating: neither ratingValue nor alternateName; "
                "the verdict is not given"
            )
        return RATING_NAMES["unverifiable"], label
    value = _number(rating, "ratingValue", None)
    worst = _number(rating, "worstRating", WORST)
    best = _number(rating, "bestRating", BEST)
    try:
        return scale_rating(value, worst, best), label
    except ValueError as error:
        raise FormatError(
            f"reviewRating.ratingValue: {_plain(value)} is {error} "
            f"(worstRating {_plain(worst)}, bestRating {_plain(best)})"
        ) from None


def _plain(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


def _publisher(review: Node, nodes: dict[str, Node]) -> tuple[str, str]:
    key = "author" if review.get("author") else "publisher"
    agent = review.get(key)
    if isinstance(agent, list):
        agents = [_resolve(a, nodes) for a in agent]
        objects = [a for a in agents if isinstance(a, dict)]
        agent = next(
            (a for a in objects if _is(a, "Organization")),
            objects[0] if objects else (agents[0] if agents else None),
        )
    agent = _resolve(agent, nodes)
    name: str | None
    if isinstance(agent, str):
        name, url = agent, ""
    elif isinstance(agent, dict):
        name, url = agent.get("name"), agent.get("url") or ""
        if isinstance(name, list):
            name = next((n for n in name if isinstance(n, str)), None)
    else:
        name, url = None, ""
    if not isinstance(name, str) or not name.strip():
        raise FormatError(
            "author: missing or without a name; a review is credited to the "
            "organisation that published it"
        )
    if not isinstance(url, str):
        raise FormatError(f"{key}.url: expected a string")
    return name.strip(), url.strip()


def _summary(review: Node) -> str:
    for key in SUMMARY_KEYS:
        value = review.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    raise FormatError(
        f"no {', '.join(SUMMARY_KEYS[:-1])} or {SUMMARY_KEYS[-1]} to summarise "
        "the verdict"
    )


def _citations(value: object) -> list[dict[str, str]]:
    if value is None:
        return []
    links = []
    for position, work in enumerate(value if isinstance(value, list) else [value]):
        if isinstance(work, str):
            links.append({"url": work})
        elif isinstance(work, dict) and isinstance(work.get("url"), str):
            title = work.get("name") or work.get("headline")
            links.append(
                {"url": work["url"]}
                | ({"title": title} if isinstance(title, str) else {})
            )
        else:
            raise FormatError(f"citation[{position}]: expected a URL or a CreativeWork")
    return links
