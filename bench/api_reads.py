"""Read latency of the REST API over a corpus of 10,000 documents.

    python -m bench.api_reads [--documents 10000] [--requests 50]
                              [--databases sqlite,postgres]

For each database: a fresh database, the generated corpus imported with
``import_documents``, then every statement attributed (a source from a pool
of 200, a kind, an accepted status; bulk-inserted, since loading is not what
is measured) and one claim mentioned in 500 statements. Then each endpoint is
requested ``--requests`` times in-process through Django's test client (the
whole stack from URL routing to JSON, without a network), signed in as a
reader, reporting the median and 95th percentile latency and the number of
queries one request makes.
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
from bench.databases import ROOT, manage, migrated_database

KINDS = ["direct", "indirect", "mixed", "author"]
DATABASE = "claims_bench_api_reads"


def populate() -> dict:
    """Attribute every statement and mention one claim widely; return targets."""
    from django.contrib.auth import get_user_model

    from claims.models import Attribution, Claim, ClaimMention, Source, Statement

    sources = Source.objects.bulk_create(
        Source(name=f"Speaker {n}", normalized_name=f"speaker {n}", kind="person")
        for n in range(200)
    )
    batch = []
    for statement_id in Statement.objects.values_list("pk", flat=True).iterator():
        kind = KINDS[(statement_id // 7) % 4]
        batch.append(
            Attribution(
                statement_id=statement_id,
                kind=kind,
                source=None if kind == "author" else sources[statement_id % 200],
                origin="imported",
                status="accepted",
            )
        )
        if len(batch) == 5000:
            Attribution.objects.bulk_create(batch)
            batch = []
    Attribution.objects.bulk_create(batch)
    claim = Claim.objects.create(text="Costs rose sharply")
    statements = Statement.objects.order_by("?").values_list("pk", flat=True)[:500]
    ClaimMention.objects.bulk_create(
        ClaimMention(claim=claim, statement_id=pk, origin="imported", status="accepted")
        for pk in statements
    )
    reader = get_user_model().objects.create_user("bench-reader")
    return {"claim": claim.pk, "reader": reader.pk, "source": sources[7].name}


def measure(requests: int) -> list[dict]:
    """Run inside a process whose DATABASE_URL names the loaded database."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    targets = populate()
    if connection.vendor == "postgresql":
        # Statistics, as autovacuum would gather them (see bench.load._analyze).
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    client = Client()
    client.force_login(get_user_model().objects.get(pk=targets["reader"]))
    source = targets["source"].replace(" ", "%20")
    endpoints = {
        "document list (page of 50)": "/api/documents/",
        "statements list (page of 100, with attributions)": (
            "/api/statements/?page_size=100"
        ),
        "statements by source and kind (page of 100)": (
            f"/api/statements/?source={source}&kind=indirect&page_size=100"
        ),
        "claim timeline (page of 100 of 500 mentions)": (
            f"/api/claims/{targets['claim']}/timeline/?page_size=100"
        ),
    }
    rows = []
    for name, path in endpoints.items():
        timings, response, queries = timed_gets(client, path, requests)
        rows.append(
            {
                "endpoint": name,
                "median_ms": statistics.median(timings) * 1000,
                "p95_ms": timings[int(0.95 * (len(timings) - 1))] * 1000,
                "queries": len(queries),
                "results": len(response.json()["results"]),
            }
        )
    return rows


def timed_gets(client, path: str, requests: int):
    """GET ``path`` once to warm caches, then ``requests`` times, timed.

    Returns the sorted timings in seconds, the last response and the queries
    it made (a ``CaptureQueriesContext``).
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)
    timings = []
    for _ in range(requests):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(path)
            timings.append(time.perf_counter() - started)
        assert response.status_code == 200, (path, response.content[:300])
    return sorted(timings), response, queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.requests)))
        return

    with tempfile.TemporaryDirectory() as directory:
        workdir = Path(directory)
        corpus = workdir / "corpus.jsonl"
        write_corpus(corpus, args.documents)
        print(
            f"{args.documents} documents; {args.requests} requests an endpoint, "
            "in-process, signed in as a reader\n"
        )
        print("| database | endpoint | median | p95 | queries | rows |")
        print("|---|---|---:|---:|---:|---:|")
        for kind in args.databases.split(","):
            url = migrated_database(kind, workdir, DATABASE)
            manage("import_documents", str(corpus), database_url=url)
            env = os.environ | {
                "DATABASE_URL": url,
                "SECRET_KEY": "bench-only",
                "ALLOWED_HOSTS": "testserver",
                "SECURE": "0",
                "THROTTLE_USER": "1000000/min",
                "DJANGO_SETTINGS_MODULE": "config.settings",
            }
            output = subprocess.run(
                [sys.executable, "-m", "bench.api_reads", "--measure",
                 "--requests", str(args.requests)],
                cwd=ROOT, env=env, check=True, capture_output=True, text=True,
            ).stdout  # fmt: skip
            for row in json.loads(output.splitlines()[-1]):
                print(
                    f"| {kind} | {row['endpoint']} | {row['median_ms']:.1f} ms "
                    f"| {row['p95_ms']:.1f} ms | {row['queries']} | {row['results']} |"
                )


if __name__ == "__main__":
    main()
