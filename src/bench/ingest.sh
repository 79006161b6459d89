#!/usr/bin/env bash
# Ingestion against the bare stack (issue 31, item 2): attempts stored per second by POST /api/v1/attempts in
# batches of 100 (src/bench/attempts.lua) ÷ rows per second of the bare app's 100-row batch insert through the
# same reactive client (../shared/baseline, POST /db/batch with its bench/batch.lua), interleaved in one run:
# for each round, -c16 then -c64, service and bare alternating in slices of 2 s (BENCH_SLICES of $BENCH_DURATION),
# wrk -t2. Rows are counted in the database (before and after each figure's slices), each app in a fresh
# database of its own. Beside rows/s,
# the CPU each app's JVM and its PostgreSQL backends spent per 1 000 rows (from /proc): on a loaded machine
# that is the steadier figure. Prints one line a run with the load average, and the ratios; results in
# target/bench/ingest.md.
#
#   bash src/bench/ingest.sh              # builds the jar (no AppCDS archive), 3 rounds
#   SKIP_BUILD=1 BENCH_ROUNDS=1 bash src/bench/ingest.sh
#
# Environment: BENCH_PORT (service, 18080), BARE_PORT (18081), BENCH_DB (timeout_policy_bench_ingest),
# BASELINE_DIR (../shared/baseline), BENCH_ROUNDS (3), BENCH_DURATION (10s), BENCH_SLICES (5),
# BENCH_WARMUP (5s: the unmeasured slice of each app after the JIT warm-up),
# APP_DIR (the service's quarkus-app folder, target/quarkus-app; another build's to measure it),
# BARE_MODE (values|unnest: which statement the bare app uses; values, the stock /db/batch, is the reference of
# the issue).
set -euo pipefail
cd "$(dirname "$0")/../.."

BENCH_DB=${BENCH_DB:-timeout_policy_bench_ingest}
source src/bench/lib.sh
BARE_PORT=${BARE_PORT:-18081}
BASELINE_DIR=${BASELINE_DIR:-../shared/baseline}
ROUNDS=${BENCH_ROUNDS:-3}
BARE_MODE=${BARE_MODE:-values}
# Long enough for the JIT of both JVMs on two shared cores before the first measured run.
WARMUP=${BENCH_WARMUP:-5s}
BARE_URL=http://127.0.0.1:$BARE_PORT
BPID=

[ -x "$BASELINE_DIR/run-baseline.sh" ] || { echo "no bare app at $BASELINE_DIR (set BASELINE_DIR)" >&2; exit 1; }
if [ -z "${SKIP_BUILD:-}" ]; then
  echo "== building the jar"
  ./mvnw -B -q package -DskipTests -Dquarkus.package.jar.aot.enabled=false
fi
BARE_DB=${BENCH_DB}_bare
fresh_database "$BENCH_DB"
fresh_database "$BARE_DB"

stop_all() { stop_service; [ -n "$BPID" ] && kill "$BPID" 2>/dev/null && wait "$BPID" 2>/dev/null || true; BPID=; }
trap stop_all EXIT

echo "== starting the service on $PORT ($BENCH_DB) and the bare app on $BARE_PORT ($BARE_DB)"
start_service -Xshare:auto
until curl -sf -o /dev/null "$URL/q/health/group/database"; do
  kill -0 "$PID" 2>/dev/null || { echo "the service exited; see $OUT/service.log" >&2; exit 1; }
  sleep 0.2
done
# The bare app builds a writable copy of itself under $TMPDIR when its folder is read-only.
BPID=$(BASELINE_DB_URL="postgresql://$DB_HOST:$DB_PORT/$BARE_DB" BASELINE_DB_USER=$DB_USER \
  "$BASELINE_DIR/run-baseline.sh" "$BARE_PORT")

