package io.timeoutpolicy.history;

import io.smallrye.mutiny.Uni;
import io.timeoutpolicy.platform.database.DatabaseFailures;
import io.smallrye.mutiny.vertx.UniHelper;
import io.timeoutpolicy.policy.Operation;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collector;
import java.util.stream.StreamSupport;
import org.eclipse.microprofile.faulttolerance.Bulkhead;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;

/**
 * Attempts in PostgreSQL. Inserts are one statement per batch whatever its size: the rows travel as
 * arrays through {@code unnest}, so the SQL text (and its prepared-statement cache entry) never grows.
 * An id already stored is skipped, which is what makes client retries safe.
 */
@ApplicationScoped
public class AttemptRepository {

    private static final String COLUMNS = "id, environment, operation, duration_seconds, success, timeout_seconds,"
            + " violation, failure_type, service, instance, occurred_at, policy_version";
    private static final String INSERT = "INSERT INTO attempts (" + COLUMNS + ", writer) SELECT " + COLUMNS
            + ", $13 FROM unnest($1::uuid[], $2::text[], $3::text[], $4::float8[], $5::bool[], $6::float8[],"
            + " $7::bool[], $8::text[], $9::text[], $10::text[], $11::timestamptz[], $12::int4[]) WITH ORDINALITY AS t("
            + COLUMNS + ", ord) ORDER BY ord ON CONFLICT (id) DO NOTHING RETURNING id, seq, received_at";
    /** This process, as the writer of the attempts it stores. */
    static final String WRITER = UUID.randomUUID().toString();
    private static final String SELECT = "SELECT seq, received_at, " + COLUMNS + " FROM attempts";

    private final Pool pool;

    AttemptRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * Inserts a batch (ids unique within it) and answers the attempts that were new, as stored. Timeout 5 s,
     * not the global 1.5 s: a group-commit batch holds up to 5 000 rows. No retry: a lost answer would turn
     * the stored rows into "duplicates" on the second try.
     */
    @Bulkhead
    @CircuitBreaker
    @Timeout
    public Uni<List<StoredAttempt>> insert(List<Attempt> batch) {
        Map<UUID, Attempt> byId = new HashMap<>();
        batch.forEach(attempt -> byId.put(attempt.id(), attempt));
        return DatabaseFailures.refusingContent(pool.preparedQuery(INSERT).execute(arrays(batch)).map(rows -> {
            List<StoredAttempt> stored = new ArrayList<>(rows.size());
            for (Row row : rows) {
                stored.add(new StoredAttempt(byId.get(row.getUUID("id")), row.getLong("seq"),
                        row.getOffsetDateTime("received_at").toInstant()));
            }
            return stored;
        }));
    }

    /** The attempts stored under these ids, as stored (how a retry learns what its id was stored as). */
    @Bulkhead
    @CircuitBreaker
    @Retry
    @Timeout
    public Uni<List<StoredAttempt>> findByIds(List<UUID> ids) {
        return pool.preparedQuery(SELECT + " WHERE id = ANY($1)").execute(Tuple.of(ids.toArray(UUID[]::new)))
                .map(rows -> StreamSupport.stream(rows.spliterator(), false).map(AttemptRepository::stored).toList());
    }

    /**
     * Every (environment, operation) pair that has attempts, by a skip scan of {@code attempts_by_series}:
     * one index probe per pair, however many attempts each has.
     */
    @Bulkhead
    @CircuitBreaker
    @Timeout
    public Uni<List<SeriesKey>> seriesKeys() {
        return pool.query("WITH RECURSIVE s AS ((SELECT environment, operation FROM attempts"
                        + " ORDER BY environment, operation LIMIT 1) UNION ALL SELECT n.environment, n.operation"
                        + " FROM s, LATERAL (SELECT a.environment, a.operation FROM attempts a"
                        + " WHERE (a.environment, a.operation) > (s.environment, s.operation)"
                        + " ORDER BY a.environment, a.operation LIMIT 1) n) SELECT environment, operation FROM s")
                .execute()
                .map(rows -> {
                    List<SeriesKey> keys = new ArrayList<>();
                    for (Row row : rows) {
                        Operation.fromWireName(row.getString("operation"))
                                .ifPresent(operation -> keys.add(new SeriesKey(row.getString("environment"), operation)));
                    }
                    return keys;
                });
    }

    /**
     * One keyset page of a series along {@code attempts_by_series}: up to {@code limit} attempts after
     * {@code after} in (occurred_at, seq) order, each handed to {@code sink} as it is decoded (no row is
     * kept). A page is one short statement, so a history of any size loads within every timeout. Timeout 5 s,
     * not the global 1.5 s: 50 000 rows take about 40 ms of PostgreSQL time, and far longer through a slow
     * network; still inside {@code statement_timeout} (6 s). No retry here: the catch-up retries the page
     * itself, with backoff, from where it stopped.
     */
    @Bulkhead
    @CircuitBreaker
    @Timeout
    public Uni<PageEnd> page(SeriesKey key, PageEnd after, int limit, AttemptColumns sink) {
        Collector<io.vertx.sqlclient.Row, PageEnd.Builder, PageEnd> collector = Collector.of(() -> new PageEnd.Builder(after),
                (end, row) -> end.add(row.getLong(0), micros(row.getOffsetDateTime(1)), row.getDouble(2),
                        row.getDouble(3), row.getBoolean(4), row.getBoolean(5), row.getString(6), sink),
                (a, b) -> a, PageEnd.Builder::build);
        // The Mutiny API has no collecting(): the core client's does it, and the page is made on subscription.
        return Uni.createFrom().deferred(() -> UniHelper.toUni(pool.getDelegate()
                .preparedQuery("SELECT seq, occurred_at, duration_seconds, timeout_seconds, success, violation,"
                        + " service FROM attempts WHERE environment = $1 AND operation = $2"
                        + " AND (occurred_at, seq) > ($3, $4) ORDER BY occurred_at, seq LIMIT $5")
                .collecting(collector)
                .execute(io.vertx.sqlclient.Tuple.of(key.environment(), key.operation().wireName(),
                        utc(Micros.toInstant(after.atMicros())), after.seq(), limit))))
                .map(result -> result.value());
    }

