"""The OpenAPI 3 schema: valid, public, and describing every parameter."""

import pytest
import yaml
from django.core.management import call_command

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema(django_db_setup, django_db_blocker, tmp_path_factory):
    path = tmp_path_factory.mktemp("schema") / "schema.yaml"
    with django_db_blocker.unblock():
        # --validate checks against the OpenAPI 3 meta-schema; --fail-on-warn
        # fails on anything drf-spectacular could not describe.
        call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    return yaml.safe_load(path.read_text())


def test_every_documented_parameter_has_a_description_or_a_schema(schema):
    """Each filter, page and ordering parameter is described."""
    for route, operations in schema["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                assert parameter.get("schema"), (route, method, parameter["name"])


def test_the_statement_filters_are_all_in_the_schema(schema):
    """DESIGN.md's parameter names are what the schema offers."""
    names = {
        p["name"] for p in schema["paths"]["/api/statements/"]["get"]["parameters"]
    }
    assert names >= {
        "document", "source", "kind", "status", "claim", "unattributed",
        "published_after", "published_before", "search", "ordering", "page",
        "page_size",
    }  # fmt: skip


def test_every_operation_documents_its_bodies_and_errors(schema):
    """Requests with bodies and every response, errors included, have schemas."""
    for route, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert (
                "200" in operation["responses"]
                or "201" in operation["responses"]
                or "202" in operation["responses"]
                or "204" in operation["responses"]
            ), (route, method)
            if method in {"post", "put", "patch"} and not route.endswith(
                (
                    "/accept/",
                    "/reject/",
                    "/publish/",
                    "/suggest/",
                    "/cancel/",
                    "/accept-agreeing/",
                )
            ):
                assert "requestBody" in operation, (route, method)
            if route.startswith("/api/schema") or route.startswith("/api/docs"):
                continue
            assert operation["responses"]["401"]["content"]["application/json"][
                "schema"
            ] == {"$ref": "#/components/schemas/Error"}


def test_schema_and_docs_are_public(client):
    """Anonymous readers get the schema and the interactive docs."""
    assert client.get("/api/schema/").status_code == 200
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"swagger" in docs.content.lower()
