"""doccano JSONL and Label Studio JSON: out and back in, with a label mapping."""

import json

import pytest
from django.core.management import call_command

from claims.formats import labelstudio, utf16_to_code_points
from claims.formats.spans import parse_labels
from claims.models import (
    Attribution,
    Claim,
    ClaimMention,
    ClaimReview,
    Document,
    Source,
    Statement,
)
from tests.test_commands import _Buffer, run_import, write_lines

pytestmark = pytest.mark.django_db


def _export(format, path, *options):
    call_command(
        "export_documents", "--format", format, "-o", str(path), *options,
        stderr=_Buffer(),
    )  # fmt: skip
    return path


def _provenance():
    """Each statement's span, attributions and claims; each source; the tags."""
    statements = [
        (
            s.start,
            s.end,
            sorted(
                (
                    a.kind,
                    a.source.name if a.source else None,
                    a.status,
                    a.origin,
                    a.via.name if a.via else None,
                    a.primary_source_url,
                    a.confidence,
                    (a.source_start, a.cue_start, a.content_start),
                )
                for a in s.attributions.exclude(status="rejected")
            ),
            sorted(m.claim.text for m in s.claim_mentions.all()),
        )
        for s in Statement.objects.order_by("start")
    ]
    sources = {
        (s.name, s.kind, tuple(sorted(a.name for a in s.aliases.all())))
        for s in Source.objects.filter(attributions__isnull=False).distinct()
    }
    tags = [sorted(t.name for t in d.tags.all()) for d in Document.objects.all()]
    return statements, sources, tags


def _suggest(document):
    """An unreviewed suggestion with a conduit, a confidence and a primary source."""
    from claims import services

    return services.attribution_create(
        statement=document.statements.get(index=1),
        kind="indirect",
        source=services.source_get_or_create(name="Kataib Hezbollah", kind="group"),
        via=services.source_get_or_create(name="Al Mayadeen", kind="publication"),
        primary_source_url="https://example.org/statement",
        origin="suggested",
        confidence=0.4,
    )


def _empty_the_database():
    for model in [Attribution, ClaimMention, ClaimReview, Claim, Document, Source]:
        model.objects.all().delete()


@pytest.mark.parametrize(
    ("format", "name"), [("doccano", "seed.jsonl"), ("labelstudio", "seed.json")]
)
def test_export_then_import_into_an_empty_database_round_trips(
    seed, tmp_path, format, name
):
    """Same statements, kinds, sources, statuses, conduits and claims after a trip.

    A suggestion comes back a suggestion, not accepted work.
    """
    _suggest(seed)
    before = _provenance()
    path = _export(format, tmp_path / name)
    _empty_the_database()
    out, err, error = run_import(path, format=format)
    assert error is None, err
    assert out.strip() == "1 imported, 0 already present, 0 failed"
    assert _provenance() == before
    assert len(before[0]) == 11
    assert sum(len(claims) for *_, claims in before[0]) == 10
    assert ("indirect", "Kataib Hezbollah", "suggested", "suggested") in [
        a[:4] for _, _, attributions, _ in before[0] for a in attributions
    ]
    again = _export(format, tmp_path / f"again-{name}")
    assert _without_document_ids(again) == _without_document_ids(path)


def _without_document_ids(path):
    text = path.read_text("utf-8")
    records = json.loads(text) if path.suffix == ".json" else [json.loads(text)]
    return [{k: v for k, v in r.items() if k != "id"} for r in records]


def test_doccano_export_has_entities_relations_and_sources(seed, tmp_path):
    """The groups' first statement: its span, source words, cue and content."""
    (line,) = _export("doccano", tmp_path / "d.jsonl").read_text("utf-8").splitlines()
    exported = json.loads(line)
    entities = {e["id"]: e for e in exported["entities"]}
    first = exported["entities"][0]
    assert (first["label"], first["start_offset"], first["end_offset"]) == (
        "INDIRECT", 0, 167,
    )  # fmt: skip
    parts = {
        r["type"]: entities[r["to_id"]]
        for r in exported["relations"]
        if r["from_id"] == first["id"]
    }
    assert {
        t: (e["label"], e["start_offset"], e["end_offset"]) for t, e in parts.items()
    } == {
        "source": ("SOURCE", 0, 23),
        "cue": ("CUE", 48, 58),
        "content": ("CONTENT", 59, 166),
    }
    assert exported["sources"]["0:167:INDIRECT"]["name"] == "Iraqi resistance groups"


