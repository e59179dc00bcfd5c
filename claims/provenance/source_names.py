"""Source phrases to canonical names, and how alike two names are.

``canonical_name("Interior Ministry spokeswoman Maj. Lena Brandt")`` is
``"Lena Brandt"``: titles and roles before a personal name, appositives after
a comma ("Tomasz Wójcik, a bus driver"), relative clauses ("..., who spoke on
condition of anonymity") and "of the ..." after a person's name go; a leading
article goes from every name ("the central bank" → "central bank").

``name_similarity`` compares two names in [0, 1] so that transliteration
variants score high: it takes the better of a plain edit-distance ratio of
the normalised names and the ratio of their *skeletons* (doubled letters
folded, vowels dropped, "ph"/"f", "k"/"q"/"c", "z"/"s" merged), so "Qasem
Suleimani" and "Qassem Soleimani" have the same skeleton (``qsm slmn``).
The thresholds that use it are in ``claims.provenance.SOURCE_MATCH``.
"""

import re
from functools import lru_cache
from typing import NamedTuple

from rapidfuzz.distance import Indel

from claims.name_normalization import normalize_name
from claims.provenance import lexicon

_TOKEN = re.compile(r"\S+")


class Name(NamedTuple):
    name: str  # canonical
    kind: str  # a SourceKind value
    gender: str  # "f", "m" or ""
    plural: bool


def _bare(token: str) -> str:
    return token.strip(".,;:“”\"'‘’()").lower()


def _is_name_token(token: str) -> bool:
    bare = token.strip(",;:“”\"'‘’()")
    if not bare:
        return False
    if bare.lower() in lexicon.NAME_PARTICLES or bare.lower().startswith(
        ("al-", "el-", "bin-", "abu-")
    ):
        return True
    return bare[0].isupper()


def strip_article(phrase: str) -> str:
    return re.sub(
        r"^(?:the|a|an|its|their|his|her)\s+", "", phrase.strip(), flags=re.IGNORECASE
    )


# "figures from the health board" speak for the board.
DATA_FROM = re.compile(
    r"^(?:the\s+)?(?:latest\s+|new\s+|official\s+)?(?:figures|data|statistics|"
    r"numbers|estimates)\s+(?:from|by|of|published\s+by)\s+",
    re.IGNORECASE,
)
# Post-modifiers that describe rather than name: "groups blocking the road",
# "a circular seen by this newspaper".
_POST_MODIFIER = re.compile(
    r"\s+(?:(?!(?:king|ring|wing|thing|nothing|something|evening|morning|"
    r"building|spring|string|ceiling|meeting|briefing)\b)[a-z]+ing|seen|obtained|"
    r"published|released|sent|signed|issued|reviewed|leaked|cited|quoted|"
    r"based)\b.*$"
)


def _head(phrase: str) -> str:
    """The naming part of a phrase: no appositive, relative clause, modifier."""
    phrase = DATA_FROM.sub("", phrase)
    parts = re.split(r",\s*|\s+(?:who|which|whose)\s+", phrase)
    head = parts[0].strip(" ,.;:") or phrase
    # "The contractor, Frost & Berg AB": the appositive is the name.
    if (
        len(parts) > 1
        and re.match(r"(?:the|its|their)\s+[a-z]", head, re.IGNORECASE)
        and parts[1][:1].isupper()
    ):
        head = parts[1].strip(" ,.;:")
    # "a circular leaked to us" loses its modifier; "a leaked memo" keeps it:
    # a modifier right after the article leaves nothing to name.
    trimmed = _POST_MODIFIER.sub("", head)
    return trimmed if strip_article(trimmed).strip() else head


def canonical_name(phrase: str) -> Name:
    """The name a source phrase stands for, its kind and what it says of gender."""
    phrase = " ".join(phrase.split()).strip(" ,.;:")
    lowered = phrase.lower()
    tokens = [_bare(t) for t in lowered.split()]
    gender = (
        "f"
        if any(t in lexicon.FEMALE_MARKS for t in tokens)
        else "m"
        if any(t in lexicon.MALE_MARKS for t in tokens)
        else ""
    )
    anonymous = bool(lexicon.ANONYMOUS_MARKS.search(phrase))
    head = _head(phrase)
    words = head.split()
    first = _bare(words[0]) if words else ""
    plural_words = {"they", "officials", "groups", "sources", "people"}
    plural = first in {"two", "three", "four", "five", "several", "some", "many"} or (
        bool(words) and (_bare(words[-1]).endswith("s") and first in {"the", ""})
    )
    plural = plural or any(_bare(w) in plural_words for w in words)
    if anonymous or (
        first in {"a", "an", "one", "two", "three", "four", "five", "several", "some"}
        and any(_bare(w) in lexicon.ANONYMOUS_HEADS for w in words)
    ):
        return Name(strip_article(head), "anonymous", gender, plural)
    last = _bare(words[-1]) if words else ""
    if last in lexicon.DOCUMENT_HEADS and first in {"a", "an", "the", "its", "their"}:
        return Name(strip_article(head), "document", gender, False)
    person = _person_name(head)
    if person:
        return Name(person, "person", gender, False)
    if head.strip(" ,") in lexicon.CAPITALS:
        return Name(head.strip(" ,"), "government", gender, False)
    if head.strip(" ,") in lexicon.MOVEMENTS:
        return Name(head.strip(" ,"), "group", gender, False)
    if lone_surname(head, phrase):
        return Name(head.strip(" ,"), "person", gender, False)
    bare_head = strip_article(head)
    low = bare_head.lower()
    if any(w in low.split() for w in lexicon.GOVERNMENT_WORDS) or "white house" in low:
        kind = "government"
    elif any(_bare(w) in lexicon.PUBLICATION_WORDS for w in bare_head.split()):
        kind = "publication"
    elif any(w.strip(",") in lexicon.ORG_WORDS for w in bare_head.split()):
        kind = "organization"
    elif plural:
        kind = "group"
    elif first in {"the", "a", "an"}:
        # "the senator", "the minister": a role names a person
        role = _bare(low.split()[-1]) in lexicon.TITLES if low.split() else False
        kind = "person" if role else "organization"
    else:
        kind = "other"
    return Name(bare_head, kind, gender, plural)


