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
they do not know). The tools give spans ids of their own (doccano numbers
them anew on export), so the side object keys each entry by what they keep,
the span's offsets and label:

- ``sources``: the canonical source, which the words in the text may not
  name ("it said"), in the interchange format's source shape, keyed by the
  attribution's span, ``"START:END:LABEL"`` (``"0:167:INDIRECT"``);
- ``attributions``: the rest of an attribution (``status``, ``origin``,
  ``via``, ``primary_source_url``, ``confidence``), keyed the same way;
- ``claims``: the claims the statement makes, as the interchange format
  writes them (the text, with the mention's origin, status and reviewer),
  keyed by the statement's offsets, ``"START:END"``;

and the document's own fields (``url``, ``publisher``, ``authors``,
``published_at``, ``language``, ``tags``, ``metadata``) under their
interchange names. Every key is written for every document, empty values as
``null``, ``[]`` or ``{}``: doccano reads a file as a table, and a missing
cell becomes ``NaN``, which its database refuses. Where two attributions of
a statement have the same kind, their key adds the offsets of the parts
joined to each (``"0:167:INDIRECT/source=0:23,cue=48:58"``).

Import reads the side object back. An entry that matches no span (the span
was changed or removed in the tool), or more than one, or that is keyed by
a span id (as exports before these keys were), is not taken, and said so in
the ``notes`` of the result: it is never put on another span. So are the
spans and relations the model cannot hold: a part joined to no attribution
(a cue on a ``STATEMENT`` span, a span with no relation), a second part of
one role for one attribution (the first is kept), a relation between ids
the record does not have.

A label mapping (``--labels QUOTE=direct,SPEAKER=source``) says what a
tool's labels mean; its values are ``ROLES``. Import turns spans into an
interchange record (``claims.interchange``), so that the same rules, the same
atomicity and the same identification by content hash apply.
"""

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

from claims.formats import FormatError
from claims.vocabulary import AttributionKind, ReviewStatus

PARTS = ("source", "cue", "content")
ROLES = (*AttributionKind.values, "statement", *PARTS, "ignore")
DEFAULT_LABELS = {role.upper(): role for role in ROLES if role != "ignore"}
# The interchange key of each part's span.
PART_KEYS = {"source": "source_span", "cue": "cue", "content": "content"}
# What the side object's ``attributions`` entries may hold.
ATTRIBUTION_EXTRAS = ("status", "origin", "via", "primary_source_url", "confidence")
# The document's fields the side object carries under their interchange
# names, each with what it is when empty.
DOCUMENT_EXTRAS: dict[str, Any] = {
    "url": None, "publisher": None, "authors": [], "published_at": None,
    "language": None, "tags": [], "metadata": {},
}  # fmt: skip
# The side object's tables, keyed by span.
SIDE_TABLES = ("sources", "attributions", "claims")
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
    where: str = ""


@dataclass
class LabelledSpans:
    """A record's spans and relations, and the side object's entries for them,
    by the id of the span they belong to."""

    regions: list[Region]
    relations: list[Relation]
    sources: dict[int, dict[str, Any]]
    attributions: dict[int, dict[str, Any]]
    claims: dict[int, list[str]]


class Read(NamedTuple):
    """What a tool's record gives: the interchange record, and what of the
    tool's record it does not hold, each note ``"<where>: <reason>"``."""

    record: dict[str, Any]
    notes: list[str]


