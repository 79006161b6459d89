#!/usr/bin/env bash
# What traces cost: GET timeouts req/s with the OpenTelemetry SDK on against off (the default), measured in
# the same run. Copies of the jar run at once against the benchmark database, each on its own port:
#   off        as shipped (OTEL_SDK_DISABLED unset: the SDK is off)
#   on         OTEL_SDK_DISABLED=false, spans sent over OTLP/HTTP to src/bench/otlp_sink.py, a local
#              stand-in collector that counts the spans and throws them away
#   unreached  OTEL_SDK_DISABLED=false, the OTLP endpoint a closed local port (a collector that is down)
#   without    only with TRACING_BASELINE=<git revision>: that revision built without changes (e.g. one
#              from before the OpenTelemetry extension), to see what the extension costs while off
# After a warm-up of each, wrk loads one copy at a time, round after round (off, on, unreached, off, …), so
# that the machine's drift affects all alike. Results in target/bench/results-tracing.md; BENCHMARKS.md, "Traces".
#   SKIP_BUILD=1 bash src/bench/tracing.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
source src/bench/lib.sh
ROUNDS=${TRACING_ROUNDS:-3}
TIME=${TRACING_DURATION:-20s}
CONNECTIONS=${TRACING_CONNECTIONS:-16}
SINK_PORT=${TRACING_SINK_PORT:-14318}
CLOSED_PORT=${TRACING_CLOSED_PORT:-14317}
declare -A PORTS=([off]=$((PORT + 1)) [on]=$((PORT + 2)) [unreached]=$((PORT + 3)) [without]=$((PORT + 4)))
VARIANTS=(off on unreached)
[ -n "${SKIP_BUILD:-}" ] || build
if [ -n "${TRACING_BASELINE:-}" ]; then
  echo "== building $TRACING_BASELINE into $OUT/baseline"
  rm -rf "$OUT/baseline" && mkdir -p "$OUT/baseline"
  git archive "$TRACING_BASELINE" | tar -x -C "$OUT/baseline"
  (cd "$OUT/baseline" && ./mvnw -B -q package -DskipTests >/dev/null)
  VARIANTS+=(without)
fi
fresh_database "$BENCH_DB"

SINK=
declare -A PIDS=()
stop_all() {
  for v in "${!PIDS[@]}"; do kill "${PIDS[$v]}" 2>/dev/null && wait "${PIDS[$v]}" 2>/dev/null || true; done
  [ -z "$SINK" ] || { kill "$SINK" 2>/dev/null; wait "$SINK" 2>/dev/null || true; }
}
trap stop_all EXIT
if (exec 3<>"/dev/tcp/127.0.0.1/$CLOSED_PORT") 2>/dev/null; then
  echo "port $CLOSED_PORT is open: set TRACING_CLOSED_PORT to a closed one" >&2; exit 1
fi
python3 src/bench/otlp_sink.py "$SINK_PORT" & SINK=$!
sink_stats() { curl -sf "http://127.0.0.1:$SINK_PORT/stats"; }
until sink_stats >/dev/null 2>&1; do sleep 0.1; done

# One at a time: the first start migrates the fresh database.
for v in "${VARIANTS[@]}"; do
  case $v in
    off) PORT=${PORTS[$v]} start_service ;;
    on) PORT=${PORTS[$v]} OTEL_SDK_DISABLED=false OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf \
          OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$SINK_PORT" start_service ;;
    unreached) PORT=${PORTS[$v]} OTEL_SDK_DISABLED=false OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$CLOSED_PORT" \
          start_service ;;
    without) PORT=${PORTS[$v]} APP_DIR="$OUT/baseline/target/quarkus-app" start_service ;;
  esac
  PIDS[$v]=$PID; PID=
  until curl -sf -o /dev/null "http://127.0.0.1:${PORTS[$v]}/api/v1/environments/staging/timeouts"; do sleep 0.1; done
done

