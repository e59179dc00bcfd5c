"""Labelled spans and relations, the common ground of doccano and Label Studio.

A statement with an attribution is a span labelled with the attribution's
kind (``DIRECT``, ``INDIRECT``, ``MIXED``, ``AUTHOR``); a statement without
one is labelled ``STATEMENT``. The words naming the source, the reporting cue
and the attributed content are spans labelled ``SOURCE``, ``CUE`` and
``CONTENT``, each joined to its statement's span by a relation (typed
``source``, ``cue``, ``content``). Rejected attributions are left out: the
tools have no place for them.

What the tools' spans cannot hold travels beside them, in a side object
(doccano's extra columns, Label Studio's ``data``; both tools keep keys
they do not know), keyed by the id of a statement's span:

- ``sources``: the canonical source, which the words in the text may not
  name ("it said"), in the interchange format's source shape;
- ``attributions``: the rest of an attribution (``status``, ``origin``,
  ``via``, ``primary_source_url``, ``confidence``);
- ``claims``: the claims the statement makes, as the interchange format
  writes them (the text, with the mention's origin, status and reviewer);

and the document's own fields (``url``, ``publisher``, ``authors``,
``published_at``, ``language``, ``tags``, ``metadata``) under their
interchange names. Import reads them back when present; an entry whose span
is no longer among the labels (removed in the tool) is passed over.

A label mapping (``--labels QUOTE=direct,SPEAKER=source``) says what a
tool's labels mean; its values are ``ROLES``. Import turns spans into an
interchange record (``claims.interchange``), so that the same rules, the same
atomicity and the same identification by content hash apply.
"""

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from claims.formats import FormatError
from claims.vocabulary import AttributionKind, ReviewStatus

PARTS = ("source", "cue", "content")
ROLES = (*AttributionKind.values, "statement", *PARTS, "ignore")
DEFAULT_LABELS = {role.upper(): role for role in ROLES if role != "ignore"}
# The interchange key of each part's span.
PART_KEYS = {"source": "source_span", "cue": "cue", "content": "content"}
# What the side object's ``attributions`` entries may hold.
ATTRIBUTION_EXTRAS = ("status", "origin", "via", "primary_source_url", "confidence")
# The document's fields the side object carries under their interchange names.
DOCUMENT_EXTRAS = (
    "url", "publisher", "authors", "published_at", "language", "tags", "metadata",
)  # fmt: skip
STANDING = (ReviewStatus.ACCEPTED, ReviewStatus.SUGGESTED)


@dataclass
class Region:
    """One labelled span; ``where`` names it in the file for error messages.

    ``fields`` are attribution fields that where the span was found sets
    (a Label Studio prediction is a suggestion), over the side object's.
    """

    id: object
    start: int
    end: int
    label: str
    where: str
    fields: dict[str, Any] = field(default_factory=dict)


@dataclass
class Relation:
    from_id: object
    to_id: object
    type: str


@dataclass
class LabelledSpans:
    """A record's spans and relations, and the side object's entries for them."""

    regions: list[Region]
    relations: list[Relation]
    sources: dict[int, dict[str, Any]]
    attributions: dict[int, dict[str, Any]]
    claims: dict[int, list[str]]

    def side(self) -> dict[str, Any]:
        """The ``sources``, ``attributions`` and ``claims`` entries, keyed by id."""
        tables: list[tuple[str, dict[int, Any]]] = [
            ("sources", self.sources),
            ("attributions", self.attributions),
            ("claims", self.claims),
        ]
        return {
            key: {str(region): value for region, value in entries.items()}
            for key, entries in tables
        }


def region_id(value: object, where: str) -> str | int:
    """A span's or relation end's id: a string or an integer."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise FormatError(f"{where}: expected a string or an integer, not {value!r}")
    return value


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


def regions_from_record(
    record: dict[str, Any],
    labels: dict[str, str] | None = None,
    *,
    statuses: Collection[str] = STANDING,
    every_statement: bool = True,
    first_id: int = 1,
) -> LabelledSpans:
    """The spans and relations of an interchange record's attributions.

    Only attributions with one of ``statuses`` are written. With
    ``every_statement``, a statement with none of them is a ``statement``
    span, and each statement's first span carries its claims. Region ids are
    integers from ``first_id``.
    """
    names = labels_for_export(labels or DEFAULT_LABELS)
    spans = LabelledSpans([], [], {}, {}, {})
    parts: dict[tuple[int, int, str], int] = {}

    def add(start: int, end: int, role: str) -> int:
        new_id = first_id + len(spans.regions)
        spans.regions.append(Region(new_id, start, end, names[role], ""))
        return new_id

    for statement in record["statements"]:
        chosen = [a for a in statement["attributions"] if a.get("status") in statuses]
        if not chosen and not every_statement:
            continue
        first = None
        if not chosen:
            first = add(statement["start"], statement["end"], "statement")
        for attribution in chosen:
            region = add(statement["start"], statement["end"], attribution["kind"])
            if first is None:
                first = region
            if attribution.get("source") is not None:
                spans.sources[region] = attribution["source"]
            extras = {
                key: attribution[key]
                for key in ATTRIBUTION_EXTRAS
                if attribution.get(key) not in (None, "")
            }
            if extras:
                spans.attributions[region] = extras
            for part in PARTS:
                span = attribution.get(PART_KEYS[part])
                if span is None:
                    continue
                key = (span["start"], span["end"], part)
                if key not in parts:
                    parts[key] = add(span["start"], span["end"], part)
                spans.relations.append(Relation(region, parts[key], part))
        if every_statement and statement.get("claims"):
            # With every_statement, each statement has had its first span.
            assert first is not None
            spans.claims[first] = list(statement["claims"])
    return spans


def document_extras(record: dict[str, Any]) -> dict[str, Any]:
    """The document's fields the side object carries (those with a value)."""
    return {
        key: record[key]
        for key in DOCUMENT_EXTRAS
        if record.get(key) not in (None, "", [], {})
    }


