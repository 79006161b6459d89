#!/usr/bin/env bash
# The benchmark of SPEC 8 (run by `run.sh --all`; alone: bash src/bench/spec8.sh): builds the jar unless SKIP_BUILD,
# starts it against a fresh benchmark database, loads it with wrk and pgbench, and prints a table of ratios measured
# in the same run (load generator, JVM and PostgreSQL share the machine's cores, so only ratios mean anything).
# See BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/../.."

source src/bench/lib.sh
[ -n "${SKIP_BUILD:-}" ] || build
fresh_database "$BENCH_DB"

echo "== cold start (5 runs without the class-data archive, then 5 with it)"
: > "$OUT/coldstart-plain.txt"
for i in 1 2 3 4 5; do
  cold_start -Xshare:auto >> "$OUT/coldstart-plain.txt"
  stop_service
done
: > "$OUT/coldstart.txt"
for i in 1 2 3 4 5; do
  cold_start >> "$OUT/coldstart.txt"
  [ "$i" -lt 5 ] && stop_service
done
if grep -q "Unable to use shared archive" "$OUT/service.log"; then
  echo "the class-data archive was not used: $(grep -m1 'shared archive' "$OUT/service.log")" >&2
fi
COLD=$(median < "$OUT/coldstart.txt")
COLD_PLAIN=$(median < "$OUT/coldstart-plain.txt")
echo "cold starts (ms): $(tr '\n' ' ' < "$OUT/coldstart.txt"); without the archive: $(tr '\n' ' ' < "$OUT/coldstart-plain.txt")"

# The pgbench reference writes into an identical copy of the attempts table (columns, indexes, defaults).
psql -q -d "$BENCH_DB" -c "CREATE TABLE attempts_pgbench (LIKE attempts INCLUDING ALL)"

# Warm-ups long enough for the JIT on two shared cores (5 s left the first measured round visibly colder).
echo "== warm-up"
wrk -t2 -c16 -d10s "$URL/q/health/live" >/dev/null
wrk -t2 -c16 -d10s "$URL/api/v1/environments/staging/timeouts" >/dev/null

declare -A R
echo "== GET timeouts against GET /q/health/live"
for c in 16 64; do
  for round in 1 2; do
    R[health,$c,$round]=$(run_wrk -t2 -c"$c" -d"$DURATION" --latency "$URL/q/health/live")
    R[timeouts,$c,$round]=$(run_wrk -t2 -c"$c" -d"$DURATION" --latency "$URL/api/v1/environments/staging/timeouts")
  done
done

echo "== POST attempts (batches of 100) against pgbench with the same insert"
wrk -t2 -c16 -d10s -s src/bench/attempts.lua "$URL" >/dev/null
for c in 16 64; do
  for round in 1 2; do
    before=$(rows); t0=$(date +%s%N)
    run_wrk -t2 -c"$c" -d"$DURATION" -s src/bench/attempts.lua "$URL" > /dev/null
    t1=$(date +%s%N); after=$(rows)
    R[attempts,$c,$round]=$(awk -v n=$((after - before)) -v ns=$((t1 - t0)) 'BEGIN {printf "%.0f", n / (ns / 1e9)}')
    tps=$(pgbench -n -c "$c" -j 2 -T "${DURATION%s}" -f src/bench/insert.sql "$BENCH_DB" 2>/dev/null \
          | awk '/^tps/ {print $3; exit}')
    R[pgbench,$c,$round]=$(awk -v t="$tps" 'BEGIN {printf "%.0f", t * 100}')
  done
done

echo "== POST bypass-decisions"
for c in 16 64; do
  R[bypass,$c]=$(run_wrk -t2 -c"$c" -d"$DURATION" --latency -s src/bench/bypass.lua "$URL")
done

