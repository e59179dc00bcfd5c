"""Import speed and memory: ``import_documents`` on a generated corpus, beside
the database's own limit.

    python -m bench.ingest [--documents 10000] [--suggest-documents 1000]
                           [--memory 10000,100000] [--runs 3]
                           [--databases sqlite,postgres]

Each run starts from a fresh, migrated database and times the whole command
(``manage.py import_documents corpus.jsonl``, and with ``--suggest``) as a
user runs it, with the peak resident memory of its process. Beside it, the raw
limit in the same run: the same document rows and one row per statement,
segmented beforehand, written straight into plain unindexed tables in one
transaction (``COPY`` on PostgreSQL, ``executemany`` on SQLite). Then where
the import's time goes: the process starting on an empty file, the records
checked and segmented in Python (no database), and the same rows copied into
the service's own tables (its indexes, constraints and triggers). Medians,
since this machine is shared and noisy.
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.corpus import write_corpus
from bench.databases import migrated_database, time_and_peak, time_bulk_load
from claims.segmentation import segment

PG_DATABASE = "claims_bench_ingest"


def time_import(kind: str, corpus: Path, workdir: Path, *options) -> tuple[float, int]:
    """Seconds and peak resident kilobytes of one import into a fresh database."""
    url = migrated_database(kind, workdir, PG_DATABASE)
    command = [sys.executable, "manage.py", "import_documents", *options, str(corpus)]
    return time_and_peak(command, url)


def corpus_rows(corpus: Path):
    """A corpus file's documents (number, title, text) and their statements
    (document number, index, start, end, text), segmented as the service
    would: the rows a raw bulk load writes, for its reference rate."""
    documents: list[tuple[int, str, str]] = []
    statements: list[tuple[int, int, int, int, str]] = []
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
    url = migrated_database(kind, workdir, PG_DATABASE)
    return time_bulk_load(
        url,
        lambda: {"raw_document": documents, "raw_statement": statements},
        create=RAW_TABLES,
    )


def time_schema(kind: str, documents, statements, workdir: Path) -> float:
    """The same rows into the service's own tables: its indexes, constraints
    and triggers, without the service."""
    import hashlib

    url = migrated_database(kind, workdir, PG_DATABASE)
    now = "2024-01-01 00:00:00+00"
    rows = [
        (number + 1, title, text, hashlib.sha256(text.encode()).hexdigest(), "", "",
         "{}", now, 1)
        for number, title, text in documents
    ]  # fmt: skip
    document_columns = (
        "id, title, text, content_hash, url, language, metadata, created_at, version"
    )
    statement_rows = [(d + 1, i, s, e, t) for d, i, s, e, t in statements]
    statement_columns = 'document_id, "index", start, "end", text'
    return time_bulk_load(
        url,
        lambda: {"claims_document": rows, "claims_statement": statement_rows},
        columns={
            "claims_document": document_columns,
            "claims_statement": statement_columns,
        },
    )


def time_checking(corpus: Path) -> float:
    """Parse, check and segment every record in Python, as the import does,
    writing nothing."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "1")
    django.setup()
    from claims.interchange import parse_document
    from claims.services import content_hash, document_draft, normalize_text

    started = time.perf_counter()
    with corpus.open("rb") as file:
        for line in file:
            record = parse_document(json.loads(line))
            text = normalize_text(record.text)
            document_draft(
                title=record.title, text=text, content_hash=content_hash(text),
                url=record.url, published_at=record.published_at,
                language=record.language, tags=record.tags,
                metadata=record.metadata, statements=record.spans,
            )  # fmt: skip
    return time.perf_counter() - started


def time_rules(corpus: Path) -> float:
    """The suggestion rules alone over every document (segmented beforehand):
    what --suggest adds before it matches claims or writes anything."""
    from claims import provenance

    texts = [json.loads(line)["text"] for line in corpus.open("rb")]
    spans = [[(s.start, s.end) for s in segment(text)] for text in texts]
    started = time.perf_counter()
    for text, statement_spans in zip(texts, spans, strict=True):
        provenance.suggest(text, statement_spans)
    return time.perf_counter() - started


def time_startup(kind: str, workdir: Path) -> float:
    """The command on an empty file: Python, Django and the connection."""
    empty = workdir / "empty.jsonl"
    empty.touch()
    return time_import(kind, empty, workdir)[0]


