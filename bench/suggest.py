"""Suggestion speed, and claim-matching latency against many claims.

    python -m bench.suggest [--documents 10000] [--service-documents 500]
                            [--claims 100000] [--queries 200]
                            [--databases sqlite,postgres]

1. The rules alone: ``claims.provenance.suggest`` over ``--documents``
   generated documents (``bench/corpus.py``, segmented beforehand), in
   documents a second. No database.
2. The whole service, ``document_suggest`` (rules, source resolution, claim
   matching and every write, one transaction a document), over the first
   ``--service-documents`` of them, imported beforehand into a fresh database.
3. Claim matching: ``--claims`` distinct claims bulk-inserted into a fresh
   database, then ``claim_match`` timed for ``--queries`` statements, half of
   them rewordings of stored claims and half new; median and 95th percentile,
   and how many rewordings found their claim.
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.corpus import generate_documents, write_corpus
from bench.databases import ROOT, manage, migrated_database

SYLLABLES = [
    *("ka", "lo", "mi", "ren", "dor", "va", "sel", "tu", "bri", "nax"),
    *("om", "ri", "qua", "fen", "zul", "ta", "gor", "li", "mo", "sha"),
]
TEMPLATES = [
    "The port of {P} handled {n} containers in {y}, the most since {y2}",
    "Unemployment in {P} rose to {n}% in {y}",
    "{P} spent {n} million on road repairs in {y}",
    "The {P} hospital trust cut waiting lists by {n} patients in {y}",
    "Rents in {P} have doubled since {y}",
    "{P} imported {n} tonnes of grain from {q} in {y}",
    "The mayor of {P} says crime fell by {n}% after the {q} programme began",
    "Flooding in {P} destroyed {n} homes in {y}",
    "{P} has more wind turbines than {q}",
    "The {P} council approved a budget of {n} million for {y}",
]

DATABASE = "claims_bench_suggest"


def _name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3)))


def claim_texts(count: int, seed: int = 1) -> list[str]:
    """``count`` distinct claim texts with varied place names and figures."""
    rng = random.Random(seed)
    texts: set[str] = set()
    while len(texts) < count:
        place, other = _name(rng), _name(rng)
        texts.add(
            rng.choice(TEMPLATES).format(
                p=place,
                P=place.capitalize(),
                q=other.capitalize(),
                n=rng.randint(2, 99_999),
                y=rng.randint(1990, 2024),
                y2=rng.randint(1950, 1989),
            )
        )
    return sorted(texts)


def _reword(text: str) -> str:
    """A rewording another outlet might print: same facts, other words."""
    return f"Official figures show that {text[0].lower()}{text[1:]}, officials said."
    # (The first word of a claim is often a name: lower-casing it is a test.)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def rules_speed(documents: int) -> dict:
    """Documents a second through the pure rules, segmented beforehand."""
    from claims.provenance import suggest
    from claims.segmentation import segment

    texts = [(r["text"], segment(r["text"])) for r in generate_documents(documents)]
    started = time.perf_counter()
    statements = 0
    for text, spans in texts:
        statements += len(suggest(text, spans))
    elapsed = time.perf_counter() - started
    return {"documents": documents, "statements": statements, "seconds": elapsed}


def measure_service(documents: int) -> dict:
    """Run inside a configured Django: document_suggest over stored documents."""
    from claims.models import Attribution, Document
    from claims.services import document_suggest

    ids = list(Document.objects.order_by("pk").values_list("pk", flat=True))
    ids = ids[:documents]
    started = time.perf_counter()
    for pk in ids:
        document_suggest(document=Document(pk=pk))
    elapsed = time.perf_counter() - started
    return {
        "documents": len(ids),
        "seconds": elapsed,
        "attributions": Attribution.objects.count(),
    }


def measure_matching(claims: int, queries: int) -> dict:
    """Run inside a configured Django: claim_match latency over ``claims``."""
    from django.db import transaction

    from claims.models import Claim
    from claims.services import claim_match

    texts = claim_texts(claims)
    for start in range(0, len(texts), 5000):
        Claim.objects.bulk_create(Claim(text=t) for t in texts[start : start + 5000])
    rng = random.Random(7)
    known = rng.sample(texts, queries // 2)
    stored = set(texts)
    new = [t for t in claim_texts(queries * 2, seed=99) if t not in stored]
    probes = [(_reword(t), t) for t in known] + [
        (_reword(t), None) for t in new[: queries - len(known)]
    ]
    rng.shuffle(probes)
    latencies, found, wrong = [], 0, 0
    for statement, expected in probes:
        with transaction.atomic():
            started = time.perf_counter()
            claim = claim_match(statement)
            latencies.append(time.perf_counter() - started)
        if expected is not None and claim is not None and claim.text == expected:
            found += 1
        elif claim is not None and claim.text != expected:
            wrong += 1
    return {
        "claims": claims,
        "queries": len(probes),
        "median_ms": statistics.median(latencies) * 1000,
        "p95_ms": _percentile(latencies, 0.95) * 1000,
        "found": found,
        "rewordings": len(known),
        "wrong": wrong,
    }


def _in_django(url: str, *args: str) -> dict:
    env = os.environ | {
        "DATABASE_URL": url,
        "DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    output = subprocess.run(
        [sys.executable, "-m", "bench.suggest", *args],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    return json.loads(output.splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--service-documents", type=int, default=500)
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--service", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--matching", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.service is not None or args.matching is not None:
        import django

        django.setup()
        if args.service is not None:
            print(json.dumps(measure_service(args.service)))
        else:
            print(json.dumps(measure_matching(args.matching, args.queries)))
        return

    rules = rules_speed(args.documents)
    print(
        f"Rules alone: {rules['documents']} documents ({rules['statements']} "
        f"statements) in {rules['seconds']:.2f} s: "
        f"{rules['documents'] / rules['seconds']:,.0f} documents/s\n"
    )
    service_docs = min(args.service_documents, args.documents)
    print("| database | service: documents | seconds | docs/s | attributions |")
    print("|---|---:|---:|---:|---:|")
    matching = []
    with tempfile.TemporaryDirectory() as directory:
        workdir = Path(directory)
        corpus = workdir / "corpus.jsonl"
        write_corpus(corpus, service_docs)
        for kind in args.databases.split(","):
            url = migrated_database(kind, workdir, DATABASE)
            manage("import_documents", str(corpus), database_url=url)
            row = _in_django(url, "--service", str(service_docs))
            print(
                f"| {kind} | {row['documents']} | {row['seconds']:.2f} "
                f"| {row['documents'] / row['seconds']:,.1f} | {row['attributions']} |"
            )
            url = migrated_database(kind, workdir, DATABASE)
            matching.append(
                (
                    kind,
                    _in_django(
                        url,
                        "--matching",
                        str(args.claims),
                        "--queries",
                        str(args.queries),
                    ),
                )
            )
    print()
    print("| database | claims | queries | median | p95 | rewordings found | wrong |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for kind, row in matching:
        print(
            f"| {kind} | {row['claims']:,} | {row['queries']} "
            f"| {row['median_ms']:.1f} ms | {row['p95_ms']:.1f} ms "
            f"| {row['found']}/{row['rewordings']} | {row['wrong']} |"
        )


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    main()
