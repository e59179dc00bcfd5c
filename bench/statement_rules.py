"""PostgreSQL statement rules (slice, overlap): their cost against the rows written.

    python -m bench.statement_rules [--statements 1000,2000,4000,8000]
                                    [--old-up-to 8000] [--megabytes 1]
                                    [--table 1000000] [--runs 3]
                                    [--database claims_bench_statement_rules]

One fresh, migrated PostgreSQL database. Two functions behind the same
triggers, swapped in turn in the same run: ``old``, migration 0007's body (a
``substr`` from the start of the text for each statement, and an ordered pass
over every statement of the documents written), and ``new``, migration
0016's (the text cut once into pieces, and each written row's two neighbours
by ``(document_id, start)``).

(a) ``document_ingest`` of one text of each ``--statements`` size (sentences
    from bench/corpus.py, segmented by the service as usual), the whole
    service call, timed; the document is deleted between runs (not timed).
    ``old`` runs up to ``--old-up-to`` statements only: past that it takes
    minutes.
(b) the same for a text of ``--megabytes`` MB, ``new`` only unless
    ``--old-up-to`` reaches its size.
(c) ``--table`` statements loaded by ``COPY`` (15 a document, triggers off
    for the load: the rows are consistent by construction), ``VACUUM
    ANALYZE``, then ``EXPLAIN ANALYZE`` of a 15-row ``INSERT`` of a new
    document's statements, rolled back: the trigger's time as PostgreSQL
    reports it (``Trigger statements_inserted: time=…``).

Medians of ``--runs``, since the machine is shared and noisy.
"""

import argparse
import datetime
import hashlib
import importlib
import os
import re
import statistics
import time

from bench.corpus import generate_documents
from bench.databases import migrated_postgres_database, reset_sequences
from claims.copy_format import copy_buffer

DATABASE = "claims_bench_statement_rules"
PER_DOCUMENT = 15


def _functions() -> dict[str, str]:
    """Each trigger function's body, as ``CREATE OR REPLACE``."""
    old = importlib.import_module("claims.migrations.0007_statement_rules_per_command")
    new = importlib.import_module("claims.migrations.0016_statement_rules_linear")
    return {
        "old": old.CHECK_FUNCTION.replace(
            "CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1
        ),
        "new": new.CHECK_FUNCTION,
    }


def _install(sql: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql)  # no parameters: "%" is PL/pgSQL's


def text_of_statements(count: int) -> str:
    """A text of about ``count`` statements: bench/corpus.py's articles, one
    after another, until the segmenter finds that many."""
    from claims.segmentation import segment

    parts, found = [], 0
    for record in generate_documents(10**9, seed=7):
        if found >= count:
            break
        parts.append(record["text"])
        found += len(segment(record["text"]))
    return "\n\n".join(parts)


def text_of_megabytes(megabytes: float) -> str:
    parts, size = [], 0
    for record in generate_documents(10**9, seed=11):
        if size >= megabytes * 1_000_000:
            break
        parts.append(record["text"])
        size += len(record["text"].encode()) + 2
    return "\n\n".join(parts)


def time_ingest(text: str, function: str, runs: int, sql: dict) -> tuple[float, int]:
    """Median seconds of ``document_ingest(text)`` under ``function``."""
    from claims.models import Document
    from claims.services import document_ingest

    _install(sql[function])
    times, count = [], 0
    for run in range(runs):
        started = time.perf_counter()
        document = document_ingest(title=f"Bench {run}", text=text)
        times.append(time.perf_counter() - started)
        count = document.statements.count()
        Document.objects.filter(pk=document.pk).delete()
    return statistics.median(times), count


def load_statements(url: str, total: int) -> int:
    """``total`` statements or a few more, 15 a document, by COPY; the count."""
    import psycopg2

    now = datetime.datetime.now(datetime.UTC).isoformat()
    documents, statements = [], []
    pk = 0
    while len(statements) < total:
        pk += 1
        sentences = [
            f"Report {pk} says item {i} rose by {i * 7 % 100}% — “as planned”."
            for i in range(PER_DOCUMENT)
        ]
        text = " ".join(sentences)
        documents.append(
            (pk, f"Report {pk}", text, hashlib.sha256(text.encode()).hexdigest(),
             "", now, "en", "{}", now, 1)
        )  # fmt: skip
        start = 0
        for index, sentence in enumerate(sentences):
            end = start + len(sentence)
            statements.append((len(statements) + 1, pk, index, start, end, sentence))
            start = end + 1
    connection = psycopg2.connect(url)
    with connection, connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        cursor.copy_expert(
            "COPY claims_document (id, title, text, content_hash, url, "
            "published_at, language, metadata, created_at, version) FROM STDIN",
            copy_buffer(documents),
        )
        cursor.copy_expert(
            'COPY claims_statement (id, document_id, "index", start, "end", text) '
            "FROM STDIN",
            copy_buffer(statements),
        )
        cursor.execute("SET session_replication_role = origin")
        reset_sequences(cursor, ["claims_document", "claims_statement"])
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE claims_document, claims_statement")
    connection.close()
    return len(statements)