def side_tables(*span_sets: LabelledSpans) -> dict[str, dict[str, Any]]:
    """The side object's ``sources``, ``attributions`` and ``claims`` for the
    span sets of one record (Label Studio's annotation and prediction), keyed
    by span."""
    regions = {r.id: r for spans in span_sets for r in spans.regions}
    parts: dict[object, dict[str, Region]] = {}
    for spans in span_sets:
        for relation in spans.relations:
            parts.setdefault(relation.from_id, {})[relation.type] = regions[
                relation.to_id
            ]
    attributed = [
        region
        for spans in span_sets
        for region in spans.regions
        if region.id in spans.sources or region.id in spans.attributions
    ]
    keys = _attribution_keys(attributed, parts)
    tables: dict[str, dict[str, Any]] = {key: {} for key in SIDE_TABLES}
    for spans in span_sets:
        for region_id, source in spans.sources.items():
            tables["sources"][keys[region_id]] = source
        for region_id, extras in spans.attributions.items():
            tables["attributions"][keys[region_id]] = extras
        for region_id, claims in spans.claims.items():
            region = regions[region_id]
            tables["claims"][statement_key(region.start, region.end)] = claims
    return tables


def statement_key(start: int, end: int) -> str:
    """The side object's key of a statement: ``"START:END"``."""
    return f"{start}:{end}"


def attribution_key(region: Region) -> str:
    """The side object's key of an attribution's span: ``"START:END:LABEL"``."""
    return f"{region.start}:{region.end}:{region.label}"


def _part_key(region: Region, parts: dict[str, Region]) -> str:
    """The key of an attribution's span with its parts' offsets, which tells
    apart two attributions of one kind on one statement."""
    joined = ",".join(
        f"{role}={parts[role].start}:{parts[role].end}"
        for role in PARTS
        if role in parts
    )
    return f"{attribution_key(region)}/{joined or 'none'}"


