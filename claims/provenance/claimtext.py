"""Check-worthy statements and how alike a statement is to a known claim.

``check_worthy(text)`` says whether a statement asserts something a
fact-checker can check: a number, a date, a comparison, a cause, or at least
two named actors; questions, very short statements and bare quotations of
opinion (a quotation with none of the first four) are not.

``claim_similarity(a, b)`` is PostgreSQL pg_trgm's ``similarity()`` computed
in Python (lower-cased words of letters and digits, each padded with two
spaces before and one after, cut into a set of trigrams; shared trigrams over
all trigrams), so that SQLite scores exactly as PostgreSQL does. A claim
matches a statement when the similarity is at least ``CLAIM_MATCH`` and the
numbers and names of the two agree (``numbers_agree``): "cost €2.5m" and
"cost €3m", or "unemployment in Kalo" and "in Rendor", are different claims
however alike the words.
"""

import re
from functools import lru_cache

# Evidence in BENCHMARKS.md ("Provenance suggestions", claim matching).
CLAIM_MATCH = 0.45

_NUMBER = re.compile(r"\d[\d,.]*\d|\d")
_NUMBER_WORDS = re.compile(
    r"\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|"
    r"thirty|forty|fifty|hundred|hundreds|thousand|thousands|million|millions|"
    r"billion|billions|dozen|dozens|half|third|quarter|double|doubled|tripled|"
    r"percent|per\s+cent)\b",
    re.IGNORECASE,
)
_DATE = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|"
    r"November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|"
    r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|yesterday|"
    r"(?:last|next|this|past)\s+(?:few\s+)?(?:year|years|month|months|week|weeks|"
    r"decade|spring|summer|autumn|winter)|(?:1[89]|20)\d\d)\b",
    re.IGNORECASE,
)
_COMPARISON = re.compile(
    r"\b(?:than|more|less|fewer|most|least|highest|lowest|largest|biggest|"
    r"smallest|record|rose|fell|increased|decreased|doubled|halved|compared|"
    r"twice|unanimously|all|every|only|first|worst|best)\b",
    re.IGNORECASE,
)
_CAUSE = re.compile(
    r"\b(?:because|due\s+to|caused|causes|causing|led\s+to|leads\s+to|"
    r"result\s+of|as\s+a\s+result|owing\s+to|blamed|responsible\s+for|"
    r"linked\s+to|since|killed|killing|assassinat\w+|destroyed)\b",
    re.IGNORECASE,
)
_NAMED = re.compile(r"(?<![.!?“\"‘]\s)(?<!^)\b[A-Z][\w’'-]+")
_FIRST_WORD = re.compile(r"[“\"‘(]*([A-Z][\w’'-]+)")
# Capitalised only because they open the sentence.
_OPENERS = frozenset(
    [
        "The",
        "A",
        "An",
        "This",
        "That",
        "These",
        "Those",
        "It",
        "Its",
        "He",
        "His",
        "She",
        "Her",
        "They",
        "Their",
        "We",
        "Our",
        "I",
        "In",
        "On",
        "At",
        "For",
        "From",
        "With",
        "By",
        "After",
        "Before",
        "When",
        "While",
        "If",
        "As",
        "But",
        "And",
        "So",
        "Yet",
        "There",
        "Here",
        "Some",
        "Many",
        "Most",
        "All",
        "Both",
        "Each",
        "Every",
        "No",
        "Just",
        "Only",
        "Even",
        "Still",
        "Critics",
        "Officials",
        "Residents",
        "Police",
    ]
)
_NAME_WORD = re.compile(r"(?<=\s)[A-Z][^\W_]+")
_TRIGRAM_WORD = re.compile(r"[^\W_]+")


def check_worthy(text: str) -> bool:
    """Whether a statement makes a checkable assertion (see the module doc)."""
    stripped = text.strip()
    if len(stripped.split()) < 6 or stripped.rstrip('”"’').endswith("?"):
        return False
    signals = sum(
        bool(p.search(stripped)) for p in (_NUMBER, _NUMBER_WORDS, _DATE, _CAUSE)
    ) + bool(_COMPARISON.search(stripped))
    named = {m.group() for m in _NAMED.finditer(stripped)}
    first = _FIRST_WORD.match(stripped)
    if first and first.group(1) not in _OPENERS:
        named.add(first.group(1))
    if stripped[:1] in '“"‘«' and not signals:
        return False  # a quotation of opinion
    return (signals >= 1 and (bool(named) or signals >= 2)) or len(named) >= 2


def claim_text(text: str) -> str:
    """A statement's words as a claim's wording: one line, no outer quotes."""
    words = " ".join(text.split()).strip()
    return words.rstrip(".").strip() or words


def trigrams(text: str) -> set[str]:
    """pg_trgm's trigrams of a text."""
    grams: set[str] = set()
    for word in _TRIGRAM_WORD.findall(text.lower()):
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


def trigram_words(text: str) -> list[str]:
    """The lower-cased words pg_trgm cuts into trigrams."""
    return _TRIGRAM_WORD.findall(text.lower())


def claim_similarity(a: str, b: str) -> float:
    """pg_trgm ``similarity(a, b)``: shared trigrams over all trigrams."""
    ta, tb = trigrams(a), trigrams(b)
    if not ta or not tb:
        return 0.0
    return len(ta & tb) / len(ta | tb)


def numbers_agree(statement: str, claim: str) -> bool:
    """Whether every number and every name (a capitalised word after the
    first) the claim states is also in the statement."""
    if not _numbers(claim) <= _numbers(statement):
        return False
    return _names(claim) <= _bare_words(statement)


# Cached, the three below: a batch of suggestions puts each statement beside
# several claims and each claim beside many statements.
@lru_cache(maxsize=4096)
def _numbers(text: str) -> frozenset[str]:
    return frozenset(n.replace(",", "").rstrip(".") for n in _NUMBER.findall(text))


@lru_cache(maxsize=4096)
def _names(claim: str) -> frozenset[str]:
    names = [m.group() for m in _NAME_WORD.finditer(claim)]
    first = _FIRST_WORD.match(claim)
    if first and first.group(1) not in _OPENERS:
        names.append(first.group(1))
    return frozenset(_bare(name) for name in names)


@lru_cache(maxsize=4096)
def _bare_words(statement: str) -> frozenset[str]:
    return frozenset(_bare(w) for w in _TRIGRAM_WORD.findall(statement))


def _bare(word: str) -> str:
    return re.sub(r"[’']s$", "", word).lower()
