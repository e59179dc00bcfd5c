"""Exports pass the MUST assertions of the W3C Web Annotation test suite.

The suite's JSON data (w3c/web-annotation-tests, commit adedd9a, licence in
its ``license.md``) is in ``tests/data/w3c-web-annotation-tests``. Each
assertion is a draft-04 JSON Schema with the result it expects; the shared
definitions are registered by their ``id`` and formats are checked, ``uri``
among them (``jsonschema[format-nongpl]``).
"""

import json

import pytest
from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from claims import services
from claims.formats import w3c
from claims.selectors import documents_for_annotations
from tests.conftest import DATA

SUITE = DATA / "w3c-web-annotation-tests"
FORMATS = Draft4Validator.FORMAT_CHECKER

pytestmark = pytest.mark.django_db


def _registry() -> Registry:
    resources = []
    for path in sorted((SUITE / "definitions").glob("*.json")):
        schema = json.loads(path.read_text("utf-8"))
        resources.append(
            (schema["id"], Resource.from_contents(schema, default_specification=DRAFT4))
        )
    return Registry().with_resources(resources)


REGISTRY = _registry()


def _assertions(test_file: str) -> list[dict]:
    test = json.loads((SUITE / test_file).read_text("utf-8"))
    return [json.loads((SUITE / a).read_text("utf-8")) for a in test["assertions"]]


ANNOTATION_MUSTS = _assertions("annotations/annotationMusts.test")
COLLECTION_MUSTS = _assertions("collections/collectionMusts.test")
PAGE_MUSTS = _assertions("collections/pages/pageMusts.test")


def failures(document: dict, assertions: list[dict]) -> list[str]:
    """The assertions that do not give their expected result, with the reason."""
    failed = []
    for assertion in assertions:
        validator = Draft4Validator(
            assertion, registry=REGISTRY, format_checker=FORMATS
        )
        valid = validator.is_valid(document)
        if valid != (assertion["expectedResult"] == "valid"):
            failed.append(f"{assertion['id']}: {assertion['errorMessage']}")
    return failed


@pytest.fixture
def exported(seed, reviewer, client):
    """The seed article's collection in pages of four, with notes added."""
    statement = seed.statements.get(index=2)
    services.annotation_create(
        target=statement,
        reviewer=reviewer,
        motivation="questioning",
        body="Which deception is meant?",
        tags=["check", "quote"],
    )
    services.annotation_create(
        target=statement.claim_mentions.model.objects.first().claim,
        reviewer=reviewer,
        motivation="commenting",
        body="Seen elsewhere too.",
    )
    client.force_login(reviewer)
    response = client.get(f"/api/documents/{seed.pk}/annotations/?page_size=4")
    assert response.status_code == 200
    return response.json()


def _pages(collection: dict) -> list[dict]:
    return [collection["first"], *collection.get("@included", [])]


def test_the_suite_is_all_there():
    """The MUST lists hold the assertions the W3C suite defines, all MUSTs."""
    assert len(ANNOTATION_MUSTS) == 54
    assert len(COLLECTION_MUSTS) == 10
    assert len(PAGE_MUSTS) == 15
    assert all(
        a["assertionType"] == "must"
        for a in ANNOTATION_MUSTS + COLLECTION_MUSTS + PAGE_MUSTS
    )
    assert "uri" in FORMATS.checkers


def test_every_annotation_of_the_seed_article_passes(exported):
    """Each attribution, claim mention and note, as exported, meets every MUST
    assertion."""
    annotations = [item for page in _pages(exported) for item in page["items"]]
    # 12 attributions and notes, and the seed's 10 claim mentions.
    assert len(annotations) == exported["total"] == 22
    assert sum(a["motivation"] == "linking" for a in annotations) == 10
    for annotation in annotations:
        assert failures(annotation, ANNOTATION_MUSTS) == [], annotation["id"]


def test_the_collection_and_each_page_pass(exported):
    """The collection and each of its six pages meet their MUST assertions."""
    assert failures(exported, COLLECTION_MUSTS) == []
    pages = _pages(exported)
    assert len(pages) == 6
    for page in pages:
        assert failures(page, PAGE_MUSTS) == [], page["id"]


def test_the_corpus_export_passes(seed, tmp_path):
    """The export command's collection, pages and annotations all pass too."""
    from django.core.management import call_command

    path = tmp_path / "corpus.jsonld"
    call_command("export_documents", "--format", "w3c", "-o", str(path), stderr=None)
    collection = json.loads(path.read_text("utf-8"))
    assert failures(collection, COLLECTION_MUSTS) == []
    for page in _pages(collection):
        assert failures(page, PAGE_MUSTS) == []
        for annotation in page["items"]:
            assert failures(annotation, ANNOTATION_MUSTS) == []


@pytest.mark.parametrize(
    ("change", "assertion"),
    [
        ({"id": "attributions/1/"}, "3.1-annotationIdValidated.json"),
        ({"@context": "http://example.org/oa.jsonld"},
         "3.1-annotationContextValidated.json"),
        ({"created": "yesterday"}, "3.3.1-annotationCreatedValidated.json"),
        ({"target": None}, "3.1-targetKeyFound.json"),
    ],
)  # fmt: skip
def test_the_checks_catch_a_broken_annotation(exported, change, assertion):
    """A broken annotation fails the assertion that guards what it breaks."""
    annotation = dict(exported["first"]["items"][0])
    annotation.update(change)
    if annotation["target"] is None:
        del annotation["target"]
    assert [f for f in failures(annotation, ANNOTATION_MUSTS) if assertion in f]


def test_the_position_selector_counts_code_points(exported, seed):
    """Quote and position select the same text: code points, as DESIGN.md says."""
    for annotation in exported["first"]["items"]:
        quote, position = annotation["target"]["selector"]
        assert seed.text[position["start"] : position["end"]] == quote["exact"]
        assert annotation["target"]["source"]["canonical"] == w3c.content_iri(
            seed.content_hash
        )


ASTRAL = "🚢 Dock workers walked out, the union said."


def test_positions_after_an_astral_character_count_code_points():
    """After an emoji (two UTF-16 units), start and end are still code points.

    The numbers are written out: comparing ``exact`` with a slice the exporter
    made would pass whatever it counted.
    """
    document = services.document_ingest(title="Dock strike", text=ASTRAL)
    services.attribution_create(
        statement=document.statements.get(),
        kind="indirect",
        source=services.source_get_or_create(name="The union", kind="group"),
        source_span=(27, 36),
        cue=(37, 41),
    )
    (annotation,) = w3c.document_annotations(
        documents_for_annotations().get(pk=document.pk)
    )
    quote, position = annotation["target"]["selector"]
    assert (position["start"], position["end"]) == (0, 42)
    assert len(ASTRAL.encode("utf-16-le")) // 2 == 43  # what UTF-16 would say
    assert quote["exact"] == ASTRAL[0:42]
    for key, (start, end, words) in {
        "claims:sourceSpan": (27, 36, "the union"),
        "claims:cue": (37, 41, "said"),
    }.items():
        quote, position = annotation["body"][key]
        assert (position["start"], position["end"]) == (start, end)
        assert quote["exact"] == ASTRAL[start:end] == words
    assert failures(annotation, ANNOTATION_MUSTS) == []
