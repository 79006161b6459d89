package io.timeoutpolicy.quarkus;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.common.MapBackedConfigSource;
import io.timeoutpolicy.client.integration.Knob;
import io.timeoutpolicy.client.integration.Served;
import io.timeoutpolicy.client.integration.TimeoutPolicyIntegration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * The served values as configuration of the default datasource (SPEC 9.2), at ordinal {@value #ORDINAL}: above
 * the extensions' defaults, below {@code application.properties} (250), environment variables (300) and system
 * properties (400), so that whatever the application set itself wins — and the log says so. Reads
 * TIMEOUT_POLICY_URL, _ENVIRONMENT, _KEY, _SERVICE, _INSTANCE (or {@code timeout-policy.url} … in any other
 * source); without an environment it adds nothing.
 */
public final class TimeoutPolicyConfigSourceFactory implements ConfigSourceFactory {

    public static final int ORDINAL = 200;
    public static final String NAME = "TimeoutPolicyConfigSource";
    /** The reporting driver (pgJDBC inside); a build-time property, set unless the application chose a driver. */
    static final String DRIVER = "quarkus.datasource.jdbc.driver";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        Function<String, String> variables = name -> {
            ConfigValue value = context.getValue(name.toLowerCase(Locale.ROOT).replace("timeout_policy_", "timeout-policy.")
                    .replace('_', '-'));
            return value == null || value.getValue() == null || value.getValue().isBlank() ? null : value.getValue();
        };
        Map<String, String> values = new LinkedHashMap<>();
        // also at build time (the driver is a build-time property), when no environment may be named yet; only
        // for PostgreSQL, and never over a driver the application chose
        if (postgres(context) && !explicit(context, DRIVER)) {
            values.put(DRIVER, TimeoutPolicyDriver.class.getName());
        }
        QuarkusIntegration quarkus = variables.apply("TIMEOUT_POLICY_ENVIRONMENT") == null ? null
                : QuarkusIntegration.get(variables);
        if (quarkus != null && quarkus.config() != null) {
            for (Map.Entry<String, Knob> entry : quarkus.properties.entrySet()) {
                if (!explicit(context, entry.getKey())) {
                    values.put(entry.getKey(), QuarkusKnobs.text(entry.getKey(), entry.getValue()));
                }
            }
            Served served = quarkus.served(name -> explicit(context, name));
            if (Logged.once()) {
                TimeoutPolicyIntegration.logApplied("Quarkus datasource", "<default>", served);
            }
        }
        return List.of(new MapBackedConfigSource(NAME, values, ORDINAL) {
        });
    }

    private static boolean postgres(ConfigSourceContext context) {
        ConfigValue kind = context.getValue("quarkus.datasource.db-kind");
        return kind != null && kind.getValue() != null
                && List.of("postgresql", "pgsql", "pg").contains(kind.getValue().trim().toLowerCase(Locale.ROOT));
    }

    private static boolean explicit(ConfigSourceContext context, String name) {
        ConfigValue value = context.getValue(name);
        // Only a source above this one can win; the extensions' defaults sit far below (Integer.MIN_VALUE).
        return value != null && value.getValue() != null && !NAME.equals(value.getConfigSourceName())
                && value.getConfigSourceOrdinal() > ORDINAL;
    }

    /** Quarkus builds its configuration several times at start-up: the values are logged once. */
    private static final class Logged {
        private static boolean done;

        static synchronized boolean once() {
            boolean first = !done;
            done = true;
            return first;
        }
    }
}
