package io.timeoutpolicy.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import io.timeoutpolicy.platform.database.DatabaseFailures;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import io.timeoutpolicy.platform.problem.ProblemException;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.pgclient.PgException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.function.Function;
import java.util.List;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.eclipse.microprofile.faulttolerance.Bulkhead;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;

/**
 * Policy versions in PostgreSQL. A version is never updated: a change inserts the next version, and the
 * primary key (environment, version) makes two concurrent writers of the same version lose and win
 * exactly once. Reads retry (they are idempotent); writes do not.
 *
 * <p>Guards, as SmallRye nests them: {@code Fallback(Retry(CircuitBreaker(Timeout(Bulkhead(call)))))}.
 * Retry (idempotent reads only) tries once more; each try passes the circuit breaker, which fails fast while
 * the database is known to be down and counts every try; the timeout bounds each try, waiting for the
 * bulkhead included; the bulkhead caps concurrent calls so a slow database cannot tie up every request.
 * Values: {@code quarkus.fault-tolerance.*} in application.properties.
 */
@ApplicationScoped
public class PolicyRepository {

    private static final String COLUMNS = "environment, version, document::text AS document, updated_at, updated_by";
    private static final String INSERT = "INSERT INTO policy_versions"
            + " (environment, version, document, updated_at, updated_by) VALUES ($1, $2, $3::jsonb, $4, $5)"
            + " ON CONFLICT (environment, version) DO NOTHING";
    private static final String READ_ONLY_FIELDS = "environment version updated_at updated_by";

    private static final String VERSION_COLUMNS = COLUMNS + ", status, rollout::text AS rollout,"
            + " status_reason::text AS status_reason, status_changed_at, status_changed_by";
    /** The rows a change decides on, locked so that concurrent changes of one environment take turns. */
    private static final String HEADS = "SELECT version, status FROM policy_versions WHERE environment = $1"
            + " AND status IN ('current', 'candidate') FOR UPDATE";
    private static final String SET_STATUS = "UPDATE policy_versions SET status = $3, status_reason = $4::jsonb,"
            + " status_changed_at = $5, status_changed_by = $6 WHERE environment = $1 AND version = $2";
    private static final String INSERT_NEXT = "INSERT INTO policy_versions"
            + " (environment, version, document, updated_at, updated_by, status, rollout)"
            + " SELECT $1, COALESCE(max(version), 0) + 1, $2::jsonb, $3, $4, $5, $6::jsonb FROM policy_versions"
            + " WHERE environment = $1 RETURNING version";
    private static final String UNIQUE_VIOLATION = "23505";

    /**
     * What one change of an environment's versions does, in this order: abort a candidate, supersede the
     * current version, make a candidate current, insert the next version. Null members do nothing.
     */
    public record Plan(Integer abort, String abortReason, Integer supersede, Integer promote, EnvironmentPolicy insert,
            VersionStatus insertStatus, Rollout rollout) {
    }

    /**
     * What a transition came to: the inserted version (0 when none), or the problem that refused it. A refusal is
     * an answer, not a failure: it must not count against the circuit breaker as an unavailable database would.
     */
    public record Outcome(int version, ProblemException refusal) {

        /** The inserted version; throws the refusal. */
        public int versionOrThrow() {
            if (refusal != null) {
                throw refusal;
            }
            return version;
        }
    }

    private final Pool pool;
    private final ObjectMapper mapper;

    PolicyRepository(Pool pool, ObjectMapper mapper) {
        this.pool = pool;
        this.mapper = mapper;
    }

    @Bulkhead
    @CircuitBreaker
    @Retry
    @Timeout
    public Uni<List<EnvironmentPolicy>> findAllCurrent() {
        return pool.query("SELECT " + COLUMNS + " FROM current_policies ORDER BY environment")
                .execute()
                .map(this::policies);
    }

