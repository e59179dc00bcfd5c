"""``/api/claims/similar/`` through gunicorn on PostgreSQL, at growing claim counts.

    python -m bench.similar_latency DATA_DIR [--claims 10000,100000] [--requests 100]
                                     [--method lexical] [--database claims_search_bench]

DATA_DIR is the CLEF 2020 Task 2 folder (bench/claim_retrieval.py). A fresh,
migrated database (``claims_search_bench``) holds the fact-checked claims,
grown to each size by deterministic rewordings of them (a framing phrase
before and after, so every text is a new claim) and written by the bulk path
(``claims.services.bulk.insert_rows``, COPY). gunicorn (production settings)
listens on a socket this process bound to a free port and hands it by
``--bind fd://N``; a token that exists only in this database proves the
server answering is this one. The dev tweets are then looked up one request
at a time; the median and 95th percentile are reported, with the ranking
query's EXPLAIN ANALYZE for one tweet. ``--method lexical`` (the default)
serves with ``CLAIM_EMBEDDING_MODEL`` empty, so that the optional semantic
packages, where installed, do not change what is measured; ``--method
semantic`` stores a random unit vector for each claim and serves with the
model, so each request encodes its text, ranks it lexically and by cosine
over every vector, and fuses the two. Every answer's ``method`` is checked.
"""

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

from bench.claim_retrieval import read_claims, read_split
from bench.databases import ROOT, manage, migrated_postgres_database
from bench.load import production_environment

DATABASE = "claims_search_bench"
BEFORE = [
    "", "Viral post: ", "Claim: ", "Some say ", "Reportedly, ", "Rumour has it ",
    "Posts say ", "A meme says ", "Readers ask whether ", "It is said that ",
]  # fmt: skip
AFTER = [
    "", " (viral)", ", posts claim", " — fact check", ", a reader asked",
    " online", ", says a meme", " again", " this week", ", they say",
]  # fmt: skip


def grown_claims(base: list[str], count: int) -> list[str]:
    """``count`` distinct claim texts: the base ones, then framed rewordings."""
    texts, seen = [], set()
    for variant in range(len(BEFORE) * len(AFTER)):
        before, after = BEFORE[variant % 10], AFTER[variant // 10]
        for text in base:
            worded = f"{before}{text[0].lower() if before else text[0]}{text[1:]}"
            worded = worded.rstrip(".") + after
            if worded.lower() not in seen:
                seen.add(worded.lower())
                texts.append(worded)
                if len(texts) == count:
                    return texts
    raise ValueError(f"at most {len(texts):,} claims from these")


def environment(url: str, method: str = "lexical") -> dict:
    """The production environment, semantic ranking off unless asked for."""
    env = production_environment(url)
    if method == "lexical":
        env["CLAIM_EMBEDDING_MODEL"] = ""
    return env


# Semantic serving needs each claim's vector stored: random unit vectors
# (brute force costs the same whatever they hold, and encoding 100,000
# claims would take most of an hour here), written as the service stores them.
_VECTORS = (
    "import numpy as np\n"
    "from claims import embeddings\n"
    "from claims.models import ClaimEmbedding\n"
    "rng = np.random.default_rng(7); model = embeddings.model_name()\n"
    "dimensions = embeddings.dimensions()\n"
    "def row(pk):\n"
    "    v = rng.standard_normal(dimensions).astype(np.float32)\n"
    "    return ClaimEmbedding(claim_id=pk, model=model, dimensions=dimensions,\n"
    "        vector=embeddings.to_bytes(v / np.linalg.norm(v)), text_sha256='-')\n"
    "ClaimEmbedding.objects.bulk_create((row(pk) for pk in Claim.objects\n"
    "    .values_list('pk', flat=True).iterator()), batch_size=2000)\n"
    "with connection.cursor() as c: c.execute('ANALYZE claims_claimembedding')\n"
)


def load(url: str, texts: list[str], method: str = "lexical") -> None:
    script = (
        "import django, json, sys; django.setup()\n"
        "from django.db import connection, transaction\n"
        "from django.utils import timezone\n"
        "from claims.models import Claim\n"
        "from claims.services.bulk import insert_rows\n"
        "texts = json.load(sys.stdin); now = timezone.now().isoformat()\n"
        "with transaction.atomic():\n"
        "    Claim.objects.all().delete()\n"
        "    insert_rows(Claim, ['text', 'status', 'created_at', 'updated_at', "
        "'version', 'proposed'], ((t, 'new', now, now, 1, 'f') for t in texts))\n"
        "with connection.cursor() as c: c.execute('VACUUM ANALYZE claims_claim')\n"
    ) + (_VECTORS if method == "semantic" else "")
    subprocess.run([sys.executable, "-c", script], cwd=ROOT,
                   env=environment(url, method),
                   input=json.dumps(texts), text=True, check=True)  # fmt: skip


def serve(url: str, method: str) -> tuple[subprocess.Popen, int]:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(128)
    port = listener.getsockname()[1]
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "config.wsgi:application",
         "--workers", "2", "--bind", f"fd://{listener.fileno()}",
         "--log-level", "warning"],
        cwd=ROOT, env=environment(url, method), pass_fds=[listener.fileno()],
    )  # fmt: skip
    listener.close()
    return server, port


