"""doccano JSON Lines: one text a line, with its labelled spans.

Export writes doccano's entities-and-relations form::

    {"id": 1, "text": "...", "title": "...",
     "entities": [{"id": 1, "label": "INDIRECT", "start_offset": 0,
                   "end_offset": 167}, ...],
     "relations": [{"id": 1, "from_id": 1, "to_id": 2, "type": "source"}, ...],
     "sources": {"0:167:INDIRECT": {"name": "...", "kind": "group",
                                    "aliases": [...]}},
     "attributions": {"0:167:INDIRECT": {"status": "accepted",
                                         "origin": "manual"}},
     "claims": {"0:167": ["..."]}, "url": null, "publisher": null,
     "authors": [], "published_at": "...", "language": "en",
     "tags": ["..."], "metadata": {}}

every line with every key, so that doccano, which reads a file as a table,
finds no missing cell (it would store it as ``NaN``, which its database
refuses). doccano numbers spans anew on export, so the side columns are
keyed by span offsets and label (``claims.formats.spans``).

Import reads that form and the plain sequence-labelling form
(``{"text", "label": [[start, end, "LABEL"], ...]}``). doccano keeps unknown
columns such as ``title``, ``sources``, ``attributions``, ``claims`` and the
document's fields as metadata, so they survive a round trip through the tool
(``claims.formats.spans`` says what they hold, and what import does with
an entry that matches no span); other columns are doccano's
own metadata and are passed over. doccano has no place for suggestions apart
from accepted work: a suggested attribution is an entity like any other, and
its ``status`` travels in ``attributions``. Rejected ones are left out.
Offsets are code points (doccano counts them so too). What the labels mean:
``claims.formats.spans``.
"""

from typing import Any

from claims.formats import FormatError
from claims.formats.spans import (
    Read,
    Region,
    Relation,
    document_extras,
    record_from_regions,
    region_id,
    regions_from_record,
    side_tables,
)


def export_line(
    record: dict[str, Any], labels: dict[str, str] | None = None
) -> dict[str, Any]:
    """The doccano line of an interchange record."""
    spans = regions_from_record(record, labels)
    return {
        "id": record["id"],
        "text": record["text"],
        "title": record["title"],
        "entities": [
            {
                "id": r.id,
                "label": r.label,
                "start_offset": r.start,
                "end_offset": r.end,
            }
            for r in spans.regions
        ],
        "relations": [
            {"id": n, "from_id": r.from_id, "to_id": r.to_id, "type": r.type}
            for n, r in enumerate(spans.relations, start=1)
        ],
        **side_tables(spans),
        **document_extras(record),
    }


def import_line(line: object, labels: dict[str, str]) -> Read:
    """The interchange record of one doccano line (either form), with notes
    on what of the line it does not hold."""
    if not isinstance(line, dict):
        raise FormatError("line: expected an object")
    if "text" not in line:
        raise FormatError("line: missing text")
    regions = [*_plain_labels(line.get("label")), *_entities(line.get("entities"))]
    relations = [
        Relation(
            region_id(_get(r, "from_id", where), f"{where}.from_id"),
            region_id(_get(r, "to_id", where), f"{where}.to_id"),
            r.get("type", ""),
            where,
        )
        for where, r in _objects(line.get("relations"), "relations")
    ]
    title = line.get("title")
    if title is not None and not isinstance(title, str):
        raise FormatError("title: expected a string")
    return record_from_regions(
        text=line["text"],
        regions=regions,
        relations=relations,
        side=line,
        labels=labels,
        title=title,
    )


def _plain_labels(value: object) -> list[Region]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise FormatError("label: expected a list of [start, end, label]")
    regions: list[Region] = []
    for i, item in enumerate(value):
        where = f"label[{i}]"
        if not (isinstance(item, list) and len(item) == 3):
            raise FormatError(f"{where}: expected [start, end, label]")
        start, end, label = item
        regions.append(Region(f"label-{i}", start, end, _label(label, where), where))
    return regions


def _entities(value: object) -> list[Region]:
    return [
        Region(
            region_id(_get(entity, "id", where), f"{where}.id"),
            _get(entity, "start_offset", where),
            _get(entity, "end_offset", where),
            _label(_get(entity, "label", where), where),
            where,
        )
        for where, entity in _objects(value, "entities")
    ]


def _objects(value: object, key: str) -> list[tuple[str, dict[str, Any]]]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise FormatError(f"{key}: expected a list")
    for i, item in enumerate(value):
        if not isinstance(item, dict):
            raise FormatError(f"{key}[{i}]: expected an object")
    return [(f"{key}[{i}]", item) for i, item in enumerate(value)]


def _get(data: dict[str, Any], key: str, where: str) -> Any:
    if key not in data:
        raise FormatError(f"{where}: missing {key}")
    return data[key]


def _label(label: object, where: str) -> str:
    if not isinstance(label, str):
        raise FormatError(f"{where}: the label must be a string")
    return label
