package io.timeoutpolicy.quarkus;

import io.timeoutpolicy.client.StartupConfig;
import io.timeoutpolicy.client.integration.Knob;
import io.timeoutpolicy.client.integration.Knobs;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * SPEC 9.2 for Quarkus, pure: the served values as the properties of the default datasource. Durations are ISO-8601
 * to the millisecond (rounded up), pgJDBC's timeouts integer seconds rounded up. The reactive client's connect
 * timeout and pool wait have no Quarkus property in 3.34: {@link TimeoutPolicyPgPoolCreator} sets them.
 */
public final class QuarkusKnobs {

    public static final String JDBC = "quarkus.datasource.jdbc.";
    public static final String REACTIVE = "quarkus.datasource.reactive.";

    private QuarkusKnobs() {
    }

    /** Property name → the knob it carries (applied value in the knob's unit). */
    public static Map<String, Knob> properties(StartupConfig config) {
        Map<String, Knob> properties = new LinkedHashMap<>();
        Knobs.PgJdbcKnobs pg = Knobs.pgJdbc(config);
        properties.put(JDBC + "acquisition-timeout", Knobs.millis("acquisition-timeout", "pool_timeout",
                config.timeouts().poolTimeout(), 1));
        properties.put(JDBC + "additional-jdbc-properties.connectTimeout", pg.connectTimeout());
        properties.put(JDBC + "additional-jdbc-properties.loginTimeout", pg.loginTimeout());
        // Quarkus hands Agroal's validator whole seconds, truncated: rounded up here so 1.5 s is not 1 (or 0.5 s 0)
        properties.put(JDBC + "validation-query-timeout", Knobs.wholeSeconds("validation-query-timeout",
                "health_check_timeout", config.timeouts().healthCheckTimeout(), 1));
        int size = Math.max(1, config.pool().poolSize() + Math.max(0, config.pool().maxOverflow()));
        Knob maxSize = new Knob("max-size", "pool_size + max_overflow", size, size, "connections", null);
        properties.put(JDBC + "max-size", maxSize);
        properties.put(REACTIVE + "max-size", maxSize);
        if (config.pool().poolRecycle() > 0) {
            Knob lifetime = new Knob("max-lifetime", "pool_recycle", config.pool().poolRecycle(),
                    config.pool().poolRecycle() * 1000L, "ms", null);
            properties.put(JDBC + "max-lifetime", lifetime);
            properties.put(REACTIVE + "max-lifetime", lifetime);
        }
        return properties;
    }

    /** The text of a property's value: ISO-8601 for Quarkus durations, a number for pgJDBC's and sizes. */
    public static String text(String property, Knob knob) {
        if (knob.unit().equals("ms")) {
            return Duration.ofMillis(knob.applied()).toString();
        }
        if (knob.unit().equals("s") && !property.contains("additional-jdbc-properties")) {
            return Duration.ofSeconds(knob.applied()).toString();
        }
        return String.valueOf(knob.applied());
    }
}
