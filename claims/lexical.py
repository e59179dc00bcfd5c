"""Words of a text for claim search: plain Python, no Django.

``fts5_query`` is an SQLite FTS5 query that matches a claim sharing any word
of the text, each word quoted so that nothing in the text is read as FTS5
syntax (``AND``, ``NEAR``, ``*``, ``"``, ``:``, parentheses).

``coverage(text, claim)`` is how much of a claim's wording a text holds: the
share of the claim's words (stop words aside, each reduced to a crude stem)
that appear in the text, from 0 to 1. Unlike a rank it means the same for
every text, so a threshold can be set on it (BENCHMARKS.md, Claim retrieval).
"""

import re
from functools import lru_cache

_WORD = re.compile(r"\w+")
# English stop words: they match nearly every claim and say nothing of which.
_STOP = (
    "a about above after again against all am an and any are as at be because "
    "been before being below between both but by can could did do does doing "
    "down during each few for from further had has have having he her here "
    "hers herself him himself his how i if in into is it its itself just me "
    "more most my myself no nor not now of off on once only or other our ours "
    "ourselves out over own same she should so some such than that the their "
    "theirs them themselves then there these they this those through to too "
    "under until up very was we were what when where which while who whom why "
    "will with would you your yours yourself yourselves"
)
STOP_WORDS = frozenset(_STOP.split())
_SUFFIXES = ("ing", "ed", "es", "s")


def words(text: str) -> list[str]:
    """The text's words in order, lower-cased, stop words and lone letters out."""
    return [
        w for w in _WORD.findall(text.lower()) if len(w) > 1 and w not in STOP_WORDS
    ]


def fts5_query(text: str) -> str:
    """An FTS5 query matching any of the text's words; empty when it has none."""
    return " OR ".join(f'"{w}"' for w in dict.fromkeys(words(text)))


def _stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


# Cached: a batch of suggestions compares each statement with several claims
# and each claim with many statements, and news repeats its sentences.
@lru_cache(maxsize=4096)
def stems(text: str) -> frozenset[str]:
    """The stems of the text's words (``words``), as coverage compares them."""
    return frozenset(_stem(w) for w in words(text))


def coverage(text: str, claim: str) -> float:
    """The share of the claim's words that the text holds (0 to 1)."""
    wanted = stems(claim)
    if not wanted:
        return 0.0
    return len(wanted & stems(text)) / len(wanted)


class CoverageIndex:
    """Claims gathered one by one, looked up by how much of each a text holds.

    ``coverage`` against every claim gathered, without comparing the text with
    each: the claims are indexed by their stems, so a lookup costs the claims
    that share a stem with the text.
    """

    def __init__(self) -> None:
        self._wanted: list[int] = []  # stems of each claim, by its number
        self._by_stem: dict[str, list[int]] = {}

    def add(self, claim: str) -> int:
        """Gather a claim's wording; its number, counting from 0."""
        number = len(self._wanted)
        claim_stems = stems(claim)
        self._wanted.append(len(claim_stems))
        for stem in claim_stems:
            self._by_stem.setdefault(stem, []).append(number)
        return number

    def covered(self, text: str, share: float) -> list[int]:
        """The claims the text holds ``share`` of or more, by number, the most
        covered first (then the first gathered)."""
        held: dict[int, int] = {}
        for stem in stems(text):
            for number in self._by_stem.get(stem, ()):
                held[number] = held.get(number, 0) + 1
        found = [
            (count / self._wanted[number], number)
            for number, count in held.items()
            if count / self._wanted[number] >= share
        ]
        return [number for _, number in sorted(found, key=lambda f: (-f[0], f[1]))]
