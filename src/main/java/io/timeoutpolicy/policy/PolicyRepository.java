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
import java.time.ZoneOffset;
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
