#!/usr/bin/env bash
# Heap per attempt held (issue 31, item 4): the packaged jar under the README's -Xmx1g, started on a database of
# N attempts of staging's window, once with one service name and once with 200 000 distinct 128-character names;
# after the catch-up (timeouts degraded:false) a full GC, and the live heap (GC.class_histogram's total) against
# the same jar started on an empty database, divided by N. Then, on the running service, 200 000 more attempts
# posted over HTTP, each with a name of its own (the input a careless reporter makes), the same way.
#
#   bash src/bench/memory.sh          (N = MEMORY_N, default 2 000 000; about 5 minutes)
#
# Settings: MEMORY_DB (default timeout_policy_memory, dropped and made again), BENCH_PORT, SKIP_BUILD=1 to use
# the jar already built, APP_DIR to measure another build (e.g. the main branch's, for a before/after).
# Results in target/bench/results-memory.md; the largest classes of each histogram in target/bench/memory-*.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
source src/bench/lib.sh
BENCH_DB=${MEMORY_DB:-timeout_policy_memory}
N=${MEMORY_N:-2000000}
NAMES=200000
POSTED=200000
[ -n "${SKIP_BUILD:-}" ] || build
fresh_database "$BENCH_DB"

# loaded: until staging's timeouts answer degraded:false (memory holds the whole window).
loaded() { until curl -s "$URL/api/v1/environments/staging/timeouts" | grep -q '"degraded":false'; do sleep 0.1; done; }
# live_heap NAME: bytes of live objects after a full GC (the histogram makes one), its top classes kept.
live_heap() {
  jcmd "$PID" GC.run >/dev/null
  jcmd "$PID" GC.class_histogram > "$OUT/memory-$1.txt"
  awk '$1 == "Total" {print $3}' "$OUT/memory-$1.txt"
}
# seed COUNT SERVICE_EXPRESSION: COUNT attempts of staging/connection over the last 23 hours, as another
# replica's writes; the service column is the SQL expression of i (1 … COUNT).
seed() {
  psql -q -d "$BENCH_DB" -c "INSERT INTO attempts (id, environment, operation, duration_seconds, success,
      timeout_seconds, violation, service, occurred_at, received_at, writer)
    SELECT gen_random_uuid(), 'staging', 'connection', 1 + random() * 4, random() < 0.97, 75, false, $2,
      now() - interval '23 hours' + i * (interval '23 hours' / $1), now() - interval '23 hours', 'seed'
    FROM generate_series(1, $1) i" -c "VACUUM ANALYZE attempts"
}
per_attempt() { awk -v a="$1" -v b="$2" -v n="$3" 'BEGIN {printf "%.1f", (a - b) / n}'; }
# post_distinct COUNT: COUNT attempts over HTTP in batches of 1000, each with a 128-character name of its own.
post_distinct() {
  for ((b = 0; b < $1 / 1000; b++)); do
    awk -v b="$b" 'BEGIN {printf "["; for (i = 0; i < 1000; i++) {
        name = sprintf("http-%d-%d-", b, i); while (length(name) < 128) name = name "x";
        printf "%s{\"environment\":\"staging\",\"operation\":\"connection\",\"duration_seconds\":%.3f,\"success\":true,\"service\":\"%s\"}",
          (i ? "," : ""), 1 + (i % 40) / 10, name }
      printf "]"}' | curl -sf -o /dev/null -H "X-API-Key: $BENCH_KEY" -H 'Content-Type: application/json' \
        --data-binary @- "$URL/api/v1/attempts"
  done
}

echo "== empty database: schema, then the heap every figure is measured against"
start_service -Xshare:auto; loaded; stop_service
start_service -Xshare:auto; loaded; sleep 2; EMPTY=$(live_heap empty); stop_service

echo "== $N attempts, one service name"
seed "$N" "'orders-api'"
start_service -Xshare:auto; loaded; sleep 2; ONE=$(live_heap one); stop_service

echo "== $N attempts, $NAMES distinct 128-character service names"
psql -q -d "$BENCH_DB" -c "TRUNCATE attempts"
seed "$N" "rpad('service-' || (i % $NAMES), 128, 'x')"
start_service -Xshare:auto; loaded; sleep 2; MANY=$(live_heap many)

echo "== $POSTED attempts over HTTP, each with a name of its own"
post_distinct "$POSTED"
sleep 3 # the instance registry's and the alerts' per-request work settles
POSTED_HEAP=$(live_heap posted)
HELD=$(curl -s "$URL/q/metrics" | awk '$1 == "timeout_policy_history_attempts" {print $2}')
NAMES_HELD=$(curl -s "$URL/q/metrics" | awk '$1 == "timeout_policy_history_service_names" {print $2}')
stop_service

LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
{
  echo "| input | attempts | live heap over the empty start, MiB | bytes per attempt |"
  echo "|---|---|---|---|"
  echo "| one service name (catch-up) | $N | $(( (ONE - EMPTY) / 1048576 )) | $(per_attempt "$ONE" "$EMPTY" "$N") |"
  echo "| $NAMES distinct 128-char names (catch-up) | $N | $(( (MANY - EMPTY) / 1048576 )) | $(per_attempt "$MANY" "$EMPTY" "$N") |"
  echo "| then a name per attempt, over HTTP | $POSTED | $(( (POSTED_HEAP - MANY) / 1048576 )) | $(per_attempt "$POSTED_HEAP" "$MANY" "$POSTED") |"
  echo
  echo "Empty start: $(( EMPTY / 1048576 )) MiB live. Attempts held at the end: ${HELD:-?}; service names held:"
  echo "${NAMES_HELD:-not reported by this build}. Load average: $LOAD."
} | tee "$OUT/results-memory.md"
