#!/usr/bin/env bash
# Benchmarks on PostgreSQL, each against a baseline measured in the same run on the same rows:
#   import:    `import-cdrs` vs `psql \copy … FROM` of the same file
#   export:    an invoice's CSV download vs `COPY (SELECT its rows' columns) TO STDOUT` (the limit:
#              target 80%), checked byte for byte against PostgreSQL making the same CSV itself
#              (bench/export.sql); the server's memory
#   dashboard: the Dashboard operation at 16 clients (wrk) vs pgbench running its statements
#              (bench/dashboard.sql) at 16 clients, prepared as the server sends them and as text
#   scale:     a carrier's data set made through the Partner API and import-cdrs (bench/make_dataset.py):
#              the cycle day (the newest month's invoices posted with 8 connections: invoices/s,
#              p99), the Dashboard's latency for an account with the whole history vs the demo's, a
#              6-month Call History export vs COPY of its columns, and Auto Pay on one due date for
#              every account (charges/s against the ceiling in-flight calls ÷ latency and the rate
#              limit set), with one instance and with three sharing it
#
#   bench/run.sh                full size: 500 000 calls on one invoice; 10 000 accounts, 30 000
#                               users, 24 months of invoices, 20 million call records
#   bench/run.sh quick          the same in under 5 minutes: 50 000 calls; 300 accounts, 3 months
#   bench/run.sh check          quick mode's correctness checks only, on the debug build the tests
#                               made (CI runs it): no timings, no wrk or pgbench
#   PROFILE=1 bench/run.sh      also where the CPU goes under the Dashboard's load (Debian's linux-perf)
# Needs: PostgreSQL on 127.0.0.1:5432, psql, pgbench, wrk (installed from Debian's packages when
# missing), python3.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-full}
case $mode in
  full) calls=500000 accounts=10000 months=24 call_accounts=200 calls_per_account=100000 ;;
  quick) calls=50000 accounts=300 months=3 call_accounts=10 calls_per_account=6000 ;;
  check) calls=5000 accounts=40 months=2 call_accounts=3 calls_per_account=400 ;;
  *) echo "usage: bench/run.sh [full|quick|check]" >&2; exit 2 ;;
