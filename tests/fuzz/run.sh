#!/usr/bin/env bash
# Schema-driven fuzzing of the REST API with schemathesis, against a live
# server signed in with the demo editor's token: no server error (5xx) and no
# response that breaks the schema, at least 50 examples per operation.
#
#   tests/fuzz/run.sh [EXAMPLES]      (from the project root, after `make install`)
set -euo pipefail
cd "$(dirname "$0")/../.."

examples=${1:-50}
port=${FUZZ_PORT:-8765}
workdir=$(mktemp -d)
python=.venv/bin/python
export DATABASE_URL="sqlite:///$workdir/fuzz.sqlite3"
export SECRET_KEY=fuzz-only-not-a-secret DEBUG=0 SECURE=0
export ALLOWED_HOSTS=127.0.0.1 THROTTLE_USER=1000000/min THROTTLE_ANON=1000000/min

$python manage.py migrate --verbosity 0
$python manage.py load_demo >/dev/null
token=$($python manage.py drf_create_token editor | awk '{print $3}')

$python manage.py runserver "127.0.0.1:$port" --noreload --nothreading \
    >"$workdir/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$workdir"' EXIT

status=0
.venv/bin/schemathesis run "http://127.0.0.1:$port/api/schema/" \
    --wait-for-schema 30 \
    --header "Authorization: Token $token" \
    --checks not_a_server_error,response_schema_conformance \
    --max-examples "$examples" \
    --phases examples,coverage,fuzzing \
    --seed 20261124 \
    --suppress-health-check all \
    --request-timeout 30 \
    || status=$?
if [ "$status" -ne 0 ]; then
    echo "--- server log (last 60 lines)"; tail -60 "$workdir/server.log"
fi
exit "$status"
