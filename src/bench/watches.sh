#!/usr/bin/env bash
# 10 000 held watches on one replica (SPEC 10.4; issue 28, item 8): the live heap they add (target ≤ 100 MB) and the
# time from a promotion through the API to each watcher's answer (target p99 < 1 s). Each run: a fresh database, the
# packaged service with the README's heap (-Xmx1g), then src/bench/Watchers.java (one selector thread, one connection
# per watch) warms the watch path (1 000 watchers woken by a first promotion, 200 ended by their wait), creates a
# shadow candidate, takes a class histogram (after a full GC), opens the
# watches (If-None-Match: W/"<current>", Prefer: wait=300, an instance each), waits until the service's
# timeout_policy_watches_held gauge says all are held, takes a second histogram, promotes the candidate and stamps
# every answer; every watcher must get 200 with the new version's ETag and body.
#   SKIP_BUILD=1 BENCH_PORT=18080 BENCH_DB=timeout_policy_bench WATCHERS=10000 RUNS=3 bash src/bench/watches.sh
# WATCHES_JFR=1 records each run with JFR (target/bench/watches-<run>-<build>.jfr; WATCHES_JFR_SETTINGS=<a .jfc>,
# by default profile). WARM_WATCHERS (default 1000) sets the warm-up's watchers. Each run's service CPU by thread:
# target/bench/watches-<run>-<build>/cpu-by-thread.txt. BEFORE_APP_DIR=<a
# quarkus-app folder of another build> measures that build first in every run, then this one (ratios in one run);
# THIS_APP_DIR=<folder> measures a copy of this build instead of target/quarkus-app.
# File descriptors: the service and the client each hold one socket per watch, so each needs WATCHERS + ~1000 open
# files; the script raises its soft limit (ulimit -n) to the hard one and stops if that is too low — raise the hard
# limit (e.g. `ulimit -Hn 65536` as root, or LimitNOFILE / --ulimit nofile=65536 in a container) and run again.
set -euo pipefail
cd "$(dirname "$0")/../.."
source src/bench/lib.sh
WATCHERS=${WATCHERS:-10000}
RUNS=${RUNS:-3}
ENVIRONMENT=${WATCH_ENVIRONMENT:-staging}

ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
need=$((WATCHERS + 1024))
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$need" ]; then
  echo "ulimit -n is $(ulimit -n): $WATCHERS watches need at least $need open files (see the head of this script)" >&2
  exit 1
fi

if [ -z "${SKIP_BUILD:-}" ] || [ ! -f target/quarkus-app/quarkus-run.jar ]; then
  echo "== building" >&2
  ./mvnw -B -q package -DskipTests >&2
fi

# An operator key of its own: promoting needs the operator role (lib.sh's key reports and deploys).
OPERATOR_KEY=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
OPERATOR_HASH=$(printf %s "$OPERATOR_KEY" | sha256sum | cut -d' ' -f1)
ready() { curl -s "$URL/api/v1/environments/$ENVIRONMENT/timeouts" | grep -q '"degraded":false'; }
load() { cut -d' ' -f1 /proc/loadavg; }

echo "| run | build | load avg (1 min) before · after | heap added (MB) | p50 (ms) | p99 (ms) | max (ms) | answered with the new version | promote answered (ms) | service CPU to answer all (ms) |"
echo "|---|---|---|---|---|---|---|---|---|---|"
# measure RUN LABEL APP_DIR: one service, one set of watches, one table row.
measure() {
  local run=$1 label=$2 dir=$3 share=-Xshare:auto
  [ -f "$dir/app-cds.jsa" ] && share=-XX:SharedArchiveFile=app-cds.jsa
  fresh_database "$BENCH_DB" >&2
  jfr=()
  [ -n "${WATCHES_JFR:-}" ] && jfr=(-XX:StartFlightRecording=filename="$PWD/$OUT/watches-$run-$label.jfr,settings=${WATCHES_JFR_SETTINGS:-profile}")
  APP_DIR=$dir start_service "$share" "${jfr[@]}" -Dtimeout-policy.security.keys.watchbench.sha256="$OPERATOR_HASH" \
    -Dtimeout-policy.security.keys.watchbench.roles=operator
  await ready 120
  mkdir -p "$OUT/watches-$run-$label"
  before=$(load)
  figures=$(java src/bench/Watchers.java "$PORT" "$ENVIRONMENT" "$WATCHERS" "$PID" "$OPERATOR_KEY" "$OUT/watches-$run-$label")
  after=$(load)
  read -r heap p50 p99 max good total promote cpu <<< "$figures"
  echo "| $run | $label | $before · $after | $heap | $p50 | $p99 | $max | $good / $total | $promote | $cpu |"
  stop_service
  [ "$good" = "$total" ] || { echo "run $run ($label): $((total - good)) watchers did not get the new version" >&2; exit 1; }
}
for run in $(seq 1 "$RUNS"); do
  [ -n "${BEFORE_APP_DIR:-}" ] && measure "$run" before "$BEFORE_APP_DIR"
  measure "$run" this "${THIS_APP_DIR:-$PWD/target/quarkus-app}"
done
echo "Classes added while held: $OUT/watches-<run>-<build>/histogram-added.txt" >&2
