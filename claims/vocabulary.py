"""The value sets that the pure text code and the models share (no Django here).

The tool formats (``claims.formats.spans``, doccano, Label Studio) and the
provenance engine speak in attribution kinds, review statuses, origins and
source kinds without a database; the models take their field choices and
check constraints from the same classes (``claims.models`` imports them from
here), so a value is added in one place.

Each class is a ``StrEnum`` whose members are ``NAME = value, label`` and
compare equal to their value; ``values`` and ``choices`` on the class give
what Django's ``TextChoices`` would: the values in order, and
``(value, label)`` pairs.
"""

import enum


class _TermsType(enum.EnumType):
    @property
    def values(cls) -> list[str]:
        return [member.value for member in cls]

    @property
    def choices(cls) -> list[tuple[str, str]]:
        return [(member.value, member.label) for member in cls]


class Terms(enum.StrEnum, metaclass=_TermsType):
    """A value set whose members carry a label for people."""

    label: str

    def __new__(cls, value: str, label: str):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member


class SourceKind(Terms):
    PERSON = "person", "Person"
    ORGANIZATION = "organization", "Organization"
    GROUP = "group", "Group"
    GOVERNMENT = "government", "Government"
    PUBLICATION = "publication", "Publication"
    DOCUMENT = "document", "Document"
    ANONYMOUS = "anonymous", "Anonymous"
    OTHER = "other", "Other"


class Origin(Terms):
    """Where a piece of provenance came from."""

    MANUAL = "manual", "Manual"
    SUGGESTED = "suggested", "Suggested"
    IMPORTED = "imported", "Imported"


class ReviewStatus(Terms):
    """Whether a reviewer has taken a suggestion or not."""

    SUGGESTED = "suggested", "Suggested"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"


class AttributionKind(Terms):
    DIRECT = "direct", "Direct quote"
    INDIRECT = "indirect", "Indirect (paraphrase)"
    MIXED = "mixed", "Mixed (partial quote)"
    AUTHOR = "author", "Author's own assertion"