# One capitalised word that names a group rather than a person ("Democrats").
_GROUP_ENDING = re.compile(r"(?:ans|ists|ats|ives|ites|ics|ese)$")
_GROUP_NOUN_ENDING = re.compile(r"(?:ials|ents|ants|ysts|ists|ors|ees|ians)$")
_SURNAME = re.compile(r"(?:[A-Z][’']?)?[A-Z][a-zà-ÿ’'-]*[a-zà-ÿ]")


def lone_surname(head: str, phrase: str) -> bool:
    """Whether one capitalised word is a person's surname: "Marsh", "Marsh,
    who chairs the committee", "Castellano, the party’s treasurer". Not an
    organisation's word, an acronym, a group ("Democrats"), or a word
    described as something else ("Kornhaus, the bakery chain")."""
    word = head.strip(" ,;:")
    if not _SURNAME.fullmatch(word) or _GROUP_ENDING.search(word):
        return False
    low = word.lower()
    if word in lexicon.ORG_WORDS or word in lexicon.MOVEMENTS:
        return False
    if low in lexicon.GROUP_NOUNS or _GROUP_NOUN_ENDING.search(low):
        return False  # "Officials said": a sentence's capital, not a name
    if low in lexicon.GOVERNMENT_WORDS:
        return False
    if low in lexicon.PUBLICATION_WORDS or low in lexicon.TITLES:
        return False
    rest = phrase.strip()[len(word) :].strip(" ,")
    if not rest or re.match(r"who\b", rest):
        return True
    return any(
        _bare(t) in lexicon.TITLES
        or _bare(t) in lexicon.FEMALE_MARKS
        or _bare(t) in lexicon.MALE_MARKS
        for t in rest.split()[:6]
    )


def _person_name(head: str) -> str:
    """The personal name at the end of a phrase with titles, or ""."""
    # "Prof. Ingrid Solberg of the U.K. Climate Institute": the name ends at "of".
    before_of = re.split(r"\s+(?:of|from|at)\s+", head, maxsplit=1)[0]
    words = before_of.split()
    if not words:
        return ""
    last_title = -1
    for i, word in enumerate(words):
        if _bare(word) in lexicon.TITLES:
            last_title = i
    rest = words[last_title + 1 :]
    if not rest or not all(_is_name_token(w) for w in rest):
        return ""
    if any(w.strip(",") in lexicon.ORG_WORDS for w in rest):
        return ""
    if last_title < 0:
        # No title: a bare capitalised phrase is a person if it is two to four
        # words and has no article; "Iraqi resistance groups" has lower case.
        if not 2 <= len(rest) <= 4 or _bare(rest[0]) in {"the", "a", "an"}:
            return ""
        if any(w.endswith(".") and len(w) > 3 for w in rest):
            return ""
    return " ".join(w.strip(",;:") for w in rest)


# Same skeleton, same number of words and a plain ratio of at least
# SKELETON_FLOOR scores SKELETON_SCORE (evidence: BENCHMARKS.md).
SKELETON_FLOOR = 0.85
SKELETON_SCORE = 0.93
_SKELETON_SUBS = [
    (re.compile(r"ph"), "f"),
    (re.compile(r"[qck]+"), "k"),
    (re.compile(r"z"), "s"),
    (re.compile(r"(?<=\w)[aeiouy]+|h(?!\b)"), ""),
    (re.compile(r"(\w)\1+"), r"\1"),
]


@lru_cache(maxsize=65536)  # as normalize_name, for the same comparisons
def skeleton(name: str) -> str:
    """The consonant skeleton of a name, where transliterations agree."""
    key = normalize_name(name)
    key = re.sub(r"\b(?:al|el|ul|ad|ar|as|an)\s+", "al", key)
    for pattern, replacement in _SKELETON_SUBS:
        key = pattern.sub(replacement, key)
    return key


def name_similarity(a: str, b: str) -> float:
    """How alike two names are, 0 to 1, forgiving transliteration."""
    na, nb = normalize_name(a), normalize_name(b)
    if not na or not nb:
        return 0.0
    if na == nb:
        return 1.0
    plain = Indel.normalized_similarity(na, nb)
    ska, skb = skeleton(a), skeleton(b)
    # The skeleton drops most letters, so it only vouches for names of some
    # length, and only together with a plain ratio that is not far off.
    if (
        len(ska) >= 4
        and ska == skb
        and plain >= SKELETON_FLOOR
        and len(na.split()) == len(nb.split())
    ):
        return max(plain, SKELETON_SCORE)
    return plain
