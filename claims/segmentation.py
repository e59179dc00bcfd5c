"""Split a document's text into statements (normally sentences).

Contract: ``segment(text)`` returns ``StatementSpan(start, end)`` pairs whose
offsets are Unicode code point indices into ``text``, 0-based and
end-exclusive: exactly Python's ``text[start:end]``. Spans are in order,
never overlap, and carry no surrounding whitespace
(``text[start:end] == text[start:end].strip()``).
Empty or whitespace-only text gives ``[]``. The result depends on nothing but
``text``, and the work is linear in its length (one regex pass, no
backtracking-prone patterns).

Rules, where the cases are ambiguous:

- No statement crosses a blank line (two or more line breaks with only spaces
  or tabs between them), so a tag line or headline set off by a blank line is
  a statement of its own.
- ``. ? !`` (and ``?!``, ``…``, CJK ``。！？``) end a sentence when followed by
  whitespace and a word that does not start in lower case. Closing quotes and
  brackets right after the mark stay with the sentence (``.”``, ``?’``, ``.)``).
- Titles (Mr., Dr., Gen., Sen., ...) and e.g./i.e./vs. never end a sentence.
  No., Art., Jan.-Dec. and the like do not end one before a number.
- Words that can end a sentence but usually do not (U.S., a.m., p.m., Inc.,
  Co., St., etc., single-letter initials such as "F.") end it only when the
  next word is a common sentence opener ("The", "He", "But", "In", ...). So
  "at 5 p.m. The minister left" splits and "U.S. President Trump" does not;
  "at 3 a.m. Local time" does not split either (a known miss).
- An ellipsis (``…`` or ``...``) never ends a sentence inside an open
  quotation, where it marks omitted words. Outside one it ends a sentence when
  a capitalised word follows.
- A line with no final punctuation, followed by a single line break and a
  line that starts with a capital or a digit, is its own statement (a headline
  above the body) unless the break looks like hard wrapping. Greedy wrappers
  break a line only when the next word would not fit, so the break counts as
  deliberate when the line plus the next word fits in four fifths of the
  paragraph's longest line (the margin covers fmt, which balances lines). A
  line ending in ``, ; : -`` or a dash always continues. So a headline longer
  than every line below it in its block is not split off (a known miss).
- A number of up to three digits opening a line ("1. Reduce emissions.") is a
  list number, not a sentence.
"""

import re
from typing import NamedTuple

# Any stretch of a document's text as (start, end) code points, end
# exclusive: statements, cues, sources' words, attributed content.
Offsets = tuple[int, int]


class StatementSpan(NamedTuple):
    """A statement's place in the text: ``text[start:end]``."""

    start: int
    end: int


# Line breaks as str.splitlines() knows them; "\r\n" counts as one break.
_BREAKS = "\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029"
_NL = rf"(?>\r\n|[{_BREAKS}])"
_HS = rf"[^\S{_BREAKS}]"
_TERMS = ".?!…‼⁇⁈⁉؟।"
_CJK_TERMS = "。！？"
_CLOSERS = "\"'”’»›)\\]}」』）】〉》"
_OPENERS = "\"'“‘„«‹(\\[{¿¡"

_PARA_BREAK = rf"{_NL}(?:{_HS}*+{_NL})++"
# Every candidate starts with one character from a single class, which lets the
# regex engine skip ahead quickly; the branches then tell the kinds apart. The
# (?<!x.) lookbehinds make a run of dots one candidate rather than one per dot.
_CANDIDATE = re.compile(
    rf"[{_BREAKS}{_TERMS}{_CJK_TERMS}](?:"
    rf"(?<=[{_BREAKS}])(?P<line>(?<=\r)\n|)(?P<para>(?:{_HS}*+{_NL})++)?+"
    rf"|(?<=[{_TERMS}])(?<![{_TERMS}].)(?P<term>[{_TERMS}]*+)[{_CLOSERS}]*+(?=\s)"
    rf"|(?<=[{_CJK_TERMS}])(?<![{_CJK_TERMS}].)(?P<cjk>[{_CJK_TERMS}]*+)[{_CLOSERS}]*+"
    ")"
)
_PARA = re.compile(_PARA_BREAK)
_NEXT = re.compile(rf"\s*+[{_OPENERS}]*+(?P<word>[^\W_]*+)(?P<dot>\.?)")
_DOTTED = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]")
_QUOTE = re.compile('["“”„«»]')
_TOKEN = re.compile(r"\s*+(\S*+)")

