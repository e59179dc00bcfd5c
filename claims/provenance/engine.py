"""Attribution suggestions for the statements of one document (rules, no model).

``suggest(text, spans)`` takes a document's text and its statements' spans and
returns one ``Suggestion`` a statement, in order. Every offset is a code point
index into ``text`` (0-based, end-exclusive), counted from the start of the
document, as everywhere in the project.

How a statement is read:

1. Its reporting cue: the first cue outside quotation marks that has a source
   — "according to X", "X quoted Y as saying", or a verb of the lexicon
   (``lexicon.CUE_VERBS``) with its source before it ("the bank said", "Maj.
   Lena Brandt, a spokeswoman, said", "Iraqi resistance groups have issued a
   statement announcing") or after it ("…,” said Tomasz Wójcik, a bus driver").
   Beliefs, findings and feelings are attributions too, as in PARC ("a poll
   found that …", "critics fear the cuts will …", "economists expect the bank
   to …"): suggested as ``indirect``, and only where a clause follows (not
   "residents feared the worst", nor "…, as economists had expected"). A
   publication's own notes (bylines, corrections) are the author's.
2. The content: the side of the statement away from the source and cue, less
   "that", punctuation and quotation marks. The kind follows from it: all in
   quotation marks is ``direct``, partly ``mixed``, not at all ``indirect``.
3. The source: a new name, or a reference back ("she", "it", "the bank", "the
   statement", "the groups", a surname alone) resolved to the latest fitting
   source named earlier in the document; the phrase stays the source span.
4. Statements with no cue: a quotation that goes on into a statement with a
   cue takes that statement's source; a bare quotation after an attributed
   statement continues its speaker; anything else is the document's own
   (``author``).
5. A second cue with its own source later in the statement ("…, but witnesses
   told reporters …") is a further attribution, in ``Suggestion.others``.
6. The conduit: "told public radio", "in an interview with X", "X quoted Y
   as saying", "on state television" give ``via``; "told reporters" does not.
"""

import re
from dataclasses import dataclass, field, replace

from claims.provenance import lexicon
from claims.provenance.quotes import Quote, quotations, quote_at, quoted_length
from claims.provenance.source_names import (
    DATA_FROM,
    Name,
    canonical_name,
    name_similarity,
)
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


@dataclass
class _Frame:
    cue: Offsets
    source: Offsets
    content: Offsets | None
    kind: str
    via: Offsets | None
    pattern: str  # which rule found it
    documents: set[str] = field(default_factory=set)  # "issued a statement"


@dataclass
class _Entity:
    name: str
    kind: str
    gender: str
    plural: bool
    words: set[str]
    documents: set[str]
    singular_form: bool = False  # last named by a singular noun ("the statement")


_WORD = re.compile(r"[^\W\d_]+(?:[’'-][^\W\d_]+)*")
_ACCORDING = re.compile(r"\baccording\s+to\s+", re.IGNORECASE)
_QUOTED_AS = re.compile(
    r"\bquoted\s+(?P<source>[^.;:“”\"]+?),?\s+as\s+(?:saying|telling|writing)\b"
)
_BOUNDARY = re.compile(
    r"[,;:(—–]|[”\"’](?=\s)|\s(?:that|and|but|while|as|after|when|because|if|"
    r"although|though|where|since|whereas|so|which|who|before|until|once)\s",
)
# Inside one statement a full stop ends the clause only at the statement's end
# (search with ``endpos``): any other one is an abbreviation ("U.N. agency").
_CLAUSE_END = re.compile(
    r"[;:!?]|\.(?=[”\"’)]*$)|,\s+(?:adding|saying|noting|who|which|and)\b|,|\s—"
)
_SENTENCE_END = re.compile(r"[;:!?]|\.(?=[”\"’)]*$)|\s—")
_ADJUNCT = re.compile(
    r"(?:in|on|at|during|after|before|late|earlier|last|this|when|while|from|"
    r"to|with|without|as|via|through|by)\b",
    re.IGNORECASE,
)
_TRIM = " \t\n\r\u00a0,.;:“”\"‘’'«»—–-…()"
_VIA_PATTERNS = [
    re.compile(
        r"\bin\s+an?\s+(?:interview|conversation|podcast)\s+with\s+", re.IGNORECASE
    ),
    re.compile(r"\bspeaking\s+(?:to|with)\s+", re.IGNORECASE),
    re.compile(r"\btold\s+"),
    re.compile(r"\bwrote\s+in\s+(?=(?:the\s+)?[A-Z])"),
    re.compile(
        r"\b(?:said|speaking|told\s+\w+)\s+on\s+(?=(?:state|national|public)\s)"
    ),
]
_AUDIENCE = re.compile(
    r"\s+(?:"
    + "|".join(sorted(lexicon.AUDIENCES - {"a", "the", "news", "press"}))
    + r")(?=\s)",
    re.IGNORECASE,
)
_PLACE_OR_TIME = re.compile(
    r"(?:in|on|at|during|after|before|late|earlier|last|this|when|while|from|"
    r"outside|inside|near|about|of|over|under|behind|across|around|by|with)$",
    re.IGNORECASE,
)
_VIA_END = re.compile(
    r"\s+(?:that|on|in|at|late|after|before|when|during|last|this|earlier|about)\b"
    r"|[,.;:“”\"—]|$"
)