def test_the_plain_doccano_form_with_a_label_mapping(tmp_path):
    """[start, end, LABEL] lists, labels mapped on the command line."""
    text = "The minister said it works. “It does,” said Ana Ruiz."
    line = {
        "text": text,
        "label": [
            [0, 27, "REPORTED"], [28, 53, "QUOTE"], [0, 12, "SPEAKER"],
            [13, 17, "CUE"], [44, 52, "SPEAKER"], [28, 32, "NE"],
        ],
    }  # fmt: skip
    path = write_lines(tmp_path / "plain.jsonl", json.dumps(line).encode())
    _, err, error = run_import(
        path,
        format="doccano",
        labels="QUOTE=direct,REPORTED=indirect,SPEAKER=source,NE=ignore",
    )
    assert error is None, err
    found = sorted(
        (a.kind, a.source.name, a.statement.text)
        for a in Attribution.objects.select_related("source", "statement")
    )
    assert found == [
        ("direct", "Ana Ruiz", "“It does,” said Ana Ruiz."),
        ("indirect", "The minister", "The minister said it works."),
    ]
    assert Attribution.objects.get(kind="indirect").cue_start == 13


def test_an_unmapped_label_is_named_and_nothing_is_stored(tmp_path):
    """A label the mapping does not know: FILE:LINE names it and the fix."""
    good = {"text": "It works.", "label": [[0, 9, "AUTHOR"]]}
    bad = {"text": "It fails.", "label": [[0, 9, "PER"]]}
    path = write_lines(
        tmp_path / "two.jsonl", json.dumps(good).encode(), json.dumps(bad).encode()
    )
    _, err, error = run_import(path, format="doccano")
    assert error is not None
    assert err.strip() == (
        f"{path}:2: label[0]: label 'PER' is not mapped; map it with --labels "
        "PER=ROLE (roles: direct, indirect, mixed, author, statement, source, cue, "
        "content, ignore)"
    )
    assert list(Document.objects.values_list("text", flat=True)) == ["It works."]


@pytest.mark.parametrize(
    ("spec", "message"),
    [("QUOTE", "'QUOTE' is not LABEL=ROLE"), ("QUOTE=quote", "unknown role 'quote'")],
)
def test_a_bad_label_mapping_is_refused(tmp_path, spec, message):
    """--labels entries must be LABEL=ROLE with a known role."""
    with pytest.raises(ValueError, match=message):
        parse_labels(spec)
    _, _, error = run_import(tmp_path / "x.jsonl", format="doccano", labels=spec)
    assert error is not None and message in str(error)


def test_export_writes_the_labels_asked_for(seed, tmp_path):
    """--labels on export renames the labels written."""
    path = _export("labelstudio", tmp_path / "s.json", "--labels", "QUOTE=direct")
    (task,) = json.loads(path.read_text("utf-8"))
    labels = {
        r["value"]["labels"][0]
        for r in task["annotations"][0]["result"]
        if r["type"] == "labels"
    }
    assert "QUOTE" in labels
    assert "DIRECT" not in labels


def _task(text, regions, relations=()):
    result = [
        {"id": rid, "type": "labels", "from_name": "label", "to_name": "text",
         "value": {"start": s, "end": e, "text": t, "labels": [label]}}
        for rid, s, e, t, label in regions
    ] + [
        {"type": "relation", "from_id": a, "to_id": b, "labels": [kind]}
        for a, b, kind in relations
    ]  # fmt: skip
    return {"data": {"text": text}, "annotations": [{"result": result}]}


