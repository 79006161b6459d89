#!/usr/bin/env bash
# GET …/timeouts and GET …/startup-config against the bare stack's GET /json (issue 31, item 1), interleaved in one
# run: wrk -t2 at 16 and 64 connections, 10 s each, the service then the bare app then the service…, three rounds.
# Prints req/s, p99 and the ratios (service ÷ bare req/s, service p99 ÷ bare p99) with the load average; the
# targets are ≥ 0.9 and ≤ 1.2. Runs from a clean clone: builds the jar (no class-data archive: not needed for
# throughput), starts the bare app (../shared/baseline, or $BASELINE_DIR) and the service on fresh databases.
#   BENCH_PORT (18231) the service, BASELINE_PORT (18232) the bare app, BENCH_DB (bench_timeouts),
#   BENCH_ROUNDS (3), BENCH_DURATION (10s), SKIP_BUILD=1 to reuse target/quarkus-app.
set -euo pipefail
cd "$(dirname "$0")/../.."

export BENCH_PORT=${BENCH_PORT:-18231}
export BENCH_DB=${BENCH_DB:-bench_timeouts}
BASELINE_PORT=${BASELINE_PORT:-18232}
BASELINE_DIR=${BASELINE_DIR:-../shared/baseline}
ROUNDS=${BENCH_ROUNDS:-3}
source src/bench/lib.sh
BARE=http://127.0.0.1:$BASELINE_PORT
BPID=
stop_all() { stop_service; [ -n "$BPID" ] && kill "$BPID" 2>/dev/null && wait "$BPID" 2>/dev/null || true; }
trap stop_all EXIT

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  echo "== building"
  ./mvnw -B -q package -DskipTests -Dquarkus.package.jar.aot.enabled=false
fi
fresh_database "$BENCH_DB"
BPID=$("$BASELINE_DIR/run-baseline.sh" "$BASELINE_PORT")
start_service -Xshare:auto
await "curl -sf -o /dev/null $URL/api/v1/environments/staging/timeouts" 300

TIMEOUTS=$URL/api/v1/environments/staging/timeouts
STARTUP=$URL/api/v1/environments/staging/startup-config
JSON=$BARE/json
echo "== warm-up (JIT on shared cores)"
for u in "$TIMEOUTS" "$STARTUP" "$JSON"; do wrk -t2 -c64 -d10s "$u" >/dev/null; done

declare -A R
load() { cut -d' ' -f1-3 /proc/loadavg; }
TICK=$(getconf CLK_TCK)
cpu_of() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# measure NAME PID URL C: one wrk run; R[NAME] = "req/s p50 p99 cpu-µs-per-request" (the JVM's user+system CPU over
# the run divided by the requests answered: a figure the other load of the machine disturbs far less than req/s).
measure() {
  local before after out requests
  before=$(cpu_of "$2")
  out=$(run_wrk -t2 -c"$4" -d"$DURATION" --latency "$3")
  after=$(cpu_of "$2")
  requests=$(tail -20 "$OUT/wrk.log" | awk '/requests in/ {print $1}' | tail -1)
  R[$1]="$out $(awk -v c=$((after - before)) -v t="$TICK" -v n="$requests" 'BEGIN {printf "%.1f", c / t * 1e6 / n}')"
}
for round in $(seq 1 "$ROUNDS"); do
  for c in 16 64; do
    echo "== round $round, $c connections (load $(load))"
    measure "t,$c,$round" "$PID" "$TIMEOUTS" "$c"
    measure "b1,$c,$round" "$BPID" "$JSON" "$c"
    measure "s,$c,$round" "$PID" "$STARTUP" "$c"
    measure "b2,$c,$round" "$BPID" "$JSON" "$c"
    R[load,$c,$round]=$(load)
  done
done

# Each service run is compared with the bare runs beside it: timeouts with the bare run after it, startup-config
# with the mean of the bare runs before and after it.
printf '\n%-6s %-4s %-16s %10s %9s %10s %9s %7s %7s %9s %9s   %s\n' round conn endpoint "svc req/s" "svc p99" \
  "bare req/s" "bare p99" "ratio" "p99 x" "svc µs/r" "bare µs/r" "load (1/5/15 min)"
for round in $(seq 1 "$ROUNDS"); do
  for c in 16 64; do
    b1=${R[b1,$c,$round]}; b2=${R[b2,$c,$round]}
    for ep in t s; do
      svc=${R[$ep,$c,$round]}
      bcpu=$(awk -v a="$(field "$b1" 4)" -v b="$(field "$b2" 4)" 'BEGIN {printf "%.1f", (a + b) / 2}')
      if [ "$ep" = t ]; then name=timeouts; brps=$(field "$b1" 1); bp99=$(field "$b1" 3)
      else name=startup-config
        brps=$(awk -v a="$(field "$b1" 1)" -v b="$(field "$b2" 1)" 'BEGIN {printf "%.2f", (a + b) / 2}')
        bp99=$(awk -v a="$(field "$b1" 3)" -v b="$(field "$b2" 3)" 'BEGIN {printf "%.3f", (a + b) / 2}')
      fi
      printf '%-6s %-4s %-16s %10.0f %7.2fms %10.0f %7.2fms %7s %7s %9s %9s   %s\n' "$round" "$c" "$name" \
        "$(field "$svc" 1)" "$(field "$svc" 3)" "$brps" "$bp99" "$(ratio "$(field "$svc" 1)" "$brps")" \
        "$(ratio "$(field "$svc" 3)" "$bp99")" "$(field "$svc" 4)" "$bcpu" "${R[load,$c,$round]}"
    done
  done
done
echo "targets: ratio >= 0.90, p99 x <= 1.20; µs/r is JVM CPU per request (wrk output in $OUT/wrk.log)"