# Several JVMs to warm up on two shared cores: two passes of each (one pass of 10 s left the first round of
# every copy a third slower than the last).
echo "== warm-up"
for pass in 1 2; do
  for v in "${VARIANTS[@]}"; do
    wrk -t2 -c"$CONNECTIONS" -d"${TRACING_WARMUP:-15s}" "http://127.0.0.1:${PORTS[$v]}/api/v1/environments/staging/timeouts" >/dev/null
  done
done

declare -A R
# The batch processor exports every 5 s or per 512 spans: let the warm-up's last batch arrive first.
sleep 6
spans_before=$(sink_stats | awk '{print $2}')
# CPU seconds (user + system) of a process, from /proc: the sink runs on the cores being measured.
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.1f", ($14 + $15) / hz}' "/proc/$1/stat"; }
sink_cpu_before=$(cpu_seconds "$SINK")
requests_on=0
echo "== GET timeouts, $ROUNDS rounds of $TIME at $CONNECTIONS connections"
for round in $(seq 1 "$ROUNDS"); do
  for v in "${VARIANTS[@]}"; do
    R[$v,$round]=$(run_wrk -t2 -c"$CONNECTIONS" -d"$TIME" --latency "http://127.0.0.1:${PORTS[$v]}/api/v1/environments/staging/timeouts")
    echo "round $round $v: ${R[$v,$round]}"
    [ "$v" != on ] || requests_on=$(awk -v n="$requests_on" -v r="$(field "${R[$v,$round]}" 1)" -v t="${TIME%s}" \
        'BEGIN {printf "%.0f", n + r * t}')
  done
done
sleep 6
read -r sink_requests sink_spans sink_bytes < <(sink_stats)
sink_cpu=$(awk -v a="$(cpu_seconds "$SINK")" -v b="$sink_cpu_before" 'BEGIN {printf "%.1f", a - b}')
exported=$((sink_spans - spans_before))
unreached_log=$(grep -c "Failed to export" "$OUT/service.log" || true)

# The ratios: each variant against off, and off against without (the extension's cost while off).
rps() { field "${R[$1,$2]}" 1; }
sum() { for round in $(seq 1 "$ROUNDS"); do rps "$1" "$round"; done | awk '{s += $1} END {print s}'; }
pairs=("on off" "unreached off")
[ -z "${TRACING_BASELINE:-}" ] || pairs+=("off without")
{
  header="| round |"; rule="|---|"
  for v in "${VARIANTS[@]}"; do header+=" $v req/s |"; rule+="---|"; done
  for p in "${pairs[@]}"; do set -- $p; header+=" $1 ÷ $2 |"; rule+="---|"; done
  for v in "${VARIANTS[@]}"; do header+=" $v p50 / p99 ms |"; rule+="---|"; done
  echo "$header"; echo "$rule"
  for round in $(seq 1 "$ROUNDS") all; do
    line="| $round |"
    for v in "${VARIANTS[@]}"; do
      if [ "$round" = all ]; then line+=" $(sum "$v") |"; else line+=" $(rps "$v" "$round") |"; fi
    done
    for p in "${pairs[@]}"; do
      set -- $p
      if [ "$round" = all ]; then line+=" $(ratio "$(sum "$1")" "$(sum "$2")") |"
      else line+=" $(ratio "$(rps "$1" "$round")" "$(rps "$2" "$round")") |"; fi
    done
    for v in "${VARIANTS[@]}"; do
      if [ "$round" = all ]; then line+=" |"; else line+=" $(field "${R[$v,$round]}" 2) / $(field "${R[$v,$round]}" 3) |"; fi
    done
    echo "$line"
  done
  echo
  echo "Spans received by the sink during the measured rounds: $exported of about $requests_on requests to 'on'" \
       "($sink_requests exports, $((sink_bytes / 1024 / 1024)) MiB, in the whole run); the sink used $sink_cpu s of CPU" \
       "meanwhile ($ROUNDS × $TIME of 'on'); 'Failed to export' lines logged by 'unreached': $unreached_log."
} | tee "$OUT/results-tracing.md"
