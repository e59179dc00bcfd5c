"""Claim retrieval on CLEF 2020 CheckThat! Task 2: has this been checked already?

    python -m bench.claim_retrieval DATA_DIR [--databases sqlite,postgresql]
                                    [--database claims_search_bench]

DATA_DIR holds the task's ``verified_claims.docs.tsv`` and its ``train/`` and
``dev/`` splits (``tweets.queries.tsv``, ``tweet-vclaim-pairs.qrels``); the
data stays outside the repository. For each database a fresh one is migrated
and the fact-checked claims are loaded through ``services.claim_create`` (so
the search index is what claim writes keep up); then every tweet is looked up
with ``claims.search.similar_claims_batch`` and MAP@5, MRR@5 and Recall@1/@5
are reported for dev and train, beside bm25s (Lucene BM25, English stop
words, no stemmer) over the same claims in the same run.

The same run chooses the suggestions' threshold (``CLAIM_COVERAGE`` in
``claims.services.suggestions``): a tweet is linked to its top claim when that
claim's coverage reaches the threshold and their numbers agree. Each tweet
counts twice: with every claim (a link to its claim is right, to another
wrong) and without its own claim (any link is wrong; the best other claim
stands in for the top), so precision counts the links made to texts whose
claim is not stored, as most statements' are not.

Claims that differ only in case are one claim here (their texts are unique
regardless of case): a tweet is answered right by the claim holding its
claim's text.
"""

import argparse
import csv
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from bench.databases import (
    ROOT,
    migrated_postgres_database,
    migrated_sqlite_database,
)

DATABASE = "claims_search_bench"
SPLITS = ("dev", "train")
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 0.9, 1.0)