    @Bulkhead
    @CircuitBreaker
    @Retry
    @Timeout
    public Uni<Optional<EnvironmentPolicy>> findCurrent(String environment) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM current_policies WHERE environment = $1")
                .execute(Tuple.of(environment))
                .map(rows -> policies(rows).stream().findFirst());
    }

    @Bulkhead
    @CircuitBreaker
    @Retry
    @Timeout
    public Uni<List<EnvironmentPolicy>> findVersions(String environment) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM policy_versions WHERE environment = $1"
                        + " ORDER BY version DESC")
                .execute(Tuple.of(environment))
                .map(this::policies);
    }

    /** Inserts a version; false when that version of the environment exists already. */
    @Bulkhead
    @CircuitBreaker
    @Timeout
    public Uni<Boolean> insertVersion(EnvironmentPolicy policy) {
        return DatabaseFailures.refusingContent(pool.preparedQuery(INSERT)
                .execute(row(policy))
                .map(rows -> rows.rowCount() == 1));
    }

    /**
     * Changes an environment's versions in one transaction: reads (and locks) its current version and candidate,
     * lets {@code decide} check the preconditions (it throws a problem to refuse) and plan the change, and makes
     * it. Answers the inserted version (0 when nothing was inserted) or the refusal. Two replicas changing one
     * environment at once take turns on the locked rows; the partial unique indexes (one current, one candidate)
     * back this up, and a change that loses to them is a 409.
     */
    @Bulkhead
    @CircuitBreaker
    @Timeout
    public Uni<Outcome> transition(String environment, Instant at, String by,
            Function<CandidateRules.Heads, Plan> decide) {
        return pool.withTransaction(connection -> connection.preparedQuery(HEADS).execute(Tuple.of(environment))
                .chain(rows -> {
                    int current = 0;
                    Integer candidate = null;
                    for (Row row : rows) {
                        if ("current".equals(row.getString("status"))) {
                            current = row.getInteger("version");
                        } else {
                            candidate = row.getInteger("version");
                        }
                    }
                    Plan plan;
                    try {
                        plan = decide.apply(new CandidateRules.Heads(environment, current, candidate));
                    } catch (ProblemException refused) {
                        return Uni.createFrom().item(new Outcome(0, refused));
                    }
                    return apply(connection, environment, at, by, plan).map(version -> new Outcome(version, null));
                }))
                .onFailure(failure -> failure instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState()))
                .recoverWithItem(() -> new Outcome(0, ProblemException.conflict("concurrent-change", "The versions of '"
                        + environment + "' were changed concurrently; read them again and retry")));
    }

    private Uni<Integer> apply(SqlConnection connection, String environment, Instant at, String by, Plan plan) {
        OffsetDateTime when = at.atOffset(ZoneOffset.UTC);
        Uni<Void> steps = Uni.createFrom().voidItem();
        if (plan.abort() != null) {
            steps = steps.chain(() -> setStatus(connection, environment, plan.abort(), VersionStatus.ABORTED,
                    plan.abortReason(), when, by));
        }
        if (plan.supersede() != null) {
            steps = steps.chain(() -> setStatus(connection, environment, plan.supersede(), VersionStatus.SUPERSEDED,
                    null, when, by));
        }
        if (plan.promote() != null) {
            steps = steps.chain(() -> setStatus(connection, environment, plan.promote(), VersionStatus.CURRENT, null,
                    when, by));
        }
        if (plan.insert() == null) {
            return steps.replaceWith(0);
        }
        return steps.chain(() -> connection.preparedQuery(INSERT_NEXT).execute(Tuple.tuple().addValue(environment)
                        .addValue(document(plan.insert())).addValue(when).addValue(by)
                        .addValue(plan.insertStatus().wireName())
                        .addValue(plan.rollout() == null ? null : new JsonObject(json(plan.rollout())))))
                .map(rows -> rows.iterator().next().getInteger("version"));
    }

    private static Uni<Void> setStatus(SqlConnection connection, String environment, int version, VersionStatus status,
            String reason, OffsetDateTime at, String by) {
        return connection.preparedQuery(SET_STATUS).execute(Tuple.tuple().addValue(environment).addValue(version)
                .addValue(status.wireName()).addValue(reason == null ? null : new JsonObject(reason)).addValue(at)
                .addValue(by)).replaceWithVoid();
    }

    /**
     * The guard's rollback (SPEC 10.2): true for the one caller that changed the candidate; a promotion, an
     * abort or another replica's rollback that came first leaves nothing to change.
     */
    @Bulkhead
    @CircuitBreaker
    @Timeout
    public Uni<Boolean> rollBack(String environment, int version, String reason, Instant at) {
        return pool.preparedQuery(SET_STATUS + " AND status = 'candidate'").execute(Tuple.tuple()
                        .addValue(environment).addValue(version).addValue(VersionStatus.ROLLED_BACK.wireName())
                        .addValue(new JsonObject(reason)).addValue(at.atOffset(ZoneOffset.UTC)).addValue("guard"))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Every environment's candidate. */
    @Bulkhead
    @CircuitBreaker
    @Retry
    @Timeout
    public Uni<List<StoredVersion>> findAllCandidates() {
        return pool.query("SELECT " + VERSION_COLUMNS + " FROM policy_versions WHERE status = 'candidate'")
                .execute()
                .map(rows -> StreamSupport.stream(rows.spliterator(), false).map(this::stored).toList());
    }

    @Bulkhead
    @CircuitBreaker
    @Retry
    @Timeout
    public Uni<Optional<StoredVersion>> findCandidate(String environment) {
        return pool.preparedQuery("SELECT " + VERSION_COLUMNS + " FROM policy_versions WHERE environment = $1"
                        + " AND status = 'candidate'")
                .execute(Tuple.of(environment))
                .map(rows -> StreamSupport.stream(rows.spliterator(), false).map(this::stored).findFirst());
    }

    /** Every version of an environment with its status, newest first. */
    @Bulkhead
    @CircuitBreaker
    @Retry
    @Timeout
    public Uni<List<StoredVersion>> findVersionsWithStatus(String environment) {
        return pool.preparedQuery("SELECT " + VERSION_COLUMNS + " FROM policy_versions WHERE environment = $1"
                        + " ORDER BY version DESC")
                .execute(Tuple.of(environment))
                .map(rows -> StreamSupport.stream(rows.spliterator(), false).map(this::stored).toList());
    }

    /** Inserts version 1 of each environment that has none; a restart never duplicates or overwrites. */
    @Bulkhead
    @CircuitBreaker
    @Retry
    @Timeout
    public Uni<Void> seed(List<EnvironmentPolicy> builtIn) {
        return DatabaseFailures.refusingContent(pool.preparedQuery(INSERT)
                .executeBatch(builtIn.stream().map(this::row).toList())
                .replaceWithVoid());
    }

    private Tuple row(EnvironmentPolicy policy) {
        return Tuple.of(policy.environment(), policy.version(), document(policy),
                policy.updatedAt().atOffset(ZoneOffset.UTC), policy.updatedBy());
    }

    /** The groups of a policy; the identifying and audit fields are columns of their own. */
    private JsonObject document(EnvironmentPolicy policy) {
        ObjectNode node = mapper.valueToTree(policy);
        node.remove(List.of(READ_ONLY_FIELDS.split(" ")));
        return new JsonObject(node.toString());
    }

    private StoredVersion stored(Row row) {
        try {
            String rollout = row.getString("rollout");
            String reason = row.getString("status_reason");
            OffsetDateTime changedAt = row.getOffsetDateTime("status_changed_at");
            return new StoredVersion(policy(row), VersionStatus.fromWireName(row.getString("status")),
                    rollout == null ? null : mapper.readValue(rollout, Rollout.class),
                    reason == null ? null : mapper.readTree(reason), changedAt == null ? null : changedAt.toInstant(),
                    row.getString("status_changed_by"));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored version of " + row.getString("environment") + " is unreadable", e);
        }
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<EnvironmentPolicy> policies(RowSet<Row> rows) {
        return StreamSupport.stream(rows.spliterator(), false).map(this::policy).toList();
    }

    private EnvironmentPolicy policy(Row row) {
        try {
            ObjectNode node = (ObjectNode) mapper.readTree(row.getString("document"));
            node.put("environment", row.getString("environment"));
            node.put("version", row.getInteger("version"));
            node.put("updated_at", row.getOffsetDateTime("updated_at").toInstant().toString());
            node.put("updated_by", row.getString("updated_by"));
            return mapper.treeToValue(node, EnvironmentPolicy.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored policy of " + row.getString("environment") + " is unreadable", e);
        }
    }
}
