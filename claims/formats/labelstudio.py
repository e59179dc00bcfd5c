"""Label Studio JSON: a list of tasks, each a text and its annotation results.

Export writes one task a document::

    {"id": 1,
     "data": {"text": "...", "title": "...",
              "sources": {"0:167:INDIRECT": {...}},
              "attributions": {"0:167:INDIRECT": {"status": "accepted", ...}},
              "claims": {"0:167": ["..."]}, "url": null, ..., "tags": ["..."]},
     "annotations": [{"result": [
        {"id": "1", "type": "labels", "from_name": "label", "to_name": "text",
         "value": {"start": 0, "end": 167, "text": "...", "labels": ["INDIRECT"]}},
        {"type": "relation", "from_id": "1", "to_id": "2", "direction": "right",
         "labels": ["source"]}]}],
     "predictions": [{"model_version": "claims", "result": [...]}]}

for a labelling configuration such as ``LABEL_CONFIG``. Accepted
attributions are the task's annotation; suggested ones, which is what they
are in Label Studio, its prediction (with spans of their own for their
parts, and a ``statement`` span in the annotation for a statement with no
accepted attribution). Rejected attributions are left out: Label Studio has
no place for them. What the spans cannot hold (the canonical source, the
rest of each attribution, the statement's claims, the document's fields)
travels in extra ``data`` keys, which Label Studio keeps, every task with
every key, keyed by span offsets and label: ``claims.formats.spans`` says
which, and what import does with an entry that matches no span.

Import reads the first annotation of each task that was not cancelled, as
accepted attributions (origin ``imported`` unless ``data`` says otherwise),
and the first prediction, as suggestions (origin and status ``suggested``),
unless the annotation was made from that prediction (its
``parent_prediction``): then the annotator has reviewed it, and what they
kept is in the annotation. A predicted span whose id is in the annotation
too was taken into it and is read once. Results other than labelled spans
and relations are passed over.

Offsets: current Label Studio counts ``value.start`` and ``value.end`` in
code points, as this service does (its frontend switched from UTF-16 code
units in 2022). Older exports may count UTF-16 units, which differ after
any character outside the Basic Multilingual Plane (most emoji); import
converts a span when its ``value.text`` shows that it was counted so. That
test trusts the quoted text alone: in repetitive text, UTF-16 offsets may
happen to read the same words as code points, a few characters off, and
then that wrong span is taken. What the labels mean:
``claims.formats.spans``.
"""

from collections.abc import Callable
from typing import Any

from claims.formats import FormatError, utf16_to_code_points
from claims.formats.spans import (
    LabelledSpans,
    Read,
    Region,
    Relation,
    document_extras,
    record_from_regions,
    region_id,
    regions_from_record,
    side_tables,
)
from claims.vocabulary import Origin, ReviewStatus

FROM_NAME = "label"
TO_NAME = "text"
MODEL_VERSION = "claims"
# What a prediction's spans are, whatever the task's data says.
SUGGESTED: dict[str, str] = {
    "origin": Origin.SUGGESTED,
    "status": ReviewStatus.SUGGESTED,
}

LABEL_CONFIG = """<View>
  <Labels name="label" toName="text">
    <Label value="DIRECT"/><Label value="INDIRECT"/><Label value="MIXED"/>
    <Label value="AUTHOR"/><Label value="STATEMENT"/>
    <Label value="SOURCE"/><Label value="CUE"/><Label value="CONTENT"/>
  </Labels>
  <Relations><Relation value="source"/><Relation value="cue"/>
    <Relation value="content"/></Relations>
  <Text name="text" value="$text"/>
</View>"""


def export_task(
    record: dict[str, Any], labels: dict[str, str] | None = None
) -> dict[str, Any]:
    """The Label Studio task of an interchange record."""
    accepted = regions_from_record(record, labels, statuses=[ReviewStatus.ACCEPTED])
    suggested = regions_from_record(
        record,
        labels,
        statuses=[ReviewStatus.SUGGESTED],
        every_statement=False,
        first_id=len(accepted.regions) + 1,
    )
    side = side_tables(accepted, suggested)
    task = {
        "id": record["id"],
        "data": {
            "text": record["text"],
            "title": record["title"],
            **side,
            **document_extras(record),
        },
        "annotations": [{"result": _result(record["text"], accepted)}],
        "predictions": [],
    }
    if suggested.regions:
        task["predictions"].append(
            {
                "model_version": MODEL_VERSION,
                "result": _result(record["text"], suggested),
            }
        )
    return task


def _result(text: str, spans: LabelledSpans) -> list[dict[str, Any]]:
    result = [
        {
            "id": str(r.id),
            "type": "labels",
            "from_name": FROM_NAME,
            "to_name": TO_NAME,
            "value": {
                "start": r.start,
                "end": r.end,
                "text": text[r.start : r.end],
                "labels": [r.label],
            },
        }
        for r in spans.regions
    ]
    return result + [
        {
            "type": "relation",
            "from_id": str(r.from_id),
            "to_id": str(r.to_id),
            "direction": "right",
            "labels": [r.type],
        }
        for r in spans.relations
    ]


