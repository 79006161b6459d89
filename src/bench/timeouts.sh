#!/usr/bin/env bash
# GET …/timeouts and GET …/startup-config against the bare stack's GET /json (issue 31, item 1), interleaved in one
# run: wrk -t2 at 16 and 64 connections, 20 s each in ten slices of 2 s, the service then the bare app then the
# service…, three rounds.
# Prints req/s, p99 and the ratios (service ÷ bare req/s, service p99 ÷ bare p99) with the load average; the
# targets are ≥ 0.9 and ≤ 1.2. Runs from a clean clone: builds the jar (no class-data archive: not needed for
# throughput), starts the bare app (../shared/baseline, or $BASELINE_DIR) and the service on fresh databases.
#   BENCH_PORT (18231) the service, BASELINE_PORT (18232) the bare app, BENCH_DB (bench_timeouts),
#   BENCH_ROUNDS (3), BENCH_DURATION (20s), BENCH_SLICES (10 per figure), SKIP_BUILD=1 to reuse target/quarkus-app.
#   TIMEOUTS_HISTORY_DB: answer over that database's history instead of an empty one, e.g. timeout_policy_catchup
#   once catchup.sh has seeded it (10 M attempts of staging/connection in the window); measured once it is read.
#   BENCH_A_A=1: a second bare app in the service's place (the method's own noise, BENCHMARKS.md "Seventh pass").
set -euo pipefail
cd "$(dirname "$0")/../.."

export BENCH_PORT=${BENCH_PORT:-18231}
export BENCH_DB=${TIMEOUTS_HISTORY_DB:-${BENCH_DB:-bench_timeouts}}
BASELINE_PORT=${BASELINE_PORT:-18232}
BASELINE_DIR=${BASELINE_DIR:-../shared/baseline}
ROUNDS=${BENCH_ROUNDS:-3}
# 20 s of each figure, not lib.sh's 10 s: a p99 of 10 s on two shared cores moved by a third with the one slice in
# five that the machine stalled (BENCHMARKS.md, "Seventh pass").
export BENCH_DURATION=${BENCH_DURATION:-20s}
source src/bench/lib.sh
BARE=http://127.0.0.1:$BASELINE_PORT
BPID=
stop_all() { stop_service; [ -n "$BPID" ] && kill "$BPID" 2>/dev/null && wait "$BPID" 2>/dev/null || true; }
trap stop_all EXIT

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  echo "== building"
  ./mvnw -B -q package -DskipTests -Dquarkus.package.jar.aot.enabled=false
fi
[ -n "${TIMEOUTS_HISTORY_DB:-}" ] || fresh_database "$BENCH_DB"
BPID=$("$BASELINE_DIR/run-baseline.sh" "$BASELINE_PORT")
JSON=$BARE/json
if [ "${BENCH_A_A:-0}" = 1 ]; then
  # The method measured against itself: a second bare app in the service's place, both "service" figures on its
  # GET /json. Its ratios are what the method's noise alone gives an application exactly as fast as the reference.
  PID=$("$BASELINE_DIR/run-baseline.sh" "$PORT")
  echo "== A/A: a second bare app on $PORT in the service's place"
  TIMEOUTS=$URL/json
  STARTUP=$URL/json
else
  start_service -Xshare:auto
  await "curl -sf $URL/api/v1/environments/staging/timeouts | grep -q '\"degraded\":false'" 300
  echo "== the service answers from $(curl -s "$URL/api/v1/environments/staging/timeouts" | grep -o '"samples":[0-9]*')"
  TIMEOUTS=$URL/api/v1/environments/staging/timeouts
  STARTUP=$URL/api/v1/environments/staging/startup-config
fi
echo "== warm-up of the service, then of the bare app, until their JIT compilers are done (lib.sh, warm_up)"
warm_up "$PID" "$TIMEOUTS" "$STARTUP"
warm_up "$BPID" "$JSON"
# The service sat idle while the bare app warmed: one unmeasured pass in the rounds' order, so that neither comes to
# the first measured slice from idle (its first slices' p99 was up to 3 × the next ones', BENCHMARKS.md).
for url in "$TIMEOUTS" "$JSON" "$STARTUP" "$JSON"; do wrk -t2 -c64 -d2s "$url" > /dev/null; done

