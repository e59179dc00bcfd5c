"""Checking a value against a JSON Schema: the part of JSON Schema 2020-12
that the interchange format's declaration uses (``interchange.schema.json``).

Hand-written rather than the ``jsonschema`` package, which the tests use to
check the declaration itself and to hold this checker to its verdicts
(``tests/test_interchange_schema.py``): with its optional format checkers
installed, importing it took 1.6 s and 35 MB in every process that imports a
file or serves the API, and a record is checked here in a single pass.

Keywords: ``$ref`` (to ``#/$defs/…``), ``type``, ``enum``, ``properties``,
``required``, ``additionalProperties: false``, ``items``, ``minimum``,
``maximum``, ``minLength``, ``pattern``, ``if``/``then``; the annotations
``title``, ``description`` and ``errorMessage`` are not checked. A schema
using any other keyword is refused when the checker is made, so that no rule
of the declaration is silently skipped. ``integer`` means a whole number
written as one: 1.0 is not an offset.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass

_CHECKED = {
    "$ref", "type", "enum", "properties", "required", "additionalProperties",
    "items", "minimum", "maximum", "minLength", "pattern", "if", "then",
}  # fmt: skip
_ANNOTATIONS = {"$schema", "$id", "$defs", "title", "description", "errorMessage"}

_TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: type(v) is int,
    "number": lambda v: type(v) in (int, float),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def _same(value, choice) -> bool:
    """JSON equality: ``True`` is not 1, but a str subclass (a TextChoices
    member, as the format converters write) is its string."""
    return value == choice and isinstance(value, bool) == isinstance(choice, bool)


@dataclass(frozen=True)
class Violation:
    """Where a value breaks its schema: the path into the value, the part of
    the schema it breaks, and which keyword of it."""

    path: tuple[str | int, ...]
    schema: dict
    keyword: str
    value: object


class SchemaChecker:
    def __init__(self, schema: dict):
        self.schema = schema
        self._refuse_unknown_keywords(schema)

    def first_violation(self, value) -> Violation | None:
        """The shallowest violation (where most is wrong), the first found
        among equals; None when the value follows the schema."""
        best = None
        for violation in self.violations(value):
            if best is None or len(violation.path) < len(best.path):
                best = violation
        return best

    def violations(self, value) -> Iterator[Violation]:
        return self._check(self.schema, value, ())

    def _check(self, node: dict, value, path) -> Iterator[Violation]:
        if "$ref" in node:
            yield from self._check(self._resolve(node["$ref"]), value, path)
        types = node.get("type")
        if types is not None:
            names = types if isinstance(types, list) else [types]
            if not any(_TYPES[name](value) for name in names):
                yield Violation(path, node, "type", value)
                return
        if "enum" in node and not any(_same(value, c) for c in node["enum"]):
            yield Violation(path, node, "enum", value)
            return
        if isinstance(value, str):
            if len(value) < node.get("minLength", 0):
                yield Violation(path, node, "minLength", value)
            if "pattern" in node and not re.search(node["pattern"], value):
                yield Violation(path, node, "pattern", value)
        elif type(value) in (int, float):
            if "minimum" in node and value < node["minimum"]:
                yield Violation(path, node, "minimum", value)
            if "maximum" in node and value > node["maximum"]:
                yield Violation(path, node, "maximum", value)
        elif isinstance(value, dict):
            yield from self._check_object(node, value, path)
        elif isinstance(value, list) and "items" in node:
            for index, item in enumerate(value):
                yield from self._check(node["items"], item, (*path, index))
        if "if" in node and not any(self._check(node["if"], value, path)):
            yield from self._check(node.get("then", {}), value, path)

    def _check_object(self, node: dict, value: dict, path) -> Iterator[Violation]:
        properties = node.get("properties", {})
        if any(key not in value for key in node.get("required", ())):
            yield Violation(path, node, "required", value)
        if node.get("additionalProperties", True) is False and any(
            key not in properties for key in value
        ):
            yield Violation(path, node, "additionalProperties", value)
        for key, subschema in properties.items():
            if key in value:
                yield from self._check(subschema, value[key], (*path, key))

    def _resolve(self, reference: str) -> dict:
        prefix = "#/$defs/"
        if not reference.startswith(prefix):
            raise ValueError(f"unsupported $ref {reference!r}")
        return self.schema["$defs"][reference.removeprefix(prefix)]

    def _refuse_unknown_keywords(self, node, where="#") -> None:
        if not isinstance(node, dict):
            return
        unknown = set(node) - _CHECKED - _ANNOTATIONS
        if unknown:
            raise ValueError(f"{where}: keywords this checker does not know: {unknown}")
        if node.get("additionalProperties", False) is not False:
            raise ValueError(f"{where}: additionalProperties must be false or absent")
        for key in ("items", "if", "then"):
            self._refuse_unknown_keywords(node.get(key), f"{where}/{key}")
        for group in ("properties", "$defs"):
            for name, child in node.get(group, {}).items():
                self._refuse_unknown_keywords(child, f"{where}/{group}/{name}")
