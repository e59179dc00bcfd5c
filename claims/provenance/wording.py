"""A proposed claim's wording: the proposition a statement makes.

``claim_wording(text, suggestion)`` takes a document's text and one
``Suggestion`` of ``engine.suggest`` and returns one line of text:

- **Clause form.** Where the content is a full clause — a quotation that is a
  sentence, the words before an inverted or trailing cue ("“Rents rose 40%,”
  the mayor said"), a clause after "that", after "according to" or after a
  cue with a finite verb in it ("said the strike would last a week") — the
  claim is the content alone: "The strike would last a week".
- **Source form.** Where the content is not a clause ("announcing a halt to
  …", "pledged to take up arms", "condemned a series of …"), or the cue takes
  an object (``lexicon.OBJECT_CUES``) or reports what the source does not
  assert (``lexicon.NON_ASSERTING_CUES``), the claim is the resolved source
  name, the cue verb in the simple past and the words after the cue:
  "Iraqi resistance groups announced a halt to …", even where the text says
  "The groups" or "it".
- **Author statements** keep their words.

Every form is one line, without quotation marks (curly, straight, nested
single ones; apostrophes stay), without a trailing full stop or comma, and
with its first letter in capitals; the rest is as written. When it is not
sure that the content is a clause the rule keeps the source: "X said …" is
still true of the text, a clause without its speaker may not be.
"""

import re

from claims.provenance import lexicon
from claims.provenance.quotes import quotations
from claims.provenance.suggestion import Suggestion

_DOUBLE_MARKS = '“”„«»"'
_EDGE = " \t\n\r\u00a0,.;:!—–-…“”„«»\"‘’'‚‹›"
_TOKEN = re.compile(r"[^\W_][\w’'-]*")
_PARTICLES = frozenset(["out", "up", "down", "off", "back"])
_RELATIVE = frozenset(["that", "which", "who", "whom", "whose"])


def claim_wording(text: str, suggestion: Suggestion) -> str:
    """The wording of the claim the statement ``suggestion`` describes makes."""
    start, end = suggestion.statement
    if suggestion.kind == "author" or suggestion.content is None:
        return _author(text[start:end])
    c_start, c_end = suggestion.content
    content = text[c_start:c_end]
    cue = suggestion.cue
    if cue is None or not start <= cue[0] < end:
        # A quotation whose cue lies in another statement: a sentence of its own.
        return _line(content)
    cue_words = text[cue[0] : cue[1]]
    if _ACCORDING.match(cue_words) or c_end <= cue[0]:
        return _line(content)  # "…, according to X" / "…,” X said."
    verb = cue_words.split()[-1]
    base = base_form(verb)
    between = text[cue[1] : c_start]
    if base not in lexicon.OBJECT_CUES | lexicon.NON_ASSERTING_CUES and (
        re.search(r"\bthat\s*$", between)
        or _quoted_sentence(suggestion.kind, content)
        or is_clause(_unquoted(content))
    ):
        return _line(re.sub(r"^that\s+", "", content))
    subject = _subject(suggestion)
    words = _unquoted(text[cue[1] : c_end]).strip(_EDGE)  # ": “…" too
    return _line(f"{subject} {simple_past(verb)} {words}")


_ACCORDING = re.compile(r"according\s+to\b", re.IGNORECASE)


def base_form(verb: str) -> str | None:
    """The base form of a reporting verb of the lexicon, or None."""
    word = verb.lower()
    if word in lexicon.CUE_PAST:
        return word
    for past_base, past in lexicon.CUE_PAST.items():
        if word == past:
            return past_base
    candidates = []
    if word.endswith("ing"):
        stem = word[:-3]
        candidates += [stem, stem + "e", stem[:-1]]
    if word.endswith("ies"):
        candidates.append(word[:-3] + "y")
    if word.endswith("es"):
        candidates.append(word[:-2])
    if word.endswith("s"):
        candidates.append(word[:-1])
    if word.endswith("ed"):
        candidates += [word[:-1], word[:-2], word[:-3]]
    return next((c for c in candidates if c in lexicon.CUE_PAST), None)


