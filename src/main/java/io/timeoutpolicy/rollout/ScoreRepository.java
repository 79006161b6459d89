package io.timeoutpolicy.rollout;

import io.smallrye.mutiny.Uni;
import io.timeoutpolicy.policy.Operation;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.faulttolerance.Bulkhead;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;

/**
 * Candidate scores in PostgreSQL, summed over every replica: each adds what it scored since its last flush
 * (an upsert that adds, so replicas never overwrite each other). Adding is not idempotent: no retry.
 */
@ApplicationScoped
public class ScoreRepository {

    private static final String ADD_KEYS = "INSERT INTO candidate_key_scores (environment, version, key, attempts,"
            + " violations_current, violations_candidate, timeout_current_sum, timeout_candidate_sum)"
            + " SELECT $1, $2, * FROM unnest($3::text[], $4::bigint[], $5::bigint[], $6::bigint[], $7::float8[],"
            + " $8::float8[]) ON CONFLICT (environment, version, key) DO UPDATE SET"
            + " attempts = candidate_key_scores.attempts + EXCLUDED.attempts,"
            + " violations_current = candidate_key_scores.violations_current + EXCLUDED.violations_current,"
            + " violations_candidate = candidate_key_scores.violations_candidate + EXCLUDED.violations_candidate,"
            + " timeout_current_sum = candidate_key_scores.timeout_current_sum + EXCLUDED.timeout_current_sum,"
            + " timeout_candidate_sum = candidate_key_scores.timeout_candidate_sum + EXCLUDED.timeout_candidate_sum";
    private static final String ADD_COHORTS = "INSERT INTO candidate_cohorts (environment, version, cohort, attempts,"
            + " violations, failures) SELECT $1, $2, * FROM unnest($3::text[], $4::bigint[], $5::bigint[],"
            + " $6::bigint[]) ON CONFLICT (environment, version, cohort) DO UPDATE SET"
            + " attempts = candidate_cohorts.attempts + EXCLUDED.attempts,"
            + " violations = candidate_cohorts.violations + EXCLUDED.violations,"
            + " failures = candidate_cohorts.failures + EXCLUDED.failures";
    private static final String[] COHORTS = {"canary", "control"};

    private final Pool pool;

    ScoreRepository(Pool pool) {
        this.pool = pool;
    }

    @Bulkhead
    @CircuitBreaker
    @Timeout
    public Uni<Void> add(String environment, int version, Tally delta) {
        int n = Tally.OPERATIONS;
        String[] keys = new String[n];
        Long[] attempts = new Long[n];
        Long[] current = new Long[n];
        Long[] candidate = new Long[n];
        Double[] currentSum = new Double[n];
        Double[] candidateSum = new Double[n];
        for (Operation operation : Operation.values()) {
            int o = operation.ordinal();
            keys[o] = operation.timeoutKey();
            attempts[o] = delta.attempts[o];
            current[o] = delta.violationsCurrent[o];
            candidate[o] = delta.violationsCandidate[o];
            currentSum[o] = delta.timeoutCurrent[o];
            candidateSum[o] = delta.timeoutCandidate[o];
        }
        Tuple keyRows = Tuple.tuple().addValue(environment).addValue(version).addArrayOfString(keys)
                .addArrayOfLong(attempts).addArrayOfLong(current).addArrayOfLong(candidate)
                .addArrayOfDouble(currentSum).addArrayOfDouble(candidateSum);
        Tuple cohortRows = Tuple.tuple().addValue(environment).addValue(version).addArrayOfString(COHORTS)
                .addArrayOfLong(new Long[] {delta.cohorts[0][0], delta.cohorts[1][0]})
                .addArrayOfLong(new Long[] {delta.cohorts[0][1], delta.cohorts[1][1]})
                .addArrayOfLong(new Long[] {delta.cohorts[0][2], delta.cohorts[1][2]});
        return pool.withTransaction(connection -> connection.preparedQuery(ADD_KEYS).execute(keyRows)
                .chain(() -> connection.preparedQuery(ADD_COHORTS).execute(cohortRows))).replaceWithVoid();
    }

    /** A candidate's score as every replica has flushed it. */
    @Bulkhead
    @CircuitBreaker
    @Retry
    @Timeout
    public Uni<Score> read(String environment, int version) {
        Tuple which = Tuple.of(environment, version);
        return pool.preparedQuery("SELECT key, attempts, violations_current, violations_candidate,"
                        + " timeout_current_sum, timeout_candidate_sum FROM candidate_key_scores"
                        + " WHERE environment = $1 AND version = $2").execute(which)
                .chain(keyRows -> pool.preparedQuery("SELECT cohort, attempts, violations, failures"
                                + " FROM candidate_cohorts WHERE environment = $1 AND version = $2").execute(which)
                        .map(cohortRows -> {
                            Map<String, Row> byKey = new LinkedHashMap<>();
                            keyRows.forEach(row -> byKey.put(row.getString("key"), row));
                            Map<String, Score.KeyScore> keys = new LinkedHashMap<>();
                            for (Operation operation : Operation.values()) {
                                Row row = byKey.get(operation.timeoutKey());
                                keys.put(operation.timeoutKey(), row == null ? Score.KeyScore.of(0, 0, 0, 0, 0)
                                        : Score.KeyScore.of(row.getLong("attempts"), row.getLong("violations_current"),
                                                row.getLong("violations_candidate"),
                                                row.getDouble("timeout_current_sum"),
                                                row.getDouble("timeout_candidate_sum")));
                            }
                            Score.Cohort canary = Score.Cohort.of(0, 0, 0);
                            Score.Cohort control = Score.Cohort.of(0, 0, 0);
                            for (Row row : cohortRows) {
                                Score.Cohort cohort = Score.Cohort.of(row.getLong("attempts"),
                                        row.getLong("violations"), row.getLong("failures"));
                                if ("canary".equals(row.getString("cohort"))) {
                                    canary = cohort;
                                } else {
                                    control = cohort;
                                }
                            }
                            return new Score(keys, new Score.Cohorts(canary, control));
                        }));
    }
}