# Word lists are matched case-sensitively against the word before the full stop.
# fmt: off
_NEVER_FINAL = frozenset({
    "Mr", "Mrs", "Ms", "Mx", "Messrs", "Mme", "Mlle", "Dr", "Prof", "Gen", "Lt",
    "Sgt", "Maj", "Col", "Capt", "Cpl", "Pvt", "Adm", "Brig", "Cmdr", "Cdr", "Rep",
    "Reps", "Sen", "Sens", "Gov", "Pres", "Rev", "Hon", "Fr", "Supt", "Insp", "Det",
    "MR", "MRS", "MS", "DR", "PROF", "GEN", "LT", "SGT", "MAJ", "COL", "CAPT",
    "REP", "SEN", "GOV", "e.g", "i.e", "E.g", "I.e", "cf", "vs", "viz",
})
_BEFORE_NUMBER = frozenset({
    "No", "Nos", "no", "Art", "Vol", "vol", "Fig", "fig", "Ch", "Sec", "p", "pp",
    "para", "ca", "approx", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep",
    "Sept", "Oct", "Nov", "Dec",
})
_WEAK = frozenset({
    "Inc", "Corp", "Co", "Ltd", "Bros", "Jr", "Sr", "St", "Mt", "Ph.D", "etc", "al",
})
# Words that open sentences far more often than they follow U.S., Inc. or an
# initial inside one; title case only, so "IT" or "US" do not count.
_OPENER_WORDS = frozenset({
    "The", "A", "An", "This", "That", "These", "Those", "There", "Here", "It",
    "Its", "He", "His", "She", "Her", "They", "Their", "We", "Our", "I", "You",
    "Your", "But", "And", "Or", "So", "Yet", "However", "Meanwhile", "Still",
    "Also", "Then", "Now", "Later", "Earlier", "Instead", "After", "Before", "When",
    "While", "If", "As", "Although", "Though", "Because", "Since", "Despite", "In",
    "On", "At", "For", "From", "With", "Without", "By", "Of", "To", "Under", "Over",
    "During", "Last", "Next", "Why", "What", "How", "Who", "Where", "Which", "Many",
    "Most", "Some", "Several", "All", "Both", "Each", "Every", "Such", "No",
    "Neither", "Nor", "Other", "Others",
})
# fmt: on
_CONTINUES = ",;:-–—/&("  # a line ending in one of these is not finished


def segment(text: str) -> list[StatementSpan]:
    """Return the statements of ``text`` as spans, in order."""
    spans: list[StatementSpan] = []
    start = para_start = line_start = quote_pos = 0
    carried = False  # the open statement has text on an earlier line
    in_quote = False
    widest = (-1, 0)  # (paragraph start, length of its longest line)
    for m in _CANDIDATE.finditer(text):
        kind = m.lastgroup
        # Each branch of _CANDIDATE ends in a named group that always takes part.
        assert kind is not None
        if kind == "para":
            _add(spans, text, start, m.start())
            start = para_start = line_start = quote_pos = m.end()
            carried = in_quote = False
            continue
        if kind == "line":
            nl = m.start()
            if (
                not carried
                and start <= line_start
                and _is_headline(text, line_start, nl)
            ):
                if widest[0] != para_start:
                    widest = (para_start, _longest_line(text, para_start))
                if _deliberate_break(text, line_start, nl, m.end(), widest[1]):
                    _add(spans, text, start, nl)
                    start = m.end()
            carried = carried or bool(text[max(start, line_start) : nl].strip())
            line_start = m.end()
            continue
        marks = text[m.start() : m.end(kind)]
        if kind == "cjk":
            ends = True
        elif marks == ".":
            head = None if carried else max(start, line_start)
            ends = _period_ends(text, head, m.start(), m.end())
        elif "?" in marks or "!" in marks or marks[-1] not in ".…":
            ends = _starts_sentence(text, _next_word(text, m.end()), digits=True)
        else:  # an ellipsis: is a quotation open here?
            for q in _QUOTE.finditer(text, quote_pos, m.start()):
                in_quote = _opens_quote(text, q.start(), para_start)
            quote_pos = m.start()
            closed = any(c in '"”»' for c in text[m.end(kind) : m.end()])
            ends = (not in_quote or closed) and _starts_sentence(
                text, _next_word(text, m.end()), digits=False
            )
        if ends:
            _add(spans, text, start, m.end())
            start = m.end()
            carried = False
    _add(spans, text, start, len(text))
    return spans


