"""Claims files (``import_claims``): JSON Lines, one claim a line (DESIGN.md).

    {"text": "The bridge was built in 1990", "tags": ["Infrastructure"],
     "reviews": [{"rating": 1, "label": "Pants on Fire", "summary": "It opened
                  in 1994.", "url": "https://facts.example/bridge",
                  "published_at": "2024-06-01",
                  "evidence": [{"url": "https://archive.example/1994",
                                "title": "Opening ceremony"}]}]}

``text`` is required; a review needs ``rating`` (1 false … 5 true,
``"unverifiable"`` or ``"not_a_claim"``) and ``summary``. Unknown keys are an
error. Both this format and schema.org ClaimReview JSON-LD
(``claimreview_import``) read into the same ``ClaimRecord``s, which
``claims.services.claim_imports`` stores.

Plain Python: the checks here are of shape; what a field may hold (a URL's
form, a tag's length) is the model's to say, when the service stores it.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from claims import strictjson
from claims.formats import FormatError

# claims.models.Rating, by value: the ordinal truth scale and the two
# verdicts off it (a test holds the two in step).
BEST, WORST = 5, 1
RATING_NAMES = {"unverifiable": 0, "not_a_claim": -1}

CLAIM_KEYS = {"text", "tags", "reviews"}
REVIEW_KEYS = {"rating", "label", "summary", "url", "published_at", "evidence"}


@dataclass(frozen=True)
class ReviewRecord:
    """One verdict as a file gives it; ``where`` names it in the record."""

    where: str
    rating: int
    summary: str
    label: str = ""
    url: str = ""
    published_at: datetime.datetime | None = None
    evidence: list[dict[str, Any]] = field(default_factory=list)
    # Empty: the review is this service's own (credited to its publisher).
    publisher_name: str = ""
    publisher_url: str = ""


@dataclass(frozen=True)
class ClaimRecord:
    """A claim, in any wording, and the verdicts on it."""

    text: str
    tags: list[str] = field(default_factory=list)
    reviews: list[ReviewRecord] = field(default_factory=list)


def parse_line(raw: bytes) -> ClaimRecord:
    """The claim of one JSON Lines line; ``FormatError`` says what is wrong."""
    try:
        value = strictjson.loads_line(raw.rstrip())
    except strictjson.JSONInputError as error:
        raise FormatError(str(error)) from None
    return claim_record(value)


def claim_record(value: Any) -> ClaimRecord:
    """The claim of one parsed JSON value, checked key by key."""
    _check_object(value, "claim", CLAIM_KEYS, required={"text"})
    text = value["text"]
    if not isinstance(text, str) or not text.strip():
        raise FormatError("text: expected the claim's wording")
    tags = value.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise FormatError("tags: expected a list of strings")
    reviews = value.get("reviews") or []
    if not isinstance(reviews, list):
        raise FormatError("reviews: expected a list")
    return ClaimRecord(
        text=text,
        tags=tags,
        reviews=[_review(r, f"reviews[{i}]") for i, r in enumerate(reviews)],
    )


def _review(value: Any, where: str) -> ReviewRecord:
    _check_object(value, where, REVIEW_KEYS, required={"rating", "summary"})
    evidence = value.get("evidence") or []
    if not isinstance(evidence, list):
        raise FormatError(f"{where}.evidence: expected a list of links")
    return ReviewRecord(
        where=where,
        rating=_rating(value["rating"], f"{where}.rating"),
        summary=_string(value, "summary", where),
        label=_string(value, "label", where),
        url=_string(value, "url", where),
        published_at=parse_date(value.get("published_at"), f"{where}.published_at"),
        evidence=evidence,
    )


def _rating(value: object, where: str) -> int:
    if value in RATING_NAMES:
        return RATING_NAMES[value]
    if type(value) is int and WORST <= value <= BEST:
        return value
    raise FormatError(
        f"{where}: {value!r} is not a rating (expected {WORST} to {BEST}, "
        f"{' or '.join(map(repr, RATING_NAMES))})"
    )


def parse_date(value: object, where: str) -> datetime.datetime | None:
    """An ISO 8601 date or datetime; a date or a naive time is taken as UTC."""
    if value is None:
        return None
    parsed = None
    if isinstance(value, str):
        try:
            parsed = datetime.datetime.fromisoformat(value.strip())
        except ValueError:
            parsed = None
    if parsed is None:
        raise FormatError(f"{where}: {value!r} is not an ISO 8601 date or datetime")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=datetime.UTC)
    return parsed


def _string(value: dict[str, Any], key: str, where: str) -> str:
    found = value.get(key)
    if found is None:
        return ""
    if not isinstance(found, str):
        raise FormatError(f"{where}.{key}: expected a string")
    return found.strip()


def _check_object(
    value: object, where: str, allowed: set[str], required: set[str]
) -> None:
    if not isinstance(value, dict):
        raise FormatError(f"{where}: expected an object")
    unknown = sorted(set(value) - allowed)
    if unknown:
        raise FormatError(
            f"{where}: unknown key{'s' if len(unknown) > 1 else ''} "
            f"{', '.join(unknown)} (allowed: {', '.join(sorted(allowed))})"
        )
    missing = sorted(required - set(value))
    if missing:
        raise FormatError(f"{where}: missing {', '.join(missing)}")
