"""Checking interchange records against their schema: the project's checker
(``claims.schema_check``) beside the ``jsonschema`` package, in the same run.

    python -m bench.interchange_check [--documents 5000] [--runs 5]

Each check is timed over a generated corpus (text and statements, as archives
hold) and over the seed article's record (statements with attributions and
claims), medians of ``--runs``; the import cost of each package is measured
in a fresh interpreter.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.corpus import write_corpus

ROOT = Path(__file__).resolve().parent.parent


def _median(check, records, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        for record in records:
            check(record)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _import_cost(module: str) -> float:
    """Seconds that importing ``module`` takes in a fresh interpreter."""
    script = (
        "import time; started = time.perf_counter(); import " + module + "; "
        "print(time.perf_counter() - started)"
    )
    return float(
        subprocess.run(
            [sys.executable, "-c", script], cwd=ROOT, check=True,
            capture_output=True, text=True,
        ).stdout
    )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()
    from jsonschema import Draft202012Validator, validators

    from claims import interchange

    reference = validators.extend(
        Draft202012Validator,
        type_checker=Draft202012Validator.TYPE_CHECKER.redefine(
            "integer", lambda _, value: type(value) is int
        ),
    )(interchange.SCHEMA)
    with tempfile.TemporaryDirectory() as directory:
        corpus = Path(directory) / "corpus.jsonl"
        write_corpus(corpus, args.documents)
        records = [json.loads(line) for line in corpus.open(encoding="utf-8")]
    seed = json.loads((ROOT / "fixtures" / "seed_article.jsonl").read_text("utf-8"))
    print(f"medians of {args.runs} runs\n")
    print("| records | claims.schema_check | jsonschema | ratio |")
    print("|---|---:|---:|---:|")
    for name, items in [
        (f"{args.documents:,} generated documents", records),
        ("the seed article's record × 1,000", [seed] * 1000),
    ]:
        ours = _median(interchange.check, items, args.runs)
        theirs = _median(
            lambda r: next(reference.iter_errors(r), None), items, args.runs
        )
        print(f"| {name} | {ours * 1000:.1f} ms | {theirs * 1000:.1f} ms "
              f"| {theirs / ours:.1f}× |")  # fmt: skip
    print("\n| import | seconds |\n|---|---:|")
    for module in ("claims.schema_check", "jsonschema"):
        print(f"| `{module}` | {_import_cost(module):.3f} |")


if __name__ == "__main__":
    main()