def _add(spans: list[StatementSpan], text: str, start: int, end: int) -> None:
    """Append ``text[start:end]`` without its surrounding whitespace, if any."""
    chunk = text[start:end]
    stripped = chunk.strip()
    if stripped:
        lead = start + len(chunk) - len(chunk.lstrip())
        spans.append(StatementSpan(lead, lead + len(stripped)))


def _next_word(text: str, pos: int) -> re.Match[str]:
    """Match ``_NEXT`` at ``pos``; every part of it is optional, so it always does."""
    nxt = _NEXT.match(text, pos)
    assert nxt is not None
    return nxt


def _token(text: str, pos: int) -> re.Match[str]:
    """Match ``_TOKEN`` at ``pos``; it may match nothing, so it always does."""
    token = _TOKEN.match(text, pos)
    assert token is not None
    return token


def _starts_sentence(text: str, nxt: re.Match[str], *, digits: bool) -> bool:
    """Tell whether the words matched by ``_NEXT`` can open a sentence."""
    word = nxt.group("word")
    if not word:
        # "$5", "—": a new sentence; ", and": not one.
        return nxt.end() < len(text) and text[nxt.end()] not in ",;:"
    if word[0].isdigit():
        return digits
    return not word[0].islower()


def _period_ends(text: str, head: int | None, dot: int, end: int) -> bool:
    """Tell whether the full stop at ``dot`` ends its sentence.

    ``head`` is where the open statement's text on this line begins, or None
    when the statement began on an earlier line.
    """
    # Abbreviations are short, so look back a few characters only.
    i = dot
    while dot - i < 20 and i > 0 and not text[i - 1].isspace():
        i -= 1
    word = text[i:dot].lstrip(_OPENERS)
    if word in _NEVER_FINAL:
        return False
    at_head = head is not None and i - head <= 8 and not text[head:i].strip()
    if at_head and word.isdigit() and len(word) <= 3:
        return False  # a list number: "1. Reduce emissions."
    nxt = _next_word(text, end)
    if not _starts_sentence(text, nxt, digits=True):
        return False
    following = nxt.group("word")
    if word in _BEFORE_NUMBER:
        return not following[:1].isdigit()
    if word in _WEAK or _DOTTED.fullmatch(word) or (len(word) == 1 and word.isupper()):
        # "J. K. Rowling": the next word being an initial itself rules it out.
        return following in _OPENER_WORDS and not nxt.group("dot")
    return True


def _opens_quote(text: str, pos: int, para_start: int) -> bool:
    """Tell whether the quotation mark at ``pos`` opens a quotation."""
    c = text[pos]
    if c == '"':
        return (
            pos == para_start or text[pos - 1].isspace() or text[pos - 1] in "([{—–-/"
        )
    return c in "“„«"


def _is_headline(text: str, line_start: int, nl: int) -> bool:
    """Tell whether the line ending at ``nl`` could be a headline over the next."""
    line = text[line_start:nl].rstrip().rstrip(_CLOSERS)
    if not line or line[-1] in _TERMS or line[-1] in _CJK_TERMS:
        return False  # a full stop there has been judged already
    word = _next_word(text, nl).group("word")
    return line[-1] not in _CONTINUES and word != "" and not word[0].islower()


def _deliberate_break(
    text: str, line_start: int, nl: int, after: int, widest: int
) -> bool:
    """Tell whether a wrapper would have put the next word on this line too."""
    # Greedy wrappers (textwrap, most editors) break only when the next word
    # does not fit; fmt balances lines and can break well short of the width.
    # On licence texts and news reflowed by textwrap at 40-100 columns this
    # margin split off none of ~23,000 wrapped lines, and 4 of ~26,000 by fmt.
    fitted = len(text[line_start:nl].rstrip()) + 1 + len(_token(text, after)[1])
    return 5 * fitted <= 4 * widest


def _longest_line(text: str, para_start: int) -> int:
    """Return the length of the longest line of the paragraph at ``para_start``."""
    m = _PARA.search(text, para_start)
    para = text[para_start : m.start() if m else len(text)]
    return max(len(line.rstrip()) for line in para.splitlines())
