"""Reading JSON from outside strictly: the one input guard of the API's parser
and the commands' line reader (issue 19). Plain Python, no Django.

- A duplicate key is refused, not taken with its last value: it is how two
  systems end up disagreeing about what was sent.
- Nesting is limited (``MAX_DEPTH``), checked before parsing, so that a
  document 10,000 levels deep is a clear error rather than a RecursionError
  from the parser (or from whatever walks the value next).
- ``unstorable`` finds the strings (keys or values) that hold a character no
  database here can store: NUL (PostgreSQL's text refuses it) and a lone
  surrogate (JSON's ``"\\ud800"``), which is no character at all.
"""

import json
import re
from collections.abc import Iterator

# The interchange format needs 8 levels; metadata gets the rest.
MAX_DEPTH = 64

# A JSON string, as the scanner skips it: brackets inside do not nest.
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


class JSONInputError(ValueError):
    """JSON that is malformed, repeats a key or nests too deep; the message
    says which, in one line."""


def loads(text: str, *, max_depth: int = MAX_DEPTH):
    """``json.loads``, refusing duplicate keys, nesting past ``max_depth`` and
    the non-standard ``NaN`` and ``Infinity`` (``JSONInputError``); malformed
    JSON raises ``json.JSONDecodeError`` as usual, for the caller to place."""
    check_depth(text, max_depth)
    return json.loads(
        text,
        object_pairs_hook=object_without_duplicates,
        parse_constant=reject_constant,
    )


def loads_line(raw: bytes):
    """The value of one line of JSON Lines, as ``loads``; every error is a
    ``JSONInputError`` whose message is the reason of ``FILE:LINE: reason``."""
    try:
        return loads(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise JSONInputError(f"not UTF-8 (byte {raw[error.start]:#04x})") from None
    except json.JSONDecodeError as error:
        raise JSONInputError(
            f"malformed JSON: {error.msg} at column {error.colno}"
        ) from None


def check_depth(text: str, max_depth: int = MAX_DEPTH) -> None:
    """Raise if arrays and objects nest deeper than ``max_depth``; in time
    proportional to the brackets, whatever the length of the strings."""
    depth = 0
    for bracket in _BRACKET.finditer(_STRING.sub("", text)):
        if bracket.group() in "[{":
            depth += 1
            if depth > max_depth:
                raise JSONInputError(
                    f"it nests deeper than {max_depth} levels of lists and objects"
                )
        else:
            depth -= 1


def reject_constant(name: str):
    raise JSONInputError(f"{name} is not a JSON number")


def object_without_duplicates(pairs: list[tuple[str, object]]) -> dict:
    result = dict(pairs)
    if len(result) < len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise JSONInputError(
                    f"duplicate key {key!r} in one object: which value is meant?"
                )
            seen.add(key)
    return result


def unstorable(value, path: tuple = ()) -> Iterator[tuple[tuple, str, int]]:
    """Yield ``(path, character, position)`` for each string, key or value,
    holding a character no database here can store; the path is a tuple of
    keys and list indices. Iterative: deep values cost no recursion."""
    stack = [(path, value)]
    while stack:
        where, node = stack.pop()
        if isinstance(node, dict):
            for key, child in reversed(node.items()):
                stack.append(((*where, key), child))
                stack.append(((*where, key), key))
        elif isinstance(node, list):
            stack.extend(
                ((*where, i), child) for i, child in reversed(list(enumerate(node)))
            )
        elif isinstance(node, str):
            for found in _UNSTORABLE.finditer(node):
                yield where, found.group(), found.start()


def describe(char: str, position: int) -> str:
    """What is wrong with one unstorable character, in one phrase."""
    what = (
        "a NUL character (U+0000)"
        if char == "\x00"
        else f"a lone surrogate (U+{ord(char):04X}), which is no character"
    )
    return f"holds {what} at {position}; no database here can store it"


def printable(text: str) -> str:
    """``text`` with each unstorable character as its escape (``\\ud800``),
    so that a message naming it can itself be sent and stored."""
    return _UNSTORABLE.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


def where_of(path) -> str:
    """``("statements", 0, "cue")`` as ``statements[0].cue``; the value
    itself is ``document``. Keys are made printable."""
    where = ""
    for part in path:
        if isinstance(part, int):
            where += f"[{part}]"
        else:
            part = printable(part)
            where += f".{part}" if where else part
    return where or "document"
