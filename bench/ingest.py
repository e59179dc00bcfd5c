"""Import speed: ``import_documents`` on a generated corpus, beside a raw limit.

    python -m bench.ingest [--documents 2000] [--runs 3] [--databases sqlite,postgres]

Each run starts from a fresh, migrated database and times the whole command
(``manage.py import_documents corpus.jsonl``) as a user would run it. Beside it,
the raw limit in the same run: the same document rows and one row per
statement, segmented beforehand, written straight into plain unindexed tables
in one transaction (``COPY`` on PostgreSQL, ``executemany`` on SQLite). The
ratio of the two says how much of the database's own speed the service keeps;
medians, since this machine is shared and noisy.
"""

import argparse
import io
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.corpus import write_corpus
from claims.segmentation import segment

ROOT = Path(__file__).resolve().parent.parent
PG_SERVER = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
PG_DATABASE = "claims_bench_ingest"


def _manage(*args, database_url: str) -> None:
    env = os.environ | {"DEBUG": "1", "DATABASE_URL": database_url}
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True,
        stdout=subprocess.DEVNULL,
    )  # fmt: skip


def fresh_postgres_database(name: str) -> str:
    """An empty PostgreSQL database of this name (dropped first); its URL."""
    import psycopg2

    admin = psycopg2.connect(f"{PG_SERVER}/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name}")
        cursor.execute(f"CREATE DATABASE {name}")
    admin.close()
    return f"{PG_SERVER}/{name}"


def _fresh_database(kind: str, workdir: Path) -> str:
    if kind == "sqlite":
        path = workdir / "bench.sqlite3"
        path.unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    else:
        url = fresh_postgres_database(PG_DATABASE)
    _manage("migrate", "--verbosity", "0", database_url=url)
    return url


def time_import(kind: str, corpus: Path, workdir: Path) -> float:
    url = _fresh_database(kind, workdir)
    started = time.perf_counter()
    _manage("import_documents", str(corpus), database_url=url)
    return time.perf_counter() - started


def _rows(corpus: Path):
    documents, statements = [], []
    with corpus.open(encoding="utf-8") as file:
        for number, line in enumerate(file):
            record = json.loads(line)
            documents.append((number, record["title"], record["text"]))
            statements.extend(
                (
                    number,
                    index,
                    span.start,
                    span.end,
                    record["text"][span.start : span.end],
                )
                for index, span in enumerate(segment(record["text"]))
            )
    return documents, statements


RAW_TABLES = [
    "CREATE TABLE raw_document (id integer, title text, text text)",
    'CREATE TABLE raw_statement (document_id integer, "index" integer, '
    'start integer, "end" integer, text text)',
]


def time_raw(kind: str, documents, statements, workdir: Path) -> float:
    """Write the same rows into plain tables: the database's own limit."""
    url = _fresh_database(kind, workdir)
    if kind == "sqlite":
        connection = sqlite3.connect(url.removeprefix("sqlite:///"))
        for sql in RAW_TABLES:
            connection.execute(sql)
        started = time.perf_counter()
        with connection:
            connection.executemany(
                "INSERT INTO raw_document VALUES (?, ?, ?)", documents
            )
            connection.executemany(
                "INSERT INTO raw_statement VALUES (?, ?, ?, ?, ?)", statements
            )
        elapsed = time.perf_counter() - started
        connection.close()
        return elapsed

    import psycopg2

    connection = psycopg2.connect(url)
    with connection, connection.cursor() as cursor:
        for sql in RAW_TABLES:
            cursor.execute(sql)
    started = time.perf_counter()
    with connection, connection.cursor() as cursor:
        cursor.copy_expert("COPY raw_document FROM STDIN", _copy_buffer(documents))
        cursor.copy_expert("COPY raw_statement FROM STDIN", _copy_buffer(statements))
    elapsed = time.perf_counter() - started
    connection.close()
    return elapsed


def _copy_buffer(rows) -> io.StringIO:
    def field(value):
        if isinstance(value, str):
            return (
                value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
                .replace("\r", "\\r")
            )  # fmt: skip
        return str(value)

    return io.StringIO("".join("\t".join(map(field, row)) + "\n" for row in rows))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--databases", default="sqlite,postgres")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as directory:
        workdir = Path(directory)
        corpus = workdir / "corpus.jsonl"
        write_corpus(corpus, args.documents)
        documents, statements = _rows(corpus)
        print(
            f"{args.documents} documents, {len(statements)} statements, "
            f"{corpus.stat().st_size / 1e6:.1f} MB; median of {args.runs} runs\n"
        )
        print("| database | import_documents | docs/s | raw limit | docs/s | ratio |")
        print("|---|---:|---:|---:|---:|---:|")
        for kind in args.databases.split(","):
            imports = [time_import(kind, corpus, workdir) for _ in range(args.runs)]
            raws = [
                time_raw(kind, documents, statements, workdir) for _ in range(args.runs)
            ]
            imported, raw = statistics.median(imports), statistics.median(raws)
            print(
                f"| {kind} | {imported:.2f} s | {args.documents / imported:,.0f} "
                f"| {raw:.3f} s | {args.documents / raw:,.0f} | {raw / imported:.1%} |"
            )


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    main()
