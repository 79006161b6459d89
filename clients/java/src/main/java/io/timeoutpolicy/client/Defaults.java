package io.timeoutpolicy.client;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The built-in answer when neither the service nor the cache can answer: SPEC 3's numbers, computed as the
 * service computes them for a default policy without history (SPEC 4.2 steps 1, 2 and 4) — the same numbers as
 * the Python client. A non-Cloud-SQL environment gets its base timeouts (branch {@code static}); a Cloud SQL one
 * (staging, production) base × {@code insufficient_data_factor} 1.2; pressure indicators multiply on top.
 */
final class Defaults {

    static final Map<String, Timeouts> BASE_TIMEOUTS = Map.of(
            "development", new Timeouts(30.0, 15.0, 20.0, 30.0, 10.0),
            "test", new Timeouts(20.0, 10.0, 15.0, 20.0, 5.0),
            "staging", new Timeouts(95.0, 35.0, 75.0, 60.0, 30.0),
            "production", new Timeouts(90.0, 45.0, 60.0, 70.0, 30.0));
    static final Set<String> CLOUD_SQL = Set.of("staging", "production");

    static final Retry CLOUD_SQL_RETRY = new Retry(5, 2.0, 30.0, 2.0, true);
    static final Retry LOCAL_RETRY = new Retry(3, 1.0, 10.0, 2.0, true);
    static final Pool CLOUD_SQL_POOL = new Pool(10, 15, 120.0, 1800, true);
    static final Pool LOCAL_POOL = new Pool(5, 10, 30.0, 3600, true);

    /** SPEC 3.1: below min_samples a Cloud SQL environment's base is multiplied by this. */
    static final double CLOUD_SQL_INSUFFICIENT_DATA_FACTOR = 1.2;

    /** SPEC 3: samples needed before a Cloud SQL (min_samples) or another environment (min_samples_local) adapts. */
    static final int MIN_SAMPLES = 5;
    static final int MIN_SAMPLES_LOCAL = 10;

    /** SPEC 4.2 step 4: the default pressure multipliers, indicator → (operation, factor). */
    private static final Map<String, Map.Entry<String, Double>> PRESSURE_MULTIPLIERS = Map.of(
            "vpc_connector_scaling", Map.entry("connection", 1.5),
            "cloud_sql_capacity_pressure", Map.entry("initialization", 1.2));

    private Defaults() {
    }

    static boolean known(String environment) {
        return BASE_TIMEOUTS.containsKey(environment);
    }

    /** The built-in start-up configuration; {@code fallback} for an environment SPEC 3 does not know. */
    static StartupConfig startupConfig(String environment, List<String> pressure, String error, Fallback fallback) {
        Fallback values = fallback != null ? fallback
                : new Fallback(BASE_TIMEOUTS.get(environment), CLOUD_SQL.contains(environment));
        List<String> applied = pressure.stream().filter(PRESSURE_MULTIPLIERS::containsKey).toList();
        Map<String, Explanation> explanations = explanations(values, applied);
        // Each timeout is what its explanation says: base × multiplier × pressure (no buffers without history).
        Timeouts effective = Timeouts.of(operation -> {
            Explanation e = explanations.get(operation + "_timeout");
            return e.base() * e.multiplier() * e.pressureFactor();
        });
        return new StartupConfig(environment, null, true, Source.DEFAULTS, effective, values.baseTimeouts(),
                explanations, "heuristic", values.cloudSql(), 0, applied, null,
                values.cloudSql() ? CLOUD_SQL_RETRY : LOCAL_RETRY, values.cloudSql() ? CLOUD_SQL_POOL : LOCAL_POOL,
                Circuit.closed(environment), null, error);
    }

    /** Each timeout's calculation, in the service's words (and the Python client's), marked as the built-in one. */
    private static Map<String, Explanation> explanations(Fallback values, List<String> applied) {
        Map<String, Explanation> explanations = new LinkedHashMap<>();
        for (String operation : Timeouts.OPERATIONS) {
            String key = operation + "_timeout";
            double base = values.baseTimeouts().forOperation(operation);
            double multiplier = values.cloudSql() ? CLOUD_SQL_INSUFFICIENT_DATA_FACTOR : 1.0;
            StringBuilder text = new StringBuilder(key + ": base " + base + "s");
            text.append(values.cloudSql()
                    ? " × " + multiplier + " (insufficient data: 0 of " + MIN_SAMPLES + " samples) = "
                            + base * multiplier + "s"
                    : " (static: not a Cloud SQL environment and 0 of " + MIN_SAMPLES_LOCAL
                            + " samples needed to adapt)");
            double value = base * multiplier;
            double factor = 1.0;
            for (String indicator : applied) {
                Map.Entry<String, Double> step = PRESSURE_MULTIPLIERS.get(indicator);
                if (step.getKey().equals(operation)) {
                    factor *= step.getValue();
                    value *= step.getValue();
                    text.append("; × ").append(step.getValue()).append(" for pressure (").append(indicator)
                            .append(") = ").append(value).append("s");
                }
            }
            text.append(" [built-in default of the Java client]");
            explanations.put(key, new Explanation(values.cloudSql() ? "insufficient_data" : "static", base, multiplier,
                    0.0, 0.0, factor, 0, text.toString()));
        }
        return Collections.unmodifiableMap(explanations);
    }
}
