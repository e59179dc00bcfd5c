"""JSON documents that remember the line each of their objects begins on.

An importer of one big JSON document (a Label Studio task list, a W3C
annotation collection) names a bad record by its line, as the line-based
formats do.
"""

import bisect
import json
from collections.abc import Callable
from json import scanner
from typing import Any

from claims import strictjson


class _LocatingDecoder(json.JSONDecoder):
    """A JSON decoder that remembers where each object began.

    The C scanner gives no positions; the pure-Python one calls
    ``parse_object`` for every object, which is wrapped here to note its
    offset. Slower, but it lets an importer name the line of a bad record
    inside one big JSON document.
    """

    # Set by json.JSONDecoder.__init__; its stub does not declare them.
    parse_object: Callable[..., tuple[Any, int]]
    scan_once: Callable[[str, int], tuple[Any, int]]

    def __init__(self) -> None:
        # Read strictly, as every JSON from outside (claims.strictjson).
        super().__init__(
            object_pairs_hook=strictjson.object_without_duplicates,
            parse_constant=strictjson.reject_constant,
        )
        self.starts: dict[int, int] = {}
        parse_object = self.parse_object

        def locate(s_and_end: tuple[str, int], *args: Any) -> tuple[Any, int]:
            value, end = parse_object(s_and_end, *args)
            self.starts[id(value)] = s_and_end[1] - 1
            return value, end

        self.parse_object = locate
        # The pure-Python scanner is not in typeshed's json.scanner stub.
        self.scan_once = scanner.py_make_scanner(self)  # type: ignore[attr-defined]


class Located:
    """A parsed JSON document and the line each of its objects begins on.

    Malformed JSON raises ``json.JSONDecodeError``; a duplicate key, nesting
    past ``strictjson.MAX_DEPTH`` (this decoder recurses in Python) or ``NaN``
    raise ``strictjson.JSONInputError``.
    """

    def __init__(self, text: str) -> None:
        strictjson.check_depth(text)
        decoder = _LocatingDecoder()
        self.value = decoder.decode(text)
        self._starts = decoder.starts
        self._line_offsets = [i for i, c in enumerate(text) if c == "\n"]

    def line_of(self, obj: object) -> int:
        """The 1-based line where ``obj`` (an object of the document) begins."""
        offset = self._starts.get(id(obj))
        if offset is None:
            return 1
        return bisect.bisect_left(self._line_offsets, offset) + 1