def read_claims(data: Path) -> list[tuple[str, str]]:
    """(vclaim id, text) of every fact-checked claim."""
    with (data / "verified_claims.docs.tsv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f, delimiter="\t"))[1:]
    return [(row[0], " ".join(row[1].split())) for row in rows]


def read_split(data: Path, split: str) -> list[tuple[str, set[str]]]:
    """(tweet, the ids of the claims that verify it) for a split."""
    with (data / split / "tweets.queries.tsv").open(encoding="utf-8", newline="") as f:
        tweets = {row[0]: row[1] for row in list(csv.reader(f, delimiter="\t"))[1:]}
    gold: dict[str, set[str]] = {}
    for line in (data / split / "tweet-vclaim-pairs.qrels").read_text().splitlines():
        tweet, _, claim, _ = line.split("\t")
        gold.setdefault(tweet, set()).add(claim)
    return [(tweets[tweet], claims) for tweet, claims in gold.items()]


def measures(rankings: list[list[set[str]]], gold: list[set[str]]) -> dict:
    """MAP@5, MRR@5, Recall@1 and @5 of rankings (each a list of id sets)."""
    ap = rr = at1 = at5 = 0.0
    for ranked, right in zip(rankings, gold, strict=True):
        hits, precision_sum, first = 0, 0.0, None
        for rank, ids in enumerate(ranked[:5], 1):
            if ids & right:
                hits += 1
                precision_sum += hits / rank
                first = first or rank
        ap += precision_sum / min(len(right), 5)
        rr += 1 / first if first else 0.0
        at1 += first == 1
        at5 += first is not None
    n = len(gold)
    return {"map5": ap / n, "mrr5": rr / n, "r1": at1 / n, "r5": at5 / n}


def _child(data: Path) -> None:
    """Inside Django: load the claims, search every split, print JSON."""
    import django

    django.setup()
    from django.db import connection, transaction

    from claims import provenance, services
    from claims.search import similar_claims_batch

    ids_of: dict[str, list[str]] = {}
    first_wording: dict[str, str] = {}
    for vclaim, text in read_claims(data):
        ids_of.setdefault(text.lower(), []).append(vclaim)
        first_wording.setdefault(text.lower(), text)
    started = time.perf_counter()
    with transaction.atomic():
        for text in first_wording.values():
            services.claim_create(text=text)
    load_seconds = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE claims_claim")
    out = {"vendor": connection.vendor, "claims": len(ids_of), "load": load_seconds}
    for split in SPLITS:
        queries = read_split(data, split)
        started = time.perf_counter()
        found = similar_claims_batch([t for t, _ in queries], limit=10)
        seconds = time.perf_counter() - started
        rankings, links = [], []
        for (text, gold), answer in zip(queries, found, strict=True):
            ranked = [set(ids_of[s.claim.text.lower()]) for s in answer.results]
            rankings.append([sorted(ids) for ids in ranked])
            # The top claim, and the best claim that is not the tweet's own
            # (the top when its claim is not stored).
            top = answer.results[0] if answer.results else None
            other = next(
                (
                    s
                    for s, ids in zip(answer.results, ranked, strict=True)
                    if not ids & gold
                ),
                None,
            )
            links.append(
                [
                    _link(text, top, bool(top and ranked[0] & gold), provenance),
                    _link(text, other, False, provenance),
                ]
            )
        out[split] = {
            "rankings": rankings,
            "links": links,
            "ms_per_text": 1000 * seconds / len(queries),
        }
    print(json.dumps(out))


def _link(text, scored, right: bool, provenance) -> list | None:
    if scored is None:
        return None
    agree = provenance.numbers_agree(text, scored.claim.text)
    return [scored.coverage, agree, right]


def run_database(kind: str, data: Path, workdir: Path, database: str) -> dict:
    if kind == "sqlite":
        url = migrated_sqlite_database(workdir / "claim_retrieval.sqlite3")
    else:
        url = migrated_postgres_database(database)
    env = os.environ | {"DATABASE_URL": url, "DEBUG": "0", "SECRET_KEY": "x" * 50,
                        "DJANGO_SETTINGS_MODULE": "config.settings"}  # fmt: skip
    result = subprocess.run(
        [sys.executable, "-m", "bench.claim_retrieval", str(data), "--child"],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    return json.loads(result.stdout.splitlines()[-1])


def run_bm25s(data: Path) -> dict:
    import bm25s

    claims = read_claims(data)
    ids_of: dict[str, list[str]] = {}
    for vclaim, text in claims:
        ids_of.setdefault(text.lower(), []).append(vclaim)
    texts = list({t.lower(): t for _, t in claims}.values())
    retriever = bm25s.BM25()
    retriever.index(bm25s.tokenize(texts, stopwords="en", show_progress=False),
                    show_progress=False)  # fmt: skip
    out = {}
    for split in SPLITS:
        queries = read_split(data, split)
        tokens = bm25s.tokenize([t for t, _ in queries], stopwords="en",
                                show_progress=False)  # fmt: skip
        started = time.perf_counter()
        found, _ = retriever.retrieve(tokens, k=5, show_progress=False)
        seconds = time.perf_counter() - started
        out[split] = {
            "rankings": [
                [ids_of[texts[i].lower()] for i in row] for row in found.tolist()
            ],
            "ms_per_text": 1000 * seconds / len(queries),
        }
    return out


def threshold_table(links: list, thresholds=THRESHOLDS) -> list[dict]:
    """Precision and recall of linking at each coverage threshold."""
    rows = []
    for threshold in thresholds:
        right = wrong = 0
        for pair in links:
            for link in pair:
                if link and link[0] >= threshold and link[1]:
                    right += link[2]
                    wrong += not link[2]
        made = right + wrong
        rows.append({
            "threshold": threshold,
            "links": made,
            "precision": right / made if made else 1.0,
            "recall": right / len(links),
        })  # fmt: skip
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="the CLEF 2020 Task 2 folder")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--database", default=DATABASE,
                        help="PostgreSQL database, dropped and made anew")  # fmt: skip
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.data)
        return
    import tempfile

    gold = {split: [g for _, g in read_split(args.data, split)] for split in SPLITS}
    runs = {}
    with tempfile.TemporaryDirectory() as tmp:
        for kind in args.databases.split(","):
            runs[kind] = run_database(kind, args.data, Path(tmp), args.database)
            run = runs[kind]
            print(f"{kind}: {run['claims']:,} claims loaded through "
                  f"claim_create in {run['load']:.1f} s", flush=True)  # fmt: skip
    runs["bm25s"] = run_bm25s(args.data)
    names = {"sqlite": "SQLite FTS5 bm25()",
             "postgresql": "PostgreSQL lexical (OR of the rarest lexemes, "
                           "ts_rank_cd + strict_word_similarity, RRF)",
             "bm25s": "bm25s (BM25, English stop words)"}  # fmt: skip
    print("\n| method | split | MAP@5 | MRR@5 | Recall@1 | Recall@5 | ms a text |")
    print("|---|---|---|---|---|---|---|")
    for kind, run in runs.items():
        for split in SPLITS:
            rankings = [[set(ids) for ids in row] for row in run[split]["rankings"]]
            m = measures(rankings, gold[split])
            print(f"| {names[kind]} | {split} ({len(gold[split])}) | {m['map5']:.3f} "
                  f"| {m['mrr5']:.3f} | {m['r1']:.3f} | {m['r5']:.3f} "
                  f"| {run[split]['ms_per_text']:.1f} |")  # fmt: skip
    for kind in (k for k in runs if k != "bm25s"):
        print(f"\nLinking on {kind}: top claim's coverage ≥ threshold and numbers "
              "agree; each tweet with and without its claim stored")  # fmt: skip
        print("\n| threshold | split | links | precision | recall |")
        print("|---|---|---|---|---|")
        for split in SPLITS:
            for row in threshold_table(runs[kind][split]["links"]):
                print(f"| {row['threshold']:.2f} | {split} | {row['links']} "
                      f"| {row['precision']:.3f} | {row['recall']:.3f} |")  # fmt: skip


if __name__ == "__main__":
    main()
