"""JSON written piece by piece: the text ``json.dumps(value, indent=2,
ensure_ascii=False)`` gives, for a value too big to hold.

A ``Streamed`` object's members, and the items of an iterator (a JSON
array), are written as they come; anything else is one ``json.dumps``. JSON
escapes every line break inside a string, so a nested value's text is the
same as on its own with its lines indented, and pieces can be cut at line
ends.
"""

import json
from collections.abc import Iterable, Iterator
from typing import Any

INDENT = "  "
CHUNK = 1 << 16


class Streamed(dict[str, Any]):
    """A JSON object with iterators or ``Streamed`` objects among its values."""


def pieces(value: Any, level: int = 0) -> Iterator[str]:
    """The indented JSON text of ``value`` nested ``level`` deep, in pieces."""
    pad = "\n" + INDENT * level
    if isinstance(value, Streamed):
        opening = "{"
        for key, member in value.items():
            yield f"{opening}{pad}{INDENT}{json.dumps(key, ensure_ascii=False)}: "
            opening = ","
            yield from pieces(member, level + 1)
        yield "{}" if opening == "{" else pad + "}"
    elif isinstance(value, Iterator):
        opening = "["
        for item in value:
            yield f"{opening}{pad}{INDENT}"
            opening = ","
            yield from pieces(item, level + 1)
        yield "[]" if opening == "[" else pad + "]"
    else:
        yield json.dumps(value, ensure_ascii=False, indent=len(INDENT)).replace(
            "\n", pad
        )


def lines(text: Iterable[str], size: int = CHUNK) -> Iterator[str]:
    """Pieces of text joined into chunks of about ``size`` characters, each
    ending a line (as a command's standard output wants), the last with the
    final line break."""
    buffer: list[str] = []
    held = 0
    for piece in text:
        buffer.append(piece)
        held += len(piece)
        if held >= size:
            joined = "".join(buffer)
            cut = joined.rfind("\n") + 1
            if cut:
                yield joined[:cut]
                joined = joined[cut:]
            buffer, held = [joined], len(joined)
    yield "".join(buffer) + "\n"


def dumps(value: Any) -> Iterator[str]:
    """``json.dumps(value, indent=2, ensure_ascii=False) + "\\n"`` in chunks."""
    return lines(pieces(value))