def suggest(text: str, spans: list[Offsets]) -> list[Suggestion]:
    """Suggest the provenance of each statement ``text[start:end]``."""
    quotes = quotations(text)
    bodies = [_body(text, span) for span in spans]
    frames = [_frame(text, body, quotes) for body in bodies]
    entities: list[_Entity] = []
    results: list[Suggestion | None] = []
    labelled: tuple[int, Suggestion] | None = None  # a transcript's speaker
    for span, body, frame in zip(spans, bodies, frames, strict=True):
        suggestion = None
        if frame is not None:
            second = _second_frame(text, body, quotes, frame)
            if second is not None:
                frame = replace(frame, content=_content_before(text, frame, second))
            suggestion = _attributed(text, body, frame, entities)
            other = second and _attributed(text, body, second[1], entities)
            if suggestion is not None:
                others = (replace(other, statement=span),) if other else ()
                suggestion = replace(suggestion, statement=span, others=others)
        elif labelled is not None and span[0] < labelled[0]:
            # The rest of a speaker's paragraph in a transcript is theirs too.
            suggestion = replace(
                labelled[1], statement=span, content=_trim_span(text, *span)
            )
        else:
            _mention(text, body, entities)
        if suggestion is not None and frame is not None and frame.pattern == "label":
            paragraph_end = text.find("\n\n", span[1])
            labelled = (len(text) if paragraph_end < 0 else paragraph_end, suggestion)
        elif frame is not None:
            labelled = None
        results.append(suggestion)
    return _fill_in(text, spans, quotes, results)


# Finding the cue and its source in one statement -----------------------------


# What opens a statement without being part of it: a wire dateline ("LAGOS,
# May 4 (Wirenews) - ", "OSLO — ") or a live blog's time ("22:05 — ").
_LEAD = re.compile(
    r"(?:\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?"
    r"|[A-Z][A-Z'.-]+(?:\s[A-Z][A-Z'.-]+){0,2}(?:,\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2})?"
    r"(?:\s+\([^()]{1,40}\))?)\s*[—–-]\s+"
)


def _body(text: str, span: Offsets) -> Offsets:
    """The statement less a dateline or time stamp that opens it."""
    m = _LEAD.match(text, span[0], span[1])
    return (m.end(), span[1]) if m and m.end() < span[1] else span


def _frame(text: str, span: Offsets, quotes: list[Quote]) -> _Frame | None:
    start, end = span
    if _PUBLICATION_NOTE.match(text, start, end):
        return None  # the publication's own note: the author's
    for finder in (_according_to, _quoted_as, _headline_quote, _speaker_label):
        frame = finder(text, span, quotes)
        if frame is not None:
            return frame
    # A title-case headline ("Okafor Says Port Will Reopen") capitalises its cue.
    title_case = _is_title_case(text[start:end])
    for m in _WORD.finditer(text, start, end):
        word = m.group().lower() if title_case else m.group()
        if word not in lexicon.CUE_VERBS or quote_at(quotes, m.start()) is not None:
            continue
        if title_case and re.match(r"\s+to\b", text[m.end() :], re.IGNORECASE):
            continue  # "Mayor Said To Resign": a rumour, nobody named
        if not _is_cue(text, start, m):
            continue
        frame = _verb_frame(text, span, quotes, (m.start(), m.end()))
        if frame is not None:
            return frame
    return None


# Where a second attribution may open after the first one's cue.
_SECOND = re.compile(
    r"[,;]\s+(?:(?:but|while|whereas|although|though|and|yet)\s+)?"
    r"|\s+(?:but|while|whereas)\s+"
)


