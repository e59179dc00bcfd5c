"""Sources: who statements are attributed to, their aliases, and merging two."""

from collections.abc import Iterable, Sequence

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from simple_history.utils import bulk_update_with_history

from claims.models import Attribution, Document, Source, SourceAlias, SourceKind
from claims.name_normalization import normalize_name
from claims.selectors import source_by_name
from claims.services.bulk_history import create_with_history
from claims.services.common import (
    UNSET,
    Unset,
    apply_changes,
    check_fields,
    created_or_found,
    delete_or_refuse,
    lock_for_update,
    save_new_version,
)


@transaction.atomic
def source_create(
    *,
    name: str,
    kind: str = SourceKind.OTHER,
    aliases: Iterable[str] = (),
    description: str = "",
    url: str = "",
    wikidata_id: str = "",
    proposed: bool = False,
    created_by: User | None = None,
) -> Source:
    """Create a source; its name may not be another source's name or alias."""
    normalized = normalize_name(name)
    _refuse_taken_name(name, normalized, owner=None)
    source = Source(
        name=name.strip(),
        normalized_name=normalized,
        kind=kind,
        description=description,
        url=url,
        wikidata_id=wikidata_id,
        proposed=proposed,
        created_by=created_by,
    )
    source.full_clean()
    source.save()
    for alias in aliases:
        source_add_alias(source=source, name=alias)
    return source


@transaction.atomic
def proposed_sources_store(*, names: Sequence[tuple[str, str]]) -> list[Source]:
    """Create the sources suggestions propose (``proposed``), in bulk, with
    their history: one a ``(name, kind)`` pair, in order.

    For the service's own code (``documents_suggest``), which has looked the
    names up already: a name that is empty, or that names a source already
    (given twice, or stored meanwhile), is refused, the last by the
    database's unique index, and the transaction with it.
    """
    sources = []
    for name, kind in names:
        normalized = normalize_name(name)
        if not normalized:
            raise ValidationError({"name": "A source name is empty."}, code="empty")
        sources.append(
            Source(
                name=name.strip(), normalized_name=normalized, kind=kind, proposed=True
            )
        )
    check_fields(sources)
    return create_with_history(sources)


@transaction.atomic
def source_add_alias(*, source: Source, name: str) -> SourceAlias | None:
    """Record another name of a source; nothing happens if it already has it."""
    normalized = normalize_name(name)
    if normalized == source.normalized_name:
        return None
    existing = SourceAlias.objects.filter(normalized_name=normalized).first()
    if existing is not None and existing.source_id == source.pk:
        return existing
    _refuse_taken_name(name, normalized, owner=source)
    alias, _ = created_or_found(
        lambda: _alias_create(source, name, normalized),
        lambda: _alias_of(source, name, normalized),
    )
    return alias


def _alias_create(source: Source, name: str, normalized: str) -> SourceAlias:
    alias = SourceAlias(source=source, name=name.strip(), normalized_name=normalized)
    alias.full_clean()
    alias.save()
    return alias


def _alias_of(source: Source, name: str, normalized: str) -> SourceAlias | None:
    """The alias a concurrent writer gave this source; if it gave the name to
    another source, the error that says so."""
    _refuse_taken_name(name, normalized, owner=source)
    return SourceAlias.objects.filter(source=source, normalized_name=normalized).first()


def _refuse_taken_name(name: str, normalized: str, *, owner: Source | None) -> None:
    if not normalized:
        raise ValidationError({"name": "A source name is empty."}, code="empty")
    holder = source_by_name(normalized, normalized=True)
    if holder is not None and holder != owner:
        raise ValidationError(
            {"name": f"“{name}” already names source {holder.pk} (“{holder}”)."},
            code="name_taken",
        )


