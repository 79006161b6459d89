#!/usr/bin/env bash
# Behind PgBouncer (docs/pgbouncer.md), measured: attempts stored per second through PgBouncer in transaction mode
# (timeout-policy.database.pooler=transaction) against the same jar connected directly, alternately in one run;
# and what a statement_timeout set per transaction (BEGIN; SET LOCAL …; INSERT; COMMIT) would cost, with pgbench
# through the same PgBouncer. Results in target/bench/pooler.md.
set -euo pipefail
cd "$(dirname "$0")/../.."

BENCH_DB=${BENCH_DB:-timeout_policy_bench_pooler}
source src/bench/lib.sh
PGB_PORT=${BENCH_PGBOUNCER_PORT:-16433}
ROUNDS=${BENCH_ROUNDS:-3}
command -v pgbouncer >/dev/null || [ -x /usr/sbin/pgbouncer ] || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q pgbouncer; }
PGBOUNCER=$(command -v pgbouncer || echo /usr/sbin/pgbouncer)
[ -n "${SKIP_BUILD:-}" ] || build
fresh_database "$BENCH_DB"

# PgBouncer as the tests run it: trust, the usual ignore_startup_parameters, transaction mode; as postgres when root.
PGB_DIR=$(mktemp -d)
chmod 777 "$PGB_DIR"
echo "\"$DB_USER\" \"\"" > "$PGB_DIR/userlist.txt"
cat > "$PGB_DIR/pgbouncer.ini" <<INI
[databases]
* = host=$DB_HOST port=$DB_PORT
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $PGB_PORT
unix_socket_dir =
auth_type = trust
auth_file = $PGB_DIR/userlist.txt
pool_mode = transaction
ignore_startup_parameters = extra_float_digits
max_client_conn = 400
default_pool_size = 20
logfile = $PGB_DIR/pgbouncer.log
pidfile = $PGB_DIR/pgbouncer.pid
INI
if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$PGBOUNCER" -d "$PGB_DIR/pgbouncer.ini"; else "$PGBOUNCER" -d "$PGB_DIR/pgbouncer.ini"; fi
stop_all() { stop_service; [ -f "$PGB_DIR/pgbouncer.pid" ] && kill "$(cat "$PGB_DIR/pgbouncer.pid")" 2>/dev/null || true; }
trap stop_all EXIT
until pg_isready -q -h 127.0.0.1 -p "$PGB_PORT"; do sleep 0.1; done

DIRECT_URL="postgresql://$DB_HOST:$DB_PORT/$BENCH_DB"
POOLED_URL="postgresql://127.0.0.1:$PGB_PORT/$BENCH_DB"
# start_as direct|pooled: the jar, ready with its database, warmed up with the measured request.
start_as() {
  if [ "$1" = pooled ]; then
    SERVICE_DB_URL=$POOLED_URL start_service -XX:SharedArchiveFile=app-cds.jsa \
      -Dtimeout-policy.database.pooler=transaction -Dtimeout-policy.database.notifications-url="$DIRECT_URL"
  else
    SERVICE_DB_URL=$DIRECT_URL start_service
  fi
  until curl -sf -o /dev/null "$URL/q/health/group/database"; do sleep 0.2; done
  wrk -t2 -c16 -d10s -s src/bench/attempts.lua "$URL" > /dev/null
}

declare -A R
echo "== POST attempts (100 per request, wrk -t2 -c16 -d$DURATION): direct and through PgBouncer, alternately"
for round in $(seq 1 "$ROUNDS"); do
  for mode in direct pooled; do
    reports=$(grep -c "Database unavailable" "$OUT/service.log" || true)
    start_as "$mode"
    before=$(rows); t0=$(date +%s%N)
    run_wrk -t2 -c16 -d"$DURATION" --latency -s src/bench/attempts.lua "$URL" > "$OUT/pooler-$mode-$round.txt"
    t1=$(date +%s%N); after=$(rows)
    R[$mode,$round]=$(awk -v n=$((after - before)) -v ns=$((t1 - t0)) 'BEGIN {printf "%.0f", n / (ns / 1e9)}')
    R[$mode,$round,p99]=$(field "$(cat "$OUT/pooler-$mode-$round.txt")" 3)
    # Reported during the warm-up (catch-up included) and the measured run: a timeout under this load counts too.
    R[$mode,$round,down]=$(( $(grep -c "Database unavailable" "$OUT/service.log" || true) - reports ))
    stop_service
    echo "round $round $mode: ${R[$mode,$round]} attempts stored/s, p99 ${R[$mode,$round,p99]} ms, 'Database unavailable' ${R[$mode,$round,down]}"
  done
