#!/usr/bin/env bash
# Cold start against the bare stack (issue 31, item 3), alternated, COLD_RUNS (5) runs each, medians compared:
#   service: cd target/quarkus-app && java -XX:SharedArchiveFile=app-cds.jsa -Xmx1g <the JIT options> -jar
#            quarkus-run.jar (as the README starts it: $JIT of lib.sh), launch → first 200 of GET /api/v1/environments/staging/timeouts;
#   bare:    ../shared/baseline/app, built here with Quarkus' class-data archive (AppCDS, made at package time;
#            the service's build replaces its own with the archive of a training start, src/build/CdsTraining.java),
#            the same command → first 200 of GET /hello;
#   bare as its own README (and ../shared/baseline/bench/coldstart.py) starts it: java -jar quarkus-run.jar, no
#            archive — the issue's reference ("bare start to its first answer"); the archive is one of the JVM's
#            means the issue asks the service to use, so both comparisons are printed.
# All polled every 2 ms over a raw socket (src/bench/first_answer.py). The service runs against $BENCH_DB
# (timeout_policy_coldstart), migrated by its first start and empty of attempts. SKIP_BUILD=1 uses the jars as
# built; COLD_JAVA_OPTS adds JVM options to both (e.g. -XX:TieredStopAtLevel=1), COLD_JAVA the java to run.
set -euo pipefail
cd "$(dirname "$0")/../.."
export BENCH_DB=${BENCH_DB:-timeout_policy_coldstart}
source src/bench/lib.sh
JOURNAL=$(journal_dir coldstart)
RUNS=${COLD_RUNS:-5}
JAVA=${COLD_JAVA:-java}
BASE_SRC=${BASELINE_APP:-../shared/baseline/app}
BASE=${BASELINE_BUILD:-$OUT/baseline}
[ "${SKIP_BUILD:-0}" = 1 ] || build
if [ "${SKIP_BUILD:-0}" != 1 ] || [ ! -f "$BASE/target/quarkus-app/app-cds.jsa" ]; then
  echo "== building the bare app with its class-data archive"
  rm -rf "$BASE" && mkdir -p "$BASE" && cp -r "$BASE_SRC/pom.xml" "$BASE_SRC/src" "$BASE/"
  ./mvnw -B -q -f "$BASE/pom.xml" package -DskipTests -Dquarkus.package.jar.aot.enabled=true \
    -Dquarkus.package.jar.aot.type=AppCDS
fi
have=$(psql -tA -d "$BENCH_DB" -c "SELECT 1" 2>/dev/null || true)
[ "$have" = 1 ] || psql -q -d postgres -c "CREATE DATABASE $BENCH_DB"
psql -tA -d postgres -c "SELECT 1 FROM pg_database WHERE datname = 'baseline'" | grep -q 1 \
  || psql -q -d postgres -c "CREATE DATABASE baseline"

# shellcheck disable=SC2086
service() {
  python3 src/bench/first_answer.py "$PORT" /api/v1/environments/staging/timeouts --log "$OUT/coldstart-service.log" \
    --cwd target/quarkus-app -- "$JAVA" -XX:SharedArchiveFile=app-cds.jsa -Xmx1g $JIT ${COLD_JAVA_OPTS:-} \
    -Dtimeout-policy.journal.dir="$JOURNAL" -Dquarkus.http.port="$PORT" -Dquarkus.datasource.reactive.url="postgresql://$DB_HOST:$DB_PORT/$BENCH_DB" \
    -jar quarkus-run.jar | cut -d' ' -f1,3
}
# shellcheck disable=SC2086
bare() {
  python3 src/bench/first_answer.py "$PORT" /hello --log "$OUT/coldstart-bare.log" --cwd "$BASE/target/quarkus-app" \
    --env BASELINE_PORT="$PORT" --env BASELINE_DB_URL="postgresql://$DB_HOST:$DB_PORT/baseline" -- \
    "$JAVA" -XX:SharedArchiveFile=app-cds.jsa -Xmx1g ${COLD_JAVA_OPTS:-} -jar quarkus-run.jar | cut -d' ' -f1,3
}
# The bare app as its own README and ../shared/baseline/bench/coldstart.py start it: java -jar, no archive.
bare_plain() {
  python3 src/bench/first_answer.py "$PORT" /hello --log "$OUT/coldstart-bare.log" --cwd "$BASE/target/quarkus-app" \
    --env BASELINE_PORT="$PORT" --env BASELINE_DB_URL="postgresql://$DB_HOST:$DB_PORT/baseline" -- \
    "$JAVA" ${COLD_JAVA_OPTS:-} -jar quarkus-run.jar | cut -d' ' -f1,3
}

: > "$OUT/coldstart-service.log"; : > "$OUT/coldstart-bare.log"
service > /dev/null  # migrates the schema on a fresh database; not counted
for f in service bare bare-plain service-cpu bare-cpu bare-plain-cpu; do : > "$OUT/coldstart-$f.txt"; done
echo "== $RUNS starts each, alternated (load average before: $(cut -d' ' -f1-3 /proc/loadavg))"
for i in $(seq 1 "$RUNS"); do
  read -r s sc <<< "$(service)"; read -r b bc <<< "$(bare)"; read -r p pc <<< "$(bare_plain)"
  echo "$s" >> "$OUT/coldstart-service.txt"; echo "$b" >> "$OUT/coldstart-bare.txt"; echo "$p" >> "$OUT/coldstart-bare-plain.txt"
  echo "$sc" >> "$OUT/coldstart-service-cpu.txt"; echo "$bc" >> "$OUT/coldstart-bare-cpu.txt"
  echo "$pc" >> "$OUT/coldstart-bare-plain-cpu.txt"
  echo "run $i: service $s ms (CPU $sc ms), bare with its archive $b ms (CPU $bc ms), bare as its README starts it" \
    "$p ms (CPU $pc ms), load $(cut -d' ' -f1 /proc/loadavg)"
done
S=$(median < "$OUT/coldstart-service.txt"); B=$(median < "$OUT/coldstart-bare.txt")
SC=$(median < "$OUT/coldstart-service-cpu.txt"); BC=$(median < "$OUT/coldstart-bare-cpu.txt")
P=$(median < "$OUT/coldstart-bare-plain.txt"); PC=$(median < "$OUT/coldstart-bare-plain-cpu.txt")
if grep -h "Unable to use shared archive\|AOT cache" "$OUT"/coldstart-service.log "$OUT"/coldstart-bare.log | head -1 >&2; then
  echo "warning: a class-data archive was not used (above)" >&2
fi
{
  echo "| cold start, launch → first 200, median of $RUNS | service | bare | ratio | target |"
  echo "|---|---|---|---|---|"
  echo "| wall clock, ms, bare as its README starts it (java -jar) | $S | $P | $(ratio "$S" "$P") | ≤ 1.3 |"
  echo "| wall clock, ms, bare with Quarkus' class-data archive too | $S | $B | $(ratio "$S" "$B") | ≤ 1.3 |"
  echo "| CPU time of the JVM by then (all threads), ms, bare as its README starts it | $SC | $PC | $(ratio "$SC" "$PC") | |"
  echo "| CPU time of the JVM by then (all threads), ms, bare with the archive | $SC | $BC | $(ratio "$SC" "$BC") | |"
} | tee "$OUT/coldstart.md"
