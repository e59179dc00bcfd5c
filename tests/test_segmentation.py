"""Sentence segmentation: golden cases, the seed article, offset invariants."""

import json
import random
from pathlib import Path

import pytest
from _pytest.mark.structures import ParameterSet

from claims.segmentation import StatementSpan, segment

DATA = Path(__file__).parent / "data"
CASES = json.loads((DATA / "segmentation_cases.json").read_text(encoding="utf-8"))
SEED = (DATA / "seed_article.txt").read_text(encoding="utf-8")


def assert_invariants(text: str, spans: list[StatementSpan]) -> None:
    """Check the offset contract that every caller relies on."""
    previous_end = 0
    for span in spans:
        assert isinstance(span, StatementSpan)
        start, end = span
        assert previous_end <= start < end <= len(text)
        piece = text[start:end]
        assert piece == piece.strip()
        previous_end = end


def golden(case: dict) -> ParameterSet:
    """Turn a golden case into a test parameter; known misses must still miss."""
    marks = []
    if "known_miss" in case:
        marks.append(pytest.mark.xfail(reason=case["known_miss"], strict=True))
    return pytest.param(case, id=case["id"], marks=marks)


@pytest.mark.parametrize("case", [golden(case) for case in CASES])
def test_golden_case(case):
    """Each golden text splits into the statements a careful editor would mark."""
    text = case["text"]
    assert [text[start:end] for start, end in segment(text)] == case["expected"]


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_golden_case_offsets(case):
    """Spans are ordered, disjoint, in range and free of surrounding whitespace."""
    assert_invariants(case["text"], segment(case["text"]))


def test_golden_cases_are_consistent():
    """Golden case ids are unique and expected statements occur in order."""
    assert len({case["id"] for case in CASES}) == len(CASES)
    for case in CASES:
        position = 0
        for statement in case["expected"]:
            found = case["text"].find(statement, position)
            assert found >= 0, (case["id"], statement)
            position = found + len(statement)


def test_seed_article():
    """The seed gives its tag line, its headline, then one statement per paragraph."""
    paragraphs = [p.strip() for p in SEED.split("\n\n") if p.strip()]
    assert paragraphs[0] == "IraqQasem Suleimani"
    assert paragraphs[1].startswith("Iraqi resistance groups announce halt")
    spans = segment(SEED)
    assert_invariants(SEED, spans)
    assert [SEED[start:end] for start, end in spans] == paragraphs
    assert len(spans) == 13


def test_seed_body_offsets():
    """The seed body's first statement is 0-167, as the design's example says."""
    begin = SEED.index("Iraqi resistance groups have issued")
    body = SEED[begin:].rstrip()
    spans = segment(body)
    assert spans[0] == StatementSpan(0, 167)
    assert len(spans) == 11
    assert body[spans[-1].start : spans[-1].end].endswith("parliamentary order.")
    assert [StatementSpan(s + begin, e + begin) for s, e in spans] == segment(SEED)[2:]


def test_seed_trailing_nbsp_excluded():
    """Non-breaking spaces after the last full stop of a line are left out."""
    end = SEED.index("in the United States.") + len("in the United States.")
    assert SEED[end] == "\u00a0"
    assert end in {span.end for span in segment(SEED)}


def test_offsets_count_code_points():
    """Offsets are code point indices, so characters outside the BMP count as one."""
    text = "😀 Great news. 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 follows."
    assert segment(text) == [StatementSpan(0, 13), StatementSpan(14, 30)]
    assert text[14:30] == "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 follows."


def test_empty_and_blank_text():
    """Empty or whitespace-only text has no statements."""
    assert segment("") == []
    assert segment(" \n\r\n\t\u00a0\u2028 ") == []


def test_single_statement_without_whitespace():
    """A text with nothing to split is one span covering all of it."""
    assert segment("Hello.") == [StatementSpan(0, 6)]


def test_same_result_every_time():
    """Segmentation is deterministic."""
    assert segment(SEED) == segment(SEED)


def test_random_text_keeps_invariants():
    """Random mixes of punctuation, quotes and line breaks never break the contract."""
    alphabet = [
        "a", "B", "1", " ", " ", "\n", "\r\n", "\n\n", "\t", "\u00a0", ".", ".",
        "?", "!", "…", "...", "“", "”", '"', "'", "’", "(", ")", "。", "Mr.",
        "U.S.", "The", "he", ",", "\u2029",
    ]  # fmt: skip
    rng = random.Random(20240601)
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(40)))
        spans = segment(text)
        assert_invariants(text, spans)
        # Only whitespace is left between statements.
        covered = "".join(text[start:end] for start, end in spans)
        assert "".join(covered.split()) == "".join(text.split())


@pytest.mark.parametrize(
    "text",
    [
        "." * 200_000,
        "a" * 200_000 + ". B",
        "\n" + " " * 200_000 + "x",
        "x\r\n" * 100_000,
        "Word. " * 50_000,
        "“…" * 100_000,
        "A.\n" * 100_000,
        "Short title\nA longer line of body text follows it here\n" * 20_000,
    ],
    ids=[
        "dots",
        "long-word",
        "spaces",
        "crlf-lines",
        "sentences",
        "quotes",
        "lines",
        "headlines",
    ],
)
def test_long_repetitive_input_keeps_the_contract(text):
    """Long runs of one pattern are segmented within the offset contract.

    (How long they take is measured in bench/segmenters.py, not here.)
    """
    assert_invariants(text, segment(text))