def get(port: int, path: str, token: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path, headers={
        "Authorization": f"Token {token}", "X-Forwarded-Proto": "https"})  # fmt: skip
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body


def explain(url: str, text: str) -> str:
    import psycopg2

    script_sql, parameters = _ranking_sql(text, url)
    connection = psycopg2.connect(url)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + script_sql, parameters)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    connection.close()
    return plan


def _ranking_sql(text: str, url: str) -> tuple[str, dict]:
    import django

    # The parameters hold the text's lexemes and their statistics, read from
    # the database measured.
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "1")
    django.setup()
    from claims.search import _POSTGRESQL, DEPTH, _parameters

    return _POSTGRESQL, _parameters([text], DEPTH)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("--claims", default="10000,100000")
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--method", choices=["lexical", "semantic"], default="lexical")
    parser.add_argument("--database", default=DATABASE,
                        help="PostgreSQL database, dropped and made anew")  # fmt: skip
    args = parser.parse_args()
    base = list(dict.fromkeys(text for _, text in read_claims(args.data)).keys())
    tweets = [text for text, _ in read_split(args.data, "dev")][: args.requests]
    url = migrated_postgres_database(args.database)
    manage("loaddata", "fixtures/demo_users.json", database_url=url)
    token = subprocess.run(
        [sys.executable, "manage.py", "create_token", "reviewer"],
        cwd=ROOT, env=production_environment(url), check=True, capture_output=True,
        text=True,
    ).stdout.split()[2]  # fmt: skip
    rows = []
    for count in (int(c) for c in args.claims.split(",")):
        load(url, grown_claims(base, count), args.method)
        server, port = serve(url, args.method)
        try:
            for _ in range(100):
                try:
                    # Only a server on this database knows this token.
                    status, _ = get(port, "/api/claims/similar/?text=x", token)
                    if status == 200:
                        break
                    raise SystemExit(f"the server on port {port} answered {status}")
                except ConnectionError:
                    time.sleep(0.2)
            for tweet in tweets[:10]:  # warm both workers (and their matrices)
                get(port, "/api/claims/similar/?" + urllib.parse.urlencode(
                    {"text": tweet}), token)  # fmt: skip
            timings = []
            for tweet in tweets:
                path = "/api/claims/similar/?" + urllib.parse.urlencode(
                    {"text": tweet, "limit": 10}
                )
                started = time.perf_counter()
                status, body = get(port, path, token)
                timings.append(time.perf_counter() - started)
                assert status == 200, body[:200]
                assert json.loads(body)["method"] == args.method, body[:200]
        finally:
            server.terminate()
            server.wait()
        timings.sort()
        rows.append((count, statistics.median(timings) * 1000,
                     timings[int(0.95 * (len(timings) - 1))] * 1000))  # fmt: skip
        print(f"{count:,} claims: p50 {rows[-1][1]:.1f} ms, p95 {rows[-1][2]:.1f} ms",
              flush=True)  # fmt: skip
    print("\n| claims | requests | p50 | p95 |\n|---|---|---|---|")
    for count, p50, p95 in rows:
        print(f"| {count:,} | {len(tweets)} | {p50:.1f} ms | {p95:.1f} ms |")
    print(f"\nEXPLAIN ANALYZE at {rows[-1][0]:,} claims, dev tweet 1:\n")
    print(explain(url, tweets[0]))


if __name__ == "__main__":
    main()