def _second_frame(
    text: str, span: Offsets, quotes: list[Quote], frame: _Frame
) -> tuple[int, _Frame] | None:
    """A cue with its own source after the first frame, past "but", "while",
    ";" or a comma: where the second clause opens, and its frame."""
    end = span[1]
    after = max(frame.cue[1], frame.source[1])
    if not any(
        w.group() in lexicon.CUE_VERBS for w in _WORD.finditer(text, after, end)
    ):
        return None  # no cue after the first: the common case, settled fast
    for split in _SECOND.finditer(text, after, end):
        if quote_at(quotes, split.start()) is not None:
            continue
        second = _frame(text, (split.end(), end), quotes)
        if second is not None and min(second.cue[0], second.source[0]) >= split.end():
            return split.start(), second
    return None


def _content_before(
    text: str, frame: _Frame, second: tuple[int, _Frame]
) -> Offsets | None:
    """The first frame's content, ending where the second clause opens."""
    split = second[0]
    if frame.content is None or frame.content[0] >= split:
        return frame.content
    return _trim_span(text, frame.content[0], min(frame.content[1], split))


# Bylines and editor's notes: the publication speaking of its own work, which
# quotes no one even where a reporting verb appears in it.
_PUBLICATION_NOTE = re.compile(
    r"\(?(?:additional\s+)?(?:reporting|writing|editing|compiled|translated|"
    r"produced|edited|written|research)\s+by\b"
    r"|(?:correction|clarification|editor[’']s\s+note|update|updated)\s*[:—–-]"
    r"|(?:an\s+earlier|a\s+previous|the\s+original)\s+version\s+of\s+this\b"
    r"|this\s+(?:article|story|report|piece)\s+(?:has\s+been|was)\s+"
    r"(?:updated|amended|corrected|changed)\b",
    re.IGNORECASE,
)


# A transcript's speaker label in capitals: "LIND: We lost two thousand nurses."
# ("Q:" and "A:" are the interview's own, one letter: not a speaker's name.)
_SPEAKER_LABEL = re.compile(
    r"(?P<source>[A-Z][A-Z’'.-]+(?:\s[A-Z][A-Z’'.-]+){0,2}):\s+"
)


def _speaker_label(text: str, span: Offsets, quotes: list[Quote]) -> _Frame | None:
    """A paragraph opened by a speaker's label: their own words, direct."""
    start, end = span
    if start and text[start - 1] != "\n":
        return None  # a label opens a paragraph
    m = _SPEAKER_LABEL.match(text, start, end)
    if m is None or m.end() >= end or m.group("source") in lexicon.NOT_SPEAKERS:
        return None
    content = _trim_span(text, m.end(), end)
    colon = m.end("source")
    cue = (colon, colon + 1)
    return _Frame(cue, m.span("source"), content, "direct", None, "label")


_LOWER_WORD = re.compile(r"\b(?!(?:a|an|the|of|in|on|to|for|and|at|by)\b)[a-z]")


def _is_title_case(statement: str) -> bool:
    if _LOWER_WORD.search(statement):
        return False  # most statements: one lower-case word settles it
    return len(re.findall(r"\b[^\W\d_]{4,}", statement)) >= 3


# "Okafor: “We will rebuild”", "Health chief Rana Aziz: 'The worst is over'".
_HEADLINE_QUOTE = re.compile(r"(?P<source>[^:“”\"‘’'.!?]{2,60}?)\s*:\s*(?=[“\"‘'])")


def _headline_quote(text: str, span: Offsets, quotes: list[Quote]) -> _Frame | None:
    """A headline that is a name, a colon and a quotation: a direct quote."""
    start, end = span
    m = _HEADLINE_QUOTE.match(text, start, end)
    if m is None:
        return None
    quote = quote_at(quotes, m.end())
    if quote is None or _trim_span(text, quote.end, end) is not None:
        return None  # the quotation must run to the end
    source = _trim_span(text, *m.span("source"))
    if source is None or not re.search(r"\b[A-Z]", text[source[0] : source[1]]):
        return None
    if not _valid_np(text[source[0] : source[1]]):
        return None
    content = _trim_span(text, m.end(), end)
    colon = text.index(":", source[1])
    return _Frame(
        (colon, colon + 1),
        source,
        content,
        _kind(text, quotes, content),
        None,
        "headline",
    )


