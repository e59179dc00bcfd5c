"""Finding the reporting cue, its source and the content in one statement.

A *frame* is what one rule found: the cue ("said", "according to"), the
phrase that names the source, the content it introduces, the kind that the
content's quotation marks give, and any conduit ("told public radio"). The
rules are tried in order, the most specific first (a publication's note, "according
to", "quoted … as saying", a headline's quote, a transcript's speaker label,
then a verb of ``lexicon.CUE_VERBS`` with its source before or after it).
Plain ``str`` and code point offsets, as everywhere in ``claims.provenance``.
"""

import re
from dataclasses import dataclass, field

from claims.provenance import lexicon
from claims.provenance.quotes import Quote, quote_at, quoted_length
from claims.segmentation import Offsets


@dataclass
class Frame:
    """What one rule read in a statement: its cue, the source phrase, the
    content, the kind the content's quotation marks give, and any conduit."""

    cue: Offsets
    source: Offsets
    content: Offsets | None
    kind: str
    via: Offsets | None
    pattern: str  # which rule found it
    documents: set[str] = field(default_factory=set)  # "issued a statement"


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


# What opens a statement without being part of it: a wire dateline ("LAGOS,
# May 4 (Wirenews) - ", "OSLO — ") or a live blog's time ("22:05 — ").
_LEAD = re.compile(
    r"(?:\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?"
    r"|[A-Z][A-Z'.-]+(?:\s[A-Z][A-Z'.-]+){0,2}(?:,\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2})?"
    r"(?:\s+\([^()]{1,40}\))?)\s*[—–-]\s+"
)


def statement_body(text: str, span: Offsets) -> Offsets:
    """The statement less a dateline or time stamp that opens it."""
    m = _LEAD.match(text, span[0], span[1])
    return (m.end(), span[1]) if m and m.end() < span[1] else span


def statement_frame(text: str, span: Offsets, quotes: list[Quote]) -> Frame | None:
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


def second_frame(
    text: str, span: Offsets, quotes: list[Quote], frame: Frame
) -> tuple[int, Frame] | None:
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
        second = statement_frame(text, (split.end(), end), quotes)
        if second is not None and min(second.cue[0], second.source[0]) >= split.end():
            return split.start(), second
    return None


def content_before(
    text: str, frame: Frame, second: tuple[int, Frame]
) -> Offsets | None:
    """The first frame's content, ending where the second clause opens."""
    split = second[0]
    if frame.content is None or frame.content[0] >= split:
        return frame.content
    return trim_span(text, frame.content[0], min(frame.content[1], split))


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


def _speaker_label(text: str, span: Offsets, quotes: list[Quote]) -> Frame | None:
    """A paragraph opened by a speaker's label: their own words, direct."""
    start, end = span
    if start and text[start - 1] != "\n":
        return None  # a label opens a paragraph
    m = _SPEAKER_LABEL.match(text, start, end)
    if m is None or m.end() >= end or m.group("source") in lexicon.NOT_SPEAKERS:
        return None
    content = trim_span(text, m.end(), end)
    colon = m.end("source")
    cue = (colon, colon + 1)
    return Frame(cue, m.span("source"), content, "direct", None, "label")


_LOWER_WORD = re.compile(r"\b(?!(?:a|an|the|of|in|on|to|for|and|at|by)\b)[a-z]")


def _is_title_case(statement: str) -> bool:
    if _LOWER_WORD.search(statement):
        return False  # most statements: one lower-case word settles it
    return len(re.findall(r"\b[^\W\d_]{4,}", statement)) >= 3


# "Okafor: “We will rebuild”", "Health chief Rana Aziz: 'The worst is over'".
_HEADLINE_QUOTE = re.compile(r"(?P<source>[^:“”\"‘’'.!?]{2,60}?)\s*:\s*(?=[“\"‘'])")


