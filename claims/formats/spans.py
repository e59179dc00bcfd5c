"""Labelled spans and relations, the common ground of doccano and Label Studio.

A statement with an attribution is a span labelled with the attribution's
kind (``DIRECT``, ``INDIRECT``, ``MIXED``, ``AUTHOR``); a statement without
one is labelled ``STATEMENT``. The words naming the source, the reporting cue
and the attributed content are spans labelled ``SOURCE``, ``CUE`` and
``CONTENT``, each joined to its statement's span by a relation (typed
``source``, ``cue``, ``content``). The canonical source, which the words in
the text may not name ("it said"), travels beside the spans in a ``sources``
object keyed by the statement span's id, in the interchange format's source
shape.

A label mapping (``--labels QUOTE=direct,SPEAKER=source``) says what a
tool's labels mean; its values are ``ROLES``. Import turns spans into an
interchange record (``claims.interchange``), so that the same rules, the same
atomicity and the same identification by content hash apply.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from claims.formats import FormatError
from claims.models import AttributionKind, ReviewStatus

PARTS = ("source", "cue", "content")
ROLES = (*AttributionKind.values, "statement", *PARTS, "ignore")
DEFAULT_LABELS = {role.upper(): role for role in ROLES if role != "ignore"}
# The interchange key of each part's span.
PART_KEYS = {"source": "source_span", "cue": "cue", "content": "content"}


@dataclass
class Region:
    """One labelled span; ``where`` names it in the file for error messages."""

    id: object
    start: int
    end: int
    label: str
    where: str


@dataclass
class Relation:
    from_id: object
    to_id: object
    type: str


def parse_labels(spec: str | None) -> dict[str, str]:
    """``"QUOTE=direct,SPEAKER=source"`` as a mapping over the default labels.

    Raises ``ValueError`` naming the entry at fault.
    """
    labels = dict(DEFAULT_LABELS)
    for entry in (spec or "").split(","):
        if not entry.strip():
            continue
        label, sep, role = (part.strip() for part in entry.partition("="))
        if not sep or not label:
            raise ValueError(f"{entry.strip()!r} is not LABEL=ROLE")
        if role not in ROLES:
            raise ValueError(
                f"{label}={role}: unknown role {role!r} (expected one of "
                f"{', '.join(ROLES)})"
            )
        # Moved to the end, so that on export it wins over the defaults.
        labels.pop(label, None)
        labels[label] = role
    return labels


def labels_for_export(labels: dict[str, str]) -> dict[str, str]:
    """Role to label: the last label given for a role wins over the default."""
    names = {role: label for label, role in DEFAULT_LABELS.items()}
    for label, role in labels.items():
        if role != "ignore":
            names[role] = label
    return names


# Export ---------------------------------------------------------------------


def regions_from_record(record: dict, labels: dict[str, str] | None = None):
    """The spans, relations and sources of an interchange record.

    Rejected attributions are left out: the tools have no place for them.
    Returns ``(regions, relations, sources)`` with integer region ids.
    """
    names = labels_for_export(labels or DEFAULT_LABELS)
    regions: list[Region] = []
    relations: list[Relation] = []
    sources: dict[int, dict] = {}
    parts: dict[tuple[int, int, str], int] = {}

    def add(start, end, role) -> int:
        regions.append(Region(len(regions) + 1, start, end, names[role], ""))
        return regions[-1].id

    for statement in record["statements"]:
        standing = [
            a
            for a in statement["attributions"]
            if a.get("status") != ReviewStatus.REJECTED
        ]
        if not standing:
            add(statement["start"], statement["end"], "statement")
        for attribution in standing:
            region = add(statement["start"], statement["end"], attribution["kind"])
            if attribution.get("source") is not None:
                sources[region] = attribution["source"]
            for part in PARTS:
                span = attribution.get(PART_KEYS[part])
                if span is None:
                    continue
                key = (span["start"], span["end"], part)
                if key not in parts:
                    parts[key] = add(span["start"], span["end"], part)
                relations.append(Relation(region, parts[key], part))
    return regions, relations, sources


# Import ---------------------------------------------------------------------


def record_from_regions(
    *,
    text: str,
    regions: Iterable[Region],
    relations: Iterable[Relation],
    sources: dict | None,
    labels: dict[str, str],
    title: str | None = None,
    where: str = "",
) -> dict:
    """An interchange record for a text and its labelled spans.

    Spans lose surrounding whitespace (tools often select it). The statement
    spans are those labelled with a kind or ``statement``; without any, the
    text is segmented on import. Parts join their statement by a relation,
    or, when the record has no relations, by lying inside it.
    """
    if not isinstance(text, str) or not text.strip():
        raise FormatError(f"{where}text: expected a non-empty text")
    sources = sources or {}
    if not isinstance(sources, dict):
        raise FormatError(f"{where}sources: expected an object")
    statements: dict[object, Region] = {}
    kinds: dict[object, str] = {}
    parts: dict[object, tuple[str, Region]] = {}
    for region in regions:
        role = labels.get(region.label)
        if role is None:
            raise FormatError(
                f"{region.where}: label {region.label!r} is not mapped; map it "
                f"with --labels {region.label}=ROLE (roles: {', '.join(ROLES)})"
            )
        if role == "ignore":
            continue
        region = _trimmed(text, region)
        if role in PARTS:
            parts[region.id] = (role, region)
        else:
            statements[region.id] = region
            if role != "statement":
                kinds[region.id] = role

    links = _links(statements, kinds, parts, list(relations))
    by_span: dict[tuple[int, int], dict] = {}
    for region_id, region in sorted(
        statements.items(), key=lambda item: (item[1].start, item[1].end)
    ):
        statement = by_span.setdefault(
            (region.start, region.end),
            {"start": region.start, "end": region.end, "attributions": []},
        )
        if region_id not in kinds:
            continue
        attribution = {"kind": kinds[region_id], "source": None}
        for role, part in links.get(region_id, []):
            attribution[PART_KEYS[role]] = {"start": part.start, "end": part.end}
            if role == "source":
                attribution["source"] = text[part.start : part.end]
        source = sources.get(str(region_id))
        if source is not None:
            attribution["source"] = source
        statement["attributions"].append(attribution)

    record = {"title": title or _first_line(text), "text": text}
    if by_span:
        record["statements"] = list(by_span.values())
    return record


def _trimmed(text: str, region: Region) -> Region:
    start, end = region.start, region.end
    valid = all(type(n) is int for n in (start, end)) and 0 <= start < end
    if not valid or end > len(text):
        raise FormatError(
            f"{region.where}: [{start!r}, {end!r}) is not a span of the text, "
            f"which has {len(text)} code points"
        )
    piece = text[start:end]
    if not piece.strip():
        raise FormatError(f"{region.where}: the span [{start}, {end}) is blank")
    start += len(piece) - len(piece.lstrip())
    end -= len(piece) - len(piece.rstrip())
    return Region(region.id, start, end, region.label, region.where)


def _links(statements, kinds, parts, relations):
    """Each kind span's parts, as ``{region id: [(role, part region), ...]}``."""
    links: dict[object, list] = {}
    if relations:
        for relation in relations:
            # Either direction: tools draw relations both ways.
            for head, tail in [
                (relation.from_id, relation.to_id),
                (relation.to_id, relation.from_id),
            ]:
                if head in kinds and tail in parts:
                    links.setdefault(head, []).append(parts[tail])
        return links
    for role, part in parts.values():
        holders = [
            region_id
            for region_id in kinds
            if statements[region_id].start <= part.start
            and part.end <= statements[region_id].end
        ]
        if len(holders) != 1:
            raise FormatError(
                f"{part.where}: the {role} span [{part.start}, {part.end}) lies in "
                f"{'no' if not holders else 'more than one'} labelled statement; "
                "join it to its statement with a relation"
            )
        links.setdefault(holders[0], []).append((role, part))
    return links


def _first_line(text: str) -> str:
    return text.strip().split("\n", 1)[0].strip()[:500]
