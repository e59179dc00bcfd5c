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
    """Each statement's span with its kinds and sources, and each source."""
    statements = [
        (
            s.start,
            s.end,
            sorted(
                (a.kind, a.source.name if a.source else None)
                for a in s.attributions.exclude(status="rejected")
            ),
        )
        for s in Statement.objects.order_by("start")
    ]
    sources = {
        (s.name, s.kind, tuple(sorted(a.name for a in s.aliases.all())))
        for s in Source.objects.filter(attributions__isnull=False).distinct()
    }
    return statements, sources


def _empty_the_database():
    for model in [Attribution, ClaimMention, ClaimReview, Claim, Document, Source]:
        model.objects.all().delete()


@pytest.mark.parametrize(
    ("format", "name"), [("doccano", "seed.jsonl"), ("labelstudio", "seed.json")]
)
def test_export_then_import_into_an_empty_database_round_trips(
    seed, tmp_path, format, name
):
    """Same statements, kinds and sources after a trip out and back in."""
    before = _provenance()
    path = _export(format, tmp_path / name)
    _empty_the_database()
    out, err, error = run_import(path, format=format)
    assert error is None, err
    assert out.strip() == "1 imported, 0 already present, 0 failed"
    assert _provenance() == before
    assert len(before[0]) == 11
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
    assert exported["sources"][str(first["id"])]["name"] == "Iraqi resistance groups"


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
