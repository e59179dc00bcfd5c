"""The statements list over HTTP beside its limit: one SQL query and json.dumps.

    python -m bench.read_limit [--documents 10000] [--requests 50] [--reuse]

On PostgreSQL (database ``claims_bench_reads``): the generated corpus with
every statement attributed, loaded as ``bench/load.py`` loads it, and gunicorn
on a free port (bench/server.py) serving the production settings (DEBUG off,
HTTPS-only, requests marked as proxied HTTPS, a token). Each page of the
statements list, the first and one deep in the list, is requested
``--requests`` times one after another over loopback HTTP (``http.client``).
Beside each request, in the same loop so that both see the same noise, the
limit: one hand-written SQL query returning the same page (the statements with
their document, publisher, attributions, sources, conduits and claim ids, and
the total count), assembled into the same JSON in this Python process and
encoded with ``json.dumps``. The two bodies are checked to hold the same
results. Medians, the API's 95th percentile, their ratio, and the queries one
request makes at page sizes 10 and 100 (counted in-process with
``CaptureQueriesContext``, token included).
``--reuse`` keeps the database of an earlier run.
"""

import argparse
import datetime
import http.client
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.databases import PG_SERVER, ROOT
from bench.load import prepared_corpus, production_environment, served

DATABASE = "claims_bench_reads"
PAGE_SIZE = 100

LIMIT_SQL = """
WITH page AS (
    SELECT id, document_id, index, start, "end", text
    FROM claims_statement
    ORDER BY document_id, index
    LIMIT %(limit)s OFFSET %(offset)s
)
SELECT
    (SELECT count(*) FROM claims_statement),
    p.id, p.document_id, d.title, d.published_at, pub.id, pub.name, pub.kind,
    p.index, p.start, p."end", p.text,
    (SELECT coalesce(array_agg(m.claim_id ORDER BY m.id), '{}')
     FROM claims_claimmention m WHERE m.statement_id = p.id),
    (SELECT coalesce(json_agg(json_build_object(
                'id', m.id, 'claim', m.claim_id, 'claim_text', c.text,
                'origin', m.origin, 'status', m.status, 'created_by', mu.username,
                'reviewed_by', ru.username, 'version', m.version) ORDER BY m.id),
            '[]'::json)
     FROM claims_claimmention m JOIN claims_claim c ON c.id = m.claim_id
     LEFT JOIN auth_user mu ON mu.id = m.created_by_id
     LEFT JOIN auth_user ru ON ru.id = m.reviewed_by_id
     WHERE m.statement_id = p.id),
    a.id, a.kind, src.id, src.name, src.kind,
    a.source_start, a.source_end, a.cue_start, a.cue_end,
    a.content_start, a.content_end, via.id, via.name, via.kind,
    a.primary_source_url, a.origin, a.status, a.confidence, u.username, a.version,
    ru.username, a.reviewed_at
FROM page p
JOIN claims_document d ON d.id = p.document_id
LEFT JOIN claims_source pub ON pub.id = d.publisher_id
LEFT JOIN claims_attribution a ON a.statement_id = p.id
LEFT JOIN claims_source src ON src.id = a.source_id
LEFT JOIN claims_source via ON via.id = a.via_id
LEFT JOIN auth_user u ON u.id = a.created_by_id
LEFT JOIN auth_user ru ON ru.id = a.reviewed_by_id
ORDER BY p.document_id, p.index, a.id
"""


def _path(page: int, page_size: int = PAGE_SIZE) -> str:
    query = f"page={page}&page_size={page_size}" if page > 1 else ""
    return f"/api/statements/?{query or f'page_size={page_size}'}"


def _when(value: datetime.datetime | None) -> str | None:
    if value is None:
        return None
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _source(id_, name, kind) -> dict | None:
    return None if id_ is None else {"id": id_, "name": name, "kind": kind}


def _span(start, end) -> dict | None:
    return None if start is None else {"start": start, "end": end}