def _attribution_keys(
    regions: list[Region], parts: dict[object, dict[str, Region]]
) -> dict[object, str]:
    """Each region's key: its span's, or with its parts where that is shared."""
    counts: dict[str, int] = {}
    for region in regions:
        counts[attribution_key(region)] = counts.get(attribution_key(region), 0) + 1
    return {
        region.id: attribution_key(region)
        if counts[attribution_key(region)] == 1
        else _part_key(region, parts.get(region.id, {}))
        for region in regions
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
    """The document's fields the side object carries: every one, each empty
    one as ``DOCUMENT_EXTRAS`` writes it, so that every line has the same keys."""
    return {
        key: empty if record.get(key) in (None, "", [], {}) else record[key]
        for key, empty in DOCUMENT_EXTRAS.items()
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
) -> Read:
    """An interchange record for a text, its labelled spans and its side
    object, and notes on what of them it does not hold.

    Spans lose surrounding whitespace (tools often select it). The statement
    spans are those labelled with a kind or ``statement``; without any, the
    text is segmented on import. Parts join their statement by a relation,
    or, when the record has no relations, by lying inside it. An attribution
    given twice (same kind, source and spans) is kept once, the first time.
    ``where`` prefixes the side object's keys in messages.
    """
    if not isinstance(text, str) or not text.strip():
        raise FormatError(f"{where}text: expected a non-empty text")
    tables = {key: _entries(side, key, where) for key in SIDE_TABLES}
    statements: dict[object, Region] = {}
    kinds: dict[object, str] = {}
    parts: dict[object, tuple[str, Region]] = {}
    ignored: set[object] = set()
    for region in regions:
        role = labels.get(region.label)
        if role is None:
            raise FormatError(
                f"{region.where}: label {region.label!r} is not mapped; map it "
                f"with --labels {region.label}=ROLE (roles: {', '.join(ROLES)})"
            )
        if role == "ignore":
            ignored.add(region.id)
            continue
        region = _trimmed(text, region)
        if role in PARTS:
            parts[region.id] = (role, region)
        else:
            statements[region.id] = region
            if role != "statement":
                kinds[region.id] = role

    notes: list[str] = []
    kept = [r for r in relations if not {r.from_id, r.to_id} & ignored]
    links = _links(text, statements, kinds, parts, kept, notes)
    matched = _match_side(statements, kinds, links, tables, where, notes)
    by_span: dict[tuple[int, int], dict[str, Any]] = {}
    for region_id, region in sorted(
        statements.items(), key=lambda item: (item[1].start, item[1].end)
    ):
        statement = by_span.setdefault(
            (region.start, region.end),
            {"start": region.start, "end": region.end, "attributions": []},
        )
        for claim in matched["claims"].get(region_id, []):
            statement.setdefault("claims", [])
            if claim not in statement["claims"]:
                statement["claims"].append(claim)
        if region_id not in kinds:
            continue
        attribution: dict[str, Any] = {"kind": kinds[region_id], "source": None}
        for role, part in links.get(region_id, {}).items():
            attribution[PART_KEYS[role]] = {"start": part.start, "end": part.end}
            if role == "source":
                attribution["source"] = text[part.start : part.end]
        source = matched["sources"].get(region_id)
        if source is not None:
            attribution["source"] = source
        attribution |= matched["attributions"].get(region_id, {}) | region.fields
        if not any(_same(attribution, other) for other in statement["attributions"]):
            statement["attributions"].append(attribution)

    record: dict[str, Any] = {"title": title or _first_line(text), "text": text}
    for key in DOCUMENT_EXTRAS:
        if side.get(key) is not None:
            record[key] = side[key]
    if by_span:
        record["statements"] = list(by_span.values())
    return Read(record, notes)


def _entries(side: dict[str, Any], key: str, where: str) -> dict[str, Any]:
    entries = side.get(key) or {}
    if not isinstance(entries, dict):
        raise FormatError(f"{where}{key}: expected an object keyed by span")
    return entries


def _match_side(
    statements: dict[object, Region],
    kinds: dict[object, str],
    links: dict[object, dict[str, Region]],
    tables: dict[str, dict[str, Any]],
    where: str,
    notes: list[str],
) -> dict[str, dict[object, Any]]:
    """The side object's entries by the id of the span each is keyed by.

    An entry is taken only where its key names exactly one span; the others
    are noted, never put on a span that might be another statement's.
    """
    attributed = [statements[region_id] for region_id in kinds]
    by_key: dict[str, list[object]] = {}
    for region in attributed:
        for key in {
            attribution_key(region),
            _part_key(region, links.get(region.id, {})),
        }:
            by_key.setdefault(key, []).append(region.id)
    by_statement: dict[str, list[object]] = {}
    for region_id, region in statements.items():
        by_statement.setdefault(statement_key(region.start, region.end), []).append(
            region_id
        )
    matched: dict[str, dict[object, Any]] = {key: {} for key in SIDE_TABLES}
    for table, entries in tables.items():
        for key, value in entries.items():
            at = f"{where}{table}.{key}"
            found: Any
            if table == "claims":
                found = _claims_of(value, at)
                # A statement's claims once, on its first span.
                holders = by_statement.get(key, [])[:1]
            else:
                found = value if table == "sources" else _extras(value, at)
                holders = by_key.get(key, [])
            reason = _unmatched(key, holders, table)
            if reason is not None:
                notes.append(f"{at}: {reason}; not taken")
            elif found:
                matched[table][holders[0]] = found
    return matched


def _unmatched(key: str, holders: list[object], table: str) -> str | None:
    """Why a side entry's key names no single span, or None when it does."""
    if len(holders) == 1:
        return None
    if len(holders) > 1:
        return (
            f"{len(holders)} spans have this key (two attributions of one kind "
            "with the same parts on one statement): it cannot say which"
        )
    offsets = key.split("/", 1)[0].split(":")
    if len(offsets) < 2 or not all(n.isdigit() for n in offsets[:2]):
        return (
            "keyed by a span id, which doccano and Label Studio do not keep, "
            "so it may name another span; export again to key it by the span "
            f"({'START:END' if table == 'claims' else 'START:END:LABEL'})"
        )
    span = f"[{offsets[0]}, {offsets[1]})"
    if table == "claims":
        return f"no statement span is {span} (changed or removed in the tool?)"
    label = ":".join(offsets[2:]) or "?"
    return (
        f"no {label} span is {span}"
        + ("" if "/" not in key else " with those parts")
        + " (its kind or offsets changed in the tool, or it was removed?)"
    )


def _extras(found: object, at: str) -> dict[str, Any]:
    if not isinstance(found, dict):
        raise FormatError(f"{at}: expected an object")
    unknown = sorted(set(found) - set(ATTRIBUTION_EXTRAS))
    if unknown:
        raise FormatError(
            f"{at}: unknown key{'s' if len(unknown) > 1 else ''} "
            f"{', '.join(unknown)} (allowed: {', '.join(ATTRIBUTION_EXTRAS)})"
        )
    return found


def _claims_of(found: object, at: str) -> list[Any]:
    if found is None:
        return []
    if not isinstance(found, list):
        raise FormatError(f"{at}: expected a list of claims")
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


def _describe(text: str, region: Region) -> str:
    words = text[region.start : region.end]
    if len(words) > 40:
        words = words[:37] + "..."
    return f"the {region.label} span [{region.start}, {region.end}) {words!r}"


def _links(
    text: str,
    statements: dict[object, Region],
    kinds: dict[object, str],
    parts: dict[object, tuple[str, Region]],
    relations: list[Relation],
    notes: list[str],
) -> dict[object, dict[str, Region]]:
    """Each kind span's parts, as ``{region id: {role: part region}}``.

    What the model cannot hold is noted: a part joined to no attribution, a
    second part of one role for one attribution, a relation the record's
    spans do not explain.
    """
    links: dict[object, dict[str, Region]] = {}
    # The parts joined to an attribution, taken or noted there.
    joined: set[object] = set()

    def join(head: object, role: str, part: Region, where: str) -> None:
        joined.add(part.id)
        held = links.setdefault(head, {})
        if role in held and held[role] != part:
            notes.append(
                f"{where}: a second {role} for {_describe(text, statements[head])} "
                f"({_describe(text, part)}); an attribution has one {role} span, "
                f"the first ({_describe(text, held[role])}) is kept; not taken"
            )
            return
        held[role] = part

    if relations:
        for relation in relations:
            at = relation.where or "relations"
            # Either direction: tools draw relations both ways.
            pairs = [
                (head, tail)
                for head, tail in [
                    (relation.from_id, relation.to_id),
                    (relation.to_id, relation.from_id),
                ]
                if head in statements and tail in parts
            ]
            if not pairs:
                ends = (relation.from_id, relation.to_id)
                missing = [i for i in ends if i not in statements and i not in parts]
                notes.append(
                    f"{at}: the {relation.type!r} relation from {relation.from_id!r} "
                    f"to {relation.to_id!r} does not join a statement span to a "
                    "part span"
                    + (f" (no span has the id {missing[0]!r})" if missing else "")
                    + "; not taken"
                )
                continue
            head, tail = pairs[0]
            if head not in kinds:
                continue  # noted below, as a part joined to no attribution
            join(head, parts[tail][0], parts[tail][1], at)
    else:
        for role, part in parts.values():
            holders = [
                region_id
                for region_id in kinds
                if statements[region_id].start <= part.start
                and part.end <= statements[region_id].end
            ]
            if len(holders) != 1:
                raise FormatError(
                    f"{part.where}: the {role} span [{part.start}, {part.end}) lies "
                    f"in {'no' if not holders else 'more than one'} labelled "
                    "statement; join it to its statement with a relation"
                )
            join(holders[0], role, part, part.where)
    for part_id, (role, part) in parts.items():
        if part_id not in joined:
            notes.append(
                f"{part.where}: {_describe(text, part)} is joined to no attributed "
                f"statement (a {role} belongs to an attribution: join it by a "
                f"relation to a span labelled with a kind); not taken"
            )
    return links


def _first_line(text: str) -> str:
    return text.strip().split("\n", 1)[0].strip()[:500]