def _is_cue(text: str, start: int, m: re.Match[str]) -> bool:
    before = text[start : m.start()].split()
    previous = before[-1].lower() if before else ""
    if previous in lexicon.DETERMINERS or previous in lexicon.PASSIVE_AUX:
        return False
    if previous == "to":
        return False  # "declined to say": no words reported
    if m.group().lower() in lexicon.NEEDS_THAT and not re.match(
        r"\s+that\b", text[m.end() : m.end() + 6]
    ):
        return any(w.lower().strip(".,") in lexicon.DOCUMENT_HEADS for w in before[-4:])
    if m.start() > 0 and text[m.start() - 1] in "-‐":
        return False  # "so-called"
    following = text[m.end() : m.end() + 20].lstrip().lower()
    word = m.group().lower()
    past = word.endswith("ed") or word in lexicon.FINITE_VERBS
    if following.split(" ", 1)[0] in lexicon.CUE_VERBS and not past:
        return False  # "an internal report said": a noun before the verb
    return not any(
        following.startswith(w + " ") or following == w
        for w in lexicon.NOT_CUE_AFTER.get(m.group().lower(), ())
    )


def _according_to(text: str, span: Offsets, quotes: list[Quote]) -> _Frame | None:
    start, end = span
    for m in _ACCORDING.finditer(text, start, end):
        if quote_at(quotes, m.start()) is not None:
            continue
        stop = _CLAUSE_END.search(text, m.end(), end)
        source_end = stop.start() if stop else end
        source = _trim_span(text, m.end(), source_end)
        if source is None:
            continue
        cue = (m.start(), m.end() - len(m.group()) + len(m.group().rstrip()))
        content = _content(text, span, min(cue[0], source[0]), source[1])
        return _Frame(
            cue, source, content, _kind(text, quotes, content), None, "according"
        )
    return None


def _quoted_as(text: str, span: Offsets, quotes: list[Quote]) -> _Frame | None:
    start, end = span
    m = _QUOTED_AS.search(text, start, end)
    if m is None or quote_at(quotes, m.start()) is not None:
        return None
    source = _trim_span(text, *m.span("source"))
    if source is None:
        return None
    left = text[start : m.start()].rstrip()
    boundary = max((b.end() for b in _BOUNDARY.finditer(left)), default=0)
    via = _trim_span(text, start + boundary, start + len(left))
    cue = (m.start(), m.end())
    content = _content(text, span, via[0] if via else m.start(), m.end())
    return _Frame(cue, source, content, _kind(text, quotes, content), via, "quoted")


def _verb_frame(
    text: str, span: Offsets, quotes: list[Quote], cue: Offsets
) -> _Frame | None:
    before = text[span[0] : cue[0]].rstrip()
    after_quote = not before or before[-1] in '”"’'
    if after_quote:
        frame = _inverted(text, span, quotes, cue)
        if frame is not None or not before:
            return frame
    frame = _source_first(text, span, quotes, cue, before)
    if frame is None and before.endswith(","):
        frame = _inverted(text, span, quotes, cue)
    if frame is None and before.endswith(",") and cue_word_is_participle(text, cue):
        frame = _participle(text, span, quotes, cue)
    return frame


def cue_word_is_participle(text: str, cue: Offsets) -> bool:
    return text[cue[0] : cue[1]].endswith("ing")


_SUBJECT = re.compile(
    r"(?:(?:The|A|An)\s+)?[A-Z][\w’'.&-]*(?:\s+(?:(?:of|for|and|the|on|de|&)\s+)?"
    r"[A-Z][\w’'.&-]*)*"
)

# "The (electoral) commission welcomed …": a described subject before its verb.
_DESCRIBED_SUBJECT = re.compile(
    r"(?:The|An?)\s+(?:[a-z][\w-]*\s+)??[a-z][\w-]*(?=\s+(?:\w+ed|has|have|had)\b)"
)


def _participle(
    text: str, span: Offsets, quotes: list[Quote], cue: Offsets
) -> _Frame | None:
    """ "The commission welcomed it, calling it …": the subject speaks."""
    m = _SUBJECT.match(text, span[0], cue[0])
    if m is not None and m.group() in {"The", "A", "An"}:
        m = _DESCRIBED_SUBJECT.match(text, span[0], cue[0])  # "The commission"
    source = (
        _trim_span(text, m.start(), m.end())
        if m is not None
        else _first_subject(text, span)  # "The mayor met the minister, asking"
    )
    if source is None:
        return None
    content = _trim_span(text, cue[1], span[1])
    that = content and re.match(r"that\s+", text[content[0] : content[1]])
    if content and that:
        content = _trim_span(text, content[0] + that.end(), content[1])
    kind = _kind(text, quotes, content)
    return _Frame(cue, source, content, kind, None, "participle")


