"""The interchange format is declared once (claims/interchange.schema.json):
the import checks records against it, the API documents POST /api/documents/
with it, and the README lists its keys."""

import json
import re

import pytest
from django.conf import settings
from drf_spectacular.generators import SchemaGenerator
from jsonschema import Draft202012Validator

from claims.interchange import (
    SCHEMA,
    InterchangeError,
    check,
    openapi_schema,
    where_of,
)
from claims.models import (
    AttributionKind,
    ClaimReviewStatus,
    ClaimStatus,
    Motivation,
    Origin,
    Rating,
    ReviewStatus,
    SourceKind,
)
from claims.schema_check import SchemaChecker

DEFINITIONS = SCHEMA["$defs"]
OBJECTS = {
    "document": DEFINITIONS["document"],
    "statement": DEFINITIONS["statement"],
    "attribution": DEFINITIONS["attribution"],
    "claim (or its text alone)": DEFINITIONS["claim"]["then"],
    "source (or its name alone)": DEFINITIONS["source_fields"]["then"],
    "span": DEFINITIONS["span"],
    "note": DEFINITIONS["note"],
    "backup source": DEFINITIONS["backup_source"],
    "backup claim": DEFINITIONS["backup_claim"],
    "review": DEFINITIONS["review"],
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
    assert _values(DEFINITIONS["backup_source"]["properties"]["kind"]) == set(
        SourceKind.values
    )
    assert _values(DEFINITIONS["note"]["properties"]["motivation"]) == set(
        Motivation.values
    )
    assert _values(DEFINITIONS["backup_claim"]["properties"]["status"]) == set(
        ClaimStatus.values
    )
    review = DEFINITIONS["review"]["properties"]
    assert _values(review["rating"]) == set(Rating.values)
    assert _values(review["status"]) == set(ClaimReviewStatus.values)


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
        required = definition.get("required", [])
        assert [key for bold, key in keys if bold] == required, name


def _reference_validator():
    """jsonschema's own validator, with integers as the checker counts them."""
    from jsonschema import validators

    return validators.extend(
        Draft202012Validator,
        type_checker=Draft202012Validator.TYPE_CHECKER.redefine(
            "integer", lambda _, value: type(value) is int
        ),
    )(SCHEMA)


GOOD = {"title": "T", "text": "One. Two.", "statements": [{"start": 0, "end": 4}]}
RECORDS = [
    GOOD,
    json.loads((settings.BASE_DIR / "fixtures" / "seed_article.jsonl").read_text()),
    [1, 2],
    {"text": "No title."},
    GOOD | {"colour": "red"},
    GOOD | {"publisher": 5},
    GOOD | {"publisher": {"name": "A", "kind": "zz"}},
    GOOD | {"publisher": {"kind": "person"}},
    GOOD | {"authors": ["A", None]},
    GOOD | {"tags": ["a", 1]},
    GOOD | {"metadata": []},
    GOOD | {"statements": [{"start": 0.0, "end": 4}]},
    GOOD | {"statements": [{"start": -1, "end": 4}]},
    GOOD | {"statements": [{"start": True, "end": 4}]},
    GOOD | {"statements": [{"start": 0, "end": 4, "claims": [" "]}]},
    GOOD | {"statements": [{"start": 0, "end": 4, "claims": [{"text": "x", "y": 1}]}]},
    GOOD | {"statements": [{"start": 0, "end": 4, "claims": [{"status": "accepted"}]}]},
    GOOD | {"statements": [{"start": 0, "end": 4, "attributions": {}}]},
    GOOD | {"statements": [{"start": 0, "end": 4, "attributions": [{}]}]},
    GOOD | {"statements": [{"start": 0, "end": 4, "attributions": [
        {"kind": "direct", "cue": {"start": 1}, "confidence": 2}]}]},
    GOOD | {"statements": [{"start": 0, "end": 4, "attributions": [
        {"kind": "author", "source": None, "created_by": ""}]}]},
    GOOD | {"statements": [{"start": 0, "end": 4, "attributions": [
        {"kind": "mixed", "via": {"name": "Radio", "aliases": "R"}}]}]},
]  # fmt: skip


@pytest.mark.parametrize("record", RECORDS)
def test_the_checker_agrees_with_jsonschema(record):
    """The hand-written checker accepts what jsonschema accepts, refuses what it
    refuses, and names a place jsonschema finds wrong too."""
    reference = [
        tuple(e.absolute_path) for e in _reference_validator().iter_errors(record)
    ]
    try:
        check(record)
    except InterchangeError as error:
        assert reference, f"refused a valid record: {error}"
        assert error.path in {where_of(path) for path in reference}
    else:
        assert reference == [], "accepted an invalid record"


def test_the_checker_refuses_a_schema_it_cannot_check():
    """A keyword it does not know would be a rule silently skipped."""
    with pytest.raises(ValueError, match="oneOf"):
        SchemaChecker({"oneOf": [{"type": "string"}]})
