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
    """Evidence is a list of ``{"url", "title", "archive_url"}`` objects: the
    record's address, its title, and where a copy is archived (the last two
    optional), each address an http(s) URL."""
    if not isinstance(value, list):
        raise ValidationError("Evidence must be a list of links.")
    for position, link in enumerate(value):
        if not isinstance(link, dict) or set(link) - {"url", "title", "archive_url"}:
            raise ValidationError(
                'Evidence item %(n)s must be an object with "url", "title" and '
                'optionally "archive_url".',
                params={"n": position},
            )
        if link.get("archive_url"):
            try:
                _url(link["archive_url"])
            except (ValidationError, TypeError):
                raise ValidationError(
                    "Evidence item %(n)s has an archive URL that is not an "
                    "http(s) URL.",
                    params={"n": position},
                ) from None
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
