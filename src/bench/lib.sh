# Shared by run.sh and the scripts beside it: settings, the service's start and stop, wrk and its figures, the
# history's catch-up and heap.
PORT=${BENCH_PORT:-18080}
DB_HOST=${DB_HOST:-127.0.0.1}
DB_PORT=${DB_PORT:-5432}
DB_USER=${DB_USER:-postgres}
BENCH_DB=${BENCH_DB:-timeout_policy_bench}
DURATION=${BENCH_DURATION:-10s}
OUT=target/bench
# The heap the README's command gives the service (room for about 15 million attempts in memory).
HEAP=${BENCH_HEAP:--Xmx1g}
# The JIT options of the README's command (docs/operations.md, "Running the packaged service"): C2 waits longer.
JIT="-XX:Tier4InvocationThreshold=50000 -XX:Tier4CompileThreshold=60000 -XX:Tier4BackEdgeThreshold=400000"
mkdir -p "$OUT"
# journal_dir NAME: a journal directory of a script's own: the service refuses one another process holds.
journal_dir() { echo "$PWD/$OUT/journal-$1"; }
: > "$OUT/service.log"
export PGHOST=$DB_HOST PGPORT=$DB_PORT PGUSER=$DB_USER

command -v wrk >/dev/null || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk; }
command -v pgbench >/dev/null || { echo "pgbench (PostgreSQL client) is required" >&2; exit 1; }

BENCH_KEY=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
export BENCH_KEY
HASH=$(printf %s "$BENCH_KEY" | sha256sum | cut -d' ' -f1)
URL=http://127.0.0.1:$PORT
PID=

