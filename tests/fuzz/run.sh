#!/usr/bin/env bash
# Schema-driven fuzzing of the REST API with schemathesis, against live
# servers: no server error (5xx) and no response that breaks the schema.
#
# Each database (SQLite, PostgreSQL) gets a fresh, migrated one (a copy of
# bench/databases.py's template) with the demo accounts and the seed article
# (`load_demo`), so that the stateful phase, which follows the links between
# operations (create, then read, update, delete what was created), finds
# real objects; gunicorn serves it on a free port checked to be its own
# (bench/server.py). Against each, schemathesis runs once as the demo
# reviewer and once as the demo editor (the coverage phase as the editor
# only), EXAMPLES examples an operation and role, all four runs at once (they
# wait on the servers more than on the processor). Their reports are printed
# one after the other.
#
#   tests/fuzz/run.sh [EXAMPLES]      (from the project root, after `make install`)
#
# FUZZ_DATABASES ("sqlite postgres") picks the databases; FUZZ_PG_URL
# (postgres://postgres@127.0.0.1:5432) the PostgreSQL server, whose database
# FUZZ_PG_DATABASE (claims_fuzz) is dropped and created anew; FUZZ_SEED the
# seed (fixed, so that a run can be repeated).
set -euo pipefail
cd "$(dirname "$0")/../.."

examples=${1:-25}
databases=${FUZZ_DATABASES:-sqlite postgres}
pg_url=${FUZZ_PG_URL:-postgres://postgres@127.0.0.1:5432}
pg_database=${FUZZ_PG_DATABASE:-claims_fuzz}
roles="reviewer editor"
python=.venv/bin/python
workdir=$(mktemp -d)
declare -A server_of
cleanup() {
    for pid in "${server_of[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$workdir"
}
trap cleanup EXIT

export SECRET_KEY=fuzz-only-not-a-secret DEBUG=0 SECURE=0
export ALLOWED_HOSTS=127.0.0.1 THROTTLE_USER=1000000/min THROTTLE_ANON=1000000/min

database_url() {  # a fresh, migrated database of this kind (bench/databases.py)
    case $1 in
        sqlite)
            $python -c 'from bench.databases import migrated_sqlite_database as m; from pathlib import Path; import sys; print(m(Path(sys.argv[1])))' \
                "$workdir/fuzz.sqlite3"
            ;;
        postgres)
            BENCH_PG=$pg_url $python -c \
                'from bench.databases import migrated_postgres_database as m; import sys; print(m(sys.argv[1]))' "$pg_database"
            ;;
        *) echo "unknown database: $1" >&2; return 1 ;;
    esac
}

for database in $databases; do
    url=$(database_url "$database")
    DATABASE_URL=$url $python manage.py load_demo >/dev/null
    for role in $roles; do
        DATABASE_URL=$url $python manage.py create_token "$role" \
            | awk '{print $3}' >"$workdir/$database.$role.token"
    done
    # Three workers: two schemathesis runs send requests at once.
    $python -m bench.server --database-url "$url" --workers 3 \
        --token "$(cat "$workdir/$database.editor.token")" \
        --port-file "$workdir/$database.port" \
        >/dev/null 2>"$workdir/$database.server.log" &
    server_of[$database]=$!
done

for database in $databases; do
    for _ in $(seq 600); do
        [ -s "$workdir/$database.port" ] && break
        kill -0 "${server_of[$database]}" 2>/dev/null || break
        sleep 0.1
    done
    [ -s "$workdir/$database.port" ] || {
        echo "the $database server did not start"; cat "$workdir/$database.server.log"
        exit 1
    }
done

# The coverage phase (every boundary and wrong type of every field) is most
# of a run's time and finds what it finds in the schema, whoever asks: the
# editor, who may call every operation, runs it; the reviewer runs the rest.
phases_for() {
    case $1 in
        editor) echo examples,coverage,fuzzing,stateful ;;
        *) echo examples,fuzzing,stateful ;;
    esac
}

runs=()
for database in $databases; do
    port=$(cat "$workdir/$database.port")
    for role in $roles; do
        # DELETE /api/token/ revokes the very token the run signs in with,
        # which would leave every later request a 401 (tests/api/test_tokens.py
        # holds it instead).
        .venv/bin/schemathesis --no-color run "http://127.0.0.1:$port/api/schema/" \
            --header "Authorization: Token $(cat "$workdir/$database.$role.token")" \
            --exclude-name "DELETE /api/token/" \
            --checks not_a_server_error,response_schema_conformance \
            --max-examples "$examples" \
            --phases "$(phases_for "$role")" \
            --seed "${FUZZ_SEED:-20261124}" \
            --generation-database none \
            --suppress-health-check all \
            --request-timeout 30 \
            >"$workdir/$database.$role.out" 2>&1 &
        runs+=("$database.$role:$!")
    done
done

status=0
for run in "${runs[@]}"; do
    name=${run%%:*} pid=${run##*:}
    code=0
    wait "$pid" || code=$?
    echo "=== schemathesis, ${name/./, as the } (exit $code)"
    cat "$workdir/$name.out"
    if [ "$code" -ne 0 ]; then
        status=1
        database=${name%%.*}
        echo "--- $database server log (last 60 lines)"
        tail -60 "$workdir/$database.server.log"
    fi
done
exit "$status"
