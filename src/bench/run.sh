#!/usr/bin/env bash
# The project's benchmark in one command (see BENCHMARKS.md). First, issue 31's targets: the service against the
# bare stack (../shared/baseline, beside the clone), each figure with its reference in the same run, interleaved,
# BENCH_RUNS (3) runs each: GET timeouts and startup-config (timeouts.sh), attempts stored per second, cold start,
# restart catch-up of 10 000 000 attempts; heap per attempt once (memory.sh: bytes are not noisy). About 30 minutes
# on 2 cores (the first run seeds the 10 M attempts; later runs reuse them while they are in the window). Results in
# target/bench/targets.md.
#   bash src/bench/run.sh          the targets only
#   bash src/bench/run.sh --all    then GET timeouts over the 10 M attempts, SPEC 8 (spec8.sh), fleet scale, an
#                                  outage and traces (about 50 minutes more)
# Settings: BENCH_PORT (18080; the bare app takes BENCH_PORT+2), BENCH_DB (timeout_policy_bench, and databases
# named after it), BENCH_DURATION (10s per wrk run), BENCH_RUNS, BENCH_BIG, MEMORY_N (memory.sh), SKIP_BUILD=1.
set -euo pipefail
cd "$(dirname "$0")/../.."
ALL=
[ "${1:-}" = --all ] && ALL=1
source src/bench/lib.sh
source src/bench/targets.sh
RUNS=${BENCH_RUNS:-3}
LOAD_START=$(load_average)
echo "load average at the start: $LOAD_START"
[ -n "${SKIP_BUILD:-}" ] || build
: > "$TARGETS"
prepare_targets

echo "== GET timeouts and startup-config against the bare /json: src/bench/timeouts.sh, $RUNS rounds (load $(load_average))"
fig_timeouts
echo "== POST attempts against the bare batch insert: src/bench/ingest.sh, $RUNS rounds (load $(load_average))"
fig_ingest
for r in $(seq "$RUNS"); do
  echo "== run $r: cold starts, alternated (load $(load_average))"
  fig_coldstart "$r"
done
echo "== catch-up of $BIG attempts against \\copy: src/bench/catchup.sh, $RUNS runs (load $(load_average))"
fig_catchup
echo "== heap per attempt: src/bench/memory.sh (load $(load_average))"
fig_memory

{
  echo "Issue 31 targets, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores; load average at the start $LOAD_START, at the end $(load_average)"
  print_targets
} | tee "$OUT/targets.md"

if [ -n "$ALL" ]; then
  echo "== GET timeouts and startup-config over the catch-up's $BIG attempts in the window, one round"
  BENCH_PORT=$PORT BASELINE_PORT=$BARE_PORT TIMEOUTS_HISTORY_DB=${BENCH_DB}_catchup BENCH_ROUNDS=1 SKIP_BUILD=1 \
    bash src/bench/timeouts.sh | tee "$OUT/timeouts-history.txt"
  SKIP_BUILD=1 bash src/bench/spec8.sh
  SKIP_BUILD=1 bash src/bench/fleet.sh
  SKIP_BUILD=1 bash src/bench/outage.sh
  SKIP_BUILD=1 bash src/bench/tracing.sh
fi
