"""Field validators: they run in ``full_clean()``, before any write."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

_WIKIDATA_ID = re.compile(r"Q[1-9][0-9]*")
_url = URLValidator(schemes=["http", "https"])


def validate_wikidata_id(value: str) -> None:
    if value and not _WIKIDATA_ID.fullmatch(value):
        raise ValidationError(
            "%(value)s is not a Wikidata item id (Q followed by digits).",
            params={"value": value},
        )


def validate_evidence_links(value) -> None:
    """Evidence is a list of ``{"url": ..., "title": ...}`` objects."""
    if not isinstance(value, list):
        raise ValidationError("Evidence must be a list of links.")
    for position, link in enumerate(value):
        if not isinstance(link, dict) or set(link) - {"url", "title"}:
            raise ValidationError(
                'Evidence item %(n)s must be an object with "url" and "title".',
                params={"n": position},
            )
        if not isinstance(link.get("title", ""), str):
            raise ValidationError(
                "Evidence item %(n)s has a title that is not a string.",
                params={"n": position},
            )
        try:
            _url(link.get("url", ""))
        except ValidationError:
            raise ValidationError(
                "Evidence item %(n)s has no valid http(s) URL.",
                params={"n": position},
            ) from None
