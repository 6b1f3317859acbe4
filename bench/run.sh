#!/usr/bin/env bash
# Benchmarks on PostgreSQL, each against a baseline measured in the same run on the same rows:
#   import:    `import-cdrs` vs `psql \copy … FROM` of the same file
#   export:    an invoice's CSV download vs `COPY (SELECT …) TO STDOUT` making the same bytes
#              (bench/export.sql), and the server's memory
#   dashboard: the Dashboard operation at 16 clients (wrk) vs pgbench running its statements
#              (bench/dashboard.sql) at 16 clients, prepared as the server sends them and as text
#
#   bench/run.sh [CALLS]        CALLS defaults to 500000
#   PROFILE=1 bench/run.sh      also where the CPU goes under the Dashboard's load (Debian's linux-perf)
# Needs: a release build (made here), PostgreSQL on 127.0.0.1:5432, psql, pgbench, wrk (installed
# from Debian's packages when missing), python3.
set -euo pipefail
cd "$(dirname "$0")/.."
calls=${1:-500000}
admin=${BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}
db=bench_$(date +%s)
url=${admin%/*}/$db
port=18000
work=$(mktemp -d)
for tool in wrk:wrk pgbench:postgresql-client psql:postgresql-client curl:curl; do
  command -v "${tool%%:*}" >/dev/null ||
    apt-get install -y -qq "${tool#*:}" >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq "${tool#*:}"; }
done
pg_isready -q -h 127.0.0.1 -p 5432 || pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
cargo build --release --quiet
bin=target/release/billing-portal

cleanup() {
  [ -n "${server:-}" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  psql -q "$admin" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
psql -q "$admin" -c "CREATE DATABASE $db" >/dev/null
export DATABASE_URL=$url MAIL_DIR=$work/mail RUST_LOG=warn LISTEN_ADDR=127.0.0.1:$port PUBLIC_URL=http://127.0.0.1:$port
$bin seed-demo >/dev/null
invoice=$(psql -qAt "$url" -c "SELECT number FROM invoices WHERE account_id = 1 ORDER BY issued_on DESC LIMIT 1")
python3 bench/make_cdrs.py "$calls" "$invoice" > "$work/calls.csv"
seconds() { python3 -c "import sys; print(f'{float(sys.argv[1]):.3f}')" "$1"; }
now() { date +%s.%N; }
ratio() { python3 -c "import sys; a, b = map(float, sys.argv[1:]); print(f'{a / b * 100:.0f}%')" "$1" "$2"; }

echo "== import: $calls calls"
# The baseline table carries the same keys, indexes and a foreign key to the invoice, as
# call_records does: the same work for the database. (Ours also validates every row, and its time
# includes starting the process and refreshing the planner's statistics afterwards.)
psql -q "$url" -c "CREATE TABLE copy_baseline (id bigserial PRIMARY KEY, call_id text UNIQUE, started_at timestamptz,
  direction text, from_number text, to_number text, duration_seconds int, call_type text, rated_amount numeric,
  currency text, invoice_number text REFERENCES invoices (number))" \
  -c "CREATE INDEX ON copy_baseline (invoice_number, started_at, id)" -c "CREATE INDEX ON copy_baseline (started_at, id)"
columns="call_id, started_at, direction, from_number, to_number, duration_seconds, call_type, rated_amount, currency, invoice_number"
t0=$(now); psql -q "$url" -c "\\copy copy_baseline ($columns) FROM '$work/calls.csv' CSV HEADER"; t1=$(now)
$bin import-cdrs --account 1001 "$work/calls.csv" >/dev/null 2>"$work/import.log"; t2=$(now)
copy_in=$(python3 -c "print($t1 - $t0)"); ours_in=$(python3 -c "print($t2 - $t1)")
echo "psql \\copy FROM: $(seconds "$copy_in") s   import-cdrs: $(seconds "$ours_in") s   speed: $(ratio "$copy_in" "$ours_in") of \\copy (floor 25%)"

echo "== export: the invoice's CSV"
$bin serve >"$work/server.log" 2>&1 & server=$!
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
token=$(curl -s "http://127.0.0.1:$port/graphql" -H 'content-type: application/json' \
  -d '{"query":"mutation { login(input: {email: \"manager@maple-dental.example\", password: \"Juniper42Canoe17Velvet\"}) { token } }"}' |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["data"]["login"]["token"])')
csv_url=$(curl -s "http://127.0.0.1:$port/graphql" -H 'content-type: application/json' -H "authorization: Bearer $token" \
  -d '{"query":"{ account { invoices(first: 1) { edges { node { callRecordsCsvUrl } } } } }"}' |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["data"]["account"]["invoices"]["edges"][0]["node"]["callRecordsCsvUrl"])')
rows=$(psql -qAt "$url" -c "SELECT COUNT(*) FROM call_records c JOIN invoices i ON i.id = c.invoice_id WHERE i.number = '$invoice'")
invoice_id=$(psql -qAt "$url" -c "SELECT id FROM invoices WHERE number = '$invoice'")
# The baseline is PostgreSQL alone making the same CSV from the statement the server sends.
query=$(grep -v '^--' bench/export.sql | sed "s/INVOICE_ID/$invoice_id/")
rss_kib() { awk '/^VmRSS/ { print $2 }' "/proc/$server/status"; }
t0=$(now); psql -q "$url" -c "COPY ($query) TO STDOUT WITH (FORMAT csv, HEADER)" > "$work/copy.csv"; t1=$(now)
before=$(rss_kib); peak=$before
curl -s -o "$work/ours.csv" -w '%{time_total}' "$csv_url" > "$work/download.time" & download=$!
while kill -0 "$download" 2>/dev/null; do rss=$(rss_kib); [ "$rss" -gt "$peak" ] && peak=$rss; sleep 0.02; done
wait "$download"
cmp -s "$work/copy.csv" "$work/ours.csv" || { echo "the download is not the CSV that COPY made"; exit 1; }
copy_out=$(python3 -c "print($t1 - $t0)"); ours_out=$(cat "$work/download.time")
echo "$rows rows, $(wc -l < "$work/ours.csv") lines downloaded, byte for byte COPY's"
echo "COPY TO STDOUT: $(seconds "$copy_out") s   download: $(seconds "$ours_out") s   speed: $(ratio "$copy_out" "$ours_out") of COPY (target 90%)"
echo "server memory: $((before / 1024)) MiB before, $((peak / 1024)) MiB peak: +$(((peak - before) / 1024)) MiB (ceiling 100 MiB)"

echo "== dashboard: 16 clients, 10 s"
# Statistics for the imported rows first, so that neither side shares the CPU with autovacuum.
psql -q "$url" -c "VACUUM ANALYZE" >/dev/null
python3 - "$token" "$work/dashboard.json" > "$work/dashboard.lua" <<'PY'
import json, pathlib, re, sys
ops = pathlib.Path("tests/api/operations")
fragments = (ops / "fragments.graphql").read_text()
# The Dashboard uses every shared fragment but UserErrorFields; GraphQL refuses unused fragments.
fragments = re.sub(r"fragment UserErrorFields on UserError \{[^}]*\}", "", fragments)
body = json.dumps({"query": (ops / "dashboard.graphql").read_text() + "\n" + fragments})
pathlib.Path(sys.argv[2]).write_text(body)
print('wrk.method = "POST"')
print('wrk.headers["Content-Type"] = "application/json"')
print(f'wrk.headers["Authorization"] = "Bearer {sys.argv[1]}"')
print(f"wrk.body = {json.dumps(body)}")
PY
check=$(curl -s "http://127.0.0.1:$port/graphql" -H 'content-type: application/json' -H "authorization: Bearer $token" \
  -d @"$work/dashboard.json")
echo "$check" | grep -q '"currentBalance"' || { echo "the Dashboard operation failed: $check"; exit 1; }
# Two seconds of warming up: every pooled connection prepares its statements.
wrk -t2 -c16 -d2s -s "$work/dashboard.lua" "http://127.0.0.1:$port/graphql" >/dev/null
# PROFILE=1: perf samples every CPU during the load (bench/cpu_split.py sums them up).
[ -n "${PROFILE:-}" ] && { perf record -q -F 999 -a -o "$work/perf.data" 2>/dev/null & profiler=$!; sleep 0.5; }
ours_rps=$(wrk -t2 -c16 -d10s -s "$work/dashboard.lua" "http://127.0.0.1:$port/graphql" | awk '/Requests\/sec/ { print $2 }')
if [ -n "${PROFILE:-}" ]; then
  kill -INT "$profiler"; wait "$profiler" || true
  perf script -i "$work/perf.data" -F comm,ip,sym 2>/dev/null | python3 bench/cpu_split.py
fi
token_hash=$(printf '%s' "$token" | sha256sum | cut -d' ' -f1)
due_on=$(psql -qAt "$url" -c "SELECT due_on FROM invoices WHERE account_id = 1 ORDER BY issued_on DESC LIMIT 1")
pgbench_tps() { # MODE, then the string parameters as pgbench's -D options
  local mode=$1; shift
  pgbench -n -M "$mode" -c16 -j2 -T10 "$@" -f bench/dashboard.sql "$url" 2>/dev/null | awk '/^tps/ { print $3; exit }'
}
# Prepared, parameters bound: what the server sends. Simple: the text with the values written in.
prepared_tps=$(pgbench_tps prepared -D "token_hash=$token_hash" -D succeeded=succeeded -D "due_on=$due_on")
simple_tps=$(pgbench_tps simple -D "token_hash='$token_hash'" -D "succeeded='succeeded'" -D "due_on='$due_on'")
echo "Dashboard over HTTP: $ours_rps req/s"
echo "  pgbench, the same statements prepared with their parameters: $prepared_tps tps   ratio: $(ratio "$ours_rps" "$prepared_tps") (target 50%)"
echo "  pgbench, the same statements as plain text (simple protocol): $simple_tps tps   ratio: $(ratio "$ours_rps" "$simple_tps")"
# The statements one request costs, from its own log line: a second server that logs every request,
# so that the one measured above did not.
kill "$server" && wait "$server" 2>/dev/null || true
RUST_LOG=info $bin serve >"$work/counted.log" 2>&1 & server=$!
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
curl -s "http://127.0.0.1:$port/graphql" -H 'content-type: application/json' -H "authorization: Bearer $token" \
  -d @"$work/dashboard.json" >/dev/null
statements=$(grep 'request finished' "$work/counted.log" | tail -1 | grep -o 'db_statements[=":]*[0-9]*' | grep -o '[0-9]*$')
echo "Dashboard statements per request: $statements (bench/dashboard.sql: $(grep -c '^SELECT' bench/dashboard.sql); target at most 6)"