echo "== 1 000 000 attempts in staging's window"
stop_service
have=$(psql -tA -d "$BENCH_DB" -c "SELECT count(*) FROM attempts WHERE environment = 'staging' AND operation = 'connection' AND occurred_at > now() - interval '23 hours'")
missing=$(( 1000000 - have ))
if [ "$missing" -gt 0 ]; then
  psql -q -d "$BENCH_DB" -c "INSERT INTO attempts (id, environment, operation, duration_seconds, success, timeout_seconds, violation, occurred_at, service)
    SELECT gen_random_uuid(), 'staging', 'connection', d, d < 70, 75, d > 75, now() - (g * interval '80 milliseconds'), 'svc-' || (g % 20)
    FROM (SELECT g, exp(random() * 4) AS d FROM generate_series(1, $missing) g) s"
fi
t0=$(date +%s%N); start_service
until curl -s "$URL/api/v1/environments/staging/timeouts" | grep -q '"degraded":false'; do sleep 0.1; done
LOAD=$(( ($(date +%s%N) - t0) / 1000000 ))
for ep in metrics analysis timeouts; do
  wrk -t1 -c1 -d3s "$URL/api/v1/environments/staging/$ep" >/dev/null
  R[big,$ep]=$(run_wrk -t1 -c1 -d"$DURATION" --latency "$URL/api/v1/environments/staging/$ep")
done
SAMPLES=$(curl -s "$URL/api/v1/environments/staging/timeouts" | jq .samples)
RSS=$(( $(ps -o rss= -p "$PID") / 1024 ))

echo "== JMH: the pure rules"
java -cp "target/test-classes:target/classes:$(cat "$OUT/classpath.txt")" org.openjdk.jmh.Main RulesBenchmark \
  -f 1 -wi 2 -i 3 -w 1s -r 1s -rf text -rff "$OUT/jmh.txt" > "$OUT/jmh.log" 2>&1 || echo "JMH failed, see $OUT/jmh.log"

{
  echo "| measure | connections | round | service | reference | ratio | target |"
  echo "|---|---|---|---|---|---|---|"
  for c in 16 64; do
    for round in 1 2; do
      h=${R[health,$c,$round]}; t=${R[timeouts,$c,$round]}
      echo "| GET timeouts req/s vs /q/health/live | $c | $round | $(field "$t" 1) | $(field "$h" 1) | $(ratio "$(field "$t" 1)" "$(field "$h" 1)") | ≥ 0.70 |"
      echo "| GET timeouts p50 / p99 ms (health p99) | $c | $round | $(field "$t" 2) / $(field "$t" 3) | $(field "$h" 3) | | p99 < 5 ms at 64 |"
    done
  done
  for c in 16 64; do
    for round in 1 2; do
      echo "| POST attempts rows/s vs pgbench rows/s | $c | $round | ${R[attempts,$c,$round]} | ${R[pgbench,$c,$round]} | $(ratio "${R[attempts,$c,$round]}" "${R[pgbench,$c,$round]}") | ≥ 0.50 |"
    done
  done
  for c in 16 64; do
    b=${R[bypass,$c]}
    echo "| POST bypass-decisions req/s, p99 ms | $c | 1 | $(field "$b" 1), $(field "$b" 3) | | | |"
  done
  for ep in metrics analysis timeouts; do
    b=${R[big,$ep]}
    echo "| GET $ep p50 / p99 ms, $SAMPLES attempts | 1 | 1 | $(field "$b" 2) / $(field "$b" 3) | | | < 10 ms |"
  done
  echo "| cold start to first 200 ms (median of 5), with app-cds.jsa | | | $COLD | | | < 2000 |"
  echo "| cold start to first 200 ms (median of 5), without it | | | $COLD_PLAIN | | | |"
  echo "| start with $SAMPLES attempts until history loaded (degraded false), ms | | | $LOAD | | | |"
  echo "| resident memory after the load, MiB | | | $RSS | | | reported |"
} | tee "$OUT/results.md"
echo
[ -f "$OUT/jmh.txt" ] && cat "$OUT/jmh.txt"

stop_service
