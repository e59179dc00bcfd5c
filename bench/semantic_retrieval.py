"""Similar claims, semantic: ranking quality on CLEF 2020 CheckThat! Task 2, and
the latency of ``semantic_similar`` at 10,000 and 100,000 claims.

    python -m bench.semantic_retrieval DATA_DIR [--sizes 10000,100000]
        [--requests 100] [--database claims_semantic] [--vectors-cache DIR]

DATA_DIR is the task's English train/dev release (``verified_claims.docs.tsv``,
``train/`` and ``dev/`` with ``tweets.queries.tsv`` and
``tweet-vclaim-pairs.qrels``); it is read, never copied. Needs
requirements-semantic.txt.

Quality: each tweet is a query, the verified claims (their ``vclaim`` text,
as a claim is stored here) the collection; MAP@5 (the task's measure), MRR@5,
Recall@1 and Recall@5 of

- semantic alone: cosine of the configured model's vectors;
- lexical alone: bm25s (English stop words) over the same texts, or with
  ``--lexical database`` the service's own lexical ranking on PostgreSQL
  (``claims.search``: full text + pg_trgm; the claims bulk-written into
  ``--database``);
- RRF: ``claims.fusion.fuse(method="rrf")`` of the first 100 of each, the
  lexical list at weight 1 and at 0.5;
- rerank: ``fuse(method="rerank")`` of BM25's first 20 and first 100;
- boost (the service's): ``fuse(method="boost")``, each claim of either
  list's first 100 by its cosine plus ``LEXICAL_BOOST / sqrt(lexical rank +
  1)``;
- with ``--lexical database``, also the service's whole path: the claims'
  vectors stored, each text through ``claims.search.similar_claims_batch``
  (batches of 100), which must equal the boost row.

Latency: a fresh PostgreSQL database (``--database``, dropped and made anew)
holds N claims and their vectors: the collection's real vectors, then random
unit vectors up to N (brute force costs the same whatever the vectors hold,
and encoding 100,000 claims would take most of an hour here). Each of
``--requests`` dev tweets is timed through ``semantic_similar(text,
limit=10)`` (encoding the query included, the matrix cached as in a running
server), and its encoding alone; medians and p95.
"""

import argparse
import csv
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from bench.databases import migrated_postgres_database

DEPTH = 100