BARE_PATH=/db/batch
[ "$BARE_MODE" = unnest ] && BARE_PATH="/db/batch?mode=unnest"
# "pid ticks" (user + system CPU) of each process named
ticks() { local p; for p in "$@"; do [ -r "/proc/$p/stat" ] && awk -v p="$p" '{print p, $14 + $15}' "/proc/$p/stat"; done; true; }
backends() { psql -tA -d "$1" -c "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"; }
# spent BEFORE AFTER: ticks spent between two snapshots; a process new since the first counts from 0
spent() { awk 'NR == FNR {b[$1] = $2; next} {t += $2 - b[$1]} END {print t + 0}' <(echo "$1") <(echo "$2"); }
# Each figure is BENCH_SLICES (5) wrk runs of BENCH_DURATION / BENCH_SLICES, the service's and the bare app's
# alternating: the speed of this shared machine drifts over tens of seconds, and both should see the same drift.
SLICES=${BENCH_SLICES:-5}
SLICE_S=$(( ${DURATION%s} / SLICES )); [ "$SLICE_S" -ge 1 ] || SLICE_S=1
db_of() { if [ "$1" = service ]; then echo "$BENCH_DB"; else echo "$BARE_DB"; fi; }
rows_of() { if [ "$1" = service ]; then rows; else psql -tA -d "$BARE_DB" -c "SELECT count(*) FROM baseline_events"; fi; }
declare -A NS JT PT
# slice service|bare CONNECTIONS [SECONDS]: one wrk run; adds its nanoseconds and the CPU ticks of the app's JVM and
# of its PostgreSQL backends to NS, JT and PT.
slice() {
  local jvm j0 j1 p0 p1 t0 t1
  if [ "$1" = service ]; then jvm=$PID; else jvm=$BPID; fi
  j0=$(ticks "$jvm"); p0=$(ticks $(backends "$(db_of "$1")")); t0=$(date +%s%N)
  if [ "$1" = service ]; then
    wrk -t2 -c"$2" -d"${3:-$SLICE_S}s" -s src/bench/attempts.lua "$URL" >> "$OUT/ingest-wrk.log"
  else
    wrk -t2 -c"$2" -d"${3:-$SLICE_S}s" -s "$BASELINE_DIR/bench/batch.lua" "$BARE_URL$BARE_PATH" >> "$OUT/ingest-wrk.log"
  fi
  t1=$(date +%s%N); j1=$(ticks "$jvm"); p1=$(ticks $(backends "$(db_of "$1")"))
  NS[$1]=$(( ${NS[$1]:-0} + t1 - t0 )); JT[$1]=$(( ${JT[$1]:-0} + $(spent "$j0" "$j1") ))
  PT[$1]=$(( ${PT[$1]:-0} + $(spent "$p0" "$p1") ))
}
# measure CONNECTIONS: both apps' slices, alternating; sets M[service] and M[bare] to "rows/s jvm-ms/1000rows
# pg-ms/1000rows", rows counted in each database before the first slice and after the last.
declare -A M
measure() {
  local app before_s before_b n hz
  before_s=$(rows_of service); before_b=$(rows_of bare)
  NS=(); JT=(); PT=()
  for n in $(seq 1 "$SLICES"); do slice service "$1"; slice bare "$1"; done
  hz=$(getconf CLK_TCK)
  for app in service bare; do
    if [ "$app" = service ]; then n=$(( $(rows_of service) - before_s )); else n=$(( $(rows_of bare) - before_b )); fi
    M[$app]=$(awk -v n="$n" -v ns="${NS[$app]}" -v j="${JT[$app]}" -v p="${PT[$app]}" -v hz="$hz" \
      'BEGIN {printf "%.0f %.1f %.1f", n / (ns / 1e9), j * 1000 / hz / n * 1000, p * 1000 / hz / n * 1000}')
  done
}
load() { cut -d' ' -f1 /proc/loadavg; }

echo "== warm-up of the service, then of the bare app, until their JIT compilers are done (lib.sh, warm_up)"
: > "$OUT/ingest-wrk.log"
# Under this load the service's compilers went on for two minutes: 20 s of warm-up left a quarter of its CPU to
# them in the first measured round, and its CPU per 1 000 rows fell from 24 to 16 ms meanwhile (BENCHMARKS.md).
WARM_UP_SCRIPT=src/bench/attempts.lua warm_up "$PID" "$URL"
WARM_UP_SCRIPT=$BASELINE_DIR/bench/batch.lua warm_up "$BPID" "$BARE_URL$BARE_PATH"
# The millions of rows of the warm-ups checkpointed and vacuumed, then one unmeasured slice each at the first
# figure's connections, in the rounds' order, so that neither comes to its first measured slice from idle.
quiet_database
slice service 16 "${WARMUP%s}"
slice bare 16 "${WARMUP%s}"

declare -A R L
echo "== interleaved, $SLICES slices of ${SLICE_S}s each app, $ROUNDS rounds (rows/s, then CPU ms per 1 000 rows: JVM, PostgreSQL)"
for round in $(seq 1 "$ROUNDS"); do
  for c in 16 64; do
    measure "$c"
    for app in service bare; do
      R[$app,$c,$round]=${M[$app]}
      L[$app,$c,$round]=$(load)
      echo "round $round -c$c $app: ${R[$app,$c,$round]} (load average ${L[$app,$c,$round]})"
    done
  done
done
grep -h "NON2XX\|Non-2xx" "$OUT/ingest-wrk.log" | sort | uniq -c || true

{
  echo "| connections | round | service rows/s | bare rows/s ($BARE_MODE) | ratio | JVM CPU ms / 1000 rows, service / bare | PostgreSQL CPU ms / 1000 rows, service / bare | load average (service, bare) |"
  echo "|---|---|---|---|---|---|---|---|"
  for c in 16 64; do
    for round in $(seq 1 "$ROUNDS"); do
      s=${R[service,$c,$round]}; b=${R[bare,$c,$round]}
      echo "| $c | $round | $(field "$s" 1) | $(field "$b" 1) | $(ratio "$(field "$s" 1)" "$(field "$b" 1)") |" \
        "$(field "$s" 2) / $(field "$b" 2) | $(field "$s" 3) / $(field "$b" 3) | ${L[service,$c,$round]}, ${L[bare,$c,$round]} |"
    done
  done
} | tee "$OUT/ingest.md"
