"""Provenance suggestions against a labelled set: segmentation, kind, source.

    python -m bench.provenance_eval [--data tests/data/provenance_dev.json] [-v]
    python -m bench.provenance_eval --thresholds
    python -m bench.provenance_eval --report [--against REF] [--runs 20]

``--report`` scores the dev set, both held-out sets and the golden cases of
``tests/data/provenance_cases.json`` class by class (a case counts when every
expectation holds), and times the rules alone (segmentation and suggestions,
no database) on the dev set's articles, as the median of ``--runs`` passes.
With ``--against REF`` the same is done for commit REF's rules in the same
run, runs alternating, so that the two columns compare like with like (each
tree is run by ``bench/provenance_run.py``).

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
import statistics
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from claims.name_normalization import normalize_name
from claims.provenance import suggest
from claims.segmentation import segment

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "provenance_dev.json"
SETS = {
    "dev": DATA,
    "held out": DATA.with_name("provenance_holdout.json"),
    "held out 2": DATA.with_name("provenance_holdout2.json"),
}
CASES = DATA.with_name("provenance_cases.json")
RUNNER = ROOT / "bench" / "provenance_run.py"


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
    """Score this tree's rules on ``articles``."""
    return score(
        articles,
        [segment(article["text"]) for article in articles],
        [suggest(a["text"], expected_spans(a)) for a in articles],
    )


def score(articles: list[dict], segments: list, suggestions: list) -> Scores:
    """Score given segments and suggestions (objects or dicts) on ``articles``."""
    found = expected = correct_spans = 0
    kinds = sources = attributed = total = 0
    misses = []
    for article, spans, suggested in zip(articles, segments, suggestions, strict=True):
        gold = expected_spans(article)
        predicted = {tuple(span) for span in spans}
        found += len(predicted)
        expected += len(gold)
        correct_spans += len(predicted & set(gold))
        for statement, suggestion in zip(
            article["statements"], map(_fields, suggested), strict=True
        ):
            total += 1
            kinds += suggestion["kind"] == statement["kind"]
            if statement["kind"] != suggestion["kind"]:
                misses.append(
                    f"kind {suggestion['kind']} ≠ {statement['kind']}: "
                    f"{statement['text'][:70]}"
                )
            if statement["source"] is not None:
                attributed += 1
                if same_source(statement["source"], suggestion["source_name"]):
                    sources += 1
                else:
                    misses.append(
                        f"source {suggestion['source_name']!r} ≠ "
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


def _fields(suggestion) -> dict:
    return suggestion if isinstance(suggestion, dict) else vars(suggestion)


def _words(text: str, span) -> str | None:
    return None if span is None else text[span[0] : span[1]]


def golden_misses(case: dict, suggestions: list) -> list[str]:
    """How the suggestions for a golden case differ from its expectations."""
    text, expect = case["text"], case["expect"]
    if len(suggestions) != len(expect):
        return [f"{len(suggestions)} statements, {len(expect)} expected"]
    misses = []
    for i, (got, want) in enumerate(
        zip(map(_fields, suggestions), expect, strict=True)
    ):
        found = {
            "kind": got["kind"],
            "source_span": _words(text, got["source_span"]),
            "cue": (_words(text, got["cue"]) or "").lower() or None,
            "content": _words(text, got["content"]),
            "source_kind": got["source_kind"],
            "reference": got["reference"],
        }
        for key, value in want.items():
            if key == "also":
                continue
            if key == "source" or key == "via":
                name = got["source_name" if key == "source" else "via_name"]
                ok = same_source(value, name)
                value_found = name
            else:
                value_found = found[key]
                ok = value_found == (value.lower() if key == "cue" else value)
            if not ok:
                misses.append(f"statement {i}: {key} {value_found!r} ≠ {value!r}")
        if want["kind"] == "author" and got["source_name"] is not None:
            misses.append(f"statement {i}: an author statement with a source")
        if "also" in want:
            # Further attributions of the statement, in order, checked alike.
            others = list(got.get("others", ()))
            expected = {"text": text, "expect": want["also"]}
            misses += [
                f"statement {i}, also: {miss}"
                for miss in golden_misses(expected, others)
            ]
    return misses


def _run_tree(root: Path, texts: list[str], spans: list, runs: int) -> dict:
    job = json.dumps({"texts": texts, "spans": spans})
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "provenance_run.py"),
            str(root),
            str(runs),
        ],
        input=job,
        capture_output=True,
        text=True,
        check=True,
        cwd=root,
    )
    return json.loads(done.stdout)


