"""The interchange format is declared once (claims/interchange.schema.json):
the import checks records against it, the API documents POST /api/documents/
with it, and the README lists its keys."""

import re

from django.conf import settings
from drf_spectacular.generators import SchemaGenerator
from jsonschema import Draft202012Validator

from claims.interchange import SCHEMA, openapi_schema
from claims.models import AttributionKind, Origin, ReviewStatus, SourceKind

DEFINITIONS = SCHEMA["$defs"]
OBJECTS = {
    "document": DEFINITIONS["document"],
    "statement": DEFINITIONS["statement"],
    "attribution": DEFINITIONS["attribution"],
    "claim (or its text alone)": DEFINITIONS["claim"]["then"],
    "source (or its name alone)": DEFINITIONS["source_fields"]["then"],
    "span": DEFINITIONS["span"],
}


def test_the_schema_is_a_valid_json_schema():
    """The declaration itself follows JSON Schema 2020-12."""
    Draft202012Validator.check_schema(SCHEMA)


def _values(node) -> set:
    return {value for value in node["enum"] if value is not None}


def test_its_value_sets_are_the_models():
    """Kinds, origins and statuses are the models' choices, no more, no less."""
    attribution = DEFINITIONS["attribution"]["properties"]
    assert _values(attribution["kind"]) == set(AttributionKind.values)
    assert _values(attribution["origin"]) == set(Origin.values)
    assert _values(attribution["status"]) == set(ReviewStatus.values)
    claim = DEFINITIONS["claim"]["then"]["properties"]
    assert _values(claim["origin"]) == set(Origin.values)
    assert _values(claim["status"]) == set(ReviewStatus.values)
    source = DEFINITIONS["source_fields"]["then"]["properties"]
    assert _values(source["kind"]) == set(SourceKind.values)


def test_the_api_documents_document_creation_with_it():
    """POST /api/documents/ takes exactly the schema, in OpenAPI's dialect."""
    api = SchemaGenerator().get_schema(request=None, public=True)
    body = api["paths"]["/api/documents/"]["post"]["requestBody"]
    assert body["content"]["application/json"]["schema"] == openapi_schema(SCHEMA)


def test_the_openapi_form_keeps_every_key_and_requirement():
    """The conversion drops no property and no required key on the way."""
    converted = openapi_schema(SCHEMA)
    statement = converted["properties"]["statements"]["items"]
    attribution = statement["properties"]["attributions"]["items"]
    assert set(converted["properties"]) == set(DEFINITIONS["document"]["properties"])
    assert converted["required"] == ["title", "text"]
    assert set(attribution["properties"]) == set(
        DEFINITIONS["attribution"]["properties"]
    )
    assert attribution["properties"]["kind"]["enum"] == sorted(AttributionKind.values)


def test_the_readme_lists_the_schemas_keys():
    """Each object's row in the README: its keys, the required ones in bold."""
    readme = (settings.BASE_DIR / "README.md").read_text("utf-8")
    rows = dict(
        re.findall(r"^\| ([a-z][^|]*?) \| ([*`].*[*`]) \|$", readme, re.MULTILINE)
    )
    for name, definition in OBJECTS.items():
        keys = re.findall(r"(\*\*)?`(\w+)`", rows[name])
        assert [key for _, key in keys] == list(definition["properties"]), name
        assert [key for bold, key in keys if bold] == definition["required"], name