# Import ---------------------------------------------------------------------


def record_from_regions(
    *,
    text: str,
    regions: Iterable[Region],
    relations: Iterable[Relation],
    side: dict[str, Any],
    labels: dict[str, str],
    title: str | None = None,
    where: str = "",
) -> dict[str, Any]:
    """An interchange record for a text, its labelled spans and its side object.

    Spans lose surrounding whitespace (tools often select it). The statement
    spans are those labelled with a kind or ``statement``; without any, the
    text is segmented on import. Parts join their statement by a relation,
    or, when the record has no relations, by lying inside it. An attribution
    given twice (same kind, source and spans) is kept once, the first time.
    ``where`` prefixes the side object's keys in error messages.
    """
    if not isinstance(text, str) or not text.strip():
        raise FormatError(f"{where}text: expected a non-empty text")
    sources = _entries(side, "sources", where)
    extras = _entries(side, "attributions", where)
    claims = _entries(side, "claims", where)
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
    by_span: dict[tuple[int, int], dict[str, Any]] = {}
    for region_id, region in sorted(
        statements.items(), key=lambda item: (item[1].start, item[1].end)
    ):
        statement = by_span.setdefault(
            (region.start, region.end),
            {"start": region.start, "end": region.end, "attributions": []},
        )
        for claim in _claims(claims, region_id, where):
            statement.setdefault("claims", [])
            if claim not in statement["claims"]:
                statement["claims"].append(claim)
        if region_id not in kinds:
            continue
        attribution: dict[str, Any] = {"kind": kinds[region_id], "source": None}
        for role, part in links.get(region_id, []):
            attribution[PART_KEYS[role]] = {"start": part.start, "end": part.end}
            if role == "source":
                attribution["source"] = text[part.start : part.end]
        source = sources.get(str(region_id))
        if source is not None:
            attribution["source"] = source
        attribution |= _attribution_extras(extras, region_id, where) | region.fields
        if not any(_same(attribution, other) for other in statement["attributions"]):
            statement["attributions"].append(attribution)

    record: dict[str, Any] = {"title": title or _first_line(text), "text": text}
    for key in DOCUMENT_EXTRAS:
        if side.get(key) is not None:
            record[key] = side[key]
    if by_span:
        record["statements"] = list(by_span.values())
    return record


def _entries(side: dict[str, Any], key: str, where: str) -> dict[str, Any]:
    entries = side.get(key) or {}
    if not isinstance(entries, dict):
        raise FormatError(f"{where}{key}: expected an object keyed by span id")
    return entries


def _attribution_extras(
    extras: dict[str, Any], region_id: object, where: str
) -> dict[str, Any]:
    at = f"{where}attributions.{region_id}"
    found = extras.get(str(region_id)) or {}
    if not isinstance(found, dict):
        raise FormatError(f"{at}: expected an object")
    unknown = sorted(set(found) - set(ATTRIBUTION_EXTRAS))
    if unknown:
        raise FormatError(
            f"{at}: unknown key{'s' if len(unknown) > 1 else ''} "
            f"{', '.join(unknown)} (allowed: {', '.join(ATTRIBUTION_EXTRAS)})"
        )
    return found


def _claims(claims: dict[str, Any], region_id: object, where: str) -> list[Any]:
    found = claims.get(str(region_id)) or []
    if not isinstance(found, list):
        raise FormatError(f"{where}claims.{region_id}: expected a list of claims")
    return found


def _same(one: dict[str, Any], other: dict[str, Any]) -> bool:
    keys = ("kind", "source", *PART_KEYS.values())
    return all(one.get(key) == other.get(key) for key in keys)


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
    return replace(region, start=start, end=end)


def _links(
    statements: dict[object, Region],
    kinds: dict[object, str],
    parts: dict[object, tuple[str, Region]],
    relations: list[Relation],
) -> dict[object, list[tuple[str, Region]]]:
    """Each kind span's parts, as ``{region id: [(role, part region), ...]}``."""
    links: dict[object, list[tuple[str, Region]]] = {}
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