done

echo "== statement_timeout per transaction (pgbench -c16 -j2 through PgBouncer): plain insert against SET LOCAL + insert"
psql -q -d "$BENCH_DB" -c "CREATE TABLE IF NOT EXISTS attempts_pgbench (LIKE attempts INCLUDING ALL)"
{ echo "BEGIN;"; echo "SET LOCAL statement_timeout = 6000;"; cat src/bench/insert.sql; echo "COMMIT;"; } > "$OUT/insert-set-local.sql"
# The cheapest statement the service sends (a one-row read): where two more round trips weigh most.
echo "SELECT environment, version FROM policy_versions WHERE environment = 'staging' ORDER BY version DESC LIMIT 1;" > "$OUT/read.sql"
{ echo "BEGIN;"; echo "SET LOCAL statement_timeout = 6000;"; cat "$OUT/read.sql"; echo "COMMIT;"; } > "$OUT/read-set-local.sql"
for round in $(seq 1 "$ROUNDS"); do
  for script in plain setlocal readplain readsetlocal; do
    case $script in
      plain) file=src/bench/insert.sql ;; setlocal) file=$OUT/insert-set-local.sql ;;
      readplain) file=$OUT/read.sql ;; readsetlocal) file=$OUT/read-set-local.sql ;;
    esac
    tps=$(pgbench -n -h 127.0.0.1 -p "$PGB_PORT" -c 16 -j 2 -T "${DURATION%s}" -M extended -f "$file" "$BENCH_DB" 2>/dev/null \
      | awk '/^tps/ {print $3}')
    R[$script,$round]=$(awk -v t="$tps" 'BEGIN {printf "%.0f", t}')
    echo "round $round $script: ${R[$script,$round]} transactions/s"
  done
done

{
  echo "| measure | round | direct | through PgBouncer | ratio |"
  echo "|---|---|---|---|---|"
  for round in $(seq 1 "$ROUNDS"); do
    echo "| POST attempts, attempts stored/s | $round | ${R[direct,$round]} | ${R[pooled,$round]} | $(ratio "${R[pooled,$round]}" "${R[direct,$round]}") |"
    echo "| POST attempts, p99 ms | $round | ${R[direct,$round,p99]} | ${R[pooled,$round,p99]} | $(ratio "${R[pooled,$round,p99]}" "${R[direct,$round,p99]}") |"
    echo "| 'Database unavailable' logged (start, warm-up, run) | $round | ${R[direct,$round,down]} | ${R[pooled,$round,down]} | |"
  done
  echo
  echo "| pgbench -c16 through PgBouncer, statements/s | round | statement alone | BEGIN; SET LOCAL statement_timeout; statement; COMMIT | ratio |"
  echo "|---|---|---|---|---|"
  for round in $(seq 1 "$ROUNDS"); do
    echo "| 100-row insert (group commit) | $round | ${R[plain,$round]} | ${R[setlocal,$round]} | $(ratio "${R[setlocal,$round]}" "${R[plain,$round]}") |"
    echo "| one-row read | $round | ${R[readplain,$round]} | ${R[readsetlocal,$round]} | $(ratio "${R[readsetlocal,$round]}" "${R[readplain,$round]}") |"
  done
  echo
  # The machine's load moves both figures of a round together; the median of the rounds' ratios is the result.
  stored=$(for round in $(seq 1 "$ROUNDS"); do ratio "${R[pooled,$round]}" "${R[direct,$round]}"; echo; done | median)
  p99=$(for round in $(seq 1 "$ROUNDS"); do ratio "${R[pooled,$round,p99]}" "${R[direct,$round,p99]}"; echo; done | median)
  echo "Median of the $ROUNDS rounds' ratios, through PgBouncer / direct: attempts stored/s $stored, p99 $p99."
} | tee "$OUT/pooler.md"
