"""doccano and Label Studio files as the tools give them back: spans renumbered
and reordered, lines in another order, and spans the model cannot hold."""

import json
from pathlib import Path

import pytest

from claims.models import Attribution, ClaimMention, Document, Statement
from tests.formats import test_spans
from tests.formats.test_spans import _empty_the_database, _export
from tests.test_commands import run_import, write_lines

pytestmark = pytest.mark.django_db

ARTICLES = Path(__file__).resolve().parents[1] / "data" / "interop_articles.jsonl"
TWO = "The minister said it works. Critics said it fails."


@pytest.fixture
def articles(seed):
    """The seed and the two interop articles (astral characters before spans;
    a pronoun source and claims)."""
    _, err, error = run_import(ARTICLES)
    assert error is None, err
    return Document.objects.order_by("pk")


def _provenance():
    """``test_spans._provenance`` in an order that does not depend on the
    order the documents were stored in."""
    statements, sources, tags = test_spans._provenance()
    return sorted(statements), sources, sorted(tags)


def _renumbered(line: dict) -> dict:
    """A doccano line as doccano exports it: spans numbered anew (here in the
    reverse order, so an id of ours names another span) and listed in
    another order."""
    entities = line["entities"]
    new_id = {e["id"]: 5000 - n for n, e in enumerate(entities)}
    return line | {
        "id": 900 + line["id"],
        "entities": [e | {"id": new_id[e["id"]]} for e in reversed(entities)],
        "relations": [
            r | {"id": 7000 + n, "from_id": new_id[r["from_id"]],
                 "to_id": new_id[r["to_id"]]}
            for n, r in enumerate(reversed(line["relations"]))
        ],
    }  # fmt: skip


def test_a_doccano_export_with_other_span_ids_and_order_round_trips(articles, tmp_path):
    """Sources, kinds, statuses, claims come back to their own statements after
    doccano renumbers the spans and the lines come back in another order."""
    before = _provenance()
    path = _export("doccano", tmp_path / "out.jsonl")
    lines = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
    back = tmp_path / "back.jsonl"
    back.write_text(
        "".join(
            json.dumps(_renumbered(line), ensure_ascii=False) + "\n"
            for line in reversed(lines)
        ),
        "utf-8",
    )
    _empty_the_database()
    out, err, error = run_import(back, format="doccano")
    assert error is None, err
    assert out.strip() == "3 imported, 0 already present, 0 failed"
    assert _provenance() == before
    (she,) = [
        a
        for a in Attribution.objects.select_related("statement__document", "source")
        if a.statement.document.text[a.source_start or 0 : a.source_end or 0] == "She"
    ]
    assert (she.source.name, she.status) == ("Amina Yusuf", "suggested")


def test_a_label_studio_export_with_other_region_ids_round_trips(articles, tmp_path):
    """Label Studio region ids changed and results reordered: nothing moves."""
    before = _provenance()
    tasks = json.loads(_export("labelstudio", tmp_path / "out.json").read_text())
    for task in tasks:
        entries = [*task["annotations"], *task["predictions"]]
        for which, entry in enumerate(entries):
            ids = {
                r["id"]: f"x{which}-{n}"
                for n, r in enumerate(entry["result"])
                if r["type"] == "labels"
            }
            entry["result"] = [
                r | {"id": ids[r["id"]]}
                if r["type"] == "labels"
                else r | {"from_id": ids[r["from_id"]], "to_id": ids[r["to_id"]]}
                for r in reversed(entry["result"])
            ]
    back = tmp_path / "back.json"
    back.write_text(json.dumps(tasks[::-1], ensure_ascii=False), "utf-8")
    _empty_the_database()
    _, err, error = run_import(back)
    assert error is None, err
    assert _provenance() == before