def _headline_quote(text: str, span: Offsets, quotes: list[Quote]) -> Frame | None:
    """A headline that is a name, a colon and a quotation: a direct quote."""
    start, end = span
    m = _HEADLINE_QUOTE.match(text, start, end)
    if m is None:
        return None
    quote = quote_at(quotes, m.end())
    if quote is None or trim_span(text, quote.end, end) is not None:
        return None  # the quotation must run to the end
    source = trim_span(text, *m.span("source"))
    if source is None or not re.search(r"\b[A-Z]", text[source[0] : source[1]]):
        return None
    if not _valid_np(text[source[0] : source[1]]):
        return None
    content = trim_span(text, m.end(), end)
    colon = text.index(":", source[1])
    return Frame(
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


def _according_to(text: str, span: Offsets, quotes: list[Quote]) -> Frame | None:
    start, end = span
    for m in _ACCORDING.finditer(text, start, end):
        if quote_at(quotes, m.start()) is not None:
            continue
        stop = _CLAUSE_END.search(text, m.end(), end)
        source_end = stop.start() if stop else end
        source = trim_span(text, m.end(), source_end)
        if source is None:
            continue
        cue = (m.start(), m.end() - len(m.group()) + len(m.group().rstrip()))
        content = _content(text, span, min(cue[0], source[0]), source[1])
        return Frame(
            cue, source, content, _kind(text, quotes, content), None, "according"
        )
    return None


def _quoted_as(text: str, span: Offsets, quotes: list[Quote]) -> Frame | None:
    start, end = span
    m = _QUOTED_AS.search(text, start, end)
    if m is None or quote_at(quotes, m.start()) is not None:
        return None
    source = trim_span(text, *m.span("source"))
    if source is None:
        return None
    left = text[start : m.start()].rstrip()
    boundary = max((b.end() for b in _BOUNDARY.finditer(left)), default=0)
    via = trim_span(text, start + boundary, start + len(left))
    cue = (m.start(), m.end())
    content = _content(text, span, via[0] if via else m.start(), m.end())
    return Frame(cue, source, content, _kind(text, quotes, content), via, "quoted")


def _verb_frame(
    text: str, span: Offsets, quotes: list[Quote], cue: Offsets
) -> Frame | None:
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


SUBJECT = re.compile(
    r"(?:(?:The|A|An)\s+)?[A-Z][\w’'.&-]*(?:\s+(?:(?:of|for|and|the|on|de|&)\s+)?"
    r"[A-Z][\w’'.&-]*)*"
)

# "The (electoral) commission welcomed …": a described subject before its verb.
_DESCRIBED_SUBJECT = re.compile(
    r"(?:The|An?)\s+(?:[a-z][\w-]*\s+)??[a-z][\w-]*(?=\s+(?:\w+ed|has|have|had)\b)"
)


def _participle(
    text: str, span: Offsets, quotes: list[Quote], cue: Offsets
) -> Frame | None:
    """ "The commission welcomed it, calling it …": the subject speaks."""
    m = SUBJECT.match(text, span[0], cue[0])
    if m is not None and m.group() in {"The", "A", "An"}:
        m = _DESCRIBED_SUBJECT.match(text, span[0], cue[0])  # "The commission"
    source = (
        trim_span(text, m.start(), m.end())
        if m is not None
        else _first_subject(text, span)  # "The mayor met the minister, asking"
    )
    if source is None:
        return None
    content = trim_span(text, cue[1], span[1])
    that = content and re.match(r"that\s+", text[content[0] : content[1]])
    if content and that:
        content = trim_span(text, content[0] + that.end(), content[1])
    kind = _kind(text, quotes, content)
    return Frame(cue, source, content, kind, None, "participle")


def _inverted(
    text: str, span: Offsets, quotes: list[Quote], cue: Offsets
) -> Frame | None:
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
    source = trim_span(text, cue[1], source_end)
    source = source and _cut_time_tail(text, source)
    if source and _valid_np(text[source[0] : source[1]], appositive_ok=True):
        content = _content(text, span, cue[0], source[1])
        return Frame(
            cue, source, content, _kind(text, quotes, content), None, "inverted"
        )
    return None


def _source_first(
    text: str, span: Offsets, quotes: list[Quote], cue: Offsets, before: str
) -> Frame | None:
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
        source = trim_span(text, start + antecedent.start(), start + antecedent.end(1))
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
    return Frame(cue, source, content, kind, via, "verb", documents)


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
    m = SUBJECT.match(text, span[0], span[1])
    if m is None:
        return None
    if m.group() not in {"The", "A", "An"}:
        return trim_span(text, m.start(), m.end())
    words = list(re.finditer(r"[a-z][\w’'-]*", text[m.end() : span[1]]))[:4]
    for i, word in enumerate(words[1:], start=1):
        w = word.group()
        if w in lexicon.FINITE_VERBS or (len(w) > 4 and w.endswith("ed")):
            return trim_span(text, m.start(), m.end() + words[i - 1].end())
    return None


def _clause_start(before: str) -> int:
    boundaries = list(_BOUNDARY.finditer(before))
    return boundaries[-1].end() if boundaries else 0


def _locate(text: str, start: int, part: str, offset: int) -> Offsets | None:
    return trim_span(text, start + offset, start + len(part))


def trim_span(text: str, a: int, b: int) -> Offsets | None:
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
        return trim_span(text, span[0] + m.end(), span[1])
    return span


def _cut_time_tail(text: str, span: Offsets) -> Offsets | None:
    phrase = text[span[0] : span[1]]
    m = re.search(
        r"\s+(?:on|in|at|last|late|earlier|this|yesterday|today)\b(?![^,]*,\s*(?:a|an|the)\s)"
        r"(?:\s+\w+)*$",
        phrase,
    )
    if m and not re.search(r",", phrase[m.start() :]):
        return trim_span(text, span[0], span[0] + m.start())
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
    left = trim_span(text, start, frame_start)
    right_start = frame_end
    colon = re.match(r"[^“”\"]*?:\s*(?=[“\"‘])", text[frame_end:end])
    if colon:
        right_start = frame_end + colon.end()
    right = trim_span(text, right_start, end)
    if right is not None:
        m = re.match(r"(?:[^“”\"]{0,40}?\s)?that\s+", text[right[0] : right[1]])
        # "announced a plan that would …": "that" opens a relative clause.
        if m and not re.match(r"an?\s", text[right[0] : right[1]], re.IGNORECASE):
            right = trim_span(text, right[0] + m.end(), right[1])

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
            found = trim_span(text, m.end(), stop.start() if stop else end)
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
