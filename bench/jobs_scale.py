"""Jobs shared by workers: an import job and a suggest job on PostgreSQL with
1 and 2 worker processes, against the raw COPY rate and the command run
directly, measured in the same run.

    python -m bench.jobs_scale [--documents 10000] [--suggest-documents 300]
                               [--methods lexical,semantic]
                               [--memory 10000,30000] [--database NAME]

A fresh database (``--database``, dropped first) and a Redis server of its own
on a free port; workers are ``celery -A config worker --pool=solo`` processes
started for each measurement. For each: the seconds from ``job_submit`` to
the job's end (documents/s), and from submit to the first progress a chunk
committed. ``import_documents`` on the same file is the reference a job's
overhead is measured against; the raw rate is the same rows ``COPY``-ed into
plain tables. Suggestions are measured for each of ``--methods``: ``lexical``
with ``CLAIM_EMBEDDING_MODEL`` empty in the workers' environment,
``semantic`` with the default model (the optional packages installed; each
proposed claim is embedded too); each run starts from the documents alone,
the suggestions of the run before deleted, so that every run does the same
work. The peak memory of a worker (``VmHWM``, the worker process
works in it with ``--pool=solo``) is read at the end of an import of each
``--memory`` size: flat as the file grows, since a chunk reads only its lines.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.corpus import write_corpus
from bench.databases import PG_SERVER, migrated_postgres_database
from bench.ingest import corpus_rows
from claims.copy_format import copy_buffer

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "claims_bench_jobs"


def _environment(url: str, broker: str, method: str | None = None) -> dict:
    environment = os.environ | {
        "DEBUG": "0",
        "SECRET_KEY": "bench",
        "DATABASE_URL": url,
        "CELERY_BROKER_URL": broker,
    }
    if method == "lexical":
        environment["CLAIM_EMBEDDING_MODEL"] = ""
    return environment


class _Redis:
    def __init__(self, folder: Path):
        import socket

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.process = subprocess.Popen(
            [
                "redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", str(folder),
            ],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        self.url = f"redis://127.0.0.1:{self.port}/0"
        import redis

        client = redis.Redis(port=self.port)
        for _ in range(100):
            try:
                assert client.info("server")["process_id"] == self.process.pid
                return
            except redis.ConnectionError:
                time.sleep(0.1)
        raise SystemExit("redis-server did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait()


class _Workers:
    def __init__(self, count: int, environment: dict, folder: Path):
        celery = Path(sys.executable).with_name("celery")
        self.logs = [
            folder / f"worker-{n}-{time.monotonic_ns()}.log" for n in range(count)
        ]
        self.processes = [
            subprocess.Popen(
                [
                    str(celery),
                    "-A",
                    "config",
                    "worker",
                    "--pool=solo",
                    "--loglevel=WARNING",
                    "--hostname",
                    f"bench{n}-{os.getpid()}@localhost",
                    "--without-gossip",
                    "--without-mingle",
                ],
                cwd=ROOT,
                env=environment,
                stdout=log.open("wb"),
                stderr=subprocess.STDOUT,
            )
            for n, log in enumerate(self.logs)
        ]
        time.sleep(3)  # a worker is up in about a second; none is timed here

    def peak_kilobytes(self) -> int:
        peaks = []
        for process in self.processes:
            status = Path(f"/proc/{process.pid}/status").read_text()
            line = next(x for x in status.splitlines() if x.startswith("VmHWM"))
            peaks.append(int(line.split()[1]))
        return max(peaks)

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            process.wait()


def _empty(url: str) -> None:
    import psycopg2

    connection = psycopg2.connect(url)
    with connection, connection.cursor() as cursor:
        cursor.execute("TRUNCATE claims_document, claims_job CASCADE")
    connection.close()


def _unsuggest(url: str) -> None:
    """Back to the imported documents alone: no claims, no attributions, no
    sources but the documents' publishers and authors."""
    import psycopg2

    connection = psycopg2.connect(url)
    with connection, connection.cursor() as cursor:
        cursor.execute("TRUNCATE claims_claim, claims_attribution CASCADE")
        cursor.execute(
            "DELETE FROM claims_sourcealias WHERE source_id IN "
            "(SELECT id FROM claims_source WHERE proposed)"
        )
        cursor.execute(
            "DELETE FROM claims_source s WHERE proposed AND NOT EXISTS "
            "(SELECT FROM claims_document WHERE publisher_id = s.id) AND NOT EXISTS "
            "(SELECT FROM claims_document_authors WHERE source_id = s.id)"
        )
    connection.close()


def _embedded_claims() -> int:
    from claims.models import ClaimEmbedding

    return ClaimEmbedding.objects.count()


def _run_job(kind: str, options: dict, upload: Path | None) -> tuple[float, float]:
    """Seconds from submit to the end, and to the first committed progress."""
    from django.core.files import File

    from claims.models import Job
    from claims.services.jobs import job_submit
    from claims.services.users import user_get_or_create

    user = user_get_or_create(username="bench")
    started = time.perf_counter()
    if upload is not None:
        with upload.open("rb") as file:
            job = job_submit(
                kind=kind,
                options=options,
                created_by=user,
                upload=File(file, upload.name),
            )
    else:
        job = job_submit(kind=kind, options=options, created_by=user)
    first = None
    while True:
        job = Job.objects.get(pk=job.pk)
        if first is None and job.progress["done"]:
            first = time.perf_counter() - started
        if job.finished:
            break
        time.sleep(0.05)
    elapsed = time.perf_counter() - started
    if job.status != "done":
        raise SystemExit(f"{kind} job {job.pk} ended {job.status}: {job.summary}")
    return elapsed, first or elapsed


