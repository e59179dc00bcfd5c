"""The pure provenance rules (claims.provenance): golden cases, the dev set's
targets, and agreement with the hand annotation of the seed article."""

import json

import pytest

from bench.provenance_eval import evaluate, golden_misses, load
from claims.provenance import (
    canonical_name,
    check_worthy,
    claim_similarity,
    name_similarity,
    numbers_agree,
    quotations,
    suggest,
)
from claims.segmentation import segment
from tests.conftest import DATA

CASES = json.loads((DATA / "provenance_cases.json").read_text(encoding="utf-8"))[
    "cases"
]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_golden_cases(case):
    """Each statement gets the kind, source, spans and conduit written down."""
    text = case["text"]
    suggestions = suggest(text, segment(text))
    assert all(0 <= s.confidence <= 1 for s in suggestions)
    assert golden_misses(case, suggestions) == [], text


def test_every_class_of_issue_18_has_five_golden_cases():
    """The misses on real news each have at least five cases of their own."""
    classes = [case["class"] for case in CASES if "class" in case]
    assert sorted({c.split()[0] for c in classes}) == [str(n) for n in range(1, 10)]
    assert all(classes.count(c) >= 5 for c in set(classes))


def test_offsets_count_code_points_from_the_start_of_the_document():
    """Spans index the document's text, whatever precedes the statement."""
    text = "Ça va. “Świetnie,” said Zoë Ålund."
    last = suggest(text, segment(text))[-1]
    assert text[last.cue[0] : last.cue[1]] == "said"
    assert text[last.source_span[0] : last.source_span[1]] == "Zoë Ålund"


def test_quotations_ignore_apostrophes_and_close_at_paragraph_ends():
    """“Iran’s” is no quotation; an open quotation ends with its paragraph."""
    text = "“Iran’s oil ‘flows’ freely\n\n“Next,” she said."
    assert [text[q.start : q.end] for q in quotations(text)] == [
        "“Iran’s oil ‘flows’ freely",
        "“Next,”",
    ]


def test_canonical_names_drop_titles_appositives_and_articles():
    """The name under the phrase is what sources are matched on."""
    assert canonical_name("Interior Ministry spokeswoman Maj. Lena Brandt").name == (
        "Lena Brandt"
    )
    assert canonical_name("Tomasz Wójcik, a bus driver").name == "Tomasz Wójcik"
    assert canonical_name("the central bank").name == "central bank"
    assert canonical_name("an internal audit").kind == "document"
    assert canonical_name("three officials briefed on the talks").kind == "anonymous"


def test_a_lone_capitalised_word_is_a_person_unless_something_says_otherwise():
    """A surname alone names a person; a capital, a movement, a group do not."""
    assert canonical_name("Marsh").kind == "person"
    assert canonical_name("Marsh, who chairs the committee").kind == "person"
    assert canonical_name("Castellano, the party’s treasurer").kind == "person"
    assert canonical_name("Kornhaus, the bakery chain").kind != "person"
    assert canonical_name("Democrats").kind != "person"
    assert canonical_name("Moscow").kind == "government"
    assert canonical_name("Hamas").kind == "group"
    assert canonical_name("NATO").kind == "organization"


def test_name_similarity_forgives_transliteration_not_other_people():
    """Suleimani/Soleimani match; different people do not."""
    assert name_similarity("Qasem Suleimani", "Qassem Soleimani") >= 0.88
    assert name_similarity("Maj. Lena Brandt", "Lena Brandt") < 1  # titles: see
    assert name_similarity("Lena Brandt", "Lena Brandt") == 1
    assert name_similarity("Maria Okafor", "Mario Costa") < 0.88
    assert name_similarity("Ingrid Solberg", "Ingrid Sundberg") < 0.88


def test_check_worthiness():
    """Numbers, dates and named actors make a claim; opinion quotes do not."""
    assert check_worthy("Unemployment rose to 8% in March, the highest since 2009.")
    assert check_worthy("Iraqi lawmakers passed a bill mandating the US withdrawal.")
    assert not check_worthy("“We will never give up,” she said.")
    assert not check_worthy("Is it fair?")


def test_claim_similarity_is_pg_trgm_similarity():
    """Identical texts score 1, unrelated ones near 0, and numbers must agree."""
    assert claim_similarity("Prices rose 4%", "prices rose 4%") == 1.0
    assert claim_similarity("Prices rose", "The river flooded") < 0.1
    # pg_trgm: similarity('word', 'two words') = 4/11 (checked in PostgreSQL).
    assert claim_similarity("word", "two words") == pytest.approx(4 / 11)
    assert numbers_agree("It cost €2.5m last year", "It cost €2.5m")
    assert not numbers_agree("It cost €3m last year", "It cost €2.5m")


def test_dev_set_meets_the_targets():
    """Segmentation F1 ≥ 0.97, kind accuracy ≥ 0.85, source accuracy ≥ 0.80."""
    scores = evaluate(load(DATA / "provenance_dev.json"))
    assert scores.segmentation_f1 >= 0.97
    assert scores.kind_accuracy >= 0.85, scores.misses
    assert scores.source_accuracy >= 0.80, scores.misses


def test_dev_set_has_ten_articles_and_every_kind():
    """The set is big enough to mean something and covers all four kinds."""
    articles = load(DATA / "provenance_dev.json")
    assert len(articles) >= 10
    kinds = {s["kind"] for a in articles for s in a["statements"]}
    assert kinds == {"direct", "indirect", "mixed", "author"}


def test_seed_article_kinds_agree_with_the_hand_annotation():
    """At least 9 of the 11 body statements get the fixture's kind."""
    from fixtures.build_seed import STATEMENTS, _body, _paragraph_spans

    body = _body((DATA / "seed_article.txt").read_text(encoding="utf-8"))
    spans = _paragraph_spans(body)
    suggestions = suggest(body, spans)
    agree = sum(
        s.kind == spec["kind"] for s, spec in zip(suggestions, STATEMENTS, strict=True)
    )
    assert len(STATEMENTS) == 11
    assert agree >= 9