TRIGGER_TIME = re.compile(r"Trigger statements_inserted: time=([\d.]+) calls=1")


def explain_insert(function: str, runs: int, sql: dict) -> tuple[float, str]:
    """Median trigger milliseconds of a 15-row insert, and the last plan."""
    from django.db import connection, transaction

    from claims.models import Document
    from claims.services import content_hash

    _install(sql[function])
    record = next(generate_documents(1, seed=99))
    sentences = [f"New item {i} fell by {i}% — “unexpectedly”." for i in range(15)]
    text = " ".join(sentences)
    values, start = [], 0
    for index, sentence in enumerate(sentences):
        end = start + len(sentence)
        values.append((index, start, end, sentence))
        start = end + 1
    times, plan = [], ""
    for _ in range(runs):
        with transaction.atomic():
            document = Document.objects.create(
                title=record["title"], text=text, content_hash=content_hash(text)
            )
            rows = ", ".join(["(%s, %s, %s, %s, %s)"] * len(values))
            params = [p for row in values for p in (document.pk, *row)]
            with connection.cursor() as cursor:
                cursor.execute(
                    "EXPLAIN (ANALYZE, BUFFERS) INSERT INTO claims_statement "
                    f'(document_id, "index", start, "end", text) VALUES {rows}',
                    params,
                )
                plan = "\n".join(line for (line,) in cursor.fetchall())
            transaction.set_rollback(True)
        found = TRIGGER_TIME.search(plan)
        if found is None:
            raise SystemExit(f"no trigger time in the plan:\n{plan}")
        times.append(float(found.group(1)))
    return statistics.median(times), plan


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--statements", default="1000,2000,4000,8000")
    parser.add_argument("--old-up-to", type=int, default=8000,
                        help="largest document the old function stores")  # fmt: skip
    parser.add_argument("--megabytes", type=float, default=1.0)
    parser.add_argument("--table", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database", default=DATABASE, help="dropped and made anew")
    args = parser.parse_args()
    sizes = [int(size) for size in args.statements.split(",")]

    url = migrated_postgres_database(args.database)
    os.environ.update(
        DATABASE_URL=url,
        SECRET_KEY="bench-only",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    import django

    django.setup()
    sql = _functions()

    print("(a) document_ingest of one text, median seconds")
    print(f"{'statements':>10} {'chars':>9} {'old s':>8} {'new s':>8} {'old/new':>8}")
    measured: dict[str, list[tuple[float, int]]] = {"old": [], "new": []}
    for size in sizes:
        text = text_of_statements(size)
        new, count = time_ingest(text, "new", args.runs, sql)
        measured["new"].append((new, count))
        old = None
        if size <= args.old_up_to:
            old = time_ingest(text, "old", args.runs, sql)[0]
            measured["old"].append((old, count))
        ratio = f"{old / new:8.1f}" if old else f"{'-':>8}"
        old_text = f"{old:8.3f}" if old else f"{'-':>8}"
        print(f"{count:>10,} {len(text):>9,} {old_text} {new:8.3f} {ratio}")
    for function, results in measured.items():
        if len(results) < 2:
            continue
        (first, first_count), (last, last_count) = results[0], results[-1]
        times = last_count / first_count
        print(
            f"  {function}: {last_count:,} statements took "
            f"{last / (first * times):.2f} x the time of {first_count:,} x {times:.1f}"
        )

    if args.megabytes:
        text = text_of_megabytes(args.megabytes)
        new, count = time_ingest(text, "new", args.runs, sql)
        line = (f"(b) {len(text.encode()) / 1e6:.2f} MB, {count:,} statements: "
                f"new {new:.3f} s")  # fmt: skip
        if count <= args.old_up_to:
            line += f", old {time_ingest(text, 'old', args.runs, sql)[0]:.3f} s"
        print(line)

    if args.table:
        started = time.perf_counter()
        loaded = load_statements(url, args.table)
        print(f"(c) {loaded:,} statements loaded by COPY and analyzed in "
              f"{time.perf_counter() - started:.1f} s")  # fmt: skip
        for function in ["old", "new"]:
            milliseconds, plan = explain_insert(function, args.runs, sql)
            print(
                f"  {function}: trigger {milliseconds:.2f} ms (median of {args.runs})"
            )
            print("    " + plan.replace("\n", "\n    "))


if __name__ == "__main__":
    main()
