"""Resolving sources across the document: who a phrase names.

A source phrase is a new name ("Maj. Lena Brandt"), or refers back to one
named earlier: a pronoun ("she", "they"), a description ("the bank", "the
groups", "the statement"), or a surname alone. The entities named so far are
kept, most recent last, with what is known of each (gender, number, the
words of its description, the documents it issued), so that a reference
takes the latest entity that fits.
"""

import re
from dataclasses import dataclass

from claims.provenance import lexicon
from claims.provenance.frames import SUBJECT, Frame
from claims.provenance.source_names import (
    DATA_FROM,
    Name,
    canonical_name,
    name_similarity,
)
from claims.provenance.suggestion import Suggestion
from claims.segmentation import Offsets


@dataclass
class Entity:
    name: str
    kind: str
    gender: str
    plural: bool
    words: set[str]
    documents: set[str]
    singular_form: bool = False  # last named by a singular noun ("the statement")


_DEFINITE = re.compile(
    r"^(?:the|this|that|these|those|its|their)\s+([a-z][\w-]*(?:\s+[a-z][\w-]*){0,2})$",
    re.IGNORECASE,
)


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _words(*phrases: str) -> set[str]:
    return {
        _singular(w.strip(".,;:’'").lower())
        for phrase in phrases
        for w in phrase.split()
        if w.strip(".,;:’'")
    }


def resolved_suggestion(
    text: str, span: Offsets, frame: Frame, entities: list[Entity]
) -> Suggestion | None:
    phrase = " ".join(text[frame.source[0] : frame.source[1]].split())
    if frame.pattern == "label":
        phrase = phrase.title()  # "LIND" is "Lind", a surname, in a transcript
    entity, reference = _resolve(phrase, entities, text, span)
    if entity is None:
        return None
    entity.documents |= frame.documents
    if entity in entities:
        entities.remove(entity)
    entities.append(entity)  # most recent last
    via_phrase = via_name = None
    if frame.via is not None:
        via_phrase = " ".join(text[frame.via[0] : frame.via[1]].split())
        via_name = canonical_name(via_phrase).name
    confidence = {"direct": 0.9, "mixed": 0.8, "indirect": 0.8}[frame.kind]
    if frame.pattern in {"according", "inverted"}:
        confidence += 0.05
    if reference:
        confidence -= 0.1
    return Suggestion(
        statement=span,
        kind=frame.kind,
        confidence=round(confidence, 2),
        source_phrase=phrase,
        source_span=frame.source,
        source_name=entity.name,
        source_kind=entity.kind,
        reference=reference,
        cue=frame.cue,
        content=frame.content,
        via_phrase=via_phrase,
        via_span=frame.via,
        via_name=via_name,
    )


def _resolve(
    phrase: str, entities: list[Entity], text: str, span: Offsets
) -> tuple[Entity | None, bool]:
    """The entity a phrase names, and whether it refers back to an earlier one."""
    head = re.split(r",\s*|\s+(?:who|which|whose)\s+", phrase)[0].strip()
    head = DATA_FROM.sub("", head)
    low = head.lower()
    recent = list(reversed(entities))
    if low in lexicon.PRONOUNS:
        return _pronoun(low, recent), True
    definite = _DEFINITE.match(head)
    if definite and head.split()[1][:1].islower():
        words = definite.group(1).lower()
        found = _description(words, recent)
        if found is not None:
            last = words.split()[-1]
            found.singular_form = _singular(last) == last
            return found, True
        named = _named_earlier(words, text, span)
        if named is not None:
            phrase = named
            name = canonical_name(phrase)
            if words.split()[-1] in lexicon.HEAD_CLASSES and name.kind == "person":
                name = name._replace(kind="organization")
            return _same_or_new(phrase, name, recent)
    name = canonical_name(phrase)
    if len(head.split()) == 1 or re.fullmatch(r"(?:Mr|Mrs|Ms|Dr|Prof)\.? \S+", head):
        surname = name.name.split()[-1].lower() if name.name else low
        for entity in recent:
            if entity.kind == "person" and entity.name.lower().split()[-1:] == [
                surname
            ]:
                return entity, True
        if name.kind == "person" and name.name:
            fuller = _full_name_earlier(name.name.split()[-1], text, span)
            if fuller is not None:
                return _same_or_new(fuller, canonical_name(fuller), recent)
    return _same_or_new(phrase, name, recent)


def _full_name_earlier(surname: str, text: str, span: Offsets) -> str | None:
    """The latest fuller name ending in a surname before a statement, where the
    document named the person in passing ("Every morning, Jonas Berg unties
    the boat. … Berg says …")."""
    pattern = re.compile(rf"(?:[A-Z][\w’'.-]+\s+){{1,3}}{re.escape(surname)}\b")
    for m in reversed(list(pattern.finditer(text, 0, span[0]))):
        found = canonical_name(m.group())
        if (
            found.kind == "person"
            and len(found.name.split()) >= 2
            and found.name.split()[0][:1].isupper()
        ):
            return found.name
    return None


