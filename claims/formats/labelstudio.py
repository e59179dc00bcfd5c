"""Label Studio JSON: a list of tasks, each a text and its annotation results.

Export writes one task a document::

    {"id": 1, "data": {"text": "...", "title": "...", "sources": {"1": {...}}},
     "annotations": [{"result": [
        {"id": "1", "type": "labels", "from_name": "label", "to_name": "text",
         "value": {"start": 0, "end": 167, "text": "...", "labels": ["INDIRECT"]}},
        {"type": "relation", "from_id": "1", "to_id": "2", "direction": "right",
         "labels": ["source"]}]}]}

for a labelling configuration such as ``LABEL_CONFIG``. Import reads the
first annotation of each task that was not cancelled (or, with none, its
first prediction); results other than labelled spans and relations are
passed over. Offsets are code points; a span whose ``value.text`` shows that
it was counted in UTF-16 units is converted. What the labels mean:
``claims.formats.spans``.
"""

from claims.formats import FormatError, utf16_to_code_points
from claims.formats.spans import (
    Region,
    Relation,
    record_from_regions,
    regions_from_record,
)

FROM_NAME = "label"
TO_NAME = "text"

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


def export_task(record: dict, labels: dict[str, str] | None = None) -> dict:
    """The Label Studio task of an interchange record."""
    regions, relations, sources = regions_from_record(record, labels)
    text = record["text"]
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
        for r in regions
    ]
    result += [
        {
            "type": "relation",
            "from_id": str(r.from_id),
            "to_id": str(r.to_id),
            "direction": "right",
            "labels": [r.type],
        }
        for r in relations
    ]
    return {
        "id": record["id"],
        "data": {
            "text": text,
            "title": record["title"],
            "sources": {str(region): source for region, source in sources.items()},
        },
        "annotations": [{"result": result}],
    }


def import_task(task, labels: dict[str, str]) -> dict:
    """The interchange record of one Label Studio task."""
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
    where, results = _results(task)
    regions, relations = [], []
    for i, item in enumerate(results):
        at = f"{where}.result[{i}]"
        if not isinstance(item, dict):
            raise FormatError(f"{at}: expected an object")
        if item.get("type") == "relation":
            if "from_id" not in item or "to_id" not in item:
                raise FormatError(f"{at}: a relation needs from_id and to_id")
            type_ = (item.get("labels") or [""])[0]
            relations.append(Relation(item["from_id"], item["to_id"], type_))
        elif isinstance(item.get("value"), dict) and "labels" in item["value"]:
            regions.append(_region(text, item, at))
    return record_from_regions(
        text=text,
        regions=regions,
        relations=relations,
        sources=data.get("sources"),
        labels=labels,
        title=title,
    )


def _results(task: dict) -> tuple[str, list]:
    for key in ("annotations", "predictions"):
        entries = task.get(key) or []
        if not isinstance(entries, list):
            raise FormatError(f"{key}: expected a list")
        for i, entry in enumerate(entries):
            if not isinstance(entry, dict):
                raise FormatError(f"{key}[{i}]: expected an object")
            if entry.get("was_cancelled"):
                continue
            result = entry.get("result") or []
            if not isinstance(result, list):
                raise FormatError(f"{key}[{i}].result: expected a list")
            return f"{key}[{i}]", result
    return "annotations", []


def _region(text: str, item: dict, where: str) -> Region:
    value = item["value"]
    labels = value["labels"]
    if not (
        isinstance(labels, list) and len(labels) == 1 and isinstance(labels[0], str)
    ):
        raise FormatError(f"{where}.value.labels: expected one label")
    if "id" not in item:
        raise FormatError(f"{where}: missing id")
    start, end = value.get("start"), value.get("end")
    if not all(type(n) is int for n in (start, end)):
        raise FormatError(f"{where}.value: start and end must be integers")
    quoted = value.get("text")
    if isinstance(quoted, str) and text[start:end] != quoted:
        start, end = _from_utf16(text, start, end, quoted, where)
    return Region(item["id"], start, end, labels[0], f"{where}.value")


def _from_utf16(text: str, start: int, end: int, quoted: str, where: str):
    converted = utf16_to_code_points(text, start), utf16_to_code_points(text, end)
    if None not in converted and text[converted[0] : converted[1]] == quoted:
        return converted
    raise FormatError(
        f"{where}.value: [{start}, {end}) reads {text[start:end]!r}, not the "
        f"text given, {quoted!r}"
    )