    /**
     * Up to {@code limit} attempts other replicas wrote after {@code since} (received_at, seq after
     * {@code afterSeq} at the same instant), in that order, and the database's clock now.
     */
    @Bulkhead
    @CircuitBreaker
    @Retry
    @Timeout
    public Uni<Changes> receivedSince(Instant since, long afterSeq, int limit) {
        return pool.preparedQuery("WITH clock AS (SELECT now() AS db_now) SELECT clock.db_now, a.* FROM clock"
                        + " LEFT JOIN (" + SELECT + " WHERE (received_at, seq) > ($1, $2) AND writer IS DISTINCT"
                        + " FROM $3 ORDER BY received_at, seq LIMIT $4) a ON true ORDER BY a.received_at, a.seq")
                .execute(Tuple.of(utc(since), afterSeq, WRITER, limit))
                .map(rows -> {
                    Instant now = null;
                    List<StoredAttempt> attempts = new ArrayList<>();
                    for (Row row : rows) {
                        now = row.getOffsetDateTime("db_now").toInstant();
                        if (row.getUUID("id") != null) {
                            attempts.add(stored(row));
                        }
                    }
                    return new Changes(attempts, now);
                });
    }

    /** The database's clock: refreshes compare received_at with it, never with this machine's. */
    @Bulkhead
    @CircuitBreaker
    @Retry
    @Timeout
    public Uni<Instant> databaseNow() {
        return pool.query("SELECT now() AS db_now").execute()
                .map(rows -> rows.iterator().next().getOffsetDateTime("db_now").toInstant());
    }

    /**
     * Deletes up to {@code limit} attempts of one series that occurred before {@code before}, the oldest
     * first along {@code attempts_by_series}; answers how many. The index makes the last, short batch as cheap
     * as the others: a scan by time alone would walk the whole table to learn that nothing is left.
     */
    @Bulkhead
    @CircuitBreaker
    @Timeout
    public Uni<Integer> pruneBatch(SeriesKey key, Instant before, int limit) {
        return pool.preparedQuery("DELETE FROM attempts WHERE ctid = ANY(ARRAY(SELECT ctid FROM attempts"
                        + " WHERE environment = $1 AND operation = $2 AND occurred_at < $3"
                        + " ORDER BY occurred_at, seq LIMIT $4))")
                .execute(Tuple.of(key.environment(), key.operation().wireName(), utc(before), limit))
                .map(rows -> rows.rowCount());
    }

    /** What other replicas wrote since the last look, and the database time of this look. */
    public record Changes(List<StoredAttempt> attempts, Instant databaseNow) {
    }

    /** One attempt of a page, as the columns memory keeps. */
    @FunctionalInterface
    public interface AttemptColumns {
        void accept(long atMicros, long seq, double duration, double timeout, boolean success, boolean violation,
                String service);
    }

    private static Tuple arrays(List<Attempt> batch) {
        int n = batch.size();
        UUID[] ids = new UUID[n];
        String[] environments = new String[n];
        String[] operations = new String[n];
        Double[] durations = new Double[n];
        Boolean[] successes = new Boolean[n];
        Double[] timeouts = new Double[n];
        Boolean[] violations = new Boolean[n];
        String[] failureTypes = new String[n];
        String[] services = new String[n];
        String[] instances = new String[n];
        OffsetDateTime[] occurred = new OffsetDateTime[n];
        Integer[] policyVersions = new Integer[n];
        for (int i = 0; i < n; i++) {
            Attempt a = batch.get(i);
            ids[i] = a.id();
            environments[i] = a.environment();
            operations[i] = a.operation().wireName();
            durations[i] = a.durationSeconds();
            successes[i] = a.success();
            timeouts[i] = a.timeoutSeconds();
            violations[i] = a.violation();
            failureTypes[i] = a.failureType();
            services[i] = a.service();
            instances[i] = a.instance();
            occurred[i] = utc(a.occurredAt());
            policyVersions[i] = a.policyVersion();
        }
        return Tuple.tuple().addValue(ids).addValue(environments).addValue(operations).addValue(durations)
                .addValue(successes).addValue(timeouts).addValue(violations).addValue(failureTypes)
                .addValue(services).addValue(instances).addValue(occurred).addValue(policyVersions).addValue(WRITER);
    }

    private static StoredAttempt stored(Row row) {
        Attempt attempt = new Attempt(row.getUUID("id"), row.getString("environment"),
                Operation.fromWireName(row.getString("operation")).orElseThrow(),
                row.getDouble("duration_seconds"), row.getBoolean("success"), row.getDouble("timeout_seconds"),
                row.getBoolean("violation"), row.getString("failure_type"), row.getString("service"),
                row.getString("instance"), row.getOffsetDateTime("occurred_at").toInstant(),
                row.getInteger("policy_version"));
        return new StoredAttempt(attempt, row.getLong("seq"), row.getOffsetDateTime("received_at").toInstant());
    }

    private static long micros(OffsetDateTime time) {
        return time.toEpochSecond() * 1_000_000L + time.getNano() / 1_000;
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
