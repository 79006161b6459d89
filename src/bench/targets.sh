# Issue 31's figures: the service against the bare stack (../shared/baseline: the same extensions, no logic), each
# figure beside its reference in the same run, interleaved (service, reference, service…), so that the ratio
# measures the service rather than a machine that other work shares. Sourced by run.sh after lib.sh; each fig_*
# function measures one figure (fig_coldstart and fig_catchup one run; those that call a helper's script, every
# run at once) and appends rows to $TARGETS, tab-separated:
#   run, figure, service, reference, ratio, target, met
BASELINE=${BASELINE_DIR:-../shared/baseline}
if [ ! -x "$BASELINE/run-baseline.sh" ]; then
  echo "no bare reference app at $BASELINE/run-baseline.sh: clone the project beside shared/ (or set BASELINE_DIR)" >&2
  exit 1
fi
BARE_PORT=${BARE_PORT:-$((PORT + 2))}
BARE_URL=http://127.0.0.1:$BARE_PORT
BARE_DB=${BENCH_DB}_bare     # the bare app writes here, not into the shared database `baseline` others may load
COLD_DB=${BENCH_DB}_cold     # migrated, no attempts: cold starts and the empty start catch-ups are measured beyond
BIG=${BENCH_BIG:-10000000}
TARGETS=$OUT/targets.tsv
TIMEOUTS=/api/v1/environments/staging/timeouts
BPID=
trap 'stop_service; bare_down' EXIT

db_url() { echo "postgresql://$DB_HOST:$DB_PORT/$1"; }
load_average() { cut -d' ' -f1-3 /proc/loadavg; }
# row RUN FIGURE SERVICE REFERENCE RATIO TARGET: met when RATIO satisfies TARGET ("≥ x" or "≤ x").
row() {
  local met
  met=$(awk -v r="$5" -v t="$6" 'BEGIN { split(t, a, " "); if (r == "") { print "?"; exit }
        if (a[1] != "≥" && a[1] != "≤") { print "—"; exit }
        ok = (a[1] == "≥") ? r + 0 >= a[2] + 0 : r + 0 <= a[2] + 0; print ok ? "yes" : "**no**" }')
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" "$6" "$met" >> "$TARGETS"
}
# migrate DB: the service started once on DB, so that its schema exists.
migrate() { SERVICE_DB_URL=$(db_url "$1") start_service; poll_200 "$URL$TIMEOUTS"; stop_service; }

# bare_up: the bare app on BARE_PORT through its own script (which builds it when its sources are newer), writing
# into BARE_DB.
bare_up() {
  BPID=$(BASELINE_DB_URL=$(db_url "$BARE_DB") "$BASELINE/run-baseline.sh" "$BARE_PORT" 2>> "$OUT/bare.log")
}
bare_down() {  # not our child (run-baseline.sh started it): wait until it is gone
  [ -n "$BPID" ] || return 0
  kill "$BPID" 2>/dev/null || true
  while kill -0 "$BPID" 2>/dev/null; do sleep 0.1; done
  BPID=
}
# prepare_targets: fresh databases for the bare app and the cold starts, the bare app built and known to start.
prepare_targets() {
  local db
  for db in "$BARE_DB" "$COLD_DB"; do fresh_database "$db"; done
  migrate "$COLD_DB"
  bare_up; bare_down   # built by its own script when needed, and known to start
}

# fig_timeouts: GET timeouts and startup-config against the bare GET /json, all runs at once, by timeouts.sh (the
# timeouts helper's script: its own service and bare app, interleaved rounds); its table turned into rows.
fig_timeouts() {
  BENCH_PORT=$PORT BASELINE_PORT=$BARE_PORT BENCH_DB=${BENCH_DB}_timeouts BENCH_ROUNDS=$RUNS SKIP_BUILD=1 \
    bash src/bench/timeouts.sh | tee "$OUT/timeouts.txt"
  awk '$1 ~ /^[0-9]+$/ && ($3 == "timeouts" || $3 == "startup-config") {sub(/ms$/, "", $5); sub(/ms$/, "", $7);
      print $1 "\t" $2 "\t" $3 "\t" $4 "\t" $5 "\t" $6 "\t" $7 "\t" $8 "\t" $9}' "$OUT/timeouts.txt" |
  while IFS=$'\t' read -r r c name srps sp99 brps bp99 rr pr; do
    row "$r" "GET $name ÷ bare /json, req/s, $c conn." "$srps" "$brps" "$rr" "≥ 0.9"
    row "$r" "GET $name ÷ bare /json, p99 ms, $c conn." "$sp99" "$bp99" "$pr" "≤ 1.2"
  done
}

