"""The standard formats the service speaks besides its own JSON Lines.

- ``w3c``: W3C Web Annotation JSON-LD (annotations, collections, pages);
- ``claimreview``: schema.org ClaimReview JSON-LD for published reviews;
- ``claim_records`` and ``claimreview_import``: claims files for
  ``import_claims`` (JSON Lines, and ClaimReview JSON-LD as fact-checkers
  publish it), read into the records ``services.claims_import`` stores;
- ``doccano`` and ``labelstudio``: the annotation tools' span formats, which
  ``spans`` turns into and out of interchange records (``claims.interchange``).

Every offset in every format is a Unicode code point index into the
document's NFC text, 0-based and end-exclusive (DESIGN.md). Absolute
identifiers are built from ``settings.SITE_URL``. The modules are plain
functions over model objects and dicts: they read through
``claims.selectors`` and write through ``claims.services``. ``spans``,
``doccano`` and ``labelstudio`` work on dicts alone and import no Django:
their value sets come from ``claims.vocabulary``.

Errors in foreign records raise ``FormatError``, whose message reads
``"<where>: <reason>"`` like the interchange format's. ``located`` parses a
whole-file JSON document so that an importer can name a record's line.
"""

from claims.record_errors import InterchangeError


class FormatError(InterchangeError):
    """A foreign record that cannot be read; the message names where and why."""


# Django is imported inside the two functions that need the site, so that
# importing the package (as the doccano and Label Studio converters do) does
# not: they run without Django.


def absolute(path: str) -> str:
    """An absolute IRI for a path of this site (``SITE_URL`` + path)."""
    from django.conf import settings

    return f"{settings.SITE_URL}{path}"


def api_iri(basename: str, pk: int) -> str:
    """The absolute IRI of an API resource, e.g. ``/api/documents/1/``."""
    from django.urls import reverse

    return absolute(reverse(f"{basename}-detail", args=[pk]))


def utf16_to_code_points(text: str, offset: int) -> int | None:
    """The code point index of a UTF-16 code unit offset, or None if it splits a pair.

    Browsers (and so Label Studio, at times) count in UTF-16 units.
    """
    units = 0
    for index, char in enumerate(text):
        if units == offset:
            return index
        units += 2 if ord(char) > 0xFFFF else 1
        if units > offset:
            return None
    return len(text) if units == offset else None