def test_label_studio_utf16_offsets_and_trailing_spaces_are_mended(tmp_path):
    """Offsets counted in UTF-16 units, and a selection with a space, come right."""
    text = "🎉 Party time, she said. 😀 Nothing else."

    def utf16(i):
        return len(text[:i].encode("utf-16-le")) // 2

    def region(rid, piece, label):
        start = text.index(piece)
        return (rid, utf16(start), utf16(start + len(piece)), piece, label)

    # The emoji take two UTF-16 units each, and the first selection took the
    # space after the sentence with it.
    task = _task(
        text,
        [
            region("a", "Party time, she said. ", "INDIRECT"),
            region("b", "she", "SOURCE"),
            region("c", "😀 Nothing else.", "AUTHOR"),
        ],
        [("a", "b", "source")],
    )
    assert task["annotations"][0]["result"][2]["value"]["start"] == 25
    path = tmp_path / "tasks.json"
    path.write_text(json.dumps([task], ensure_ascii=False), "utf-8")
    _, err, error = run_import(path)
    assert error is None, err
    statements = list(Statement.objects.order_by("start"))
    assert [s.text for s in statements] == ["Party time, she said.", "😀 Nothing else."]
    assert statements[1].start == text.index("😀")
    assert Attribution.objects.get(kind="indirect").source.name == "she"


def test_a_label_studio_span_that_misquotes_is_refused(tmp_path):
    """value.text that matches neither count names the task's line."""
    task = _task("One. Two.", [("a", 0, 4, "Three", "AUTHOR")])
    path = tmp_path / "tasks.json"
    path.write_text("[\n" + json.dumps(task) + "\n]", "utf-8")
    _, err, error = run_import(path)
    assert error is not None
    assert err.startswith(
        f"{path}:2: annotations[0].result[0].value: [0, 4) reads 'One.', not the text "
        "given, 'Three'"
    )
    assert Document.objects.count() == 0


def test_utf16_offsets_convert_to_code_points():
    """A pair of units is one code point; the middle of a pair is no offset."""
    assert utf16_to_code_points("a😀b", 3) == 2
    assert utf16_to_code_points("a😀b", 4) == 3
    assert utf16_to_code_points("a😀b", 2) is None


def test_the_label_config_offers_every_default_label():
    """The Label Studio configuration has each label export writes."""
    for label in ["DIRECT", "INDIRECT", "MIXED", "AUTHOR", "STATEMENT", "SOURCE"]:
        assert f'"{label}"' in labelstudio.LABEL_CONFIG


def test_label_studio_export_to_standard_output_is_one_json_list(seed):
    """Two documents on standard output read back as a list of two tasks."""
    from claims import services

    services.document_ingest(title="Two", text="A second text. It is short.")
    out = _Buffer()
    call_command(
        "export_documents", "--format", "labelstudio", stdout=out, stderr=_Buffer()
    )
    tasks = json.loads(out.value)
    assert [task["data"]["title"] for task in tasks] == [seed.title, "Two"]


def test_label_studio_writes_suggestions_as_predictions(seed, tmp_path):
    """Accepted work is the annotation, a suggestion the prediction; no rejects."""
    from claims import services

    suggestion = _suggest(seed)
    rejected = services.attribution_create(
        statement=seed.statements.get(index=2),
        kind="direct",
        source=services.source_get_or_create(name="Nobody"),
        origin="suggested",
        status="rejected",
    )
    (task,) = json.loads(_export("labelstudio", tmp_path / "s.json").read_text())

    def kinds(result):
        return [
            (r["value"]["start"], r["value"]["labels"][0])
            for r in result
            if r["type"] == "labels" and r["value"]["labels"][0] not in PART_LABELS
        ]

    statement = suggestion.statement
    annotation, (prediction,) = task["annotations"][0], task["predictions"]
    assert kinds(prediction["result"]) == [(statement.start, "INDIRECT")]
    assert (statement.start, "DIRECT") in kinds(annotation["result"])
    assert (rejected.statement.start, "DIRECT") not in [
        *kinds(annotation["result"]),
        *kinds(prediction["result"]),
    ]
    (region,) = [r for r in prediction["result"] if r["type"] == "labels"]
    key = f"{statement.start}:{statement.end}:INDIRECT"
    assert region["value"]["start"] == statement.start
    assert task["data"]["attributions"][key] == {
        "status": "suggested",
        "origin": "suggested",
        "via": {"name": "Al Mayadeen", "kind": "publication", "aliases": []},
        "primary_source_url": "https://example.org/statement",
        "confidence": 0.4,
    }
    assert task["data"]["tags"] == ["Iraq", "Qasem Suleimani"]