def _inverted(
    text: str, span: Offsets, quotes: list[Quote], cue: Offsets
) -> _Frame | None:
    """ "…,” said Tomasz Wójcik, a bus driver." / "…, said the bank." """
    end = span[1]
    if not _np_opens(text[cue[1] : end]):
        return None
    stop = _CLAUSE_END.search(text, cue[1], end)
    source_end = stop.start() if stop else end
    # Keep an appositive ("Tomasz Wójcik, a bus driver") to the end.
    if (
        stop
        and text[stop.start()] == ","
        and not re.match(
            r",\s+(?:adding|saying|noting|who|which|and)\b", text[stop.start() :]
        )
    ):
        nxt = _SENTENCE_END.search(text, stop.end(), end)
        source_end = nxt.start() if nxt else end
    source = _trim_span(text, cue[1], source_end)
    source = source and _cut_time_tail(text, source)
    if source and _valid_np(text[source[0] : source[1]], appositive_ok=True):
        content = _content(text, span, cue[0], source[1])
        return _Frame(
            cue, source, content, _kind(text, quotes, content), None, "inverted"
        )
    return None


def _source_first(
    text: str, span: Offsets, quotes: list[Quote], cue: Offsets, before: str
) -> _Frame | None:
    start, end = span
    documents: set[str] = set()
    # The source before the cue, past auxiliaries, adverbs and time phrases.
    tail = lexicon.AUX_TAIL.search(before)
    if tail is not None:
        stripped = tail.group().lower()
        documents |= {w for w in lexicon.DOCUMENT_HEADS if w in stripped}
        before = before[: tail.start()].rstrip()
    before = _without_aside(before)
    if not before:
        return None
    source = None
    antecedent = _WHO_ANTECEDENT.search(before)
    if antecedent is not None:
        # "The contract went to Ana Ferro, who said": the name before "who".
        source = _trim_span(text, start + antecedent.start(), start + antecedent.end(1))
    elif before.endswith(","):
        # An appositive or relative clause between source and verb.
        inner = before[:-1].rstrip()
        comma = inner.rfind(",")
        if comma > 0:
            appositive = inner[comma + 1 :].strip()
            head_text = inner[:comma]
            head_start = _clause_start(head_text)
            head = head_text[head_start:].strip()
            if _INTERRUPTION.match(appositive):
                # "The minister, after a week of silence, conceded": an aside.
                source = _locate(text, start, head_text, head_start)
            elif _valid_np(head) and appositive:
                first = _locate(text, start, head_text, head_start)
                if first:
                    source = (first[0], start + len(inner))
    elif re.search(r"\s(?:and|but)$", before):
        # "The minister left early and later told reporters": the subject of
        # the first of two coordinated clauses.
        source = _first_subject(text, span)
    else:
        clause = _clause_start(before)
        source = _locate(text, start, before, clause)
        relative = re.search(r"\s(?:who|which|whose)\s$", before[:clause])
        if relative and not (source and _valid_np(text[source[0] : source[1]])):
            # "A former adviser … who asked not to be named said": the relative
            # clause describes the source before it.
            head_start = _clause_start(before[: relative.start()])
            source = _locate(text, start, before, head_start)
    if source is None:
        return None
    source = _strip_filler(text, source)
    if source is None:
        return None
    phrase = text[source[0] : source[1]]
    if not _valid_np(phrase, appositive_ok=True):
        return None
    frame_end = cue[1]
    if text[cue[0] : cue[1]].lower() in {"told", "tells", "tell", "telling"}:
        # The audience or conduit after "told" belongs to the frame.
        obj = _VIA_END.search(text, cue[1], end)
        if obj is not None and not text[cue[1] : obj.start()].strip().startswith(
            ("that", "“", '"')
        ):
            frame_end = obj.start()
            # "told reporters the council had …": a one-word audience ends it.
            audience = _AUDIENCE.match(text, cue[1], frame_end)
            rest = text[audience.end() : frame_end].split() if audience else []
            if audience and rest and not _PLACE_OR_TIME.match(rest[0]):
                frame_end = audience.end()
    if cue[1] < end and text[cue[1] : end].strip():
        via = _via(text, (cue[0], end), quotes)
        content = _content(text, span, source[0], frame_end, via=via)
    else:
        via, content = None, _content(text, span, source[0], frame_end)
    if via is None:
        via = _via(text, span, quotes)
    kind = _kind(text, quotes, content)
    word = text[cue[0] : cue[1]].lower()
    if word in lexicon.BELIEF_CUES and re.search(
        r"(?:^|\s)as\s+(?:\S+\s+){0,3}$", text[start : cue[0]]
    ):
        return None  # "…, as most economists had expected": no content of theirs
    if (
        word in lexicon.NEEDS_CLAUSE
        and content is not None
        and content[0] >= cue[1]
        and not _reports_a_clause(text, cue[1], content[1])
    ):
        return None  # "Prices maintained their climb": another sense
    return _Frame(cue, source, content, kind, via, "verb", documents)


