package io.timeoutpolicy.bypass;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.timeoutpolicy.platform.database.DatabaseFailures;
import io.timeoutpolicy.analysis.FailureAnalysis;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.eclipse.microprofile.faulttolerance.Bulkhead;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;

/** The audit log of bypass decisions in PostgreSQL. Rows are inserted once (idempotent by id), never updated. */
@ApplicationScoped
public class DecisionRepository {

    private static final String COLUMNS = "id, environment, bypass, rule, reason, degraded, critical_failures,"
            + " manual_override, failure_types, service, deployment, requested_by, requested_by_key, analysis,"
            + " policy_version, decided_at";

    private final Pool pool;
    private final ObjectMapper mapper;

    DecisionRepository(Pool pool, ObjectMapper mapper) {
        this.pool = pool;
        this.mapper = mapper;
    }

    /** Stores a decision; storing the same id again changes nothing, so a retry is safe. */
    @Bulkhead
    @CircuitBreaker
    @Retry
    @Timeout
    public Uni<Void> insert(BypassDecision d) {
        return DatabaseFailures.refusingContent(pool.preparedQuery("INSERT INTO bypass_decisions (" + COLUMNS + ") VALUES ($1, $2, $3, $4, $5, $6,"
                        + " $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) ON CONFLICT (id) DO NOTHING")
                .execute(Tuple.tuple().addValue(d.id()).addValue(d.environment()).addValue(d.bypass())
                        .addValue(d.rule()).addValue(d.reason()).addValue(d.degraded()).addValue(d.criticalFailures())
                        .addValue(d.manualOverride()).addValue(d.failureTypes().toArray(String[]::new))
                        .addValue(d.service()).addValue(d.deployment()).addValue(d.requestedBy())
                        .addValue(d.requestedByKey()).addValue(json(d.analysis())).addValue(d.policyVersion())
                        .addValue(utc(d.decidedAt())))
                .replaceWithVoid());
    }

    @Bulkhead
    @CircuitBreaker
    @Retry
    @Timeout
    public Uni<Optional<BypassDecision>> find(UUID id) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM bypass_decisions WHERE id = $1")
                .execute(Tuple.of(id))
                .map(rows -> StreamSupport.stream(rows.spliterator(), false).map(this::decision).findFirst());
    }

    /** Decisions matching the query, newest first, at most {@code limit + 1} (to tell if there is more). */
    @Bulkhead
    @CircuitBreaker
    @Retry
    @Timeout
    public Uni<List<BypassDecision>> list(DecisionQuery q) {
        return DatabaseFailures.refusingContent(pool.preparedQuery("SELECT " + COLUMNS + " FROM bypass_decisions"
                        + " WHERE ($1::text IS NULL OR environment = $1)"
                        + " AND ($2::text IS NULL OR service = $2)"
                        + " AND ($3::text IS NULL OR deployment = $3)"
                        + " AND ($4::boolean IS NULL OR bypass = $4)"
                        + " AND ($5::timestamptz IS NULL OR decided_at >= $5)"
                        + " AND ($6::timestamptz IS NULL OR decided_at < $6)"
                        + " AND ($7::timestamptz IS NULL OR (decided_at, id) < ($7, $8::uuid))"
                        + " ORDER BY decided_at DESC, id DESC LIMIT $9")
                .execute(Tuple.tuple().addValue(q.environment()).addValue(q.service()).addValue(q.deployment())
                        .addValue(q.bypass()).addValue(utc(q.since())).addValue(utc(q.until()))
                        .addValue(utc(q.afterDecidedAt())).addValue(q.afterId()).addValue(q.limit() + 1))
                .map(rows -> StreamSupport.stream(rows.spliterator(), false).map(this::decision).toList()));
    }

    private BypassDecision decision(Row row) {
        return new BypassDecision(row.getUUID("id"), row.getString("environment"), row.getBoolean("bypass"),
                row.getString("rule"), row.getString("reason"), row.getBoolean("degraded"),
                row.getInteger("critical_failures"), row.getBoolean("manual_override"),
                Arrays.asList(row.getArrayOfStrings("failure_types")), row.getString("service"),
                row.getString("deployment"), row.getString("requested_by"), row.getString("requested_by_key"),
                analysis(row.getJsonObject("analysis")), row.getInteger("policy_version"),
                row.getOffsetDateTime("decided_at").toInstant());
    }

    private JsonObject json(FailureAnalysis analysis) {
        try {
            return analysis == null ? null : new JsonObject(mapper.writeValueAsString(analysis));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("An analysis could not be written as JSON", e);
        }
    }

    private FailureAnalysis analysis(JsonObject json) {
        if (json == null) {
            return null;
        }
        try {
            return mapper.readValue(json.encode(), FailureAnalysis.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A stored analysis is unreadable", e);
        }
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