PART_LABELS = {"SOURCE", "CUE", "CONTENT"}
TWO = "The minister said it works. Critics said it fails."


def _two_sides_task(**task):
    said = [("a", 0, 27, TWO[:27], "INDIRECT"), ("b", 0, 12, "The minister", "SOURCE")]
    critics = [("c", 28, 50, TWO[28:], "INDIRECT"), ("d", 28, 35, "Critics", "SOURCE")]
    annotation = _task(TWO, said, [("a", "b", "source")])
    prediction = _task(TWO, critics, [("c", "d", "source")])
    return {
        "data": {"text": TWO},
        "annotations": annotation["annotations"],
        "predictions": [{"id": 7, **prediction["annotations"][0]}],
        **task,
    }


def _stored():
    return sorted(
        (a.source.name, a.status, a.origin)
        for a in Attribution.objects.select_related("source")
    )


def test_label_studio_predictions_import_as_suggestions(tmp_path):
    """A prediction is a suggestion to review; an annotation is accepted work."""
    path = tmp_path / "tasks.json"
    path.write_text(json.dumps([_two_sides_task()]), "utf-8")
    _, err, error = run_import(path)
    assert error is None, err
    assert _stored() == [
        ("Critics", "suggested", "suggested"),
        ("The minister", "accepted", "imported"),
    ]


def test_an_annotation_made_from_the_prediction_supersedes_it(tmp_path):
    """What the annotator kept of a prediction is accepted; the rest is not stored."""
    task = _two_sides_task()
    task["annotations"][0]["parent_prediction"] = 7
    path = tmp_path / "tasks.json"
    path.write_text(json.dumps([task]), "utf-8")
    _, err, error = run_import(path)
    assert error is None, err
    assert _stored() == [("The minister", "accepted", "imported")]


def test_a_predicted_span_taken_into_the_annotation_is_stored_once(tmp_path):
    """The same ids in annotation and prediction: one attribution, accepted."""
    task = _two_sides_task()
    task["predictions"][0]["result"] = task["annotations"][0]["result"]
    path = tmp_path / "tasks.json"
    path.write_text(json.dumps([task]), "utf-8")
    _, err, error = run_import(path)
    assert error is None, err
    assert _stored() == [("The minister", "accepted", "imported")]


def test_the_side_object_is_read_back_from_a_doccano_line(tmp_path):
    """Status, conduit, confidence, claims and the document's fields come back."""
    line = {
        "text": TWO,
        "entities": [
            {"id": 1, "label": "INDIRECT", "start_offset": 0, "end_offset": 27},
            {"id": 2, "label": "STATEMENT", "start_offset": 28, "end_offset": 50},
        ],
        "sources": {"0:27:INDIRECT": "The minister"},
        "attributions": {
            "0:27:INDIRECT": {"status": "suggested", "origin": "suggested",
                              "confidence": 0.5, "via": "Radio One",
                              "primary_source_url": "https://example.org/"},
        },
        "claims": {"0:27": ["The plan works"], "28:50": ["The plan fails"]},
        "tags": ["plans"],
        "published_at": "2024-06-03",
        "url": "https://news.example/plans",
    }  # fmt: skip
    path = write_lines(tmp_path / "d.jsonl", json.dumps(line).encode())
    _, err, error = run_import(path, format="doccano")
    assert error is None, err
    attribution = Attribution.objects.select_related("via").get()
    assert (attribution.status, attribution.origin, attribution.confidence) == (
        "suggested", "suggested", 0.5,
    )  # fmt: skip
    assert (attribution.via.name, attribution.primary_source_url) == (
        "Radio One", "https://example.org/",
    )  # fmt: skip
    mentions = ClaimMention.objects.values_list("claim__text", "statement__start")
    assert sorted(mentions) == [("The plan fails", 28), ("The plan works", 0)]
    document = Document.objects.get()
    assert [t.name for t in document.tags.all()] == ["plans"]
    assert (document.url, document.published_at.date().isoformat()) == (
        "https://news.example/plans", "2024-06-03",
    )  # fmt: skip