@pytest.mark.parametrize("format", ["doccano", "labelstudio"])
def test_every_exported_record_has_the_same_keys(articles, tmp_path, format):
    """Empty fields are written as null, [] or {}: doccano reads a batch as a
    table, and a missing cell becomes NaN, which its database refuses."""
    path = _export(format, tmp_path / f"out.{format}")
    text = path.read_text("utf-8")
    if format == "doccano":
        records = [json.loads(line) for line in text.splitlines()]
    else:
        records = [task["data"] for task in json.loads(text)]
    assert len(records) == 3
    assert len({tuple(sorted(r)) for r in records}) == 1
    seed = records[0]
    assert (seed["url"], seed["publisher"], seed["authors"]) == (None, None, [])
    assert all(value is not None for value in (seed["sources"], seed["claims"]))


def _line(**changes):
    line = {
        "text": TWO,
        "entities": [
            {"id": 1, "label": "INDIRECT", "start_offset": 0, "end_offset": 27},
            {"id": 2, "label": "SOURCE", "start_offset": 0, "end_offset": 12},
            {"id": 3, "label": "STATEMENT", "start_offset": 28, "end_offset": 50},
        ],
        "relations": [{"id": 1, "from_id": 1, "to_id": 2, "type": "source"}],
    }
    return line | changes


def _import(tmp_path, *lines):
    path = write_lines(
        tmp_path / "d.jsonl", *(json.dumps(line).encode() for line in lines)
    )
    return path, run_import(path, format="doccano")


def test_a_side_entry_for_a_span_not_there_is_reported_not_moved(tmp_path):
    """A claim keyed by a statement the tool no longer has, and a source keyed
    by a span whose kind was changed in the tool, go nowhere: each is reported
    as FILE:LINE, counted, and the exit status says so; the rest is stored."""
    path, (_, err, error) = _import(
        tmp_path,
        _line(
            sources={"0:27:DIRECT": "Someone else"},
            claims={"28:49": ["Critics are wrong"], "0:27": ["It works"]},
        ),
    )
    assert str(error) == "1 imported, 0 already present, 0 failed, 2 not taken"
    assert err.splitlines() == [
        f"{path}:1: sources.0:27:DIRECT: no DIRECT span is [0, 27) (its kind or "
        "offsets changed in the tool, or it was removed?); not taken",
        f"{path}:1: claims.28:49: no statement span is [28, 49) (changed or "
        "removed in the tool?); not taken",
    ]
    assert Attribution.objects.get().source.name == "The minister"
    assert list(
        ClaimMention.objects.values_list("claim__text", "statement__start")
    ) == [("It works", 0)]


def test_side_entries_keyed_by_span_id_are_not_guessed(tmp_path):
    """An export keyed by span ids (before this version) names spans the tool
    has renumbered: its entries are reported, never put on the span that now
    has that id."""
    path, (_, err, error) = _import(
        tmp_path, _line(sources={"3": "Critics"}, claims={"1": ["Critics are wrong"]})
    )
    assert error is not None
    assert err.splitlines()[0].startswith(
        f"{path}:1: sources.3: keyed by a span id, which doccano and Label Studio "
        "do not keep"
    )
    assert len(err.splitlines()) == 2
    assert ClaimMention.objects.count() == 0
    assert Attribution.objects.get().source.name == "The minister"


def test_a_cue_joined_to_no_attribution_is_reported(tmp_path):
    """A cue on a statement with no attribution, and one with no relation at
    all, cannot be held: both reported, the document stored without them."""
    line = _line()
    line["entities"] += [
        {"id": 4, "label": "CUE", "start_offset": 36, "end_offset": 40},
        {"id": 5, "label": "CUE", "start_offset": 13, "end_offset": 17},
    ]
    line["relations"].append({"id": 2, "from_id": 3, "to_id": 4, "type": "cue"})
    path, (_, err, error) = _import(tmp_path, line)
    assert str(error).endswith("1 imported, 0 already present, 0 failed, 2 not taken")
    assert err.splitlines() == [
        f"{path}:1: entities[3]: the CUE span [36, 40) 'said' is joined to no "
        "attributed statement (a cue belongs to an attribution: join it by a "
        "relation to a span labelled with a kind); not taken",
        f"{path}:1: entities[4]: the CUE span [13, 17) 'said' is joined to no "
        "attributed statement (a cue belongs to an attribution: join it by a "
        "relation to a span labelled with a kind); not taken",
    ]
    assert Attribution.objects.get().cue_start is None
    assert Statement.objects.count() == 2