# start_service [JVM option [more options…]]: from its own folder ($APP_DIR, by default target/quarkus-app), by
# default with the class-data archive the build made beside the jar and the README's heap (README, "Running the
# packaged service"), against $BENCH_DB; INFO logs of the history (catch-up progress, pruning) are kept.
start_service() {
  local share=${1:--XX:SharedArchiveFile=app-cds.jsa}
  shift || true
  # shellcheck disable=SC2086
  (cd "${APP_DIR:-target/quarkus-app}" && exec java "$share" "$HEAP" $JIT "$@" -Dquarkus.http.port="$PORT" \
       -Dquarkus.datasource.reactive.url="${SERVICE_DB_URL:-postgresql://$DB_HOST:$DB_PORT/$BENCH_DB}" \
       -Dtimeout-policy.security.keys.bench.sha256="$HASH" \
       -Dtimeout-policy.security.keys.bench.roles=reporter,deployer \
       -Dquarkus.log.level=WARN -Dquarkus.log.category.\"io.timeoutpolicy.history\".level=INFO \
       -jar quarkus-run.jar) >> "$OUT/service.log" 2>&1 &
  PID=$!
}
stop_service() { [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null || true; PID=; }
trap stop_service EXIT

# cold_start [JVM option]: milliseconds from process start to the first 200 of GET …/timeouts.
cold_start() {
  local t0 t1
  t0=$(date +%s%N)
  start_service "$@"
  poll_200 "$URL/api/v1/environments/staging/timeouts"
  t1=$(date +%s%N)
  echo $(( (t1 - t0) / 1000000 ))
}

# poll_200 URL: every 20 ms until URL answers 200 (2 minutes at most: then the script stops).
poll_200() {
  local deadline=$((SECONDS + 120))
  until curl -sf -o /dev/null "$1"; do
    [ "$SECONDS" -lt "$deadline" ] || { echo "no 200 from $1 within 2 minutes" >&2; exit 1; }
    sleep 0.02
  done
}

to_ms() { awk '{v=$1; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; printf "%.3f", v}'; }
# wrk [args…] → "rps p50ms p99ms"
run_wrk() {
  local out
  out=$(wrk "$@")
  echo "$out" >> "$OUT/wrk.log"
  local rps p50 p99
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}' | to_ms)
  p99=$(echo "$out" | awk '$1=="99%" {print $2}' | to_ms)
  echo "$rps $p50 $p99"
}
# warm_up PID URL…: wrk -c64 on each URL in turn, 5 s each, until a turn adds fewer than 10 JIT compilations to
# the JVM PID (jstat -compiler), 2 minutes at most. A JVM measured earlier measures its compiler too: after 10 s of
# load on two cores C2 still took a quarter of the service's CPU and a fifth of the bare app's (issue 31).
# WARM_UP_SCRIPT: a wrk script for every turn (the POSTs of ingest.sh).
warm_up() {
  local pid=$1 before after deadline=$((SECONDS + 120))
  shift
  while :; do
    before=$(jstat -compiler "$pid" | awk 'NR == 2 {print $1}')
    for url in "$@"; do wrk -t2 -c64 -d5s ${WARM_UP_SCRIPT:+-s "$WARM_UP_SCRIPT"} "$url" >/dev/null; done
    after=$(jstat -compiler "$pid" | awk 'NR == 2 {print $1}')
    echo "   $((after - before)) compilations in the last turn"
    if [ $((after - before)) -lt 10 ] || [ "$SECONDS" -ge "$deadline" ]; then break; fi
  done
}
# merge_quantiles FILE: "req/s p50ms p99ms" of several wrk runs together, from their "S SLICE REQUESTS DURATION_µs"
# and "Q SLICE PERCENT LATENCY_µs" lines (src/bench/quantiles.lua): all their requests as one distribution, each
# run weighted by its requests; a quantile is the least latency that many of them took at most (bisection).
merge_quantiles() {
  awk '$1 == "S" {n[$2] = $3; N += $3; D += $4; next}
       $1 == "Q" {k = ++m[$2]; P[$2, k] = $3 / 100; V[$2, k] = $4; if ($4 > top) top = $4}
       function share(x,   s, k, p, total) {
         total = 0
         for (s in n) { p = 0; for (k = 1; k <= m[s] && V[s, k] <= x; k++) p = P[s, k]; total += n[s] * p }
         return total / N
       }
       function quantile(q,   lo, hi, mid, i) {
         lo = 0; hi = top
         for (i = 0; i < 40; i++) { mid = (lo + hi) / 2; if (share(mid) >= q) hi = mid; else lo = mid }
         return hi
       }
       END {printf "%.2f %.3f %.3f\n", N / (D / 1e6), quantile(0.5) / 1000, quantile(0.99) / 1000}' "$1"
}
rows() { psql -tA -d "$BENCH_DB" -c "SELECT count(*) FROM attempts"; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

build() {
  echo "== building"
  ./mvnw -B -q package -DskipTests
  ./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$OUT/classpath.txt" >/dev/null
}
fresh_database() {
  echo "== fresh database $1"
  psql -q -d postgres -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1"
}
# quiet_database: what an earlier figure wrote is on disk and vacuumed before the next is measured. Without it the
# checkpoint after ingest.sh's millions of rows, or after seeding, ran for up to 90 s into the cold starts and the
# catch-up (PostgreSQL's log, BENCHMARKS.md): the service's start and catch-up read the database, the references
# hardly or not at all. Waits for autovacuum workers for 2 minutes at most.
quiet_database() {
  local deadline=$((SECONDS + 120))
  psql -qX -d postgres -c "CHECKPOINT"
  while [ "$(psql -tAX -d postgres -c "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'")" != 0 ] \
      && [ "$SECONDS" -lt "$deadline" ]; do
    sleep 1
  done
}
field() { echo "$1" | awk -v i="$2" '{print $i}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

# The service's own figures (/q/metrics): metric NAME, heap_used (bytes of heap in use, every pool).
metric() { curl -s "$URL/q/metrics" | awk -v m="$1" 'index($0, m " ") == 1 {print $2}'; }
heap_used() { curl -s "$URL/q/metrics" | awk '/^jvm_memory_used_bytes\{area="heap"/ {s += $NF} END {printf "%.0f", s}'; }
# heap_after_gc: heap_used after a full collection of the running service.
heap_after_gc() { jcmd "$PID" GC.run >/dev/null; sleep 1; heap_used; }
# catch_up [JVM options]: sets LOADED to the ms from process start to staging's timeouts answered
# degraded:false (the whole window in memory); the service keeps running (no subshell: PID stays known).
catch_up() {
  local t0
  t0=$(date +%s%N); start_service -XX:SharedArchiveFile=app-cds.jsa "$@"
  until curl -s "$URL/api/v1/environments/staging/timeouts" | grep -q '"degraded":false'; do sleep 0.05; done
  LOADED=$(( ($(date +%s%N) - t0) / 1000000 ))
}
# copy_ms [DB]: psql reading staging's connection attempts of the window, in order, as binary COPY, to /dev/null:
# the floor a catch-up is measured against.
copy_ms() {
  local t0
  t0=$(date +%s%N)
  psql -q -d "${1:-$BENCH_DB}" -c "\\copy (SELECT * FROM attempts WHERE environment = 'staging' AND operation = 'connection' AND occurred_at > now() - interval '24 hours' ORDER BY occurred_at, seq) TO '/dev/null' (FORMAT binary)"
  echo $(( ($(date +%s%N) - t0) / 1000000 ))
}
# seed DB N SERVICE_SQL: N attempts of staging/connection spread over the last 23 hours, as another replica's
# writes (durations 1-5 s, 97 % successful, timeout 75 s); SERVICE_SQL is an SQL expression of i (1..N).
seed() {
  psql -q -d "$1" -c "INSERT INTO attempts (id, environment, operation, duration_seconds, success, timeout_seconds,
      violation, occurred_at, received_at, writer, service)
    SELECT gen_random_uuid(), 'staging', 'connection', 1 + random() * 4, random() < 0.97, 75, false,
      now() - interval '23 hours' + i * (interval '23 hours' / $2), now() - interval '23 hours', 'seed', $3
    FROM generate_series(1, $2) i" -c "VACUUM ANALYZE attempts"
}

# A socat proxy between the service and PostgreSQL, for outages made for real: proxy_up PORT forwards, proxy_down
# stops it and its forked children (open connections cut, new ones refused).
PROXY=
proxy_up() {
  command -v socat >/dev/null || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q socat; }
  socat TCP-LISTEN:"$1",fork,reuseaddr TCP:"$DB_HOST":"$DB_PORT" & PROXY=$!; sleep 0.3
}
proxy_down() { pkill -P "$PROXY" socat 2>/dev/null || true; kill "$PROXY" 2>/dev/null || true; wait "$PROXY" 2>/dev/null || true; }
# await CONDITION SECONDS: until the shell condition holds, or fail.
await() { local deadline=$(( $(date +%s) + $2 )); until eval "$1"; do [ "$(date +%s)" -lt "$deadline" ] || { echo "timed out: $1" >&2; exit 1; }; sleep 0.1; done; }
