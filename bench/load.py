"""Load on the production server: gunicorn on loopback, driven by wrk.

    python -m bench.load [--documents 2000] [--duration 60] [--connections 32]

On PostgreSQL: a fresh database with the generated corpus (every statement
attributed, as in bench/api_reads.py) and the demo accounts; gunicorn on a
free port, checked to be its own (bench/server.py), serving the production
settings (DEBUG off, HTTPS-only, requests marked as proxied
HTTPS with ``X-Forwarded-Proto``); a token for the demo editor whose throttle
rate allows the run. Then wrk, a second process, runs ``--connections``
connections for ``--duration`` seconds against the statements list (a page of
100 with attributions) and against a write (creating an annotation), and the
requests per second, latency percentiles and errors are reported.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.corpus import write_corpus
from bench.databases import ROOT, manage, migrated_postgres_database
from bench.server import Server, serve

DATABASE = "claims_bench_load"


def production_environment(url: str) -> dict:
    """The environment of a production server on ``url``'s database, with
    the throttles out of the way of a load test."""
    return os.environ | {
        "DATABASE_URL": url,
        "DEBUG": "0",
        "SECURE": "1",
        "SECRET_KEY": "bench-load-only-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "THROTTLE_USER": "100000000/min",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }


def prepared_corpus(
    documents: int, workdir: Path, database: str = DATABASE
) -> tuple[str, str, int]:
    """Load the corpus; return the database URL, a token and a statement id."""
    url = migrated_postgres_database(database)
    corpus = workdir / "corpus.jsonl"
    write_corpus(corpus, documents)
    manage("collectstatic", "--no-input", "--verbosity", "0", database_url=url)
    manage("loaddata", "fixtures/demo_users.json", database_url=url)
    manage("import_documents", str(corpus), database_url=url)
    script = (
        "import django; django.setup(); "
        "from bench.api_reads import populate; populate(); "
        "from claims.models import Statement; print(Statement.objects.first().pk)"
    )
    env = production_environment(url)
    statement = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, check=True,
        capture_output=True, text=True,
    ).stdout.split()[-1]  # fmt: skip
    token = subprocess.run(
        [sys.executable, "manage.py", "create_token", "editor"], cwd=ROOT,
        env=env, check=True, capture_output=True, text=True,
    ).stdout.split()[2]  # fmt: skip
    _analyze(url)
    return url, token, int(statement)


def _analyze(url: str) -> None:
    """Planner statistics for the bulk-loaded tables, as autovacuum would.

    Before it the planner guesses row counts, and a guess big enough switches
    on JIT compilation (tens of milliseconds a query) for page-sized reads.
    """
    import psycopg2

    connection = psycopg2.connect(url)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    connection.close()


def served(url: str, token: str, workers: int) -> Server:
    """gunicorn on ``url``'s database, its requests marked as proxied HTTPS
    (or the server redirects them to https://)."""
    environment = production_environment(url)
    return serve(environment, token, workers, headers={"X-Forwarded-Proto": "https"})


def _wrk(
    base: str, path: str, token: str, args, workdir: Path, body: str | None = None
) -> dict:
    lua = workdir / "request.lua"
    lines = [
        f'wrk.headers["Authorization"] = "Token {token}"',
        'wrk.headers["X-Forwarded-Proto"] = "https"',
    ]
    if body is not None:
        lines += [
            'wrk.method = "POST"',
            'wrk.headers["Content-Type"] = "application/json"',
            f"wrk.body = [[{body}]]",
        ]
    lua.write_text("\n".join(lines) + "\n")
    output = subprocess.run(
        ["wrk", "--threads", "2", "--connections", str(args.connections),
         "--duration", f"{args.duration}s", "--timeout", "10s", "--latency",
         "--script", str(lua), f"{base}{path}"],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    latency = dict(re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", output, re.MULTILINE))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket = re.search(r"Socket errors: (.*)", output)
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    requests = re.search(r"(\d+) requests in", output)
    if rate is None or requests is None:
        raise SystemExit(f"wrk printed no totals:\n{output}")
    return {
        "rps": float(rate.group(1)),
        "requests": int(requests.group(1)),
        "latency": latency,
        "errors": int(errors.group(1)) if errors else 0,
        "socket": socket.group(1) if socket else "none",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as directory:
        workdir = Path(directory)
        url, token, statement = prepared_corpus(args.documents, workdir)
        with served(url, token, args.workers) as server:
            runs = {
                "GET /api/statements/?page_size=100": _wrk(
                    server.url, "/api/statements/?page_size=100", token, args, workdir
                ),
                "POST /api/annotations/": _wrk(
                    server.url,
                    "/api/annotations/",
                    token,
                    args,
                    workdir,
                    body=f'{{"statement": {statement}, "body": "Checked."}}',
                ),
            }
    print(
        f"gunicorn, {args.workers} workers; wrk, {args.connections} connections for "
        f"{args.duration} s; {args.documents} documents on PostgreSQL\n"
    )
    print("| request | requests/s | p50 | p75 | p90 | p99 | requests | errors |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, run in runs.items():
        latency = run["latency"]
        print(
            f"| {name} | {run['rps']:,.0f} | {latency.get('50')} | {latency.get('75')} "
            f"| {latency.get('90')} | {latency.get('99')} | {run['requests']:,} "
            f"| {run['errors']} non-2xx, socket errors: {run['socket']} |"
        )
    if any(run["errors"] or run["socket"] != "none" for run in runs.values()):
        raise SystemExit("the load run had errors")


if __name__ == "__main__":
    main()