def import_task(task: object, labels: dict[str, str]) -> Read:
    """The interchange record of one Label Studio task, with notes on what of
    the task it does not hold."""
    if not isinstance(task, dict):
        raise FormatError("task: expected an object")
    data = task.get("data")
    if not isinstance(data, dict) or "text" not in data:
        raise FormatError("data: expected an object with the text")
    text = data["text"]
    if not isinstance(text, str):
        raise FormatError("data.text: expected a string")
    title = data.get("title")
    if title is not None and not isinstance(title, str):
        raise FormatError("data.title: expected a string")
    # Label Studio's JSON export writes a task's predictions as their ids:
    # their suggestions are not in the file, and that is said, not skipped.
    notes = [
        f"predictions[{i}]: the prediction {entry!r} is written as its id, "
        "without its spans (Label Studio's export does so); its suggestions "
        "are not in the file; not taken"
        for i, entry in enumerate(task.get("predictions") or [])
        if type(entry) is int
    ]
    if notes:
        task = task | {
            "predictions": [e for e in task["predictions"] if type(e) is not int]
        }
    regions: list[Region] = []
    relations: list[Relation] = []
    for where, results, fields in _results(task):
        found, joined = _read(text, results, where, fields)
        # A predicted span also in the annotation was taken into it.
        taken = {r.id for r in regions}
        kept = {r.id for r in found if r.id not in taken}
        regions += [r for r in found if r.id in kept]
        relations += [r for r in joined if not taken or {r.from_id, r.to_id} <= kept]
    record, more = record_from_regions(
        text=text,
        regions=regions,
        relations=relations,
        side=data,
        labels=labels,
        title=title,
        where="data.",
    )
    return Read(record, notes + more)


def _read(
    text: str, results: list[Any], where: str, fields: dict[str, Any]
) -> tuple[list[Region], list[Relation]]:
    regions: list[Region] = []
    relations: list[Relation] = []
    for i, item in enumerate(results):
        at = f"{where}.result[{i}]"
        if not isinstance(item, dict):
            raise FormatError(f"{at}: expected an object")
        if item.get("type") == "relation":
            if "from_id" not in item or "to_id" not in item:
                raise FormatError(f"{at}: a relation needs from_id and to_id")
            types = item.get("labels")
            type_ = types[0] if isinstance(types, list) and types else ""
            relations.append(
                Relation(
                    region_id(item["from_id"], f"{at}.from_id"),
                    region_id(item["to_id"], f"{at}.to_id"),
                    type_,
                    at,
                )
            )
        elif isinstance(item.get("value"), dict) and "labels" in item["value"]:
            regions.append(_region(text, item, at, fields))
    return regions, relations


def _results(task: dict[str, Any]) -> list[tuple[str, list[Any], dict[str, Any]]]:
    """The annotation's and the prediction's results, each with what it sets."""
    found: list[tuple[str, list[Any], dict[str, Any]]] = []
    annotation = _first(task, "annotations", lambda e: not e.get("was_cancelled"))
    if annotation is not None:
        where, entry = annotation
        found.append((where, entry["result"], {"status": ReviewStatus.ACCEPTED}))
    parent = annotation[1].get("parent_prediction") if annotation else None
    prediction = _first(task, "predictions", lambda e: True)
    if prediction is not None and not (
        parent is not None and prediction[1].get("id") == parent
    ):
        where, entry = prediction
        found.append((where, entry["result"], dict(SUGGESTED)))
    return found


def _first(
    task: dict[str, Any], key: str, wanted: Callable[[dict[str, Any]], bool]
) -> tuple[str, dict[str, Any]] | None:
    entries = task.get(key) or []
    if not isinstance(entries, list):
        raise FormatError(f"{key}: expected a list")
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise FormatError(f"{key}[{i}]: expected an object")
        if not wanted(entry):
            continue
        result = entry.get("result") or []
        if not isinstance(result, list):
            raise FormatError(f"{key}[{i}].result: expected a list")
        return f"{key}[{i}]", entry | {"result": result}
    return None


def _region(
    text: str, item: dict[str, Any], where: str, fields: dict[str, Any]
) -> Region:
    value = item["value"]
    labels = value["labels"]
    if not (
        isinstance(labels, list) and len(labels) == 1 and isinstance(labels[0], str)
    ):
        raise FormatError(f"{where}.value.labels: expected one label")
    if "id" not in item:
        raise FormatError(f"{where}: missing id")
    id_ = region_id(item["id"], f"{where}.id")
    start, end = value.get("start"), value.get("end")
    if not all(type(n) is int for n in (start, end)):
        raise FormatError(f"{where}.value: start and end must be integers")
    quoted = value.get("text")
    if isinstance(quoted, str) and text[start:end] != quoted:
        start, end = _from_utf16(text, start, end, quoted, where)
    return Region(id_, start, end, labels[0], f"{where}.value", fields)


def _from_utf16(
    text: str, start: int, end: int, quoted: str, where: str
) -> tuple[int, int]:
    first, last = utf16_to_code_points(text, start), utf16_to_code_points(text, end)
    if first is not None and last is not None and text[first:last] == quoted:
        return first, last
    raise FormatError(
        f"{where}.value: [{start}, {end}) reads {text[start:end]!r}, not the "
        f"text given, {quoted!r}"
    )
