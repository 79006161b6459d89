#!/usr/bin/env bash
# SPEC 10.1 at fleet scale (issue 28, item 8: target < 100 ms): GET …/recommendations for an environment whose
# window holds 10 000 000 connection attempts. Seeds them straight into PostgreSQL, starts the jar against them
# with the README's heap, waits until the history is read (the endpoint answers 503 until then), then times the
# first answer (every chunk of the window read once) and three wrk runs of one connection (p50 / p99).
# From a clean clone: bash src/bench/recommendations.sh (SKIP_BUILD=1 reuses target/quarkus-app; BENCH_ATTEMPTS,
# BENCH_PORT, BENCH_DB, BENCH_DURATION as in lib.sh). See BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
source src/bench/lib.sh
N=${BENCH_ATTEMPTS:-10000000}
PATH_RECOMMENDATIONS=/api/v1/environments/staging/recommendations

if [ -z "${SKIP_BUILD:-}" ]; then
  echo "== building"
  ./mvnw -B -q package -DskipTests -Dquarkus.package.jar.aot.enabled=false
fi
# BENCH_REUSE=1 keeps a database seeded by an earlier run (seeding takes minutes), when it holds N attempts.
if [ -n "${BENCH_REUSE:-}" ] && [ "$(rows 2>/dev/null || echo 0)" = "$N" ]; then
  echo "== reusing $BENCH_DB ($N attempts, seeded $(psql -tA -d "$BENCH_DB" -c "SELECT now() - max(occurred_at) FROM attempts") ago)"
  SEED=
else
  fresh_database "$BENCH_DB"
  SEED=1
fi

if [ -n "$SEED" ]; then
echo "== schema (one start), then $N attempts"
start_service -Xshare:auto
await "curl -sf -o /dev/null $URL/q/health/ready" 120
stop_service
# Over the last 23 hours (staging's window is 24): 97 % successes of 1 to 55 s (log-uniform), 3 % failures that
# waited out their 75 s timeout, so that the backtest's limits fall inside the durations of every chunk.
t0=$(date +%s)
psql -q -d "$BENCH_DB" -c "INSERT INTO attempts (id, environment, operation, duration_seconds, success, timeout_seconds,
    violation, occurred_at, service, writer, received_at)
  SELECT gen_random_uuid(), 'staging', 'connection', CASE WHEN ok THEN exp(random() * 4) ELSE 75 END, ok, 75, false,
         now() - interval '23 hours' + g * (interval '23 hours' / $N), 'svc-' || (g % 20), 'seed',
         now() - interval '23 hours'
  FROM (SELECT g, random() < 0.97 AS ok FROM generate_series(1, $N) g) s"
psql -q -d "$BENCH_DB" -c "VACUUM ANALYZE attempts"
echo "seeded in $(( $(date +%s) - t0 )) s"
fi

echo "== start with $HEAP until the history is read"
t0=$(date +%s%N)
start_service -Xshare:auto
# The first 200 is the first backtest: every chunk of the window read once (the memo is empty); it is timed.
deadline=$(( $(date +%s) + 900 ))
until answer=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' "$URL$PATH_RECOMMENDATIONS") \
    && [ "${answer%% *}" = 200 ]; do
  [ "$(date +%s)" -lt "$deadline" ] || { echo "the history was not read in 900 s" >&2; exit 1; }
  sleep 0.5
done
LOAD_MS=$(( ($(date +%s%N) - t0) / 1000000 ))
COLD=$(awk -v t="${answer#* }" 'BEGIN {printf "%.1f", t * 1000}')
SECOND=$(curl -s -o "$OUT/recommendations.json" -w '%{time_total}' "$URL$PATH_RECOMMENDATIONS" \
  | awk '{printf "%.1f", $1 * 1000}')
SAMPLES=$(jq '.recommendations.connection_timeout.samples' "$OUT/recommendations.json")
HELD=$(curl -s "$URL/q/metrics" | awk '/^timeout_policy_history_attempts / {printf "%d", $2}')
[ "$SAMPLES" -gt $(( N * 9 / 10 )) ] || { echo "only $SAMPLES successful attempts in the window" >&2; exit 1; }

echo "== three runs of wrk -t1 -c1 -d$DURATION"
wrk -t1 -c1 -d3s "$URL$PATH_RECOMMENDATIONS" >/dev/null
# Besides latency (which the machine's load stretches), the CPU time the service spent per answer: its process's
# user + system time over the run (GC and JIT included) divided by the answers wrk counted.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$PID/stat"; }
TICK=$(getconf CLK_TCK)
RESULTS=()
CPU=()
for round in 1 2 3; do
  c0=$(cpu_ticks)
  RESULTS[$round]=$(run_wrk -t1 -c1 -d"$DURATION" --latency "$URL$PATH_RECOMMENDATIONS")
  c1=$(cpu_ticks)
  answers=$(tail -n 30 "$OUT/wrk.log" | awk '/requests in/ {n=$1} END {print n}')
  CPU[$round]=$(awk -v t=$((c1 - c0)) -v hz="$TICK" -v n="$answers" 'BEGIN {printf "%.1f", t * 1000 / hz / n}')
done
RSS=$(( $(ps -o rss= -p "$PID") / 1024 ))
LOADAVG=$(cut -d' ' -f1-3 /proc/loadavg)
stop_service

{
  echo "| measure | round | value | target |"
  echo "|---|---|---|---|"
  echo "| attempts held in memory (successful in the window) | | $HELD ($SAMPLES) | 10 000 000 |"
  echo "| start until the history is read and the first answer is 200, ms | | $LOAD_MS | |"
  echo "| the first answer (every chunk read), ms | | $COLD | |"
  echo "| the second answer, ms | | $SECOND | < 100 |"
  for round in 1 2 3; do
    r=${RESULTS[$round]}
    echo "| GET recommendations req/s, p50 / p99 ms, CPU ms per answer | $round | $(field "$r" 1), $(field "$r" 2) / $(field "$r" 3), ${CPU[$round]} | p99 < 100 |"
  done
  echo "| resident memory, MiB | | $RSS | |"
  echo "| load average (1, 5, 15 min) at the end | | $LOADAVG | |"
} | tee "$OUT/recommendations.md"
