"""What every benchmark does around the thing it measures.

Fresh databases, ``manage.py`` run as a user would run it, sequences put
right after a bulk load, and a command's time and peak memory. Each
benchmark module measures one thing and takes these from here.

A migrated database is a copy of a template migrated once (a PostgreSQL
``TEMPLATE``, a copied SQLite file), named by a digest of the migrations and
the locked requirements, so that a change to either migrates a new one: the
migrations took about a third of a small benchmark run, each benchmark
migrating its own database from nothing.
"""

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from claims.copy_format import copy_buffer

ROOT = Path(__file__).resolve().parent.parent
PG_SERVER = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")


def manage(*args, database_url: str) -> None:
    """``manage.py ARGS`` against this database, its output discarded."""
    env = os.environ | {"DEBUG": "1", "DATABASE_URL": database_url}
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True,
        stdout=subprocess.DEVNULL,
    )  # fmt: skip


def fresh_postgres_database(name: str, template: str = "template1") -> str:
    """A PostgreSQL database of this name (dropped first), a copy of
    ``template`` (PostgreSQL's own, empty, by default); its URL."""
    import psycopg2

    admin = psycopg2.connect(f"{PG_SERVER}/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name}")
        cursor.execute(f"CREATE DATABASE {name} TEMPLATE {template}")
    admin.close()
    return f"{PG_SERVER}/{name}"


def _migrations_digest() -> str:
    """What a migrated schema depends on: the project's migrations and the
    pinned versions of the apps that bring theirs."""
    digest = hashlib.sha256()
    for path in [
        *sorted((ROOT / "claims" / "migrations").glob("*.py")),
        ROOT / "requirements.txt",
    ]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def _postgres_template() -> str:
    """The name of a migrated PostgreSQL database to copy, made if missing.
    Made under a name of its own and renamed when whole, so that a run
    stopped half-way, or two at once, leave no half-migrated template."""
    import psycopg2

    name = f"claims_bench_template_{_migrations_digest()}"
    admin = psycopg2.connect(f"{PG_SERVER}/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            building = f"{name}_{os.getpid()}"
            manage("migrate", "--verbosity", "0",
                   database_url=fresh_postgres_database(building))  # fmt: skip
            try:
                cursor.execute(f"ALTER DATABASE {building} RENAME TO {name}")
            except psycopg2.errors.DuplicateDatabase:  # another run made it first
                cursor.execute(f"DROP DATABASE {building}")
    admin.close()
    return name


def migrated_postgres_database(name: str) -> str:
    """A new, migrated PostgreSQL database of this name (dropped first); its
    URL."""
    return fresh_postgres_database(name, template=_postgres_template())


def migrated_sqlite_database(path: Path) -> str:
    """A new, migrated SQLite database at ``path`` (replacing it); its URL."""
    template = (
        Path(tempfile.gettempdir()) / f"claims-bench-{_migrations_digest()}.sqlite3"
    )
    if not template.exists():
        building = template.with_suffix(f".{os.getpid()}")
        manage("migrate", "--verbosity", "0", database_url=f"sqlite:///{building}")
        building.replace(template)
    path.unlink(missing_ok=True)
    shutil.copyfile(template, path)
    return f"sqlite:///{path}"


def migrated_database(
    kind: str, workdir: Path, name: str, *, demo_users: bool = False
) -> str:
    """A new, migrated database: a file in ``workdir`` for ``sqlite``, the
    PostgreSQL database ``name`` otherwise; with the demo accounts if asked
    (the editor is the one who imports)."""
    if kind == "sqlite":
        url = migrated_sqlite_database(workdir / "bench.sqlite3")
    else:
        url = migrated_postgres_database(name)
    if demo_users:
        manage("loaddata", "fixtures/demo_users.json", "--verbosity", "0",
               database_url=url)  # fmt: skip
    return url


def reset_sequences(cursor, tables: list[str]) -> None:
    """After rows were COPYed in with their ids: each table's id sequence
    continues after its largest id, so that the service's own inserts work."""
    for table in tables:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
        )


# Runs a command and prints its peak resident kilobytes. The command is
# started from this small process, not from the benchmark, whose own memory a
# forked child would count as its peak until it exec()s.
_PEAK_OF = (
    "import resource, subprocess, sys; "
    "finished = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, "
    "stderr=subprocess.PIPE, text=True); "
    "sys.stderr.write(finished.stderr); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); "
    "sys.exit(finished.returncode)"
)


def time_and_peak(command: list[str], database_url: str) -> tuple[float, int]:
    """Seconds and peak resident kilobytes of ``command`` run with production
    settings (``DEBUG`` off, as a big job would run: DEBUG keeps every query)
    against this database. A failure stops the benchmark with its errors."""
    env = os.environ | {
        "DEBUG": "0",
        "SECRET_KEY": "bench",
        "DATABASE_URL": database_url,
    }
    started = time.perf_counter()
    finished = subprocess.run(
        [sys.executable, "-c", _PEAK_OF, *command],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    elapsed = time.perf_counter() - started
    if finished.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{finished.stderr}")
    return elapsed, int(finished.stdout)


def time_bulk_load(
    url: str,
    rows: Callable[[], dict[str, list[tuple]]],
    *,
    columns: dict[str, str] | None = None,
    create: Sequence[str] = (),
) -> float:
    """Seconds to make ``rows()`` (table → rows) and write them in one
    transaction: ``COPY`` on PostgreSQL, ``executemany`` on SQLite, the
    fastest each database offers. ``create`` makes plain tables first
    (untimed); ``columns`` names a table's columns where the rows do not fill
    them all."""
    columns = columns or {}

    def target(table: str) -> str:
        return f"{table} ({columns[table]})" if table in columns else table

    if url.startswith("sqlite:///"):
        connection = sqlite3.connect(url.removeprefix("sqlite:///"))
        for sql in create:
            connection.execute(sql)
        started = time.perf_counter()
        with connection:
            for table, table_rows in rows().items():
                if table_rows:
                    marks = ", ".join("?" * len(table_rows[0]))
                    connection.executemany(
                        f"INSERT INTO {target(table)} VALUES ({marks})", table_rows
                    )
        elapsed = time.perf_counter() - started
        connection.close()
        return elapsed

    import psycopg2

    connection = psycopg2.connect(url)
    with connection, connection.cursor() as cursor:
        for sql in create:
            cursor.execute(sql)
    started = time.perf_counter()
    with connection, connection.cursor() as cursor:
        for table, table_rows in rows().items():
            cursor.copy_expert(
                f"COPY {target(table)} FROM STDIN", copy_buffer(table_rows)
            )
    elapsed = time.perf_counter() - started
    connection.close()
    return elapsed