def _reports_a_clause(text: str, start: int, end: int) -> bool:
    """Whether the words after a cue are a clause ("that …", "the figures were
    right", ": …") rather than an object ("their climb", "two floors")."""
    after = text[start:end]
    if re.match(r"\s*(?:that\b|:|,)", after) or "innocence" in after:
        return True
    after = re.split(r"[,;—]", after, maxsplit=1)[0]  # the clause the cue opens
    cue = text[:start].split()[-1].lower() if text[:start].split() else ""
    if cue.startswith("expect") and re.match(
        r"\s*(?:[\w’'-]+\s+){1,4}to\s+[a-z]", after
    ):
        return True  # "expect the central bank to raise rates"
    words = re.findall(r"[\w’'-]+", after)
    return any(
        w.lower() in lexicon.FINITE_VERBS
        or w.lower().endswith(lexicon.FINITE_SUFFIXES)
        or (
            i
            and len(w) > 4
            and w.endswith("ed")
            and words[i - 1].lower() not in lexicon.DETERMINERS
        )
        for i, w in enumerate(words)
    )


# What opens an aside between a subject and its verb rather than an appositive
# that names or describes the subject ("Lee, speaking after the vote, said").
_INTERRUPTION = re.compile(
    r"(?:after|before|despite|in|on|at|for|during|under|with|without|amid|"
    r"following|like|unlike|as|when|while|since|asked|pressed|questioned|by|"
    r"from|through|over|once|if|though|although|[a-z]+ing|[a-z]{2,}ly)\b"
)


_WHO_ANTECEDENT = re.compile(
    r"((?:[A-Z][\w’'.-]*\s+){0,3}[A-Z][\w’'-]*"
    r"|(?<![\w’'-])(?:[Tt]he|[Aa]n?)\s+(?:[\w’'-]+\s+){0,2}[\w’'-]+),\s+who$"
)


def _without_aside(before: str) -> str:
    """The words before a cue less an aside that closes them: "The mayor — under
    pressure from her party —", "Ortiz (in her first interview)"."""
    closing = before[-1:]
    opening = {"—": "—", "–": "–", ")": "("}.get(closing)
    if opening is None:
        return before
    at = before.rfind(opening, 0, len(before) - 1)
    if at <= 0:
        return before
    return before[:at].rstrip()


def _first_subject(text: str, span: Offsets) -> Offsets | None:
    """The noun phrase a statement opens with, up to its first verb: "Police",
    "The minister" (of "The minister left"), "Ngata, despite questions,"."""
    m = _SUBJECT.match(text, span[0], span[1])
    if m is None:
        return None
    if m.group() not in {"The", "A", "An"}:
        return _trim_span(text, m.start(), m.end())
    words = list(re.finditer(r"[a-z][\w’'-]*", text[m.end() : span[1]]))[:4]
    for i, word in enumerate(words[1:], start=1):
        w = word.group()
        if w in lexicon.FINITE_VERBS or (len(w) > 4 and w.endswith("ed")):
            return _trim_span(text, m.start(), m.end() + words[i - 1].end())
    return None


def _clause_start(before: str) -> int:
    boundaries = list(_BOUNDARY.finditer(before))
    return boundaries[-1].end() if boundaries else 0


def _locate(text: str, start: int, part: str, offset: int) -> Offsets | None:
    return _trim_span(text, start + offset, start + len(part))


def _trim_span(text: str, a: int, b: int) -> Offsets | None:
    while a < b and text[a] in _TRIM:
        a += 1
    while b > a and text[b - 1] in _TRIM:
        b -= 1
    if b > a and text[b - 1] == "." and text[a:b].count(" ") == 0:
        pass
    # Keep the dot of an abbreviation that ends a name ("Corp.", "Maj.", "J."),
    # not a sentence's full stop after a short name ("Ruiz.", "Lee.").
    abbreviation = re.search(r"\b[A-Z][a-z]{0,3}$", text[a:b])
    if (
        abbreviation
        and b < len(text)
        and text[b] == "."
        and (
            len(abbreviation.group()) == 1
            or abbreviation.group().lower() in lexicon.ABBREVIATIONS
        )
    ):
        b += 1
    return (a, b) if b > a else None


