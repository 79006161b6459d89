#!/usr/bin/env bash
# SPEC 10.2's shadow score on the recording path (issue 28, item 8: target ≥ 0.9): POST attempts (batches of 100, as
# run.sh) with a shadow candidate present ÷ without, interleaved in one run so that the machine's load hits both
# alike: three rounds, each a run without and a run with a candidate, in alternating order (without first in
# rounds 1 and 3, with first in round 2). Rows per second counted in PostgreSQL, as run.sh counts them.
# From a clean clone: bash src/bench/shadow.sh (SKIP_BUILD=1 reuses target/quarkus-app; BENCH_CONNECTIONS, default
# 16; BENCH_PORT, BENCH_DB, BENCH_DURATION as in lib.sh). See BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
source src/bench/lib.sh
C=${BENCH_CONNECTIONS:-16}
POLICY=$URL/api/v1/environments/staging/policy
# A second key with the operator role, who may create and delete candidates.
OPERATOR_KEY=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
OPERATOR_HASH=$(printf %s "$OPERATOR_KEY" | sha256sum | cut -d' ' -f1)

if [ -z "${SKIP_BUILD:-}" ]; then
  echo "== building"
  ./mvnw -B -q package -DskipTests -Dquarkus.package.jar.aot.enabled=false
fi
fresh_database "$BENCH_DB"
start_service -Xshare:auto -Dtimeout-policy.security.keys.bench-operator.sha256="$OPERATOR_HASH" \
  -Dtimeout-policy.security.keys.bench-operator.roles=operator
await "curl -sf -o /dev/null $URL/q/health/ready" 120

# The candidate: staging's current document with a connection timeout far too short (every attempt of attempts.lua,
# 1 to 2 s, is a would-be violation under it), scored in shadow.
candidate_on() {
  local version body
  version=$(curl -sf "$POLICY" | jq .version)
  body=$(curl -sf "$POLICY" | jq 'del(.environment, .version, .updated_at, .updated_by)
    | .base_timeouts.connection_timeout = 0.5 | .vpc_connector.capacity_aware_timeouts = false
    | .rollout = {mode: "shadow"}')
  curl -sf -o /dev/null -X PUT -H "X-API-Key: $OPERATOR_KEY" -H "If-Match: \"$version\"" \
    -H 'Content-Type: application/json' -d "$body" "$POLICY/candidate"
}
candidate_off() {
  local version
  version=$(curl -sf "$POLICY/candidate" | jq .version)
  curl -sf -o /dev/null -X DELETE -H "X-API-Key: $OPERATOR_KEY" -H "If-Match: \"$version\"" "$POLICY/candidate"
}
# rows_per_second: one wrk run of attempts.lua → "rows/s (as PostgreSQL counts them) and the service's CPU µs per
# row" (its process's user + system time over the run, GC and JIT included: what the machine's load does not
# stretch).
cpu_ticks() { awk '{print $14 + $15}' "/proc/$PID/stat"; }
TICK=$(getconf CLK_TCK)
rows_per_second() {
  local before after t0 t1 c0 c1
  before=$(rows); t0=$(date +%s%N); c0=$(cpu_ticks)
  run_wrk -t2 -c"$C" -d"$DURATION" -s src/bench/attempts.lua "$URL" > /dev/null
  c1=$(cpu_ticks); t1=$(date +%s%N); after=$(rows)
  awk -v n=$((after - before)) -v ns=$((t1 - t0)) -v t=$((c1 - c0)) -v hz="$TICK" \
    'BEGIN {printf "%.0f %.1f", n / (ns / 1e9), t * 1e6 / hz / n}'
}

# Long enough for the JIT on two shared cores: with 10 s each, the first rounds were still visibly colder.
WARMUP=${BENCH_WARMUP:-30s}
echo "== warm-up (both paths, $WARMUP each)"
wrk -t2 -c"$C" -d"$WARMUP" -s src/bench/attempts.lua "$URL" >/dev/null
candidate_on
wrk -t2 -c"$C" -d"$WARMUP" -s src/bench/attempts.lua "$URL" >/dev/null
candidate_off

declare -A R
for round in 1 2 3; do
  order="without with"
  [ "$round" = 2 ] && order="with without"
  for mode in $order; do
    [ "$mode" = with ] && candidate_on
    R[$mode,$round]=$(rows_per_second)
    if [ "$mode" = with ]; then
      SCORED=$(curl -sf "$POLICY/candidate" | jq '.score.keys.connection_timeout | "\(.attempts) attempts, \(.violation_rate_candidate) % would-be violations"')
      candidate_off
    fi
    echo "round $round, $mode a shadow candidate: ${R[$mode,$round]% *} rows/s, ${R[$mode,$round]#* } CPU µs per row"
  done
done
LOADAVG=$(cut -d' ' -f1-3 /proc/loadavg)
stop_service

{
  echo "| round | rows/s without a candidate | rows/s with a shadow candidate | ratio (target ≥ 0.9) | CPU µs per row without / with |"
  echo "|---|---|---|---|---|"
  for round in 1 2 3; do
    w=${R[without,$round]}; s=${R[with,$round]}
    echo "| $round | ${w% *} | ${s% *} | $(ratio "${s% *}" "${w% *}") | ${w#* } / ${s#* } |"
  done
  echo
  echo "Connections: $C; attempts scored by the last candidate (its connection score): $SCORED;"
  echo "load average (1, 5, 15 min) at the end: $LOADAVG."
} | tee "$OUT/shadow.md"
