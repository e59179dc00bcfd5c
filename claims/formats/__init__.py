"""The standard formats the service speaks besides its own JSON Lines.

- ``w3c``: W3C Web Annotation JSON-LD (annotations, collections, pages);
- ``claimreview``: schema.org ClaimReview JSON-LD for published reviews;
- ``doccano`` and ``labelstudio``: the annotation tools' span formats, which
  ``spans`` turns into and out of interchange records (``claims.interchange``).

Every offset in every format is a Unicode code point index into the
document's NFC text, 0-based and end-exclusive (DESIGN.md). Absolute
identifiers are built from ``settings.SITE_URL``. The modules are plain
functions over model objects and dicts: they read through
``claims.selectors`` and write through ``claims.services``.

Errors in foreign records raise ``FormatError``, whose message reads
``"<where>: <reason>"`` like the interchange format's.
"""

import bisect
import json
from json import scanner

from django.conf import settings
from django.urls import reverse

from claims.interchange import InterchangeError


class FormatError(InterchangeError):
    """A foreign record that cannot be read; the message names where and why."""


def absolute(path: str) -> str:
    """An absolute IRI for a path of this site (``SITE_URL`` + path)."""
    return f"{settings.SITE_URL}{path}"


def api_iri(basename: str, pk: int) -> str:
    """The absolute IRI of an API resource, e.g. ``/api/documents/1/``."""
    return absolute(reverse(f"{basename}-detail", args=[pk]))


class _LocatingDecoder(json.JSONDecoder):
    """A JSON decoder that remembers where each object began.

    The C scanner gives no positions; the pure-Python one calls
    ``parse_object`` for every object, which is wrapped here to note its
    offset. Slower, but it lets an importer name the line of a bad record
    inside one big JSON document.
    """

    def __init__(self):
        super().__init__()
        self.starts: dict[int, int] = {}
        parse_object = self.parse_object

        def locate(s_and_end, *args):
            value, end = parse_object(s_and_end, *args)
            self.starts[id(value)] = s_and_end[1] - 1
            return value, end

        self.parse_object = locate
        self.scan_once = scanner.py_make_scanner(self)


class Located:
    """A parsed JSON document and the line each of its objects begins on."""

    def __init__(self, text: str):
        decoder = _LocatingDecoder()
        self.value = decoder.decode(text)
        self._starts = decoder.starts
        self._line_offsets = [i for i, c in enumerate(text) if c == "\n"]

    def line_of(self, obj) -> int:
        """The 1-based line where ``obj`` (an object of the document) begins."""
        offset = self._starts.get(id(obj))
        if offset is None:
            return 1
        return bisect.bisect_left(self._line_offsets, offset) + 1


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
