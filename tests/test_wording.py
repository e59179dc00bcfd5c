"""A proposed claim's wording (claims.provenance.claim_wording): golden cases
through the real engine, the seed fixture's claims, the verb forms."""

import json
from collections import Counter

import pytest

from claims.provenance import claim_wording, lexicon, simple_past, suggest
from claims.segmentation import segment
from tests.conftest import DATA, FIXTURES

CASES = json.loads((DATA / "claim_wording.json").read_text(encoding="utf-8"))["cases"]
SEED_RECORD = json.loads(
    (FIXTURES / "seed_article.jsonl").read_text(encoding="utf-8").splitlines()[0]
)


def golden(case: dict):
    """A golden case as a test parameter; known misses must still miss."""
    marks = []
    if "known_miss" in case:
        marks.append(pytest.mark.xfail(reason=case["known_miss"], strict=True))
    return pytest.param(case, id=case["id"], marks=marks)


def _worded(case: dict):
    """The engine's suggestion for the case's statement, and its wording."""
    text = case["text"]
    suggestions = suggest(text, [(s.start, s.end) for s in segment(text)])
    wanted = case.get("statement")
    found = [
        s
        for s in suggestions
        if wanted is None or text[s.statement[0] : s.statement[1]] == wanted
    ]
    assert len(found) == 1, [text[a:b] for a, b in segment(text)]
    return found[0], claim_wording(text, found[0])


@pytest.mark.parametrize("case", [golden(case) for case in CASES])
def test_golden_case(case):
    """The engine reads the statement as the case says, and the claim is worded
    as a fact-checker would write it."""
    suggestion, wording = _worded(case)
    assert suggestion.kind == case["kind"]
    assert wording == case["expected"]


def test_the_cases_cover_every_kind_and_form():
    """At least 40 cases beside the seed's, every kind, each form of the brief."""
    own = [c for c in CASES if not c["id"].startswith("seed-")]
    assert len(own) >= 40
    kinds = Counter(c["kind"] for c in CASES)
    assert set(kinds) == {"direct", "mixed", "indirect", "author"}
    texts = " ".join(c["text"] for c in own)
    for form in ("according to", "told reporters", "’ ", "said that", ", said "):
        assert form in texts or form.capitalize() in texts, form


@pytest.mark.parametrize(
    "case", [c for c in CASES if "seed_claim" in c], ids=lambda c: c["id"]
)
def test_seed_claims_are_the_fixtures(case):
    """A case's seed_claim is the claim the seed fixture gives that statement."""
    statement = " ".join((case.get("statement") or case["text"]).split())
    claims = [
        [claim["text"] for claim in s["claims"]]
        for s in SEED_RECORD["statements"]
        if " ".join(s["text"].split()) == statement
    ]
    assert len(claims) == 1
    assert case["seed_claim"] in claims[0]


@pytest.mark.parametrize(
    ("verb", "past"),
    [
        ("have issued a statement announcing", "announced"),
        ("has pledged", "pledged"),
        ("says", "said"),
        ("warned", "warned"),
        ("denies", "denied"),
        ("admitting", "admitted"),
        ("signalling", "signalled"),
        ("signaled", "signaled"),
        ("tells", "told"),
        ("forecasts", "forecast"),
    ],
)
def test_cue_verbs_in_the_simple_past(verb, past):
    """A cue's last word in the simple past, a past spelling kept."""
    assert simple_past(verb) == past


def test_every_cue_verb_has_a_simple_past():
    """Each form of the lexicon's reporting verbs finds its base and past."""
    from claims.provenance.wording import base_form

    assert [w for w in sorted(lexicon.CUE_VERBS) if base_form(w) is None] == []
    # Past spellings of their own stay as written.
    assert {
        w for w in lexicon.CUE_VERBS if simple_past(w) not in lexicon.CUE_PAST.values()
    } == {"forecasted", "signaled"}
