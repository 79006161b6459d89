#!/usr/bin/env bash
# What the journal costs an answer during an outage (SPEC 7): attempts posted while PostgreSQL is cut are answered
# 202 only once they are in the journal on disk (group commit: one fsync for every request that arrived while the
# last one ran). Measured with wrk, BENCH_BATCH attempts per request (1 and 100), three ways in one run:
#   held, journal on disk   — the real cost (the journal directory under target/, on this machine's disk)
#   held, journal in memory — the same service with its journal on tmpfs (/dev/shm), where fsync costs nothing
#   stored (201)            — the database up: the normal path, which never touches the journal
#   SKIP_BUILD=1 bash src/bench/journal.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
source src/bench/lib.sh
PROXY_PORT=${JOURNAL_PROXY_PORT:-15433}
CONNECTIONS=${JOURNAL_CONNECTIONS:-16}
[ -n "${SKIP_BUILD:-}" ] || build

trap 'proxy_down; stop_service' EXIT
ready() { curl -s "$URL/api/v1/environments/staging/timeouts" | grep -q '"degraded":false'; }
unavailable() { [ "$(curl -s -o /dev/null -w %{http_code} "$URL/q/health/group/database")" = 503 ]; }

# measure JOURNAL_DIR outage|up BATCH → "rps p50ms p99ms"
measure() {
  local dir=$1 mode=$2 batch=$3
  rm -rf "$dir"; mkdir -p "$dir"
  fresh_database "$BENCH_DB" >/dev/null
  proxy_up "$PROXY_PORT"
  DB_PORT=$PROXY_PORT start_service -XX:SharedArchiveFile=app-cds.jsa -Dtimeout-policy.journal.dir="$dir" \
    -Dtimeout-policy.recording.write-behind.capacity=5000000
  await ready 60
  if [ "$mode" = outage ]; then proxy_down; await unavailable 30; fi
  BENCH_BATCH=$batch run_wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s src/bench/attempts.lua "$URL"
  stop_service
  proxy_down
  rm -rf "$dir"
}

echo "| attempts per request | held (202), journal on disk | held (202), journal on tmpfs | stored (201) | disk ÷ tmpfs |"
echo "|---|---|---|---|---|"
for batch in 1 100; do
  disk=$(measure "$PWD/$OUT/journal-disk" outage "$batch")
  memory=$(measure "/dev/shm/timeout-policy-journal-bench" outage "$batch")
  stored=$(measure "$PWD/$OUT/journal-disk" up "$batch")
  fmt() { echo "$(field "$1" 1) req/s, p50 $(field "$1" 2) ms, p99 $(field "$1" 3) ms"; }
  echo "| $batch | $(fmt "$disk") | $(fmt "$memory") | $(fmt "$stored") | $(ratio "$(field "$disk" 1)" "$(field "$memory" 1)") |"
done