def _median_run(runs: int, measure):
    """The run of median time among ``runs`` of ``measure`` (a tuple, time first)."""
    results = sorted((measure() for _ in range(runs)), key=lambda r: r[0])
    return results[len(results) // 2]


def _megabytes(kilobytes: int) -> str:
    return f"{kilobytes / 1024:,.0f} MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=10000)
    parser.add_argument(
        "--suggest-documents",
        type=int,
        default=1000,
        help="documents imported with --suggest (a rate, slower to measure)",
    )
    parser.add_argument(
        "--memory",
        default="10000,100000",
        help="corpus sizes whose import's peak memory is measured",
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--databases", default="sqlite,postgres")
    args = parser.parse_args()
    kinds = args.databases.split(",")

    with tempfile.TemporaryDirectory() as directory:
        workdir = Path(directory)
        corpus = workdir / "corpus.jsonl"
        write_corpus(corpus, args.documents)
        documents, statements = corpus_rows(corpus)
        n = args.documents
        print(
            f"{n:,} documents, {len(statements):,} statements, "
            f"{corpus.stat().st_size / 1e6:.1f} MB; median of {args.runs} runs\n"
        )
        print(
            "| database | import_documents | docs/s | peak memory | raw limit "
            "| docs/s | ratio |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|")
        raw_rates, imports = {}, {}
        for kind in kinds:
            imports[kind] = _median_run(
                args.runs, lambda kind=kind: time_import(kind, corpus, workdir)
            )
            raw = statistics.median(
                time_raw(kind, documents, statements, workdir) for _ in range(args.runs)
            )
            raw_rates[kind] = n / raw
            seconds, memory = imports[kind]
            print(
                f"| {kind} | {seconds:.2f} s | {n / seconds:,.0f} "
                f"| {_megabytes(memory)} | {raw:.3f} s | {n / raw:,.0f} "
                f"| {raw / seconds:.1%} |"
            )

        print("\nWhere the import's time goes (medians, seconds):\n")
        print(
            "| database | process start (empty file) | check and segment "
            "(Python) | same rows into the service's tables | into plain tables "
            "| import_documents |"
        )
        print("|---|---:|---:|---:|---:|---:|")
        checking = statistics.median(time_checking(corpus) for _ in range(args.runs))
        for kind in kinds:
            startup = statistics.median(
                time_startup(kind, workdir) for _ in range(args.runs)
            )
            schema = statistics.median(
                time_schema(kind, documents, statements, workdir)
                for _ in range(args.runs)
            )
            print(
                f"| {kind} | {startup:.2f} | {checking:.2f} | {schema:.2f} "
                f"| {n / raw_rates[kind]:.2f} | {imports[kind][0]:.2f} |"
            )

        small = workdir / "suggest.jsonl"
        write_corpus(small, args.suggest_documents)
        rules = args.suggest_documents / time_rules(small)
        print(f"\nWith --suggest, {args.suggest_documents:,} documents, one run:\n")
        print(
            "| database | import_documents --suggest | docs/s | raw docs/s | ratio "
            "| the rules alone, docs/s |"
        )
        print("|---|---:|---:|---:|---:|---:|")
        for kind in kinds:
            seconds, _ = time_import(kind, small, workdir, "--suggest")
            rate = args.suggest_documents / seconds
            print(
                f"| {kind} | {seconds:.2f} s | {rate:,.1f} | {raw_rates[kind]:,.0f} "
                f"| {rate / raw_rates[kind]:.2%} | {rules:,.0f} |"
            )

        print("\nPeak memory as the file grows (one run each):\n")
        print("| database | documents | file | seconds | docs/s | peak memory |")
        print("|---|---:|---:|---:|---:|---:|")
        for size in map(int, args.memory.split(",")):
            big = workdir / f"corpus-{size}.jsonl"
            write_corpus(big, size)
            for kind in kinds:
                seconds, memory = time_import(kind, big, workdir)
                print(
                    f"| {kind} | {size:,} | {big.stat().st_size / 1e6:,.0f} MB "
                    f"| {seconds:.1f} | {size / seconds:,.0f} | {_megabytes(memory)} |"
                )
            big.unlink()


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    main()
