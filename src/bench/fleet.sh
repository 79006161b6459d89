#!/usr/bin/env bash
# Fleet scale (SPEC 8, issue "history at fleet scale"): a restarted replica's catch-up at 1 000 000 and
# 10 000 000 attempts in staging's window beside psql's COPY of the same rows in the same run, memory per
# attempt, history endpoints at 10 M, and pruning under ingest. Run by run.sh; alone: bash src/bench/fleet.sh
# (about 10 minutes). Results in target/bench/results-fleet.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
source src/bench/lib.sh
BENCH_DB=${FLEET_DB:-timeout_policy_fleet}
SEED=../shared/tools/seed-attempts.sh
[ -x "$SEED" ] || SEED="bash $SEED"
[ -n "${SKIP_BUILD:-}" ] || build
fresh_database "$BENCH_DB"
declare -A F
echo "== empty history: schema, and the start every catch-up is measured beyond"
catch_up; stop_service
catch_up; F[empty]=$LOADED; F[heap0]=$(heap_after_gc); stop_service

echo "== 2 000 000 attempts older than the retention period, for pruning"
psql -q -d "$BENCH_DB" -c "INSERT INTO attempts (id, environment, operation, duration_seconds, success, timeout_seconds,
    violation, occurred_at, received_at, writer) SELECT gen_random_uuid(), 'staging', 'connection', 1 + random() * 4, true,
    75, false, now() - interval '40 days' + i * (interval '9 days' / 2000000), now() - interval '40 days', 'old'
    FROM generate_series(1, 2000000) i"

for n in 1000000 10000000; do
  have=$(psql -tA -d "$BENCH_DB" -c "SELECT count(*) FROM attempts WHERE occurred_at > now() - interval '24 hours'")
  echo "== $n attempts in staging's window"
  $SEED "$BENCH_DB" $(( n - have )) staging connection 23 >/dev/null
  F[copy,$n]=$(copy_ms "$BENCH_DB")
  catch_up; F[load,$n]=$LOADED
  F[samples,$n]=$(curl -s "$URL/api/v1/environments/staging/timeouts" | jq .samples)
  F[rss,$n]=$(( $(ps -o rss= -p "$PID") / 1024 ))
  [ "$n" = 10000000 ] || stop_service
done

echo "== memory and history endpoints at 10 M"
F[heap]=$(heap_after_gc); F[columns]=$(metric timeout_policy_history_heap_bytes); F[held]=$(metric timeout_policy_history_attempts)
for ep in metrics analysis timeouts trend; do
  wrk -t1 -c1 -d3s "$URL/api/v1/environments/staging/$ep" >/dev/null
  F[ep,$ep]=$(run_wrk -t1 -c1 -d"$DURATION" --latency "$URL/api/v1/environments/staging/$ep")
done
stop_service

echo "== pruning 2 000 000 expired attempts while POST /attempts runs"
old() { psql -tA -d "$BENCH_DB" -c "SELECT count(*) FROM attempts WHERE occurred_at < now() - interval '30 days'"; }
ingest() {  # rows/s stored during one wrk run of POST /attempts (batches of 100)
  local before t0 after
  before=$(psql -tA -d "$BENCH_DB" -c "SELECT count(*) FROM attempts WHERE service = 'bench'"); t0=$(date +%s%N)
  wrk -t2 -c16 -d"$DURATION" -s src/bench/attempts.lua "$URL" >/dev/null
  after=$(psql -tA -d "$BENCH_DB" -c "SELECT count(*) FROM attempts WHERE service = 'bench'")
  awk -v n=$((after - before)) -v ns=$(( $(date +%s%N) - t0 )) 'BEGIN {printf "%.0f", n / (ns / 1e9)}'
}
t_start=$(date +%s)
catch_up -Dtimeout-policy.history.prune-interval=75s
wrk -t2 -c16 -d5s -s src/bench/attempts.lua "$URL" >/dev/null
F[ingest]=$(ingest)
old_before=$(old)
while [ $(( $(date +%s) - t_start )) -lt 76 ]; do sleep 0.5; done
t0=$(date +%s%N)
F[ingest_pruning]=$(ingest)
until [ "$(old)" -eq 0 ]; do sleep 1; [ $(( ($(date +%s%N) - t0) / 1000000000 )) -lt 600 ] || break; done
prune_s=$(awk -v ns=$(( $(date +%s%N) - t0 )) 'BEGIN {printf "%.1f", ns / 1e9}')
F[pruned]=$(( old_before - $(old) ))
F[prune_rate]=$(awk -v n="${F[pruned]}" -v s="$prune_s" 'BEGIN {printf "%.0f", n / s}')
stop_service

{
  echo "| measure | 1 000 000 | 10 000 000 | target |"
  echo "|---|---|---|---|"
  echo "| psql COPY of the window's rows (binary, in order), ms | ${F[copy,1000000]} | ${F[copy,10000000]} | |"
  echo "| restart until degraded:false, ms (empty history: ${F[empty]}) | ${F[load,1000000]} | ${F[load,10000000]} | < 60 000 |"
  for n in 1000000 10000000; do
    F[ratio,$n]=$(awk -v l="${F[load,$n]}" -v e="${F[empty]}" -v c="${F[copy,$n]}" 'BEGIN {printf "%.2f", (l - e) / c}')
  done
  echo "| catch-up beyond the empty start ÷ COPY | ${F[ratio,1000000]} | ${F[ratio,10000000]} | ≤ 3 |"
  echo "| samples after the restart | ${F[samples,1000000]} | ${F[samples,10000000]} | = attempts |"
  echo "| resident memory after the catch-up, MiB | ${F[rss,1000000]} | ${F[rss,10000000]} | ≤ 1 536 at 10 M |"
  echo "| heap of the attempts' columns ÷ attempts held, bytes | | $(ratio "${F[columns]}" "${F[held]}") | ≤ 48 |"
  echo "| heap after GC beyond the empty service ÷ attempts held, bytes | | $(awk -v h="${F[heap]}" -v z="${F[heap0]}" -v n="${F[held]}" 'BEGIN {printf "%.1f", (h - z) / n}') | ≤ 48 |"
  for ep in metrics analysis timeouts trend; do
    echo "| GET $ep p50 / p99 ms, one connection | | $(field "${F[ep,$ep]}" 2) / $(field "${F[ep,$ep]}" 3) | < 10 |"
  done
  echo "| pruning: expired attempts deleted per second (${F[pruned]} in ${prune_s} s) | | ${F[prune_rate]} | > 116 (10 M a day) |"
  echo "| POST attempts rows/s while pruning ÷ just before | | ${F[ingest_pruning]} / ${F[ingest]} = $(ratio "${F[ingest_pruning]}" "${F[ingest]}") | |"
} | tee "$OUT/results-fleet.md"