# fig_ingest: attempts stored per second (100 per POST) against the bare 100-row POST /db/batch, all runs at once, by
# ingest.sh (the ingest helper's script: its own service and bare app, interleaved rounds); its table turned into rows.
fig_ingest() {
  BENCH_PORT=$PORT BARE_PORT=$BARE_PORT BENCH_DB=${BENCH_DB}_ingest BENCH_ROUNDS=$RUNS SKIP_BUILD=1 \
    bash src/bench/ingest.sh
  awk -F'|' 'NR > 2 && NF >= 7 {for (i = 2; i <= 6; i++) gsub(/ /, "", $i); print $2 "\t" $3 "\t" $4 "\t" $5 "\t" $6}' \
      "$OUT/ingest.md" |
  while IFS=$'\t' read -r c r s b rr; do
    row "$r" "attempts stored/s (100 per POST) ÷ bare batch insert, $c conn." "$s" "$b" "$rr" "≥ 0.8"
  done
  # Millions of rows nobody reads again: dropped, so that their vacuum and write-out do not run into the next figure.
  psql -qX -d postgres -c "DROP DATABASE IF EXISTS ${BENCH_DB}_ingest WITH (FORCE)" \
    -c "DROP DATABASE IF EXISTS ${BENCH_DB}_ingest_bare WITH (FORCE)"
  quiet_database
}

# fig_coldstart RUN: the service as the README starts it, to its first timeouts 200, against the bare app as its own
# README starts it (java -jar) and against the bare app with Quarkus' class-data archive too, by coldstart.sh
# (alternated, COLD_RUNS (5) starts each, medians; the service on COLD_DB).
fig_coldstart() {
  BENCH_PORT=$PORT BENCH_DB=$COLD_DB BASELINE_APP=$BASELINE/app SKIP_BUILD=1 bash src/bench/coldstart.sh | tail -20
  awk -F'|' '$2 ~ /wall clock/ {for (i = 3; i <= 5; i++) gsub(/ /, "", $i); sub(/^ +/, "", $2); sub(/ +$/, "", $2);
      print $2 "\t" $3 "\t" $4 "\t" $5}' "$OUT/coldstart.md" |
  # The reference is the bare app as its README starts it; the one with an archive too is shown beside it.
  while IFS=$'\t' read -r what s b rr; do
    target="≤ 1.3"
    [[ $what == *"archive too"* ]] && target="(stricter, for information)"
    row "$1" "cold start to first 200 ÷ bare, median of ${COLD_RUNS:-5}, ${what#wall clock, }" "$s" "$b" "$rr" "$target"
  done
}

# fig_catchup: restart catch-up of BIG attempts against psql \copy of the same rows, all runs at once, by catchup.sh
# (alternated: COPY, then a restart of the service as the README starts it; it seeds its database when it lacks them).
fig_catchup() {
  BENCH_PORT=$PORT BENCH_DB=${BENCH_DB}_catchup CATCHUP_RUNS=$RUNS CATCHUP_ATTEMPTS=$BIG SKIP_BUILD=1 \
    bash src/bench/catchup.sh
  awk -F'|' 'NR > 2 && NF >= 8 {for (i = 2; i <= 7; i++) gsub(/ /, "", $i); print $2 "\t" $3 "\t" $6 "\t" $7}' \
      "$OUT/catchup.md" |
  while IFS=$'\t' read -r r copy took rr; do
    row "$r" "restart catch-up of $BIG attempts ÷ psql \\copy of them, ms" "$took" "$copy" "$rr" "≤ 1.5"
  done
}

# fig_memory: heap per attempt held, by memory.sh (the memory helper's script: one service name, 200 000 distinct
# 128-character names, and a name per attempt over HTTP, against an empty start); once, as bytes are not noisy.
fig_memory() {
  BENCH_PORT=$PORT MEMORY_DB=${BENCH_DB}_memory SKIP_BUILD=1 bash src/bench/memory.sh
  awk -F'|' 'NR > 2 && NF >= 6 {gsub(/^ +| +$/, "", $2); gsub(/ /, "", $3); gsub(/ /, "", $4); gsub(/ /, "", $5);
      print $2 "\t" $3 "\t" $4 "\t" $5}' "$OUT/results-memory.md" |
  while IFS=$'\t' read -r input attempts mib bytes; do
    row 1 "heap per attempt held, $input: MiB added, attempts, bytes each" "$mib" "$attempts" "$bytes" "≤ 48"
  done
}

# print_targets: one table per run, then every figure over the runs (its worst ratio, met in every run or not).
print_targets() {
  local r
  for r in $(cut -f1 "$TARGETS" | sort -un); do
    echo; echo "Run $r"; echo
    echo "| figure | service | reference | ratio | target | met |"
    echo "|---|---|---|---|---|---|"
    awk -F'\t' -v r="$r" '$1 == r {printf "| %s | %s | %s | %s | %s | %s |\n", $2, $3, $4, $5, $6, $7}' "$TARGETS"
  done
  echo; echo "All runs"; echo
  echo "| figure | ratio in each run | worst | target | met in every run |"
  echo "|---|---|---|---|---|"
  awk -F'\t' '!($2 in seen) {seen[$2] = 1; order[++n] = $2; target[$2] = $6}
      {runs[$2] = runs[$2] (runs[$2] == "" ? "" : ", ") $5; if ($7 == "—") info[$2] = 1; else if ($7 != "yes") bad[$2] = 1
       up = (substr($6, 1, 1) != "≤" && $6 ~ /^≥/); w = worst[$2]
       if (w == "" || (up && $5 + 0 < w + 0) || (!up && $5 + 0 > w + 0)) worst[$2] = $5}
      END {for (i = 1; i <= n; i++) {f = order[i]
        printf "| %s | %s | %s | %s | %s |\n", f, runs[f], worst[f], target[f], (f in info) ? "—" : (f in bad) ? "**no**" : "yes"}}' "$TARGETS"
}
