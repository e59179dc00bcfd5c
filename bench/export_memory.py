"""Export memory and time: ``export_documents`` in every format as the corpus
grows, beside the W3C and ClaimReview exports as they were, built in memory.

    python -m bench.export_memory [--documents 10000,100000] [--runs 3,1]
                                  [--databases sqlite,postgres]
                                  [--formats jsonl,w3c,claimreview,doccano,labelstudio]
                                  [--database claims_bench_export]

At each size a fresh, migrated database (an SQLite file, or the PostgreSQL
database ``--database``) is filled straight in its tables (``COPY`` on
PostgreSQL with triggers off, ``executemany`` on SQLite; loading is not what
is measured): documents of two statements, a direct quote with its source,
source span and cue, and the publication's own assertion; every second one
mentions one of the claims (a claim for ten documents, each with a published
review); every tenth has a reviewer's note. Each export runs whole, as a user
runs it (``manage.py export_documents --format F -o FILE``, DEBUG off), in a
child process started from a small one that reports its peak resident
memory; medians of ``--runs`` (a number for each size, or one for all). The
reference (``in memory``) runs the code the command ran before it streamed,
in the same kind of child (``python -m bench.export_memory --in-memory
FORMAT FILE``), and its file is checked to be byte for byte the streamed one.
"""

import argparse
import filecmp
import hashlib
import os
import sqlite3
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench.databases import migrated_database, reset_sequences, time_and_peak
from claims.copy_format import copy_buffer

ROOT = Path(__file__).resolve().parent.parent
FORMATS = ["jsonl", "w3c", "claimreview", "doccano", "labelstudio"]
REFERENCES = {"w3c", "claimreview"}
SOURCES = 200
NAMES = ["Ana Ruiz", "Tomasz Wójcik", "Lena Brandt", "Farid al-Hashimi", "Ines Moe"]
CUES = ["said", "warned", "told reporters", "insisted"]


def _document(number: int) -> tuple[str, str, list[tuple[int, int, str]], dict]:
    """A document's title and text, its statements, and its quote's spans."""
    name = f"{NAMES[number % len(NAMES)]} {number % SOURCES}"
    cue = CUES[number % len(CUES)]
    quote = f"“The plan for district {number} costs {number % 97} million,” "
    first = f"{quote}{name} {cue}."
    second = f"Work on district {number} starts in {2000 + number % 30}."
    title = f"District {number} plan costed"
    text = f"{first} {second}"
    statements = [(0, len(first), first), (len(first) + 1, len(text), second)]
    source_start = len(quote)
    spans = {
        "source": (source_start, source_start + len(name)),
        "cue": (source_start + len(name) + 1, source_start + len(name) + 1 + len(cue)),
        "content": (1, len(quote) - 3),
    }
    return title, text, statements, spans