def test_a_second_source_for_one_attribution_is_reported_not_swapped(tmp_path):
    """The first source relation is kept; the second is reported."""
    line = _line()
    line["entities"].append(
        {"id": 4, "label": "SOURCE", "start_offset": 18, "end_offset": 20}
    )
    line["relations"].append({"id": 2, "from_id": 1, "to_id": 4, "type": "source"})
    path, (_, err, error) = _import(tmp_path, line)
    assert str(error) == "1 imported, 0 already present, 0 failed, 1 not taken"
    assert err.strip() == (
        f"{path}:1: relations[1]: a second source for the INDIRECT span [0, 27) "
        "'The minister said it works.' (the SOURCE span [18, 20) 'it'); an "
        "attribution has one source span, the first (the SOURCE span [0, 12) "
        "'The minister') is kept; not taken"
    )
    attribution = Attribution.objects.get()
    assert (attribution.source.name, attribution.source_start) == ("The minister", 0)


def test_a_relation_to_a_span_not_in_the_line_is_reported(tmp_path):
    """A relation whose end the line does not have is not passed over."""
    line = _line()
    line["relations"].append({"id": 2, "from_id": 1, "to_id": 9, "type": "cue"})
    path, (_, err, error) = _import(tmp_path, line)
    assert error is not None
    assert err.strip() == (
        f"{path}:1: relations[1]: the 'cue' relation from 1 to 9 does not join a "
        "statement span to a part span (no span has the id 9); not taken"
    )


def test_two_attributions_of_one_kind_on_a_statement_keep_their_sources(tmp_path):
    """Same statement, same kind: the key adds each one's parts, so each
    source comes back to its own attribution; a key that still names both is
    reported."""
    line = _line(
        entities=[
            {"id": 1, "label": "INDIRECT", "start_offset": 0, "end_offset": 27},
            {"id": 2, "label": "SOURCE", "start_offset": 0, "end_offset": 12},
            {"id": 3, "label": "INDIRECT", "start_offset": 0, "end_offset": 27},
            {"id": 4, "label": "SOURCE", "start_offset": 18, "end_offset": 20},
        ],
        relations=[
            {"id": 1, "from_id": 1, "to_id": 2, "type": "source"},
            {"id": 2, "from_id": 3, "to_id": 4, "type": "source"},
        ],
        sources={
            "0:27:INDIRECT/source=0:12": "Ana Ruiz",
            "0:27:INDIRECT/source=18:20": "Budget Office",
            "0:27:INDIRECT": "Nobody",
        },
    )
    path, (_, err, error) = _import(tmp_path, line)
    assert str(error).endswith(", 1 not taken")
    assert err.strip().startswith(
        f"{path}:1: sources.0:27:INDIRECT: 2 spans have this key"
    )
    assert sorted(Attribution.objects.values_list("source__name", "source_start")) == [
        ("Ana Ruiz", 0),
        ("Budget Office", 18),
    ]


def test_predictions_exported_as_ids_are_reported(tmp_path):
    """Label Studio's JSON export writes a task's predictions as their ids:
    the annotation is stored, the missing suggestion reported, exit status 1."""
    task = {
        "data": {"text": TWO},
        "annotations": [{"result": []}],
        "predictions": [12],
    }
    path = tmp_path / "tasks.json"
    path.write_text(json.dumps([task]), "utf-8")
    _, err, error = run_import(path)
    assert str(error) == "1 imported, 0 already present, 0 failed, 1 not taken"
    assert err.strip().startswith(
        f"{path}:1: predictions[0]: the prediction 12 is written as its id"
    )
