"""Compare sentence segmenters for accuracy and speed.

Run from the project root::

    python -m bench.segmenters [--runs 5] [--megabytes 2] [--misses]

Accuracy is measured on the golden cases in ``tests/data/segmentation_cases.json``
plus the seed article: a case counts as exact when its list of spans is right,
and boundary precision/recall count sentence ends over all cases. Speed is
sentences per second over a news-like corpus built by shuffling the same texts
into documents, segmented one document at a time; the figure is the median of
several runs. Every segmenter's spans are trimmed of surrounding whitespace
before they are compared, so that only the boundaries are judged.
"""

import argparse
import json
import platform
import random
import statistics
import time
from collections.abc import Callable, Sequence
from importlib import metadata
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"

Segment = Callable[[str], Sequence[tuple[int, int]]]


def load_ours() -> Segment:
    """Return this project's segmenter."""
    from claims.segmentation import segment

    return segment


def load_pysbd() -> Segment:
    """Return pysbd's rule-based segmenter with character spans."""
    import pysbd

    segmenter = pysbd.Segmenter(language="en", clean=False, char_span=True)
    return lambda text: [(s.start, s.end) for s in segmenter.segment(text)]


def load_syntok() -> Segment:
    """Return syntok's segmenter, spans taken from first and last token offsets."""
    from syntok.segmenter import analyze

    def segment(text: str) -> list[tuple[int, int]]:
        return [
            (sentence[0].offset, sentence[-1].offset + len(sentence[-1].value))
            for paragraph in analyze(text)
            for sentence in paragraph
        ]

    return segment


SEGMENTERS = {
    "claims.segmentation": (None, load_ours),
    "pysbd": ("pysbd", load_pysbd),
    "syntok": ("syntok", load_syntok),
}


def load_cases() -> list[dict]:
    """Return the golden cases and the seed article as one more case."""
    cases = json.loads((DATA / "segmentation_cases.json").read_text(encoding="utf-8"))
    seed = (DATA / "seed_article.txt").read_text(encoding="utf-8")
    paragraphs = [p.strip() for p in seed.split("\n\n") if p.strip()]
    return [*cases, {"id": "seed-article", "text": seed, "expected": paragraphs}]


def expected_spans(case: dict) -> list[tuple[int, int]]:
    """Locate a case's expected statements in its text, in order."""
    spans, position = [], 0
    for statement in case["expected"]:
        start = case["text"].index(statement, position)
        position = start + len(statement)
        spans.append((start, position))
    return spans