def _time_command(url: str, corpus: Path) -> float:
    environment = _environment(url, "")
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "manage.py", "import_documents", str(corpus)],
        cwd=ROOT, env=environment, check=True, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    return time.perf_counter() - started


def _time_copy(url: str, corpus: Path) -> float:
    import psycopg2

    documents, statements = corpus_rows(corpus)
    connection = psycopg2.connect(url)
    with connection, connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS raw_document, raw_statement")
        cursor.execute("CREATE TABLE raw_document (id integer, title text, text text)")
        cursor.execute(
            'CREATE TABLE raw_statement (document_id integer, "index" integer, '
            'start integer, "end" integer, text text)'
        )
    started = time.perf_counter()
    with connection, connection.cursor() as cursor:
        cursor.copy_expert("COPY raw_document FROM STDIN", copy_buffer(documents))
        cursor.copy_expert("COPY raw_statement FROM STDIN", copy_buffer(statements))
    elapsed = time.perf_counter() - started
    connection.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=10000)
    parser.add_argument("--suggest-documents", type=int, default=300)
    parser.add_argument("--methods", default="lexical,semantic")
    parser.add_argument("--memory", default="10000,30000")
    parser.add_argument("--database", default=DATABASE)
    args = parser.parse_args()

    url = migrated_postgres_database(args.database)
    with tempfile.TemporaryDirectory() as directory:
        folder = Path(directory)
        redis = _Redis(folder)
        os.environ.update(_environment(url, redis.url))
        os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
        import django

        django.setup()
        try:
            _check_methods(args.methods.split(","))
            _measure(args, url, redis, folder)
        finally:
            redis.stop()
    print(f"(PostgreSQL at {PG_SERVER}, database {args.database})")


def _check_methods(methods: list[str]) -> None:
    """Each suggest path asked for can run here, or the run stops saying why."""
    unknown = set(methods) - {"lexical", "semantic"}
    if unknown:
        raise SystemExit(f"--methods: {', '.join(sorted(unknown))}? lexical, semantic")
    if "semantic" in methods:
        from claims import embeddings

        reason = embeddings.unavailable_reason()
        if reason:
            raise SystemExit(
                f"--methods semantic: {reason} (`make .venv/.semantic` installs "
                "the optional packages; or measure --methods lexical)"
            )


def _measure(args, url: str, redis: "_Redis", folder: Path) -> None:
    n = args.documents
    corpus = folder / "corpus.jsonl"
    write_corpus(corpus, n)
    copy = _time_copy(url, corpus)
    _empty(url)
    direct = _time_command(url, corpus)
    print(f"{n:,} documents; raw COPY {n / copy:,.0f} docs/s; "
          f"import_documents directly {n / direct:,.0f} docs/s\n")  # fmt: skip
    print("| job | workers | documents | seconds | docs/s | speed-up "
          "| submit → first progress | vs raw COPY | vs the command |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|")
    environment = _environment(url, redis.url)
    rates: dict[str, float] = {}
    for workers in (1, 2):
        _empty(url)
        pool = _Workers(workers, environment, folder)
        try:
            elapsed, first = _run_job("import", {"filename": corpus.name}, corpus)
        finally:
            pool.stop()
        rate = n / elapsed
        rates.setdefault("import", rate)
        print(f"| import | {workers} | {n:,} | {elapsed:.1f} | {rate:,.0f} "
              f"| {rate / rates['import']:.2f}× | {first:.2f} s "
              f"| {rate / (n / copy):.1%} | {direct / elapsed:.2f} |")  # fmt: skip
    from claims.models import Document

    ids = list(Document.objects.order_by("pk").values_list("pk", flat=True))
    ids = ids[: args.suggest_documents]
    for method in args.methods.split(","):
        suggest_rates: list[float] = []
        for workers in (1, 2):
            _unsuggest(url)
            pool = _Workers(workers, _environment(url, redis.url, method), folder)
            try:
                # Untimed: each worker loads the matching's models on its first.
                for _ in range(workers):
                    _run_job("suggest", {"documents": ids[:1]}, None)
                elapsed, first = _run_job("suggest", {"documents": ids}, None)
            finally:
                pool.stop()
            # The workers ranked as asked: only the semantic path embeds.
            embedded = _embedded_claims()
            if (embedded > 0) != (method == "semantic"):
                raise SystemExit(
                    f"the {method} suggest job left {embedded} claims embedded: "
                    f"the workers did not rank the {method} way"
                )
            rate = len(ids) / elapsed
            suggest_rates.append(rate)
            print(f"| suggest, {method} | {workers} | {len(ids):,} | {elapsed:.1f} "
                  f"| {rate:,.1f} | {rate / suggest_rates[0]:.2f}× | {first:.2f} s "
                  "| | |")  # fmt: skip
    print("\n| import job of | peak memory of the worker |\n|---|---|")
    for size in map(int, args.memory.split(",")):
        big = folder / f"corpus-{size}.jsonl"
        write_corpus(big, size)
        _empty(url)
        pool = _Workers(1, environment, folder)
        try:
            _run_job("import", {"filename": big.name}, big)
            peak = pool.peak_kilobytes()
        finally:
            pool.stop()
        print(f"| {size:,} documents ({big.stat().st_size / 1e6:.0f} MB) "
              f"| {peak / 1024:,.0f} MB |")  # fmt: skip


if __name__ == "__main__":
    main()