def read_tsv(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as file:
        return list(csv.reader(file, delimiter="\t"))[1:]


def read_split(data: Path, split: str) -> tuple[list[tuple[str, str]], dict]:
    rows = read_tsv(data / split / "tweets.queries.tsv")
    queries = [(row[0], row[1]) for row in rows]
    relevant: dict[str, set[int]] = {}
    for line in (data / split / "tweet-vclaim-pairs.qrels").read_text().splitlines():
        query_id, _, claim_id, _ = line.split("\t")
        relevant.setdefault(query_id, set()).add(int(claim_id))
    return queries, relevant


def scores(ranked: list[int], relevant: set[int]) -> dict[str, float]:
    """MAP@5 (the task's: precision at each hit over min(relevant, 5)), MRR@5,
    Recall@1, Recall@5 for one query."""
    hits, precision_sum, reciprocal = 0, 0.0, 0.0
    for rank, item in enumerate(ranked[:5], start=1):
        if item in relevant:
            hits += 1
            precision_sum += hits / rank
            reciprocal = reciprocal or 1 / rank
    return {
        "MAP@5": precision_sum / min(len(relevant), 5),
        "MRR@5": reciprocal,
        "R@1": len(relevant & set(ranked[:1])) / len(relevant),
        "R@5": len(relevant & set(ranked[:5])) / len(relevant),
    }


def encode_cached(texts: list[str], cache: Path | None, name: str) -> np.ndarray:
    from claims import embeddings

    path = cache / f"{name}.{embeddings.model_name()}.npy" if cache else None
    if path and path.exists():
        vectors = np.load(path)
        if len(vectors) == len(texts):
            return vectors
    started = time.perf_counter()
    vectors = embeddings.encode(texts)
    print(
        f"encoded {len(texts):,} {name} in {time.perf_counter() - started:.0f} s",
        file=sys.stderr,
    )
    if path:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.save(path, vectors)
    return vectors


def database_rankers(texts: list[str], ids: np.ndarray, vectors: np.ndarray):
    """The service's own rankings over the claims, in this database: its
    lexical one, and what ``similar_claims_batch`` answers (the fused one).

    The claims are bulk-written (the search index is a generated column, as
    claim writes keep it) with their vectors, and analysed; a text's ranking
    is mapped back to the task's claim ids (texts that differ only in case are
    one claim, with the first one's vector).
    """
    from django.db import connection

    from claims import embeddings, search
    from claims.models import Claim, ClaimEmbedding

    def key(text: str) -> str:  # as a claim's wording is compared: spaces, case
        return " ".join(text.split()).lower()

    ids_of: dict[str, list[int]] = {}
    first: dict[str, str] = {}
    for vclaim, text in zip(ids, texts, strict=True):
        ids_of.setdefault(key(text), []).append(int(vclaim))
        first.setdefault(key(text), " ".join(text.split()))
    Claim.objects.bulk_create(
        (Claim(text=first[key]) for key in ids_of), batch_size=2000
    )
    stored = Claim.objects.values_list("pk", "text")
    vclaims = {pk: ids_of[key(text)] for pk, text in stored}
    row_of = {int(vclaim): row for row, vclaim in enumerate(ids)}
    ClaimEmbedding.objects.bulk_create(
        (
            ClaimEmbedding(
                claim_id=pk,
                model=embeddings.model_name(),
                dimensions=vectors.shape[1],
                vector=embeddings.to_bytes(vectors[row_of[vclaims[pk][0]]]),
                text_sha256=embeddings.text_digest(text),
            )
            for pk, text in stored
        ),
        batch_size=2000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE claims_claim")

    def lexical(queries: list[str]) -> list[list[int]]:
        return [
            [vclaim for pk, _ in rows for vclaim in vclaims[pk]][:DEPTH]
            for rows in search._postgresql(queries, DEPTH)
        ]

    def service(queries: list[str]) -> list[list[int]]:
        answers = [
            answer
            for start in range(0, len(queries), 100)
            for answer in search.similar_claims_batch(
                queries[start : start + 100], limit=5
            )
        ]
        return [
            [vclaim for found in answer.results for vclaim in vclaims[found.claim.pk]]
            for answer in answers
        ]

    return lexical, service


def bm25s_ranker(texts: list[str], ids: np.ndarray):
    """bm25s (English stop words) over the claims: a ranker outside the service."""
    import bm25s

    bm25 = bm25s.BM25()
    bm25.index(bm25s.tokenize(texts, stopwords="en", show_progress=False),
               show_progress=False)  # fmt: skip

    def ranked(queries: list[str]) -> list[list[int]]:
        rows, _ = bm25.retrieve(
            bm25s.tokenize(queries, stopwords="en", show_progress=False),
            k=DEPTH, show_progress=False,
        )  # fmt: skip
        return [[int(ids[i]) for i in row] for row in rows]

    return ranked


def quality(data: Path, cache: Path | None, lexical_ranker: str = "bm25s") -> dict:
    from claims.fusion import fuse

    collection = read_tsv(data / "verified_claims.docs.tsv")
    ids = np.array([int(row[0]) for row in collection])
    texts = [row[1] for row in collection]
    vectors = encode_cached(texts, cache, "claims")
    service_of = None
    if lexical_ranker == "database":
        lexical_of, service_of = database_rankers(texts, ids, vectors)
    else:
        lexical_of = bm25s_ranker(texts, ids)

    results = {}
    for split in ("train", "dev"):
        queries, relevant = read_split(data, split)
        query_vectors = encode_cached([text for _, text in queries], cache, split)
        cosines = query_vectors @ vectors.T
        lexical_rows = lexical_of([text for _, text in queries])
        service_rows = service_of([text for _, text in queries]) if service_of else None
        position = {int(vclaim): i for i, vclaim in enumerate(ids)}
        runs: dict[str, list[dict]] = {}
        for number, (query_id, _) in enumerate(queries):
            row = cosines[number]
            best = np.argsort(-row, kind="stable")[:DEPTH]
            semantic = [(int(ids[i]), float(row[i])) for i in best]
            lexical = lexical_rows[number]
            cosine_of = {item: float(row[position[item]]) for item in lexical}
            candidates = [(item, cosine_of[item]) for item in lexical]
            ranked: dict[str, list] = {
                "semantic alone": [item for item, _ in semantic],
                "lexical alone": lexical,
                "RRF, k=60": fuse(lexical, semantic, method="rrf", limit=5),
                "RRF, k=60, lexical at 0.5": fuse(
                    lexical, semantic, method="rrf", lexical_weight=0.5, limit=5
                ),
                "rerank lexical's first 20": fuse(
                    lexical, candidates, method="rerank", depth=20, limit=5
                ),
                "rerank lexical's first 100": fuse(
                    lexical, candidates, method="rerank", depth=100, limit=5
                ),
                "boost": fuse(
                    lexical,
                    list((dict(semantic) | dict(candidates)).items()),
                    method="boost",
                    limit=5,
                ),
            }
            if service_rows is not None:
                ranked["the service (similar_claims_batch)"] = service_rows[number]
            for method, items in ranked.items():
                items = [item if isinstance(item, int) else item[0] for item in items]
                runs.setdefault(method, []).append(scores(items, relevant[query_id]))
        results[split] = {
            method: {key: statistics.fmean(r[key] for r in rows) for key in rows[0]}
            for method, rows in runs.items()
        }
    return results


def latency(data: Path, sizes: list[int], requests: int, database: str,
            cache: Path | None) -> Iterator[dict]:  # fmt: skip
    from django.db import connection

    from claims import embeddings, semantic
    from claims.models import Claim, ClaimEmbedding

    collection = read_tsv(data / "verified_claims.docs.tsv")
    real = encode_cached([row[1] for row in collection], cache, "claims")
    queries = [text for _, text in read_split(data, "dev")[0]][:requests]
    rng = np.random.default_rng(7)
    model, rows, stored = embeddings.model_name(), [], 0
    for size in sizes:
        started = time.perf_counter()
        claims = Claim.objects.bulk_create(
            Claim(text=f"Claim number {n}") for n in range(stored, size)
        )
        for claim in claims:
            n = stored
            if n < len(real):
                vector = real[n]
            else:
                vector = np.asarray(rng.standard_normal(real.shape[1]), np.float32)
                vector /= np.linalg.norm(vector)
            rows.append(
                ClaimEmbedding(claim=claim, model=model, dimensions=len(vector),
                               vector=embeddings.to_bytes(vector), text_sha256="-")
            )  # fmt: skip
            stored += 1
        ClaimEmbedding.objects.bulk_create(rows, batch_size=2000)
        rows.clear()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE claims_claimembedding")
        loaded = time.perf_counter() - started

        started = time.perf_counter()
        semantic.claim_matrix()
        matrix_read = time.perf_counter() - started
        embeddings.encode(["warm up"])
        total, encode_only = [], []
        for text in queries:
            started = time.perf_counter()
            embeddings.encode([text])
            encode_only.append(time.perf_counter() - started)
            started = time.perf_counter()
            semantic.semantic_similar(text, limit=10)
            total.append(time.perf_counter() - started)
        yield {
            "claims": size,
            "loaded_s": loaded,
            "matrix_read_s": matrix_read,
            "total_ms": statistics.median(total) * 1000,
            "total_p95_ms": sorted(total)[int(0.95 * (len(total) - 1))] * 1000,
            "encode_ms": statistics.median(encode_only) * 1000,
            "requests": len(total),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", type=Path, help="the CLEF 2020 Task 2 folder")
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--database", default="claims_semantic",
                        help="PostgreSQL database, dropped and made anew")  # fmt: skip
    parser.add_argument("--vectors-cache", type=Path,
                        help="a folder to keep vectors in between runs")  # fmt: skip
    parser.add_argument("--lexical", choices=("bm25s", "database"), default="bm25s",
                        help="the lexical ranking fused: bm25s, or the service's "
                        "own in --database")  # fmt: skip
    parser.add_argument("--skip-quality", action="store_true")
    parser.add_argument("--skip-latency", action="store_true")
    args = parser.parse_args()
    if not (args.data / "verified_claims.docs.tsv").exists():
        parser.error(f"{args.data}: no verified_claims.docs.tsv (the task's data)")

    import os

    url = migrated_postgres_database(args.database)
    os.environ.update(DATABASE_URL=url, SECRET_KEY="bench-only",
                      DJANGO_SETTINGS_MODULE="config.settings")  # fmt: skip
    import django

    django.setup()
    from claims import embeddings

    reason = embeddings.unavailable_reason()
    if reason:
        sys.exit(reason)
    print(f"model: {embeddings.model_name()} ({embeddings.dimensions()} dimensions)")

    if not args.skip_quality:
        found = quality(args.data, args.vectors_cache, args.lexical)
        for split, methods in found.items():
            print(f"\n{split}\n\n| ranking | MAP@5 | MRR@5 | R@1 | R@5 |")
            print("|---|---:|---:|---:|---:|")
            for method, row in methods.items():
                print(f"| {method} | " + " | ".join(f"{v:.3f}" for v in row.values())
                      + " |")  # fmt: skip

    if not args.skip_latency:
        sizes = [int(size) for size in args.sizes.split(",")]
        print("\n| claims | semantic_similar, p50 | p95 | encoding alone, p50 "
              "| matrix read once | requests |")  # fmt: skip
        print("|---:|---:|---:|---:|---:|---:|")
        for row in latency(args.data, sizes, args.requests, args.database,
                           args.vectors_cache):  # fmt: skip
            print(
                f"| {row['claims']:,} | {row['total_ms']:.1f} ms "
                f"| {row['total_p95_ms']:.1f} ms | {row['encode_ms']:.1f} ms "
                f"| {row['matrix_read_s']:.1f} s | {row['requests']} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
