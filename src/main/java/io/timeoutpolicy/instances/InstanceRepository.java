package io.timeoutpolicy.instances;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.StreamSupport;
import org.eclipse.microprofile.faulttolerance.Bulkhead;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;

/** Instances in PostgreSQL (SPEC 10.3): every replica adds what it saw; the newer fact wins. */
@ApplicationScoped
public class InstanceRepository {

    private static final String UPSERT = "INSERT INTO instances (environment, instance, service, last_seen,"
            + " served_version, served_at, reported_version, reported_at)"
            + " SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::int[],"
            + " $6::timestamptz[], $7::int[], $8::timestamptz[])"
            + " ON CONFLICT (environment, instance) DO UPDATE SET"
            + " service = COALESCE(EXCLUDED.service, instances.service),"
            + " last_seen = GREATEST(instances.last_seen, EXCLUDED.last_seen),"
            + " served_version = CASE WHEN EXCLUDED.served_at > instances.served_at OR instances.served_at IS NULL"
            + " THEN COALESCE(EXCLUDED.served_version, instances.served_version) ELSE instances.served_version END,"
            + " served_at = GREATEST(instances.served_at, EXCLUDED.served_at),"
            + " reported_version = CASE WHEN EXCLUDED.reported_at > instances.reported_at"
            + " OR instances.reported_at IS NULL THEN COALESCE(EXCLUDED.reported_version, instances.reported_version)"
            + " ELSE instances.reported_version END,"
            + " reported_at = GREATEST(instances.reported_at, EXCLUDED.reported_at)";
    /** The least recently seen beyond the bound are forgotten (SPEC 10.3). */
    private static final String FORGET = "DELETE FROM instances WHERE environment = $1 AND last_seen <"
            + " (SELECT last_seen FROM instances WHERE environment = $1 ORDER BY last_seen DESC OFFSET $2 LIMIT 1)";

    private final Pool pool;

    InstanceRepository(Pool pool) {
        this.pool = pool;
    }

    @Bulkhead
    @CircuitBreaker
    @Timeout
    public Uni<Void> add(Collection<Sighting> sightings, Collection<String> environments, int limit) {
        List<String> envs = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<String> services = new ArrayList<>();
        List<OffsetDateTime> seen = new ArrayList<>();
        List<Integer> served = new ArrayList<>();
        List<OffsetDateTime> servedAt = new ArrayList<>();
        List<Integer> reported = new ArrayList<>();
        List<OffsetDateTime> reportedAt = new ArrayList<>();
        for (Sighting s : sightings) {
            envs.add(s.environment());
            names.add(s.instance());
            services.add(s.service());
            seen.add(utc(s.lastSeen()));
            served.add(s.servedVersion());
            servedAt.add(utc(s.servedAt()));
            reported.add(s.reportedVersion());
            reportedAt.add(utc(s.reportedAt()));
        }
        Tuple rows = Tuple.tuple().addArrayOfString(envs.toArray(String[]::new))
                .addArrayOfString(names.toArray(String[]::new)).addArrayOfString(services.toArray(String[]::new))
                .addArrayOfOffsetDateTime(seen.toArray(OffsetDateTime[]::new))
                .addArrayOfInteger(served.toArray(Integer[]::new))
                .addArrayOfOffsetDateTime(servedAt.toArray(OffsetDateTime[]::new))
                .addArrayOfInteger(reported.toArray(Integer[]::new))
                .addArrayOfOffsetDateTime(reportedAt.toArray(OffsetDateTime[]::new));
        return pool.withTransaction(connection -> connection.preparedQuery(UPSERT).execute(rows)
                .chain(() -> connection.preparedQuery(FORGET).executeBatch(environments.stream()
                        .map(environment -> Tuple.of(environment, limit)).toList()))).replaceWithVoid();
    }

    /** An environment's instances seen at or after {@code since}, newest first, at most {@code limit}. */
    @Bulkhead
    @CircuitBreaker
    @Retry
    @Timeout
    public Uni<List<Sighting>> list(String environment, Instant since, int limit) {
        return pool.preparedQuery("SELECT environment, instance, service, last_seen, served_version, served_at,"
                        + " reported_version, reported_at FROM instances WHERE environment = $1 AND last_seen >= $2"
                        + " ORDER BY last_seen DESC, instance LIMIT $3")
                .execute(Tuple.of(environment, utc(since), limit))
                .map(rows -> StreamSupport.stream(rows.spliterator(), false).map(InstanceRepository::sighting)
                        .toList());
    }

    private static Sighting sighting(Row row) {
        return new Sighting(row.getString("environment"), row.getString("instance"), row.getString("service"),
                instant(row.getOffsetDateTime("last_seen")), row.getInteger("served_version"),
                instant(row.getOffsetDateTime("served_at")), row.getInteger("reported_version"),
                instant(row.getOffsetDateTime("reported_at")));
    }

    private static Instant instant(OffsetDateTime at) {
        return at == null ? null : at.toInstant();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
