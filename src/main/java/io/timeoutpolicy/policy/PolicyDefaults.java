package io.timeoutpolicy.policy;

import io.timeoutpolicy.policy.EnvironmentPolicy.Adaptive;
import io.timeoutpolicy.policy.EnvironmentPolicy.Alerts;
import io.timeoutpolicy.policy.EnvironmentPolicy.Assessment;
import io.timeoutpolicy.policy.EnvironmentPolicy.BaseTimeouts;
import io.timeoutpolicy.policy.EnvironmentPolicy.Bypass;
import io.timeoutpolicy.policy.EnvironmentPolicy.Circuit;
import io.timeoutpolicy.policy.EnvironmentPolicy.Percentile;
import io.timeoutpolicy.policy.EnvironmentPolicy.Pool;
import io.timeoutpolicy.policy.EnvironmentPolicy.Retry;
import io.timeoutpolicy.policy.EnvironmentPolicy.VpcConnector;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The defaults of SPEC 3: the four built-in environments, and the values that fill the groups a new
 * environment leaves out. The only place where these numbers live.
 */
public final class PolicyDefaults {

    public static final String SYSTEM = "system";
    public static final String VPC_CONNECTOR_SCALING = "vpc_connector_scaling";
    public static final String CLOUD_SQL_CAPACITY_PRESSURE = "cloud_sql_capacity_pressure";
    public static final List<String> INFRASTRUCTURE_FAILURE_TYPES =
            List.of("database_timeout", "vpc_connector", "cloud_sql_capacity");

    private static final Retry CLOUD_SQL_RETRY = new Retry(5, 2.0, 30.0, 2.0, true);
    private static final Retry LOCAL_RETRY = new Retry(3, 1.0, 10.0, 2.0, true);
    private static final Pool CLOUD_SQL_POOL = new Pool(10, 15, 120.0, 1800, true);
    private static final Pool LOCAL_POOL = new Pool(5, 10, 30.0, 3600, true);
    private static final VpcConnector CLOUD_SQL_VPC = new VpcConnector(true, 20.0, 0.2);
    private static final VpcConnector LOCAL_VPC = new VpcConnector(false, 20.0, 0.2);
    private static final Percentile PERCENTILE = new Percentile(0.001, 0.2, 0.5, 3.0, 50);
    private static final Circuit CIRCUIT = new Circuit(5, 60.0);
    private static final Alerts ALERTS = new Alerts(Duration.ofMinutes(5));
    private static final Assessment STAGING_ASSESSMENT = new Assessment(5.0, 12.0, 20.0);
    private static final Assessment PRODUCTION_ASSESSMENT = new Assessment(8.0, 48.0, 57.0);

    private PolicyDefaults() {
    }

    /** The four environments the service is seeded with, as version 1. */
    public static List<EnvironmentPolicy> builtIn(Instant at) {
        return List.of(
                policy("development", false, new BaseTimeouts(30, 15, 20, 30, 10), bypass(5, 2, 3, 0), null, at),
                policy("test", false, new BaseTimeouts(20, 10, 15, 20, 5), bypass(5, 2, 3, 0), null, at),
                policy("staging", true, new BaseTimeouts(95, 35, 75, 60, 30), bypass(5, 3, 2, 3),
                        STAGING_ASSESSMENT, at),
                policy("production", true, new BaseTimeouts(90, 45, 60, 70, 30), bypass(5, 1, 1, 0),
                        PRODUCTION_ASSESSMENT, at));
    }

    /**
     * A complete policy for an environment created with only its Cloud SQL flag and base timeouts:
     * the "a new environment" column, and the staging values for Cloud SQL.
     */
    public static EnvironmentPolicy forNewEnvironment(String environment, boolean cloudSql, BaseTimeouts base) {
        return policy(environment, cloudSql, base, bypass(5, 2, 0, 0), cloudSql ? STAGING_ASSESSMENT : null,
                Instant.EPOCH);
    }

    private static EnvironmentPolicy policy(String environment, boolean cloudSql, BaseTimeouts base, Bypass bypass,
            Assessment assessment, Instant at) {
        return new EnvironmentPolicy(environment, 1, cloudSql, base,
                cloudSql ? CLOUD_SQL_RETRY : LOCAL_RETRY,
                cloudSql ? CLOUD_SQL_POOL : LOCAL_POOL,
                cloudSql ? CLOUD_SQL_VPC : LOCAL_VPC,
                pressureMultipliers(),
                adaptive(cloudSql),
                bypass, CIRCUIT, ALERTS, assessment, at, SYSTEM);
    }

    private static Map<String, Map<String, Double>> pressureMultipliers() {
        Map<String, Map<String, Double>> multipliers = new LinkedHashMap<>();
        multipliers.put(VPC_CONNECTOR_SCALING, Map.of(Operation.CONNECTION.timeoutKey(), 1.5));
        multipliers.put(CLOUD_SQL_CAPACITY_PRESSURE, Map.of(Operation.INITIALIZATION.timeoutKey(), 1.2));
        return Collections.unmodifiableMap(multipliers);
    }

    private static Adaptive adaptive(boolean cloudSql) {
        return new Adaptive(Strategy.HEURISTIC, 5, 10, cloudSql ? 1.2 : 1.1, Duration.ofHours(24), PERCENTILE);
    }

    private static Bypass bypass(int permissive, int conditional, int basic, int infrastructure) {
        return new Bypass(permissive, conditional, basic, infrastructure, INFRASTRUCTURE_FAILURE_TYPES);
    }
}
