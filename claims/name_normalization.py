"""Normalised forms of names, for uniqueness and look-up (no Django here).

Two spellings that differ only in case, accents, punctuation or spacing
("Hashd al-Sha’abi", "hashd al shaabi ") name the same source, so the database
holds each source's name and aliases in this form under a unique constraint.
Transliteration variants ("Qasem Suleimani", "Qassem Soleimani") are *not*
folded here: they are different strings, recorded as aliases.
"""

import re
import unicodedata
from functools import lru_cache

_APOSTROPHES = re.compile(r"['’ʼ‘`´]")
_NOT_WORD = re.compile(r"[\W_]+")


# Cached: the suggestions compare each name a statement gives with every
# source the document named before it, so the same few names come again and
# again (tens of thousands of calls for a few hundred documents).
@lru_cache(maxsize=65536)
def normalize_name(name: str) -> str:
    """Return the comparison key of a name: no accents, case or punctuation."""
    decomposed = unicodedata.normalize("NFKD", name)
    letters = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    letters = _APOSTROPHES.sub("", letters.casefold())
    return " ".join(_NOT_WORD.sub(" ", letters).split())