declare -A R CPU
load() { cut -d' ' -f1-3 /proc/loadavg; }
TICK=$(getconf CLK_TCK)
cpu_of() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# Each figure is BENCH_SLICES (10) wrk runs of BENCH_DURATION / BENCH_SLICES, interleaved with the other figures'
# slices: the speed of this shared machine drifts over tens of seconds, and a figure and its reference should see the
# same drift. A figure's req/s, p50 and p99 are those of all its slices' requests together (merge_quantiles). The
# reference of both endpoints is every bare slice of the round: each service slice sits between two of them.
SLICES=${BENCH_SLICES:-10}
SLICE_S=$(( ${DURATION%s} / SLICES )); [ "$SLICE_S" -ge 1 ] || SLICE_S=1
mkdir -p "$OUT/slices"; rm -f "$OUT"/slices/*
# slice NAME PID URL C N: slice N of figure NAME, with the JVM PID's user+system CPU ticks over it.
slice() {
  local before after out
  before=$(cpu_of "$2")
  out=$(wrk -t2 -c"$4" -d"${SLICE_S}s" -s src/bench/quantiles.lua "$3")
  after=$(cpu_of "$2")
  echo "$out" | grep -v '^[QS] ' >> "$OUT/wrk.log"
  echo "$out" | awk -v n="$5" '$1 == "S" || $1 == "Q" {print $1, n, $2, $3}' >> "$OUT/slices/$1"
  CPU[$1]=$(( ${CPU[$1]:-0} + after - before ))
}
# summary NAME: R[NAME] = "req/s p50 p99 cpu-µs-per-request" (the JVM's CPU over the figure's slices divided by
# the requests answered: a figure the other load of the machine disturbs far less than req/s).
summary() {
  local requests
  requests=$(awk '$1 == "S" {n += $3} END {print n}' "$OUT/slices/$1")
  R[$1]="$(merge_quantiles "$OUT/slices/$1") $(awk -v c="${CPU[$1]}" -v t="$TICK" -v n="$requests" \
    'BEGIN {printf "%.1f", c / t * 1e6 / n}')"
}
for round in $(seq 1 "$ROUNDS"); do
  for c in 16 64; do
    echo "== round $round, $c connections, $SLICES slices of ${SLICE_S}s each (load $(load))"
    for n in $(seq 1 "$SLICES"); do
      slice "t,$c,$round" "$PID" "$TIMEOUTS" "$c" "$n"
      slice "b,$c,$round" "$BPID" "$JSON" "$c" "$n.1"
      slice "s,$c,$round" "$PID" "$STARTUP" "$c" "$n"
      slice "b,$c,$round" "$BPID" "$JSON" "$c" "$n.2"
    done
    for f in t b s; do summary "$f,$c,$round"; done
    R[load,$c,$round]=$(load)
  done
done

# Both endpoints are compared with the bare slices around theirs (the reference above).
printf '\n%-6s %-4s %-16s %10s %9s %10s %9s %7s %7s %9s %9s   %s\n' round conn endpoint "svc req/s" "svc p99" \
  "bare req/s" "bare p99" "ratio" "p99 x" "svc µs/r" "bare µs/r" "load (1/5/15 min)"
for round in $(seq 1 "$ROUNDS"); do
  for c in 16 64; do
    bare=${R[b,$c,$round]}
    for ep in t s; do
      svc=${R[$ep,$c,$round]}
      if [ "$ep" = t ]; then name=timeouts; else name=startup-config; fi
      printf '%-6s %-4s %-16s %10.0f %7.2fms %10.0f %7.2fms %7s %7s %9s %9s   %s\n' "$round" "$c" "$name" \
        "$(field "$svc" 1)" "$(field "$svc" 3)" "$(field "$bare" 1)" "$(field "$bare" 3)" \
        "$(ratio "$(field "$svc" 1)" "$(field "$bare" 1)")" "$(ratio "$(field "$svc" 3)" "$(field "$bare" 3)")" \
        "$(field "$svc" 4)" "$(field "$bare" 4)" "${R[load,$c,$round]}"
    done
  done
done
echo "targets: ratio >= 0.90, p99 x <= 1.20; µs/r is JVM CPU per request (wrk output in $OUT/wrk.log)"
