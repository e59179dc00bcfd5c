"""What the services share: optimistic locking, tags, deletes that are refused."""

import enum
from collections.abc import Callable, Iterable
from typing import Any, Final, Literal, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model, ProtectedError

from claims.models import Tag, VersionedModel

# Any of the models that carry a version for optimistic locking.
Versioned = TypeVar("Versioned", bound=VersionedModel)


class Unset(enum.Enum):
    """The type of UNSET; an enum member, so that ``x is not UNSET`` narrows
    ``x: T | Unset`` to ``T`` for the type checker."""

    UNSET = "UNSET"

    def __repr__(self) -> str:
        return "UNSET"

    def __bool__(self) -> Literal[False]:
        return False


# "Leave this field as it is", where None is a value a field can be set to.
UNSET: Final = Unset.UNSET


class VersionConflict(Exception):
    """Someone wrote the object since the caller read it (a lost update)."""

    def __init__(self, current: VersionedModel):
        super().__init__(
            f"{str(current._meta.verbose_name).capitalize()} {current.pk} has changed "
            f"since it was read: it is at version {current.version} now."
        )
        self.current = current


def lock_for_update(instance: Versioned, expected_version: int | None) -> Versioned:
    """The row, locked until the transaction ends, at the version expected.

    ``expected_version=None`` skips the check (commands and imports, which
    read and write in one go).
    """
    current = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
    if expected_version is not None and current.version != expected_version:
        raise VersionConflict(current)
    current.remember_stored()  # so that a write that changes nothing is seen
    return current


def save_new_version(instance: Versioned, *, also_changed: bool = False) -> Versioned:
    """Validate and save a versioned object as its next version, if it changed.

    A write that leaves every field as read (and, by ``also_changed``, every
    relation the caller sets) saves nothing: no version, no history row, so
    the ETag a client holds stays current.
    """
    instance.full_clean()
    if not (also_changed or instance.differs_from_stored()):
        return instance
    instance.version += 1
    instance.save()
    instance.remember_stored()
    return instance


def tags_differ(instance: Model, names: Iterable[str]) -> bool:
    """Whether these tag names are other than the object's tags."""
    wanted = {name.strip() for name in names}
    return wanted != set(instance.tags.values_list("name", flat=True))  # type: ignore[attr-defined]


Stored = TypeVar("Stored", bound=Model)


def created_or_found(
    create: Callable[[], Stored], find: Callable[[], Stored | None]
) -> tuple[Stored, bool]:
    """``create()``'s new row and True; or, when a concurrent writer stored
    the same one first, that row (``find()``) and False.

    For a get-or-create whose look-up found nothing. Another transaction may
    insert the same name meanwhile: on PostgreSQL the insert then waits for it
    to commit and fails on the unique index (IntegrityError), or the check
    before it already sees the row (ValidationError). The create runs in a
    savepoint, so only it is undone, and the next statement sees the other
    writer's row (READ COMMITTED). Any other error, where no row is found,
    is raised as it was. (SQLite lets one writer at a time: no race there.)
    """
    try:
        with transaction.atomic():
            return create(), True
    except (IntegrityError, ValidationError):
        found = find()
        if found is None:
            raise
        return found, False


def delete_or_refuse(instance: Model) -> None:
    """Delete, or say what reviewers' work still hangs on the object."""
    try:
        instance.delete()
    except ProtectedError as error:
        kinds = sorted(
            {str(obj._meta.verbose_name_plural) for obj in error.protected_objects}
        )
        raise ProtectedError(
            f"{str(instance._meta.verbose_name).capitalize()} {instance.pk} cannot be "
            f"deleted: {', '.join(kinds)} depend on it.",
            error.protected_objects,
        ) from None


def apply_changes(instance: Model, changes: dict[str, Any]) -> None:
    """Set the fields given, leaving those passed as UNSET alone."""
    for field, value in changes.items():
        if value is not UNSET:
            setattr(instance, field, value)


def check_fields(instances: Iterable[Model]) -> None:
    """Check each instance's own fields in Python, as ``full_clean`` would,
    before a bulk write of objects the service's own code made.

    Not their relations (instances in hand), nor their constraints or
    uniqueness: Django checks each of those with a query, which cost more
    than the writes themselves, and the database enforces them on every row
    anyway.
    """
    for instance in instances:
        relations = [f.name for f in instance._meta.concrete_fields if f.is_relation]
        instance.full_clean(
            exclude=relations, validate_unique=False, validate_constraints=False
        )


def check_tag_name(name: str) -> None:
    """Raise, naming the tag, if a tag cannot have this name."""
    try:
        # Not the constraints: their checks cost a query each, and an empty
        # name is already refused as a blank field.
        Tag(name=name).full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        raise ValidationError(
            {"tags": [f"“{name[:40]}”: {' '.join(error.messages)}"]}
        ) from None


def tags_get_or_create(names: Iterable[str]) -> list[Tag]:
    """The tags of these names, created where missing, in one query or two."""
    names = list(dict.fromkeys(n.strip() for n in names))
    for name in names:
        check_tag_name(name)
    known = {tag.name: tag for tag in Tag.objects.filter(name__in=names)}
    missing = [Tag(name=name) for name in names if name not in known]
    if missing:
        # ignore_conflicts: a tag another transaction created meanwhile is
        # then read back below with the rest.
        Tag.objects.bulk_create(missing, ignore_conflicts=True)
        known |= {
            tag.name: tag
            for tag in Tag.objects.filter(name__in=[t.name for t in missing])
        }
    return [known[name] for name in names]