esac
checking() { [ "$mode" = check ]; }
admin=${BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}
db=bench_$(date +%s)_$$
url=${admin%/*}/$db
port=18000
work=$(mktemp -d)
tools="psql:postgresql-client curl:curl"
checking || tools="$tools wrk:wrk pgbench:postgresql-client"
for tool in $tools; do
  command -v "${tool%%:*}" >/dev/null ||
    apt-get install -y -qq "${tool#*:}" >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq "${tool#*:}"; }
done
pg_isready -q -h 127.0.0.1 -p 5432 || pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
if checking; then
  # The build the tests made (with the dev-dependencies' features): nothing to rebuild after them.
  cargo build --workspace --tests --quiet
  bin=${CARGO_TARGET_DIR:-target}/debug/billing-portal
else
  cargo build --release --quiet
  bin=${CARGO_TARGET_DIR:-target}/release/billing-portal
fi

cleanup() {
  [ -n "${server:-}" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  for scratch in $db ${db}_pass0 ${db}_pass200 ${db}_three; do
    psql -q "$admin" -c "DROP DATABASE IF EXISTS $scratch WITH (FORCE)" >/dev/null
  done
  rm -rf "$work"
}
trap cleanup EXIT
psql -q "$admin" -c "CREATE DATABASE $db" >/dev/null
export DATABASE_URL=$url MAIL_DIR=$work/mail RUST_LOG=warn LISTEN_ADDR=127.0.0.1:$port PUBLIC_URL=http://127.0.0.1:$port
$bin seed-demo >/dev/null
invoice=$(psql -qAt "$url" -c "SELECT number FROM invoices WHERE account_id = 1 ORDER BY issued_on DESC LIMIT 1")
python3 bench/make_cdrs.py "$calls" "$invoice" > "$work/calls.csv"
fail() { echo "CHECK FAILED: $*" >&2; exit 1; }
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
checking || echo "psql \\copy FROM: $(seconds "$copy_in") s   import-cdrs: $(seconds "$ours_in") s   speed: $(ratio "$copy_in" "$ours_in") of \\copy (floor 25%)"

start_server() { # then the environment's extra settings
  env "$@" $bin serve >"$work/server.log" 2>&1 & server=$!
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && return; sleep 0.2; done
  fail "the server did not start: $(tail -5 "$work/server.log")"
}
stop_server() { kill "$server" && wait "$server" 2>/dev/null || true; server=; }
graphql() { # TOKEN BODY: the answer
  curl -s "http://127.0.0.1:$port/graphql" -H 'content-type: application/json' -H "authorization: Bearer $1" -d "$2"
}
login() { # EMAIL PASSWORD: a session token
  graphql "" "{\"query\":\"mutation { login(input: {email: \\\"$1\\\", password: \\\"$2\\\"}) { token } }\"}" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["data"]["login"]["token"])'
}
field() { python3 -c "import json, sys; d = json.load(sys.stdin); print(eval('d' + sys.argv[1]))" "$1"; }
rss_kib() { awk '/^VmRSS/ { print $2 }' "/proc/$server/status"; }
# Downloads URL into FILE while watching the server's memory; prints seconds and the growth in MiB.
download() {
  local before peak rss pid
  before=$(rss_kib); peak=$before
  curl -s -o "$2" -w '%{time_total}' "$1" > "$work/download.time" & pid=$!
  while kill -0 "$pid" 2>/dev/null; do rss=$(rss_kib); [ "$rss" -gt "$peak" ] && peak=$rss; sleep 0.02; done
  wait "$pid"
  echo "$(cat "$work/download.time") $(((peak - before) / 1024))"
}
# COPY of the columns the CSV is made of, as psql writes them (CSV): what the export must approach.
copy_columns() { # WHERE-clause
  psql -q "$url" -c "COPY (SELECT c.call_id, c.started_at, c.direction, c.from_number, c.to_number, c.duration_seconds,
    c.call_type, c.rated_amount_micros, c.currency, i.number FROM call_records c LEFT JOIN invoices i ON i.id = c.invoice_id
    WHERE $1 ORDER BY c.started_at, c.id) TO STDOUT WITH (FORMAT csv, HEADER)"
}

echo "== export: the invoice's CSV"
start_server
token=$(login manager@maple-dental.example Juniper42Canoe17Velvet)
csv_url=$(graphql "$token" '{"query":"{ account { invoices(first: 1) { edges { node { callRecordsCsvUrl } } } } }"}' |
  field '["data"]["account"]["invoices"]["edges"][0]["node"]["callRecordsCsvUrl"]')
rows=$(psql -qAt "$url" -c "SELECT COUNT(*) FROM call_records c JOIN invoices i ON i.id = c.invoice_id WHERE i.number = '$invoice'")
invoice_id=$(psql -qAt "$url" -c "SELECT id FROM invoices WHERE number = '$invoice'")
# PostgreSQL alone making the same CSV (cells formatted in SQL): the download must be these bytes.
query=$(grep -v '^--' bench/export.sql | sed "s/INVOICE_ID/$invoice_id/")
t0=$(now); psql -q "$url" -c "COPY ($query) TO STDOUT WITH (FORMAT csv, HEADER)" > "$work/same.csv"; t1=$(now)
copy_columns "c.account_id = 1 AND c.invoice_id = $invoice_id" > "$work/columns.csv"; t2=$(now)
read -r ours_out grown <<< "$(download "$csv_url" "$work/ours.csv")"
cmp -s "$work/same.csv" "$work/ours.csv" || fail "the download is not the CSV that PostgreSQL made (bench/export.sql)"
[ "$(wc -l < "$work/ours.csv")" -eq $((rows + 1)) ] || fail "the download has not every row once"
copy_same=$(python3 -c "print($t1 - $t0)"); copy_out=$(python3 -c "print($t2 - $t1)")
echo "$rows rows, $(wc -l < "$work/ours.csv") lines downloaded, byte for byte what PostgreSQL's own CSV formatting makes"
if ! checking; then
  echo "COPY of the columns: $(seconds "$copy_out") s   download: $(seconds "$ours_out") s   speed: $(ratio "$copy_out" "$ours_out") of COPY (target 80%)"
  echo "  (COPY formatting the same CSV in SQL: $(seconds "$copy_same") s, $(ratio "$copy_same" "$ours_out"))"
  echo "server memory: +$grown MiB during the download (ceiling 100 MiB)"
fi

dashboard_body() { # the Dashboard operation as the frontend sends it
  python3 - <<'PY'
import json, pathlib, re
ops = pathlib.Path("tests/api/operations")
fragments = (ops / "fragments.graphql").read_text()
# The Dashboard uses every shared fragment but UserErrorFields; GraphQL refuses unused fragments.
fragments = re.sub(r"fragment UserErrorFields on UserError \{[^}]*\}", "", fragments)
print(json.dumps({"query": (ops / "dashboard.graphql").read_text() + "\n" + fragments}))
PY
}
dashboard_body > "$work/dashboard.json"
wrk_script() { # TOKEN: a wrk script posting the Dashboard
  python3 - "$1" "$work/dashboard.json" <<'PY'
import json, pathlib, sys
print('wrk.method = "POST"')
print('wrk.headers["Content-Type"] = "application/json"')
print(f'wrk.headers["Authorization"] = "Bearer {sys.argv[1]}"')
print(f"wrk.body = {json.dumps(pathlib.Path(sys.argv[2]).read_text())}")
PY
}
# The Dashboard's mean latency in ms at one client, for TOKEN.
latency_ms() {
  wrk_script "$1" > "$work/one.lua"
  wrk -t1 -c1 -d2s -s "$work/one.lua" "http://127.0.0.1:$port/graphql" >/dev/null
  wrk -t1 -c1 -d5s --latency -s "$work/one.lua" "http://127.0.0.1:$port/graphql" |
    awk '/^ +Latency +[0-9.]+(us|ms|s) / { v = $2; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else { sub(/s$/, "", v); v *= 1000 }; print v; exit }'
}
answer=$(graphql "$token" @"$work/dashboard.json")
echo "$answer" | grep -q '"currentBalance"' || fail "the Dashboard operation failed: $answer"

if ! checking; then
  echo "== dashboard: 16 clients, 10 s"
  # Statistics for the imported rows first, so that neither side shares the CPU with autovacuum.
  psql -q "$url" -c "VACUUM ANALYZE" >/dev/null
  wrk_script "$token" > "$work/dashboard.lua"
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
  demo_latency=$(latency_ms "$token")
fi
# The statements one request costs, from its own log line: a server that logs every request, so
# that the one measured above did not.
stop_server
start_server RUST_LOG=info
graphql "$token" @"$work/dashboard.json" >/dev/null
statements=$(grep 'request finished' "$work/server.log" | tail -1 | grep -o 'db_statements[=":]*[0-9]*' | grep -o '[0-9]*$')
echo "Dashboard statements per request: $statements (target at most 6)"
[ "$statements" -le 6 ] || fail "the Dashboard costs $statements statements"
stop_server

echo "== scale: $accounts accounts, $months months of invoices, $((call_accounts * (calls_per_account / months) * months)) call records"
key=$($bin create-partner-key --name "bench-$$" 2>/dev/null)
start_server
python3 bench/make_dataset.py "http://127.0.0.1:$port" "$key" "$url" "$bin" "$work" --accounts "$accounts" \
  --months "$months" --users-per-account 3 --call-accounts "$call_accounts" --calls-per-account "$calls_per_account" \
  > "$work/dataset.json"
dataset() { field "$1" < "$work/dataset.json"; }
made=$(psql -qAt "$url" -c "SELECT COUNT(*) FROM invoices WHERE number LIKE 'INV-2%'")
[ "$made" -eq $((accounts * months)) ] || fail "$made invoices made, not $((accounts * months))"
echo "made: $(dataset '["accounts"]') accounts and $(dataset '["users"]') users in $(dataset '["accounts_and_users_seconds"]') s," \
  "$(dataset '["history_invoices"]') earlier invoices in $(dataset '["history_seconds"]') s," \
  "$(dataset '["call_records"]') call records in $(dataset '["call_records_seconds"]') s"
echo "partitions of call_records: $(psql -qAt "$url" -c "SELECT COUNT(*) FROM pg_inherits WHERE inhparent = 'call_records'::regclass")"
checking || echo "cycle day: $(dataset '["cycle_day"]["invoices"]') invoices posted by 8 connections in $(dataset '["cycle_day"]["seconds"]') s:" \
  "$(dataset '["cycle_day"]["invoices_per_second"]') invoices/s, p50 $(dataset '["cycle_day"]["p50_ms"]') ms, p99 $(dataset '["cycle_day"]["p99_ms"]') ms"

# The busiest account's office manager, with a password to log in with (invited users have none yet).
busy=200000
psql -q "$url" -c "UPDATE users SET password_hash = (SELECT password_hash FROM users WHERE email = 'manager@maple-dental.example'),
  status = 'active', must_change_password = false, password_expires_at = NULL WHERE email = 'user0@b$busy.example'" >/dev/null
psql -q "$url" -c "VACUUM ANALYZE" >/dev/null
busy_token=$(login "user0@b$busy.example" Juniper42Canoe17Velvet)
answer=$(graphql "$busy_token" @"$work/dashboard.json")
echo "$answer" | grep -q '"currentBalance"' || fail "the Dashboard failed for account $busy: $answer"
if ! checking; then
  # The demo's account again, on this server and this data, just before the busy one: the server is
  # still sending the data set's emails (its outbox), which slows both alike.
  scale_demo_latency=$(latency_ms "$(login manager@maple-dental.example Juniper42Canoe17Velvet)")
  busy_latency=$(latency_ms "$busy_token")
  echo "Dashboard latency, one client: $scale_demo_latency ms for the demo's account, $busy_latency ms for account $busy" \
    "with $(psql -qAt "$url" -c "SELECT COUNT(*) FROM invoices WHERE account_id = (SELECT id FROM accounts WHERE number = '$busy')") invoices" \
    "among $accounts accounts: $(ratio "$busy_latency" "$scale_demo_latency") of the demo's (target within 120%);" \
    "$demo_latency ms for the demo's account on the demo data alone, on a server with nothing to send"
fi
# Six months of Call History, as its office manager downloads it.
to=$(date -u +%F); from=$(date -u -d '-6 months +1 day' +%F)
export_url=$(graphql "$busy_token" "{\"query\":\"mutation { requestCallHistoryExport(input: {from: \\\"$from\\\", to: \\\"$to\\\"}) { export { url } userErrors { message } } }\"}" |
  field '["data"]["requestCallHistoryExport"]["export"]["url"]')
read -r history_seconds grown <<< "$(download "$export_url" "$work/history.csv")"
history_rows=$(($(wc -l < "$work/history.csv") - 1))
[ "$history_rows" -gt 0 ] || fail "the Call History export is empty"
if ! checking; then
  t0=$(now)
  copy_columns "c.account_id = (SELECT id FROM accounts WHERE number = '$busy') AND c.invoice_id IS NOT NULL
    AND c.started_at >= '$(date -u -d '-6 months' +%F)' AND c.started_at < '$to'::date + 1" > "$work/history-columns.csv"
  t1=$(now)
  copy_history=$(python3 -c "print($t1 - $t0)")
  echo "Call History, 6 months: $history_rows rows: COPY of the columns $(seconds "$copy_history") s, download $(seconds "$history_seconds") s:" \
    "$(ratio "$copy_history" "$history_seconds") of COPY (target 80%); server memory +$grown MiB"
fi
stop_server

echo "== Auto Pay: $accounts accounts due on $(dataset '["due_on"]')"
due=$(dataset '["due_on"]')
# Each pass on a copy of the same database, so that each starts from the same unpaid invoices.
for copy in pass0 pass200 three; do psql -q "$admin" -c "CREATE DATABASE ${db}_$copy TEMPLATE $db" >/dev/null; done
# Stripe's live-mode limit (100 requests/s) shared by the instances, which the mock enforces as
# Stripe would (429). The check makes the mock stricter than the instances, so that it turns
# requests away and every retry path runs.
mock_limit=100
checking && mock_limit=10
autopay() { # COPY LATENCY_MS INSTANCES: seconds for the pass(es)
  local copy=$1 latency=$2 instances=$3 t0 t1 pids=()
  printf '[payments]\nmock_latency_ms = %s\ngateway_requests_per_second = %s\nmock_rate_limit = %s\n' \
    "$latency" "$((100 / instances))" "$mock_limit" > "$work/autopay-$copy.toml"
  t0=$(now)
  for _ in $(seq 1 "$instances"); do
    DATABASE_URL=${admin%/*}/${db}_$copy RUST_LOG=info $bin --config "$work/autopay-$copy.toml" run-autopay --as-of "$due" \
      >>"$work/autopay-$copy.log" 2>&1 & pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid" || fail "run-autopay failed: $(tail -3 "$work/autopay-$copy.log")"; done
  t1=$(now)
  python3 -c "print($t1 - $t0)"
}
charged_once() { # COPY: checks every account was charged exactly once
  local copy_url=${admin%/*}/${db}_$1 charged twice
  charged=$(psql -qAt "$copy_url" -c "SELECT COUNT(DISTINCT account_id) FROM payments WHERE origin = 'auto_pay' AND status = 'succeeded'
    AND account_id IN (SELECT id FROM accounts WHERE number LIKE '2%')")
  twice=$(psql -qAt "$copy_url" -c "SELECT COUNT(*) FROM (SELECT account_id FROM payments WHERE origin = 'auto_pay'
    AND account_id IN (SELECT id FROM accounts WHERE number LIKE '2%') GROUP BY account_id HAVING COUNT(*) > 1) t")
  mock=$(psql -qAt "$copy_url" -c "SELECT COUNT(*) FROM mock_gateway_charges WHERE payment_id IN
    (SELECT id FROM payments WHERE account_id IN (SELECT id FROM accounts WHERE number LIKE '2%'))")
  [ "$charged" -eq "$accounts" ] || fail "$charged of $accounts accounts charged ($1)"
  [ "$twice" -eq 0 ] || fail "$twice accounts charged more than once ($1)"
  [ "$mock" -eq "$accounts" ] || fail "the gateway made $mock charges for $accounts accounts ($1)"
}
ceiling() { # LATENCY_MS INSTANCES: charges/s that in-flight calls ÷ latency and the rate limit allow
  python3 -c "import sys; l, n = float(sys.argv[1]) / 1000, int(sys.argv[2]); rate = 100
# each charge is two gateway calls the first time an account pays (its customer, then the charge)
print(f'{min(rate, 16 * n / l if l else rate) / 2:.0f}')" "$1" "$2"
}
runs=("pass0 0 1" "pass200 200 1" "three 200 3")
checking && runs=("three 0 3")
for run in "${runs[@]}"; do
  read -r copy latency instances <<< "$run"
  seconds=$(autopay "$copy" "$latency" "$instances")
  charged_once "$copy"
  limited=$(grep -c 'the gateway limited our rate' "$work/autopay-$copy.log" || true)
  checking && [ "$limited" -eq 0 ] && fail "the mock never turned a request away: the retry path did not run"
  checking || echo "$instances instance(s), mock latency $latency ms: $accounts charges in $(seconds "$seconds") s:" \
    "$(python3 -c "print(f'{$accounts / $seconds:.1f}')") charges/s; ceiling $(ceiling "$latency" "$instances")/s;" \
    "429s answered and retried: $limited"
done
echo "every account charged exactly once, in every pass"