def _tree_at(commit: str, into: Path) -> Path:
    """The files of ``commit`` (only its rules are run), unpacked under ``into``."""
    archive = into / "tree.tar"
    subprocess.run(
        ["git", "archive", "-o", str(archive), commit, "claims", "bench"],
        cwd=ROOT,
        check=True,
    )
    with tarfile.open(archive) as tar:
        tar.extractall(into / "tree", filter="data")
    return into / "tree"


def report(against: str | None, runs: int, rounds: int) -> None:
    """Scores per set and golden class, and speed, for this tree (and REF)."""
    sets = {name: load(path) for name, path in SETS.items()}
    cases = json.loads(CASES.read_text(encoding="utf-8"))["cases"]
    texts = [a["text"] for articles in sets.values() for a in articles]
    texts += [c["text"] for c in cases]
    # Golden cases are suggested on segmented text, the sets on their own spans.
    given: list[list[tuple[int, int]] | None] = [
        expected_spans(a) for articles in sets.values() for a in articles
    ]
    given += [None] * len(cases)
    with tempfile.TemporaryDirectory() as scratch:
        trees = {"this tree": ROOT}
        if against:
            trees[against] = _tree_at(against, Path(scratch))
        results, segments, seconds = {}, {}, {name: [] for name in trees}
        for name, root in trees.items():
            results[name] = _run_tree(root, texts, given, 0)["suggestions"]
            segments[name] = _run_tree(root, texts, [None] * len(texts), 0)[
                "suggestions"
            ]
        dev = [a["text"] for a in sets["dev"]]
        for _ in range(rounds):
            for name, root in trees.items():
                seconds[name] += _run_tree(root, dev, [None] * len(dev), runs)[
                    "seconds"
                ]
    names = list(trees)
    print("| set | measure | " + " | ".join(names) + " |")
    print("|---|---|" + "---:|" * len(names))
    position = 0
    for set_name, articles in sets.items():
        count = len(articles)
        scores = {
            n: score(
                articles,
                [
                    [s["statement"] for s in found]
                    for found in segments[n][position : position + count]
                ],
                results[n][position : position + count],
            )
            for n in names
        }
        position += count
        for label, attr in [
            ("segmentation F1", "segmentation_f1"),
            ("kind accuracy", "kind_accuracy"),
            ("source accuracy (non-author)", "source_accuracy"),
        ]:
            row = " | ".join(f"{getattr(scores[n], attr):.3f}" for n in names)
            print(f"| {set_name} | {label} | {row} |")
    classes: dict[str, dict[str, list[int]]] = {}
    for offset, case in enumerate(cases):
        label = case.get("class", "earlier cases")
        for n in names:
            passed = not golden_misses(case, results[n][position + offset])
            tally = classes.setdefault(label, {}).setdefault(n, [0, 0])
            tally[0] += passed
            tally[1] += 1
    for label, tallies in classes.items():
        row = " | ".join("{}/{}".format(*tallies[n]) for n in names)
        print(f"| golden | {label} | {row} |")
    speed = " | ".join(f"{len(dev) / statistics.median(seconds[n]):.0f}" for n in names)
    print(
        f"| dev articles | rules alone, docs/s (median of {runs * rounds}) | {speed} |"
    )


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
    parser.add_argument("--report", action="store_true", help="every set, golden")
    parser.add_argument("--against", metavar="REF", help="an older commit, beside")
    parser.add_argument("--runs", type=int, default=20, help="timed passes a round")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds")
    args = parser.parse_args()
    if args.report:
        report(args.against, args.runs, args.rounds)
        return
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