def trimmed(text: str, spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Drop surrounding whitespace from spans, and spans that are only whitespace."""
    result = []
    for start, end in spans:
        piece = text[start:end]
        if piece.strip():
            lead = start + len(piece) - len(piece.lstrip())
            result.append((lead, lead + len(piece.strip())))
    return result


def accuracy(segment: Segment, cases: list[dict]) -> dict:
    """Score a segmenter on the golden cases."""
    exact = tp = fp = fn = errors = 0
    misses = []
    for case in cases:
        text, gold = case["text"], expected_spans(case)
        try:
            got = trimmed(text, segment(text))
        except Exception:  # a crash on a case counts as a wrong answer
            got, errors = [], errors + 1
        if got == gold:
            exact += 1
        else:
            misses.append(case["id"])
        gold_ends = {end for _, end in gold[:-1]}
        got_ends = {end for _, end in got[:-1]}
        tp += len(gold_ends & got_ends)
        fp += len(got_ends - gold_ends)
        fn += len(gold_ends - got_ends)
    return {
        "exact": exact,
        "cases": len(cases),
        "precision": tp / (tp + fp) if tp + fp else 1.0,
        "recall": tp / (tp + fn) if tp + fn else 1.0,
        "errors": errors,
        "misses": misses,
    }


def build_corpus(cases: list[dict], megabytes: float) -> tuple[list[str], int]:
    """Shuffle the case texts into ~3 KB documents; return them and their sentences."""
    pieces = [(c["text"].strip(), len(c["expected"])) for c in cases if c["expected"]]
    rng = random.Random(2024)
    documents, sentences, size = [], 0, 0
    while size < megabytes * 1_000_000:
        rng.shuffle(pieces)
        document, count = [], 0
        for text, statements in pieces:
            document.append(text)
            count += statements
            if sum(map(len, document)) > 3000:
                documents.append("\n\n".join(document))
                size += len(documents[-1])
                sentences += count
                document, count = [], 0
    return documents, sentences


def speed(segment: Segment, documents: list[str], sentences: int, runs: int) -> float:
    """Return the median sentences per second over ``runs`` passes."""
    for document in documents[:50]:  # warm up caches and lazy initialisation
        segment(document)
    timings = []
    for _ in range(runs):
        began = time.perf_counter()
        for document in documents:
            segment(document)
        timings.append(time.perf_counter() - began)
    return sentences / statistics.median(timings)


# Repetitive inputs where a backtracking rule would go quadratic.
REPETITIVE = {
    "dots": ".",
    "sentences": "Word. ",
    "quotes": "“…",
    "lines": "A.\n",
    "headlines": "Short title\nA longer line of body text follows it here\n",
}


def growth(segment: Segment, runs: int) -> list[tuple[str, float, float]]:
    """Time each repetitive input at 200 KB and at 800 KB: linear means ~4×."""
    rows = []
    for name, unit in REPETITIVE.items():
        timings = []
        for size in (200_000, 800_000):
            text = unit * (size // len(unit))
            samples = []
            for _ in range(runs):
                began = time.perf_counter()
                segment(text)
                samples.append(time.perf_counter() - began)
            timings.append(statistics.median(samples))
        rows.append((name, timings[0], timings[1] / timings[0]))
    return rows


def version(package: str | None) -> str:
    """Return an installed package's version, or "this project"."""
    return metadata.version(package) if package else "this project"


def main() -> None:
    """Measure every segmenter and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs (median)")
    parser.add_argument("--megabytes", type=float, default=2.0, help="corpus size")
    parser.add_argument("--misses", action="store_true", help="list wrong cases")
    args = parser.parse_args()

    cases = load_cases()
    documents, sentences = build_corpus(cases, args.megabytes)
    chars = sum(len(document) for document in documents)
    print(
        f"Golden cases: {len(cases)}. Corpus: {len(documents)} documents, "
        f"{chars / 1e6:.1f} M characters, {sentences} sentences. "
        f"Median of {args.runs} runs; Python {platform.python_version()}.\n"
    )
    print("| segmenter | version | golden exact | boundary P | boundary R | sent/s |")
    print("|---|---|---|---|---|---|")
    notes = []
    for name, (package, load) in SEGMENTERS.items():
        try:
            segment = load()
        except ImportError:
            print(f"| {name} | not installed | | | | |")
            continue
        score = accuracy(segment, cases)
        rate = speed(segment, documents, sentences, args.runs)
        exact = (
            f"{score['exact']}/{score['cases']} ({score['exact'] / score['cases']:.0%})"
        )
        print(
            f"| {name} | {version(package)} | {exact} | {score['precision']:.3f} "
            f"| {score['recall']:.3f} | {rate:,.0f} |"
        )
        if score["errors"]:
            notes.append(f"{name} raised an exception on {score['errors']} cases.")
        if args.misses:
            notes.append(f"{name} misses: {', '.join(score['misses']) or 'none'}")
    if notes:
        print("\n" + "\n".join(notes))

    print("\n| repetitive input (ours) | 200 KB | 800 KB ÷ 200 KB |")
    print("|---|---:|---:|")
    for name, seconds, ratio in growth(load_ours(), args.runs):
        print(f"| {name} | {seconds * 1000:.0f} ms | {ratio:.1f}× |")


if __name__ == "__main__":
    main()
