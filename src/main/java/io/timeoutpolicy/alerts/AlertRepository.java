package io.timeoutpolicy.alerts;

import io.smallrye.mutiny.Uni;
import io.timeoutpolicy.platform.database.DatabaseFailures;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.eclipse.microprofile.faulttolerance.Bulkhead;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;

/** Alerts in PostgreSQL: a repeat within the cooldown updates the alert every replica sees. */
@ApplicationScoped
public class AlertRepository {

    private static final String COLUMNS = "id, environment, operation, level, type, message, value, threshold,"
            + " first_seen, last_seen, occurrences";

    private final Pool pool;

    AlertRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * Counts {@code occurrences} repeats of a signal seen at {@code now}: onto the alert of the same key last
     * seen after {@code cooldownStart}, else as a new alert. One statement, so it is one decision.
     */
    @Bulkhead
    @CircuitBreaker
    @Timeout
    public Uni<Alert> raise(AlertSignal signal, int occurrences, Instant now, Instant cooldownStart) {
        return DatabaseFailures.refusingContent(pool.preparedQuery("WITH repeated AS (UPDATE alerts SET occurrences = occurrences + $10,"
                        + " last_seen = $9, value = $7, message = $6 WHERE id = (SELECT id FROM alerts"
                        + " WHERE environment = $2 AND operation = $3 AND type = $5 AND level = $4 AND last_seen > $11"
                        + " ORDER BY last_seen DESC LIMIT 1) RETURNING " + COLUMNS + "),"
                        + " created AS (INSERT INTO alerts (" + COLUMNS + ") SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9,"
                        + " $9, $10 WHERE NOT EXISTS (SELECT 1 FROM repeated) RETURNING " + COLUMNS + ")"
                        + " SELECT * FROM repeated UNION ALL SELECT * FROM created")
                .execute(Tuple.tuple().addValue(UUID.randomUUID()).addValue(signal.environment())
                        .addValue(signal.operation()).addValue(signal.level()).addValue(signal.type())
                        .addValue(signal.message()).addValue(signal.value()).addValue(signal.threshold())
                        .addValue(utc(now)).addValue(occurrences).addValue(utc(cooldownStart)))
                .map(rows -> alert(rows.iterator().next())));
    }

    /** Alerts last seen at or after {@code since}, newest first. */
    @Bulkhead
    @CircuitBreaker
    @Retry
    @Timeout
    public Uni<List<Alert>> list(String environment, String level, Instant since, int limit) {
        return DatabaseFailures.refusingContent(pool.preparedQuery("SELECT " + COLUMNS + " FROM alerts WHERE ($1::text IS NULL OR environment = $1)"
                        + " AND ($2::text IS NULL OR level = $2) AND ($3::timestamptz IS NULL OR last_seen >= $3)"
                        + " ORDER BY last_seen DESC, id DESC LIMIT $4")
                .execute(Tuple.tuple().addValue(environment).addValue(level).addValue(utc(since)).addValue(limit))
                .map(rows -> StreamSupport.stream(rows.spliterator(), false).map(AlertRepository::alert).toList()));
    }

    private static Alert alert(Row row) {
        return new Alert(row.getUUID("id"), row.getString("environment"), row.getString("operation"),
                row.getString("level"), row.getString("type"), row.getString("message"), row.getDouble("value"),
                row.getDouble("threshold"), row.getOffsetDateTime("first_seen").toInstant(),
                row.getOffsetDateTime("last_seen").toInstant(), row.getInteger("occurrences"));
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