def _same_or_new(phrase: str, name: Name, recent: list[Entity]) -> tuple[Entity, bool]:
    for entity in recent:
        if name_similarity(entity.name, name.name) >= 0.9:
            entity.words |= _words(phrase)
            entity.singular_form = False
            return entity, False
    return _new_entity(phrase, name), False


def _named_earlier(words: str, text: str, span: Offsets) -> str | None:
    """A fuller name for "the bank" earlier in the text ("the central bank"),
    or for "the company", the name that opens the statement."""
    head = words.split()[-1]
    fuller = re.compile(
        rf"(?:\b(?:the|an?)|[A-Z][\w-]*[’']s)\s+((?:(?:\w\.)+\s+|[\w’'-]+\s+){{1,3}}?"
        rf"{re.escape(words)})\b",
        re.IGNORECASE,
    )
    found = [m.group(1) for m in fuller.finditer(text, 0, span[1])]
    found = [f for f in found if f.lower() != words]
    if found:
        return found[-1]
    if head in lexicon.HEAD_CLASSES:
        m = SUBJECT.match(text, span[0], span[1])
        if (
            m
            and m.group().split()[0] not in {"The", "A", "An"}
            and not (
                _FRONTED.match(m.group())  # "Late on Friday, the ministry said"
            )
        ):
            subject = m.group()
            if len(subject.split()) >= 2 or subject.endswith(lexicon.ORG_SUFFIXES):
                return subject
    return None


# The person a statement without a cue opens with, whom a later "she" may mean:
# "Marsh, who chairs the committee, disagreed", "Her neighbour, Gustav Renn,
# sees it differently", "Council leader Aoife Brennan proposed the levy".
_OPENING_PERSON = re.compile(
    r"(?:(?:Her|His|Their|Its|The|A|An)\s+[a-z][\w’'-]*(?:\s+[a-z][\w’'-]*)?,\s+)?"
    r"(?P<name>(?:[A-Z][\w’'.-]*\s+){0,4}[A-Z][\w’'-]*[a-z])"
    r"(?P<described>,\s+(?:who\b|(?:the|an?|his|her|its)\s)[^,;:.]*)?"
    r"(?=,|\s+(?:[a-z]+ed|has|had|was|is|will|would|\w+s)\b)"
)


def remember_opening_person(text: str, span: Offsets, entities: list[Entity]) -> None:
    """Keep the person a statement opens with as the most recent entity."""
    m = _OPENING_PERSON.match(text, span[0], span[1])
    if m is None:
        return
    phrase = m.group("name") + (m.group("described") or "")
    name = canonical_name(phrase)
    if name.kind != "person":
        return
    if len(name.name.split()) == 1 and not m.group("described"):
        return  # "Prices rose": a sentence's first word is capitalised anyway
    entity, _ = _resolve(phrase, entities, text, span)
    if entity is not None:
        if entity in entities:
            entities.remove(entity)
        entities.append(entity)


# A sentence's opening adverbial, which no source is named by.
_FRONTED = re.compile(
    r"(?:late|early|on|in|at|after|before|during|last|this|since|when|while|"
    r"earlier|later|by|until|over|from)\b"
    r"|(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b",
    re.IGNORECASE,
)


def _new_entity(phrase: str, name: Name) -> Entity:
    return Entity(
        name=name.name,
        kind=name.kind,
        gender=name.gender,
        plural=name.plural,
        words=_words(phrase, name.name),
        documents=set(),
    )


def _pronoun(pronoun: str, recent: list[Entity]) -> Entity | None:
    sort = lexicon.PRONOUNS[pronoun]
    gender = {"he": "m", "she": "f"}.get(pronoun, "")
    for entity in recent:
        if sort == "person":
            if (
                entity.kind in {"person", "anonymous"}
                and not entity.plural
                and entity.gender in {"", gender}
            ):
                entity.gender = gender
                return entity
        elif sort == "thing":
            if entity.kind not in {"person", "anonymous"} and (
                not entity.plural or entity.singular_form
            ):
                return entity
        elif entity.plural or entity.kind in {"organization", "government", "group"}:
            return entity
    return None


def _description(words: str, recent: list[Entity]) -> Entity | None:
    head = _singular(words.split()[-1])
    if head in lexicon.DOCUMENT_HEADS:
        for entity in recent:
            if head in entity.documents:
                return entity
    for entity in recent:
        if head in entity.words and (
            head not in lexicon.DOCUMENT_HEADS or entity.kind == "document"
        ):
            return entity
    for entity in recent:
        if entity.words & set(lexicon.HEAD_CLASSES.get(head, ())):
            return entity
    return None
