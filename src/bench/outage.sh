#!/usr/bin/env bash
# An outage at fleet scale: with OUTAGE_SEEDED attempts (default 1 000 000) in memory, PostgreSQL is cut
# (a socat proxy between the service and it is stopped) while OUTAGE_HELD attempts (default 100 000, the
# write-behind capacity) are posted. Measures how fast they are accepted (202), that memory counts them at
# once, how long writing them takes once PostgreSQL is back, and that each is stored and counted once.
#   SKIP_BUILD=1 bash src/bench/outage.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
source src/bench/lib.sh
SEEDED=${OUTAGE_SEEDED:-1000000}
HELD=${OUTAGE_HELD:-100000}
PROXY_PORT=${OUTAGE_PROXY_PORT:-15432}
[ -n "${SKIP_BUILD:-}" ] || build

trap 'proxy_down; stop_service' EXIT
attempts_in_memory() { curl -s "$URL/api/v1/environments/staging/metrics" | python3 -c 'import json,sys; print(json.load(sys.stdin)["connection_attempts"])'; }
not_degraded() { curl -s "$URL/api/v1/environments/staging/timeouts" | grep -q '"degraded":false'; }

fresh_database "$BENCH_DB"
proxy_up "$PROXY_PORT"
REAL_PORT=$DB_PORT
DB_PORT=$PROXY_PORT start_service
await not_degraded 60
stop_service
DB_PORT=$REAL_PORT
SEED=../shared/tools/seed-attempts.sh
bash "$SEED" "$BENCH_DB" "$SEEDED"
DB_PORT=$PROXY_PORT start_service
await not_degraded 120
before=$(attempts_in_memory)
echo "== $before attempts in memory; cutting PostgreSQL"
proxy_down
await '[ "$(curl -s -o /dev/null -w %{http_code} $URL/q/health/group/database)" = 503 ]' 30

t0=$(date +%s%N)
python3 - "$URL" "$BENCH_KEY" "$HELD" <<'PY' > "$OUT/outage-post.txt"
import json, sys, time, urllib.request, uuid, collections
url, key, held = sys.argv[1], sys.argv[2], int(sys.argv[3])
statuses, slowest = collections.Counter(), 0.0
for start in range(0, held, 1000):
    body = [{"id": str(uuid.uuid4()), "environment": "staging", "operation": "connection", "duration_seconds": 2.0,
             "success": True, "service": "outage-bench"} for _ in range(min(1000, held - start))]
    request = urllib.request.Request(url + "/api/v1/attempts", data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json", "X-API-Key": key})
    t = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            statuses[answer.status] += 1
    except urllib.error.HTTPError as e:
        statuses[e.code] += 1
    slowest = max(slowest, time.monotonic() - t)
print(dict(statuses), round(slowest * 1000, 1))
PY
t1=$(date +%s%N)
during=$(attempts_in_memory)
depth=$(metric 'timeout_policy_write_buffer_depth{buffer="attempts"}')
echo "== posted $HELD in $(( (t1 - t0) / 1000000 )) ms: $(cat "$OUT/outage-post.txt") (statuses, slowest ms); in memory $during (+$(( during - before ))), held $depth"

proxy_up "$PROXY_PORT"
t2=$(date +%s%N)
await '[ "$(metric "timeout_policy_write_buffer_depth{buffer=\"attempts\"}")" = 0.0 ]' 120
t3=$(date +%s%N)
stored=$(psql -tA -d "$BENCH_DB" -c "SELECT count(*) FROM attempts WHERE service = 'outage-bench'")
distinct=$(psql -tA -d "$BENCH_DB" -c "SELECT count(DISTINCT id) FROM attempts WHERE service = 'outage-bench'")
after=$(attempts_in_memory)
echo "== PostgreSQL back: the $HELD held attempts written in $(( (t3 - t2) / 1000000 )) ms; stored $stored ($distinct distinct); in memory $after (+$(( after - before )))"
echo "== recorded_total $(metric timeout_policy_attempts_recorded_total), withdrawn $(metric timeout_policy_attempts_withdrawn_total)"