@transaction.atomic
def source_get_or_create(
    *,
    name: str,
    kind: str | None = None,
    aliases: Iterable[str] = (),
    created_by: User | None = None,
) -> Source:
    """The source this name or alias denotes, created if unknown.

    Aliases are added to a source that is found; its kind is left as it is.
    """
    aliases = list(aliases)
    source = source_by_name(name)
    if source is None:
        source, created = created_or_found(
            lambda: source_create(
                name=name,
                kind=kind or SourceKind.OTHER,
                aliases=aliases,
                created_by=created_by,
            ),
            lambda: source_by_name(name),
        )
        if created:
            return source
    for alias in aliases:
        source_add_alias(source=source, name=alias)
    return source


@transaction.atomic
def source_update(
    *,
    source: Source,
    expected_version: int | None = None,
    name: str | Unset = UNSET,
    kind: str | Unset = UNSET,
    aliases: Iterable[str] | Unset = UNSET,
    description: str | Unset = UNSET,
    url: str | Unset = UNSET,
    wikidata_id: str | Unset = UNSET,
    proposed: bool | Unset = UNSET,
) -> Source:
    """Change a source; ``aliases``, when given, is the whole new list."""
    source = lock_for_update(source, expected_version)
    aliases = list(aliases) if aliases is not UNSET else UNSET
    if name is not UNSET:
        normalized = normalize_name(name)
        _refuse_taken_name(name, normalized, owner=source)
        # A spelling the source had as an alias is now its name.
        source.aliases.filter(normalized_name=normalized).delete()
        source.name, source.normalized_name = name.strip(), normalized
    apply_changes(
        source,
        {
            "kind": kind,
            "description": description,
            "url": url,
            "wikidata_id": wikidata_id,
            "proposed": proposed,
        },
    )
    save_new_version(
        source,
        also_changed=aliases is not UNSET and _aliases_differ(source, aliases),
    )
    if aliases is not UNSET:
        keep = {normalize_name(alias) for alias in aliases}
        source.aliases.exclude(normalized_name__in=keep).delete()
        for alias in aliases:
            source_add_alias(source=source, name=alias)
    return source


def _aliases_differ(source: Source, aliases: Iterable[str]) -> bool:
    wanted = {normalize_name(alias) for alias in aliases} - {source.normalized_name}
    held = source.aliases.values_list("normalized_name", flat=True)
    return wanted != set(held)


@transaction.atomic
def source_merge(
    *, keep: Source, merge: Source, expected_version: int | None = None
) -> Source:
    """Fold ``merge`` into ``keep``: its attributions, documents and names move.

    Attributions naming it as source or conduit, documents naming it as
    publisher or author, and its aliases all pass to ``keep``; its own name
    becomes an alias of ``keep``; then it is deleted. All or nothing.
    """
    if keep.pk == merge.pk:
        raise ValidationError("A source cannot be merged into itself.", code="self")
    keep = lock_for_update(keep, expected_version)
    merge = Source.objects.select_for_update().get(pk=merge.pk)
    # Moving an attribution to another source changes it: a new version, so
    # that a reviewer holding the old one cannot overwrite the move, and a
    # history record, so that the move can be seen and undone.
    moved = list(
        Attribution.objects.select_for_update().filter(Q(source=merge) | Q(via=merge))
    )
    for attribution in moved:
        attribution.source = (
            keep if attribution.source_id == merge.pk else attribution.source
        )
        attribution.via = keep if attribution.via_id == merge.pk else attribution.via
        attribution.version += 1
    bulk_update_with_history(moved, Attribution, ["source", "via", "version"])
    Document.objects.filter(publisher=merge).update(publisher=keep)
    for document in Document.objects.filter(authors=merge):
        document.authors.remove(merge)
        document.authors.add(keep)
    SourceAlias.objects.filter(source=merge).exclude(
        normalized_name=keep.normalized_name
    ).update(source=keep)
    name = merge.name
    merge.delete()
    source_add_alias(source=keep, name=name)
    # A confirmed source folded into a proposed one confirms it.
    keep.proposed = keep.proposed and merge.proposed
    return save_new_version(keep)


@transaction.atomic
def source_delete(*, source: Source, expected_version: int | None = None) -> None:
    """Delete a source that nothing is attributed to."""
    delete_or_refuse(lock_for_update(source, expected_version))