def test_an_unknown_key_in_the_side_object_is_refused(tmp_path):
    """An attributions entry holds attribution fields only."""
    line = {
        "text": TWO,
        "label": [[0, 27, "AUTHOR"]],
        "attributions": {"0:27:AUTHOR": {"rating": 5}},
    }
    path = write_lines(tmp_path / "d.jsonl", json.dumps(line).encode())
    _, err, error = run_import(path, format="doccano")
    assert error is not None
    assert err.strip() == (
        f"{path}:1: attributions.0:27:AUTHOR: unknown key rating (allowed: status, "
        "origin, via, primary_source_url, confidence)"
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"entities": [{"id": [1], "label": "AUTHOR", "start_offset": 0,
                        "end_offset": 9}]},
         "entities[0].id: expected a string or an integer, not [1]"),
        ({"entities": [{"id": 1, "label": "AUTHOR", "start_offset": 0,
                        "end_offset": 9}],
          "relations": [{"id": 1, "from_id": {"x": 1}, "to_id": 1}]},
         "relations[0].from_id: expected a string or an integer, not {'x': 1}"),
    ],
)  # fmt: skip
def test_a_bad_doccano_id_is_reported_and_the_good_lines_load(
    tmp_path, change, message
):
    """An id that is no string or integer: FILE:LINE, and the next line loads."""
    bad = {"text": "It fails."} | change
    good = {"text": "It works.", "label": [[0, 9, "AUTHOR"]]}
    path = write_lines(
        tmp_path / "two.jsonl", json.dumps(bad).encode(), json.dumps(good).encode()
    )
    out, err, error = run_import(path, format="doccano")
    assert error is not None
    assert err.strip() == f"{path}:1: {message}"
    assert out.strip() == ""
    assert str(error) == "1 imported, 0 already present, 1 failed"
    assert list(Document.objects.values_list("text", flat=True)) == ["It works."]


@pytest.mark.parametrize(
    ("where", "value"), [("id", {"id": 1}), ("from_id", [1]), ("to_id", None)]
)
def test_a_bad_label_studio_id_is_reported_and_the_good_tasks_load(
    tmp_path, where, value
):
    """A dict, list or null id: FILE:LINE names it; the other task loads."""
    bad = _task(TWO, [("a", 0, 27, TWO[:27], "INDIRECT"),
                      ("b", 0, 12, "The minister", "SOURCE")],
                [("a", "b", "source")])  # fmt: skip
    result = bad["annotations"][0]["result"]
    if where == "id":
        result[0]["id"] = value
    else:
        result[2][where] = value
    good = _task("One. Two.", [("a", 0, 4, "One.", "AUTHOR")])
    path = tmp_path / "tasks.json"
    path.write_text(f"[\n{json.dumps(bad)},\n{json.dumps(good)}\n]", "utf-8")
    _, err, error = run_import(path)
    assert error is not None
    at = "annotations[0].result[" + ("0].id" if where == "id" else f"2].{where}")
    assert err.strip() == (
        f"{path}:2: {at}: expected a string or an integer, not {value!r}"
    )
    assert list(Document.objects.values_list("text", flat=True)) == ["One. Two."]


def test_label_studio_carries_a_mentions_review_and_brings_it_back(
    seed, editor, tmp_path
):
    """A rejected mention travels in the task's data with its status and
    reviewer, and an import into an empty database keeps both."""
    from claims import services

    mention = ClaimMention.objects.order_by("id").first()
    services.claim_mention_reject(mention=mention, reviewed_by=editor)
    claim_text, start = mention.claim.text, mention.statement.start
    path = tmp_path / "tasks.json"
    call_command(
        "export_documents", "--format", "labelstudio", "-o", str(path),
        stdout=_Buffer(), stderr=_Buffer(),
    )  # fmt: skip
    (task,) = json.loads(path.read_text("utf-8"))
    carried = [c for claims in task["data"]["claims"].values() for c in claims]
    assert {"text": claim_text, "origin": mention.origin,
            "status": "rejected", "reviewed_by": "editor"} in carried  # fmt: skip
    ClaimMention.objects.all().delete()
    Attribution.objects.all().delete()
    Document.objects.all().delete()
    _, err, error = run_import(path)
    assert error is None, err
    again = ClaimMention.objects.get(claim__text=claim_text, statement__start=start)
    assert (again.status, again.reviewed_by) == ("rejected", editor)