def _strip_filler(text: str, span: Offsets) -> Offsets | None:
    phrase = text[span[0] : span[1]]
    m = lexicon.LEAD_FILLER.match(phrase)
    if m and m.end():
        return _trim_span(text, span[0] + m.end(), span[1])
    return span


def _cut_time_tail(text: str, span: Offsets) -> Offsets | None:
    phrase = text[span[0] : span[1]]
    m = re.search(
        r"\s+(?:on|in|at|last|late|earlier|this|yesterday|today)\b(?![^,]*,\s*(?:a|an|the)\s)"
        r"(?:\s+\w+)*$",
        phrase,
    )
    if m and not re.search(r",", phrase[m.start() :]):
        return _trim_span(text, span[0], span[0] + m.start())
    return span


def _np_opens(after: str) -> bool:
    words = after.split()
    if not words:
        return False
    first = words[0].strip("“”\"'‘’,")
    if not first:
        return False
    low = first.lower()
    if low in {"that", "it", "him", "her", "them", "me", "us", "he", "she", "they"}:
        return False
    if first[0].isupper() or low in lexicon.NP_OPENERS or first[0].isdigit():
        return True
    # "says economist Dana Ruiz", "harbour master Olu Bankole": a role, a name
    for i, word in enumerate(words[1:4], start=1):
        if word[:1].isupper():
            return all(w.isalpha() and w.islower() for w in words[:i])
    return False


_BAD_IN_NP = re.compile(
    r"\b(?:is|are|was|were|be|been|being|there|would|could|should|will|"
    r"has|have|had)\b|[“”\"«»]",
    re.IGNORECASE,
)


def _lower_case_group(words: list[str]) -> bool:
    last = words[-1].strip(".,;:").lower()
    return (
        len(words) <= 4
        and all(w.isalpha() and w.islower() for w in words)
        and len(last) > 3
        and last.endswith("s")
        and not last.endswith(("ss", "ous", "ics"))
        and last not in lexicon.CUE_VERBS
    )


def _valid_np(phrase: str, *, appositive_ok: bool = False) -> bool:
    """Whether a phrase can name a source: short, opens like a noun phrase."""
    phrase = phrase.strip()
    if not phrase:
        return False
    head = re.split(r",", phrase, maxsplit=1)[0] if appositive_ok else phrase
    # "a former adviser … who asked not to be named": the relative clause
    # describes the source; its verbs are not the phrase's.
    head = re.split(r"\s(?:who|whose)\s", head, maxsplit=1)[0]
    words = head.split()
    if not words or len(words) > 9 or len(phrase.split()) > 16:
        return False
    first = words[0].strip("“”\"'‘’(")
    if not first:
        return False
    if (
        not (first[0].isupper() or first[0].isdigit())
        and first.lower() not in lexicon.NP_OPENERS
        # "council leader Aoife Brennan": a role before a name
        and not (len(words) <= 6 and words[-1][:1].isupper())
        # "other analysts", "local residents": a group in lower case
        and not _lower_case_group(words)
    ):
        return False
    if first.lower() in {"there", "this", "that", "these", "those"} and len(words) == 1:
        return False
    if _BAD_IN_NP.search(head):
        return False
    # "an internal report": a document's name, not a verb, after its first word.
    return not any(
        w.lower().strip(",.") in lexicon.CUE_VERBS
        and not (i and w.lower().strip(",.") in lexicon.DOCUMENT_HEADS)
        for i, w in enumerate(words)
    )


def _content(
    text: str,
    span: Offsets,
    frame_start: int,
    frame_end: int,
    *,
    via: Offsets | None = None,
) -> Offsets | None:
    """The side of the statement that is not source and cue, trimmed."""
    start, end = span
    if via is not None and via[0] >= frame_end:
        frame_end = via[1]
    left = _trim_span(text, start, frame_start)
    right_start = frame_end
    colon = re.match(r"[^“”\"]*?:\s*(?=[“\"‘])", text[frame_end:end])
    if colon:
        right_start = frame_end + colon.end()
    right = _trim_span(text, right_start, end)
    if right is not None:
        m = re.match(r"(?:[^“”\"]{0,40}?\s)?that\s+", text[right[0] : right[1]])
        # "announced a plan that would …": "that" opens a relative clause.
        if m and not re.match(r"an?\s", text[right[0] : right[1]], re.IGNORECASE):
            right = _trim_span(text, right[0] + m.end(), right[1])

    if right is not None and left is not None:
        # "X said that …" / "…, X said on Monday": the right side is the
        # content unless it is a short adjunct ("on Saturday", "in a statement").
        words = text[right[0] : right[1]].split()
        if len(words) < 3 or (_ADJUNCT.match(words[0]) and not colon):
            return left
        if re.match(r"(?:and|but|while|adding|as|although)\b", words[0]):
            return left
        if re.match(r"[a-z]+ing\b", words[0]) and not re.match(
            r"[a-z]+ing\s+that\b", text[right[0] : right[1]]
        ):
            return left  # "…,” he said, coiling a rope: what the speaker did
    return right if right is not None else left