def corpus_rows(documents: int, postgres: bool) -> dict[str, tuple[str, list]]:
    """Every table's columns and rows for a corpus of ``documents``."""
    now = "2024-01-01 00:00:00" + ("+00" if postgres else "")
    true, false = ("t", "f") if postgres else (1, 0)
    from claims.name_normalization import normalize_name

    sources = [
        (pk, name, normalize_name(name), "person", "", "", "", false, now, now, 1)
        for pk, name in enumerate(
            [f"{NAMES[n % len(NAMES)]} {n}" for n in range(SOURCES)], start=1
        )
    ]
    publisher = SOURCES + 1
    sources.append(
        (publisher, "Daily Planet", "daily planet", "publication", "", "", "",
         false, now, now, 1)
    )  # fmt: skip
    claims = max(1, documents // 10)
    claim_rows = [
        (pk, f"District {pk} works cost millions", "published", false, now, now, 1)
        for pk in range(1, claims + 1)
    ]
    reviews = [
        (pk, pk, 1, 2, "", f"Costs for district {pk} are overstated.", "[]",
         "published", "", "", "", now, now, now, 1)
        for pk in range(1, claims + 1)
    ]  # fmt: skip
    tables: dict[str, tuple[str, list]] = {
        "auth_user": (
            "id, password, is_superuser, username, last_name, email, is_staff, "
            "is_active, date_joined, first_name",
            [(1, "!", false, "bench", "", "", true, true, now, "")],
        ),
        "claims_source": (
            "id, name, normalized_name, kind, description, url, wikidata_id, "
            "proposed, created_at, updated_at, version",
            sources,
        ),
        "claims_claim": (
            "id, text, status, proposed, created_at, updated_at, version",
            claim_rows,
        ),
        "claims_claimreview": (
            "id, claim_id, reviewer_id, rating, label, summary, evidence, status, "
            "publisher_name, publisher_url, url, published_at, created_at, "
            "updated_at, version",
            reviews,
        ),
    }
    document_rows, statement_rows, attributions, mentions, notes = [], [], [], [], []
    for number in range(1, documents + 1):
        title, text, statements, spans = _document(number)
        document_rows.append(
            (number, title, text, hashlib.sha256(text.encode()).hexdigest(), "",
             "en", "{}", now, publisher, 1)
        )  # fmt: skip
        for index, (start, end, sentence) in enumerate(statements):
            statement = 2 * number - 1 + index
            statement_rows.append((statement, number, index, start, end, sentence))
        quote, assertion = 2 * number - 1, 2 * number
        source = number % SOURCES + 1
        attributions.append(
            (quote, quote, "direct", source, *spans["source"], *spans["cue"],
             *spans["content"], "", "manual", "accepted", now, now, 1)
        )  # fmt: skip
        attributions.append(
            (assertion, assertion, "author", publisher, None, None, None, None,
             None, None, "", "manual", "accepted", now, now, 1)
        )  # fmt: skip
        if number % 2 == 0:
            mentions.append(
                (len(mentions) + 1, number // 2 % claims + 1, assertion,
                 "manual", "accepted", now, 1)
            )  # fmt: skip
        if number % 10 == 0:
            notes.append(
                (len(notes) + 1, quote, 1, "questioning", f"Check district {number}.",
                 now, now, 1)
            )  # fmt: skip
    tables["claims_document"] = (
        "id, title, text, content_hash, url, language, metadata, created_at, "
        "publisher_id, version",
        document_rows,
    )
    tables["claims_statement"] = (
        'id, document_id, "index", start, "end", text',
        statement_rows,
    )
    tables["claims_attribution"] = (
        "id, statement_id, kind, source_id, source_start, source_end, cue_start, "
        "cue_end, content_start, content_end, primary_source_url, origin, status, "
        "created_at, updated_at, version",
        attributions,
    )
    tables["claims_claimmention"] = (
        "id, claim_id, statement_id, origin, status, created_at, version",
        mentions,
    )
    tables["claims_annotation"] = (
        "id, statement_id, reviewer_id, motivation, body, created_at, updated_at, "
        "version",
        notes,
    )
    return tables


def fill(kind: str, url: str, documents: int) -> None:
    """A migrated, empty database filled with the corpus, then analysed."""
    tables = corpus_rows(documents, postgres=kind == "postgres")
    if kind == "sqlite":
        connection = sqlite3.connect(url.removeprefix("sqlite:///"))
        with connection:
            for table, (columns, rows) in tables.items():
                marks = ", ".join("?" * len(columns.split(",")))
                connection.executemany(
                    f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows
                )
        connection.execute("ANALYZE")
        connection.close()
        return

    import psycopg2

    connection = psycopg2.connect(url)
    with connection, connection.cursor() as cursor:
        # Triggers (and the deferred foreign-key checks) off: the rows are
        # consistent by construction, and the load is not what is measured.
        cursor.execute("SET session_replication_role = replica")
        for table, (columns, rows) in tables.items():
            cursor.copy_expert(
                f"COPY {table} ({columns}) FROM STDIN", copy_buffer(rows)
            )
        reset_sequences(cursor, list(tables))
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    connection.close()


def run_export(url: str, format: str, out: Path, in_memory: bool) -> tuple[float, int]:
    """Seconds and peak resident kilobytes of one export, in a fresh process."""
    if in_memory:
        command = [sys.executable, "-m", "bench.export_memory", "--in-memory",
                   format, str(out)]  # fmt: skip
    else:
        command = [sys.executable, "manage.py", "export_documents", "--format",
                   format, "-o", str(out)]  # fmt: skip
    return time_and_peak(command, url)


def in_memory_export(format: str, path: str) -> None:
    """The W3C and ClaimReview exports as the command wrote them before they
    streamed: every document's annotations (or every claim's reviews) in one
    list, then one ``json.dumps``."""
    import json

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from claims import selectors
    from claims.formats import claimreview, w3c

    value: dict[str, Any] | list[dict[str, Any]]
    if format == "w3c":
        items = []
        for document in selectors.documents_for_annotations():
            items += w3c.document_annotations(document)
        items += [w3c.note_annotation(note) for note in selectors.claim_notes()]
        value = w3c.collection(
            iri=w3c.collection_iri(), label="All annotations", items=items
        )
    else:
        value = []
        for claim in selectors.claims_for_claimreview():
            value += claimreview.claim_reviews(claim)
    with open(path, "w", encoding="utf-8") as file:
        file.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", default="10000,100000")
    parser.add_argument(
        "--runs", default="3,1", help="runs at each size (one number, or one a size)"
    )
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--database", default="claims_bench_export")
    parser.add_argument("--in-memory", nargs=2, metavar=("FORMAT", "FILE"))
    args = parser.parse_args()
    if args.in_memory:
        in_memory_export(*args.in_memory)
        return
    sizes = [int(n) for n in args.documents.split(",")]
    runs_at = [int(n) for n in args.runs.split(",")]
    runs_at += runs_at[-1:] * (len(sizes) - len(runs_at))
    formats = args.formats.split(",")
    print(f"export_documents, medians of {args.runs} runs; peak resident memory")
    print("| database | documents | format | path | seconds | peak memory |")
    print("|---|---:|---|---|---:|---:|")
    peaks: dict[tuple[str, str, str], dict[int, float]] = {}
    with tempfile.TemporaryDirectory() as work:
        workdir = Path(work)
        for kind in args.databases.split(","):
            for size, repeat in zip(sizes, runs_at, strict=True):
                url = migrated_database(kind, workdir, args.database)
                fill(kind, url, size)
                for format in formats:
                    paths = ["streamed"] + (["in memory"] * (format in REFERENCES))
                    for path in paths:
                        out = workdir / f"{format}-{path.replace(' ', '-')}.out"
                        runs = [
                            run_export(url, format, out, path == "in memory")
                            for _ in range(repeat)
                        ]
                        seconds = statistics.median(r[0] for r in runs)
                        megabytes = statistics.median(r[1] for r in runs) / 1024
                        peaks.setdefault((kind, format, path), {})[size] = megabytes
                        print(
                            f"| {kind} | {size:,} | {format} | {path} | "
                            f"{seconds:.2f} s | {megabytes:.0f} MB |",
                            flush=True,
                        )
                    if len(paths) == 2:
                        streamed = workdir / f"{format}-streamed.out"
                        reference = workdir / f"{format}-in-memory.out"
                        if not filecmp.cmp(streamed, reference, shallow=False):
                            raise SystemExit(f"{format}: streamed != in memory")
                        print(f"|  |  | {format} | same bytes | | |")
    if len(sizes) > 1:
        print(f"\npeak memory at {sizes[-1]:,} ÷ at {sizes[0]:,} documents")
        for (kind, format, path), by_size in peaks.items():
            ratio = by_size[sizes[-1]] / by_size[sizes[0]]
            print(f"- {kind} {format} {path}: {ratio:.2f}×")


if __name__ == "__main__":
    main()
