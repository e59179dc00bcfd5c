"""What the rules suggest for one statement: its kind, source, cue, content
and conduit, as offsets into the document."""

from dataclasses import dataclass

from claims.segmentation import Offsets


@dataclass(frozen=True)
class Suggestion:
    """The suggested provenance of one statement; offsets into the document."""

    statement: Offsets
    kind: str  # direct, indirect, mixed or author
    confidence: float
    source_phrase: str | None = None
    source_span: Offsets | None = None
    source_name: str | None = None  # canonical: "Lena Brandt"
    source_kind: str | None = None  # a SourceKind value
    reference: bool = False  # the phrase refers back ("she", "the bank")
    cue: Offsets | None = None
    content: Offsets | None = None
    via_phrase: str | None = None
    via_span: Offsets | None = None
    via_name: str | None = None
    # Further attributions of the same statement: "The police said three were
    # hurt, but witnesses told reporters the number was higher."
    others: tuple["Suggestion", ...] = ()