def _kind(text: str, quotes: list[Quote], content: Offsets | None) -> str:
    if content is None:
        return "indirect"
    letters = sum(ch.isalnum() for ch in text[content[0] : content[1]])
    quoted = quoted_length(quotes, content[0], content[1], text)
    if letters and quoted >= 0.95 * letters:
        return "direct"
    return "mixed" if quoted else "indirect"


def _via(text: str, span: Offsets, quotes: list[Quote]) -> Offsets | None:
    start, end = span
    for pattern in _VIA_PATTERNS:
        for m in pattern.finditer(text, start, end):
            if quote_at(quotes, m.start()) is not None:
                continue
            stop = _VIA_END.search(text, m.end(), end)
            found = _trim_span(text, m.end(), stop.start() if stop else end)
            if found is None:
                continue
            words = text[found[0] : found[1]].split()
            content_words = [w for w in words if w.lower() not in {"the", "a", "an"}]
            if not content_words or len(words) > 6:
                continue
            if content_words[0].lower().strip(".,") in lexicon.AUDIENCES:
                continue
            first = content_words[0]
            if not (
                first[0].isupper()
                or any(w.lower() in lexicon.PUBLICATION_WORDS for w in content_words)
            ):
                continue
            return found
    return None


# Resolving sources across the document --------------------------------------


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


def _attributed(
    text: str, span: Offsets, frame: _Frame, entities: list[_Entity]
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
    phrase: str, entities: list[_Entity], text: str, span: Offsets
) -> tuple[_Entity | None, bool]:
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


def _same_or_new(
    phrase: str, name: Name, recent: list[_Entity]
) -> tuple[_Entity, bool]:
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
        m = _SUBJECT.match(text, span[0], span[1])
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


def _mention(text: str, span: Offsets, entities: list[_Entity]) -> None:
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


def _new_entity(phrase: str, name: Name) -> _Entity:
    return _Entity(
        name=name.name,
        kind=name.kind,
        gender=name.gender,
        plural=name.plural,
        words=_words(phrase, name.name),
        documents=set(),
    )


def _pronoun(pronoun: str, recent: list[_Entity]) -> _Entity | None:
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


def _description(words: str, recent: list[_Entity]) -> _Entity | None:
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


# Statements without a cue of their own --------------------------------------


def _fill_in(
    text: str,
    spans: list[Offsets],
    quotes: list[Quote],
    results: list[Suggestion | None],
) -> list[Suggestion]:
    """Quotations without a cue take their speaker; the rest is the author's."""
    filled = list(results)
    for i, span in enumerate(spans):
        if filled[i] is not None:
            continue
        letters = sum(ch.isalnum() for ch in text[span[0] : span[1]])
        quoted = quoted_length(quotes, span[0], span[1], text)
        if letters and quoted >= 0.6 * letters:
            kind = "direct" if quoted >= 0.95 * letters else "mixed"
            speaker = _quote_goes_on(spans, quotes, filled, i) or _previous(filled, i)
            if speaker is not None:
                filled[i] = replace(
                    speaker,
                    statement=span,
                    kind=kind,
                    content=_trim_span(text, *span),
                    confidence=0.7,
                )
                continue
        filled[i] = Suggestion(
            statement=span, kind="author", confidence=0.4 if quoted else 0.8
        )
    # Every slot is filled by now; the filter only tells the type so.
    return [suggestion for suggestion in filled if suggestion is not None]


def _quote_goes_on(
    spans: list[Offsets],
    quotes: list[Quote],
    filled: list[Suggestion | None],
    i: int,
) -> Suggestion | None:
    """The attributed statement that a quotation open here runs into."""
    quote = quote_at(quotes, spans[i][1] - 1)
    j = i + 1
    while quote is not None and j < len(spans) and spans[j][0] < quote.end:
        following = filled[j]
        if following is not None and following.kind != "author":
            return following
        j += 1
    return None


def _previous(filled: list[Suggestion | None], i: int) -> Suggestion | None:
    if i == 0:
        return None
    previous = filled[i - 1]
    if previous is None or previous.kind == "author":
        return None
    return previous
