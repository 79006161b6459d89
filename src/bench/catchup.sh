#!/usr/bin/env bash
# Restart catch-up against psql's COPY of the same rows (issue 31, item 5), alternated, CATCHUP_RUNS (3) runs each:
#   reference: psql \copy (SELECT <the columns a catch-up reads> FROM attempts WHERE <its window>) TO /dev/null
#   service:   the packaged jar as the README starts it (class-data archive, -Xmx1g), timed from launch to the first
#              200 of GET …/staging/timeouts and to the first one that says "degraded":false (history loaded);
#              the catch-up's own time is the "History caught up: … s" line of its log.
# The ratio is the catch-up's time ÷ COPY's. Seeds CATCHUP_ATTEMPTS (10 000 000) attempts of staging/connection
# over the last 23 hours, 20 services, into $BENCH_DB (timeout_policy_catchup; kept between runs when it holds
# them already). SKIP_BUILD=1 uses the jar as built; CATCHUP_JAVA_OPTS adds JVM options (e.g. -Xlog:gc:file=…).
set -euo pipefail
cd "$(dirname "$0")/../.."
export BENCH_DB=${BENCH_DB:-timeout_policy_catchup}
source src/bench/lib.sh
JOURNAL=$(journal_dir catchup)
N=${CATCHUP_ATTEMPTS:-10000000}
RUNS=${CATCHUP_RUNS:-3}
[ "${SKIP_BUILD:-0}" = 1 ] || build

WINDOW="environment = 'staging' AND operation = 'connection' AND occurred_at > now() - interval '24 hours'"
have=$(psql -tA -d "$BENCH_DB" -c "SELECT count(*) FROM attempts WHERE $WINDOW" 2>/dev/null || echo none)
if [ "$have" != "$N" ]; then
  fresh_database "$BENCH_DB"
  echo "== schema (one start of the service migrates it)"
  python3 src/bench/first_answer.py "$PORT" /q/health/ready --log "$OUT/service.log" --cwd target/quarkus-app -- \
    java -XX:SharedArchiveFile=app-cds.jsa -Dtimeout-policy.journal.dir="$JOURNAL" -Dquarkus.http.port="$PORT" \
    -Dquarkus.datasource.reactive.url="postgresql://$DB_HOST:$DB_PORT/$BENCH_DB" -jar quarkus-run.jar > /dev/null
  echo "== seeding $N attempts (about two minutes at 10 M on two cores)"
  psql -q -d "$BENCH_DB" -c "INSERT INTO attempts (id, environment, operation, duration_seconds, success,
      timeout_seconds, violation, occurred_at, service, received_at)
    SELECT gen_random_uuid(), 'staging', 'connection', d, d < 70, 75, d > 75,
      now() - interval '23 hours' + g * (interval '23 hours' / $N), 'svc-' || (g % 20), now() - interval '23 hours'
    FROM (SELECT g, exp(random() * 4) AS d FROM generate_series(1, $N) g) s" -c "VACUUM ANALYZE attempts"
fi

COLS="seq, occurred_at, duration_seconds, timeout_seconds, success, violation, service"
copy_ms() {
  local t0; t0=$(date +%s%N)
  psql -q -d "$BENCH_DB" -c "\\copy (SELECT $COLS FROM attempts WHERE $WINDOW) TO /dev/null"
  echo $(( ($(date +%s%N) - t0) / 1000000 ))
}
restart() {  # → "first_200_ms caught_up_ms cpu_ms_by_first_200 catch_up_log_ms"
  local log=$OUT/catchup-$1.log times secs
  : > "$log"
  # shellcheck disable=SC2086
  times=$(python3 src/bench/first_answer.py "$PORT" /api/v1/environments/staging/timeouts --match '"degraded":false' \
    --log "$log" --cwd target/quarkus-app -- java -XX:SharedArchiveFile=app-cds.jsa "$HEAP" $JIT ${CATCHUP_JAVA_OPTS:-} \
    -Dtimeout-policy.journal.dir="$JOURNAL" -Dquarkus.http.port="$PORT" -Dquarkus.datasource.reactive.url="postgresql://$DB_HOST:$DB_PORT/$BENCH_DB" \
    -Dquarkus.log.category.\"io.timeoutpolicy.history\".level=INFO -jar quarkus-run.jar)
  secs=$(grep -o 'History caught up: [0-9]* attempts.*, [0-9.]* s,' "$log" | tail -1 | grep -o '[0-9.]* s,$' | tr -d ' s,')
  grep -q "History caught up: $N attempts" "$log" || echo "warning: the log does not say $N attempts caught up" >&2
  echo "$times $(awk -v s="$secs" 'BEGIN {printf "%.0f", s * 1000}')"
}

echo "== $RUNS runs each, alternated (load average before: $(cut -d' ' -f1-3 /proc/loadavg))"
quiet_database
# Nothing measured starts cold: one unmeasured read each warms what it reads. COPY reads the table in order; a
# catch-up reads it along attempts_by_series, index and table pages in PostgreSQL's buffers and the OS cache, and
# the first catch-up after anything else ran on the machine was 12-25 % slower than the next (BENCHMARKS.md).
copy_ms > /dev/null
restart warm-up > /dev/null
{
  echo "| run | COPY ms | launch → first 200 ms | launch → degraded:false ms | catch-up ms (log) | catch-up ÷ COPY | load avg |"
  echo "|---|---|---|---|---|---|---|"
  for i in $(seq 1 "$RUNS"); do
    c=$(copy_ms)
    read -r first up _ catch <<< "$(restart "$i")"
    echo "| $i | $c | $first | $up | $catch | $(ratio "$catch" "$c") | $(cut -d' ' -f1 /proc/loadavg) |"
  done
} | tee "$OUT/catchup.md"