def limit_body(cursor, page: int, base: str) -> bytes:
    """The page in one query, shaped as the API's JSON, encoded."""
    cursor.execute(LIMIT_SQL, {"limit": PAGE_SIZE, "offset": (page - 1) * PAGE_SIZE})
    results, current, count = [], None, 0
    for row in cursor.fetchall():
        count = row[0]
        if current is None or current["id"] != row[1]:
            current = {
                "id": row[1],
                "document": {
                    "id": row[2],
                    "title": row[3],
                    "published_at": _when(row[4]),
                    "publisher": _source(row[5], row[6], row[7]),
                },
                "index": row[8],
                "start": row[9],
                "end": row[10],
                "text": row[11],
                "attributions": [],
                "claims": row[12],
                "mentions": row[13],
            }
            results.append(current)
        if row[14] is not None:
            current["attributions"].append(
                {
                    "id": row[14],
                    "kind": row[15],
                    "source": _source(row[16], row[17], row[18]),
                    "source_span": _span(row[19], row[20]),
                    "cue": _span(row[21], row[22]),
                    "content": _span(row[23], row[24]),
                    "via": _source(row[25], row[26], row[27]),
                    "primary_source_url": row[28],
                    "origin": row[29],
                    "status": row[30],
                    "confidence": row[31],
                    "created_by": row[32],
                    "version": row[33],
                    "reviewed_by": row[34],
                    # As DRF writes a UTC time.
                    "reviewed_at": row[35]
                    and row[35].isoformat().replace("+00:00", "Z"),
                }
            )
    pages = -(-count // PAGE_SIZE)
    body = {
        "count": count,
        "next": f"{base}/api/statements/?page={page + 1}&page_size={PAGE_SIZE}"
        if page < pages
        else None,
        "previous": None
        if page == 1
        else f"{base}{_path(page - 1)}".replace("?page=1&", "?"),
        "results": results,
    }
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def _pages(cursor) -> dict[str, int]:
    """The first page, and one two thirds into the list (1000 of 1500 at 10k)."""
    cursor.execute("SELECT count(*) FROM claims_statement")
    last = -(-cursor.fetchone()[0] // PAGE_SIZE)
    return {"first page": 1, "deep page": max(2, 2 * last // 3)}


def count_queries(token: str, pages: dict[str, int]) -> str:
    """Run inside a process whose settings are the server's: queries a request."""
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(headers={"Authorization": f"Token {token}"})
    counts = {}
    for size in (10, PAGE_SIZE):
        for name, page in pages.items():
            with CaptureQueriesContext(connection) as queries:
                response = client.get(_path(page, size), secure=True)
            assert response.status_code == 200, response.content[:200]
            counts[f"{name} {size}"] = len(queries)
    return json.dumps(counts)


def _get(connection: http.client.HTTPConnection, path: str, token: str) -> bytes:
    connection.request(
        "GET",
        path,
        headers={"Authorization": f"Token {token}", "X-Forwarded-Proto": "https"},
    )
    response = connection.getresponse()
    body = response.read()
    assert response.status == 200, (path, response.status, body[:200])
    return body


def measure(cursor, url, token, pages, requests: int, workers: int) -> list[dict]:
    server = served(url, token, workers)
    # The API's next and previous links name the port it was asked on.
    base = f"https://127.0.0.1:{server.port}"
    rows = []
    try:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        for name, page in pages.items():
            path = _path(page)
            for _ in range(3 * workers):  # warm every worker and the caches
                api = _get(connection, path, token)
                limit = limit_body(cursor, page, base)
            assert json.loads(api)["results"] == json.loads(limit)["results"], path
            assert json.loads(api)["count"] == json.loads(limit)["count"], path
            api_times, limit_times = [], []
            for _ in range(requests):
                started = time.perf_counter()
                _get(connection, path, token)
                api_times.append(time.perf_counter() - started)
                started = time.perf_counter()
                limit_body(cursor, page, base)
                limit_times.append(time.perf_counter() - started)
            api_times.sort()
            rows.append(
                {
                    "name": name,
                    "path": path,
                    "api": statistics.median(api_times) * 1000,
                    "api_p95": api_times[int(0.95 * (len(api_times) - 1))] * 1000,
                    "limit": statistics.median(limit_times) * 1000,
                    "bytes": len(api),
                }
            )
        connection.close()
    finally:
        server.stop()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument(
        "--reuse", action="store_true", help="keep the database of an earlier run"
    )
    parser.add_argument("--count-queries", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.count_queries:
        token, pages = args.count_queries.split(" ", 1)
        print(count_queries(token, json.loads(pages)))
        return

    if args.reuse:
        url = f"{PG_SERVER}/{DATABASE}"
        token = subprocess.run(
            [sys.executable, "manage.py", "create_token", "editor"], cwd=ROOT,
            env=production_environment(url), check=True, capture_output=True, text=True,
        ).stdout.split()[2]  # fmt: skip
    else:
        with tempfile.TemporaryDirectory() as directory:
            url, token, _ = prepared_corpus(args.documents, Path(directory), DATABASE)
    import psycopg2

    database = psycopg2.connect(url)
    database.set_session(readonly=True, autocommit=True)
    cursor = database.cursor()
    cursor.execute("SET TIME ZONE 'UTC'")
    pages = _pages(cursor)
    env = production_environment(url) | {"ALLOWED_HOSTS": "testserver"}
    counts = json.loads(
        subprocess.run(
            [sys.executable, "-m", "bench.read_limit",
             "--count-queries", f"{token} {json.dumps(pages)}"],
            cwd=ROOT, env=env, check=True, capture_output=True, text=True,
        ).stdout.splitlines()[-1]
    )  # fmt: skip
    try:
        rows = measure(cursor, url, token, pages, args.requests, args.workers)
    finally:
        database.close()

    print(
        f"PostgreSQL, {args.documents} documents; gunicorn, {args.workers} "
        f"worker(s), production settings; {args.requests} requests a page, "
        "one after another over loopback HTTP; the limit in the same loop\n"
    )
    print(
        "| request | API median | API p95 | limit median | ratio "
        "| queries (page of 10 / 100) | bytes |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        queries = f"{counts[row['name'] + ' 10']} / {counts[row['name'] + ' 100']}"
        print(
            f"| GET {row['path']} ({row['name']}) | {row['api']:.1f} ms "
            f"| {row['api_p95']:.1f} ms | {row['limit']:.1f} ms "
            f"| {row['api'] / row['limit']:.1f}× | {queries} | {row['bytes']:,} |"
        )


if __name__ == "__main__":
    main()