def simple_past(verb: str) -> str:
    """ "announcing", "has pledged" → "announced", "pledged"; "warned" stays."""
    word = verb.split()[-1]
    base = base_form(word)
    if base is None:
        return word
    if word.lower().endswith("ed") and word.lower() != lexicon.CUE_PAST[base]:
        return word  # a spelling of the past of its own ("signaled")
    return lexicon.CUE_PAST[base]


def is_clause(words: str) -> bool:
    """Whether words have a finite verb outside a relative clause.

    Auxiliaries, modals and common irregular past tenses count; a regular
    "-ed" word counts where it follows a word that can end a subject and
    is followed by an object or nothing, not a passive's "by" ("acts carried
    out by the US" is a noun phrase).
    """
    tokens = _TOKEN.findall(words)
    if not tokens or tokens[0].lower() in {"to", "for", "of", "against", "on"}:
        return False
    relative = False  # inside "a plan that would …": its verb is not the clause's
    for i, token in enumerate(tokens):
        low = token.lower()
        previous = tokens[i - 1].lower() if i else ""
        if i and low in _RELATIVE:
            relative = True
            continue
        if not _finite(tokens, i, low, previous):
            continue
        if relative:
            relative = False
            continue
        return True
    return False


def _finite(tokens: list[str], i: int, low: str, previous: str) -> bool:
    if i == 0 or previous in lexicon.DETERMINERS or previous == "to":
        return False
    if low in lexicon.FINITE_VERBS or low.endswith(lexicon.FINITE_SUFFIXES):
        return True
    if not (low.endswith("ed") and len(low) > 4 and "-" not in low):
        return False
    if tokens[i][0].isupper() or previous in lexicon.FINITE_VERBS:
        return False  # a name ("United"), or a participle after "was", "had"
    following = [t.lower() for t in tokens[i + 1 : i + 3]]
    if following[:1] == ["by"] or (
        following[1:] == ["by"] and following[0] in _PARTICLES
    ):
        return False  # "carried out by the US": a passive participle
    if not following:
        return True
    nxt = following[0]
    return (
        nxt in lexicon.DETERMINERS
        or nxt in {"him", "her", "them", "it", "us", "me"}
        or nxt in _PARTICLES
        or nxt[0].isdigit()
        or nxt.endswith("ly")
    )


def _quoted_sentence(kind: str, content: str) -> bool:
    """A quotation that opens with a capital and runs on: a sentence."""
    words = _unquoted(content).split()
    return kind == "direct" and len(words) >= 3 and words[0][:1].isupper()


def _subject(suggestion: Suggestion) -> str:
    """The source as a sentence's subject: "Lena Brandt", "the central bank"."""
    name = suggestion.source_name or suggestion.source_phrase or ""
    if not name or not name[0].islower():
        return name
    phrase = (suggestion.source_phrase or "").split()
    determiner = len(phrase) > 1 and phrase[0].lower() in lexicon.DETERMINERS
    if determiner and " ".join(phrase[1:]).lower() == name.lower():
        return f"{phrase[0].lower()} {name}"
    if " ".join(phrase).lower() == name.lower():
        return name  # "police", "officials"
    return f"the {name}"


def _unquoted(words: str) -> str:
    """Words without their quotation marks, apostrophes kept."""
    out, last = [], 0
    for quote in quotations(words):
        out.append(words[last : quote.start])
        inner_end = quote.end
        if quote.end - 1 > quote.start and words[quote.end - 1] in "”»\"’›'":
            inner_end -= 1
        out.append(_unquoted(words[quote.start + 1 : inner_end]))
        last = quote.end
    out.append(words[last:])
    # Marks no quotation paired (one opened before the content began).
    return "".join(ch for ch in "".join(out) if ch not in _DOUBLE_MARKS)


def _line(words: str) -> str:
    line = " ".join(_unquoted(words).split()).strip(_EDGE)
    return line[:1].upper() + line[1:]


def _author(statement: str) -> str:
    """An author's statement in its own words: one line, no final stop."""
    words = " ".join(statement.split())
    quotes = quotations(words)
    if len(quotes) == 1 and quotes[0] == (0, len(words)):
        words = _unquoted(words)  # a bare quotation, marks and all
    line = words.rstrip(" .").strip()
    return line or words
