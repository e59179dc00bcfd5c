"""Provenance suggestions against a labelled set: segmentation, kind, source.

    python -m bench.provenance_eval [--data tests/data/provenance_dev.json] [-v]
    python -m bench.provenance_eval --thresholds

``--thresholds`` scores the labelled pairs of ``tests/data/match_pairs.json``
(source names; statements and claims) at several thresholds: the evidence
for ``SOURCE_MATCH`` and ``CLAIM_MATCH``.

The data file holds articles, each with its text and its statements in order
(``text``, ``kind``, ``source``: a canonical name, null for the author).

- segmentation F1: ``claims.segmentation.segment`` against the expected
  statements, a statement counting when its span is exactly right;
- kind accuracy: the suggested kind on the expected statements;
- source accuracy: on statements whose expected source is not the author, the
  suggested canonical name equals the expected one (compared in normalised
  form, a leading article aside).

Kind and source are read on the expected statements, so that a segmentation
miss does not count twice. Pure Python: no database.
"""

import argparse
import json
import re
from dataclasses import dataclass
from pathlib import Path

from claims.name_normalization import normalize_name
from claims.provenance import suggest
from claims.segmentation import segment

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "provenance_dev.json"


@dataclass
class Scores:
    segmentation_f1: float
    kind_accuracy: float
    source_accuracy: float
    statements: int
    attributed: int
    misses: list[str]


def same_source(expected: str | None, suggested: str | None) -> bool:
    """Whether two canonical names agree (case, accents, articles aside)."""

    def key(name):
        return normalize_name(re.sub(r"^(?:the|a|an)\s+", "", name or "", flags=re.I))

    return key(expected) == key(suggested)


def expected_spans(article: dict) -> list[tuple[int, int]]:
    """Where each expected statement lies in the text, searched in order."""
    text, spans, position = article["text"], [], 0
    for statement in article["statements"]:
        start = text.index(statement["text"], position)
        spans.append((start, start + len(statement["text"])))
        position = start + len(statement["text"])
    return spans


def evaluate(articles: list[dict]) -> Scores:
    found = expected = correct_spans = 0
    kinds = sources = attributed = total = 0
    misses = []
    for article in articles:
        text = article["text"]
        gold = expected_spans(article)
        predicted = {tuple(span) for span in segment(text)}
        found += len(predicted)
        expected += len(gold)
        correct_spans += len(predicted & set(gold))
        for statement, suggestion in zip(
            article["statements"], suggest(text, gold), strict=True
        ):
            total += 1
            kinds += suggestion.kind == statement["kind"]
            if statement["kind"] != suggestion.kind:
                misses.append(
                    f"kind {suggestion.kind} ≠ {statement['kind']}: "
                    f"{statement['text'][:70]}"
                )
            if statement["source"] is not None:
                attributed += 1
                if same_source(statement["source"], suggestion.source_name):
                    sources += 1
                else:
                    misses.append(
                        f"source {suggestion.source_name!r} ≠ "
                        f"{statement['source']!r}: {statement['text'][:60]}"
                    )
    precision = correct_spans / found if found else 0.0
    recall = correct_spans / expected if expected else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(
        segmentation_f1=f1,
        kind_accuracy=kinds / total if total else 0.0,
        source_accuracy=sources / attributed if attributed else 0.0,
        statements=total,
        attributed=attributed,
        misses=misses,
    )


def load(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["articles"]


def thresholds(path: Path) -> None:
    from claims.provenance import claim_similarity, name_similarity, numbers_agree

    pairs = json.loads(path.read_text(encoding="utf-8"))
    names = [(name_similarity(a, b), same) for a, b, same in pairs["names"]]
    claims = [
        (claim_similarity(a, b) if numbers_agree(a, b) else 0.0, same)
        for a, b, same in pairs["claims"]
    ]
    for title, scored, cuts in [
        ("source names (name_similarity)", names, [0.85, 0.88, 0.9, 0.93, 0.96]),
        ("claims (similarity, numbers and names agree)", claims, [0.3, 0.45, 0.6]),
    ]:
        positives = sum(same for _, same in scored)
        print(f"\n{title}: {positives} same, {len(scored) - positives} different")
        print("| threshold | same found | different matched |")
        print("|---:|---:|---:|")
        for cut in cuts:
            found = sum(score >= cut and same for score, same in scored)
            wrong = sum(score >= cut and not same for score, same in scored)
            print(f"| {cut} | {found}/{positives} | {wrong} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("-v", "--verbose", action="store_true", help="list misses")
    parser.add_argument("--thresholds", action="store_true")
    args = parser.parse_args()
    if args.thresholds:
        thresholds(args.data.parent / "match_pairs.json")
        return
    articles = load(args.data)
    scores = evaluate(articles)
    print(
        f"{len(articles)} articles, {scores.statements} statements, "
        f"{scores.attributed} attributed to a source other than the author\n"
    )
    print("| measure | value | target |")
    print("|---|---:|---:|")
    print(f"| segmentation F1 | {scores.segmentation_f1:.3f} | 0.97 |")
    print(f"| attribution-kind accuracy | {scores.kind_accuracy:.3f} | 0.85 |")
    print(f"| source accuracy (non-author) | {scores.source_accuracy:.3f} | 0.80 |")
    if args.verbose:
        print()
        for miss in scores.misses:
            print(f"- {miss}")


if __name__ == "__main__":
    main()
