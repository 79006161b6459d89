package io.timeoutpolicy.quarkus;

import io.timeoutpolicy.client.StartupConfig;
import io.timeoutpolicy.client.integration.IntegrationSettings;
import io.timeoutpolicy.client.integration.Knob;
import io.timeoutpolicy.client.integration.PoolReports;
import io.timeoutpolicy.client.integration.Served;
import io.timeoutpolicy.client.integration.TimeoutPolicyIntegration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The process's one integration in a Quarkus application: asked once (Quarkus builds its configuration more than
 * once at start-up), within the client's budget, never throwing; read by the ConfigSource, the JDBC driver and
 * the reactive pool creator.
 */
public final class QuarkusIntegration {

    private static volatile QuarkusIntegration current;

    final TimeoutPolicyIntegration integration;
    final StartupConfig config;
    final Map<String, Knob> properties;
    private volatile PoolReports jdbcReports;
    private volatile PoolReports reactiveReports;

    private QuarkusIntegration(TimeoutPolicyIntegration integration, StartupConfig config) {
        this.integration = integration;
        this.config = config;
        this.properties = config == null ? Map.of() : QuarkusKnobs.properties(config);
    }

    /**
     * The integration for {@code variables} (TIMEOUT_POLICY_* by name): asked once for the same settings, again
     * when they changed (a first configuration built before the application's own sources were all there).
     */
    static QuarkusIntegration get(Function<String, String> variables) {
        IntegrationSettings settings = IntegrationSettings.from(variables);
        synchronized (QuarkusIntegration.class) {
            QuarkusIntegration made = current;
            if (made == null || !sameSource(made.integration.settings(), settings)) {
                TimeoutPolicyIntegration integration = TimeoutPolicyIntegration.of(settings);
                current = new QuarkusIntegration(integration, integration.startupConfig());
                if (made != null) {
                    made.integration.close();
                }
            }
            return current;
        }
    }

    private static boolean sameSource(IntegrationSettings a, IntegrationSettings b) {
        return java.util.Objects.equals(a.url(), b.url()) && java.util.Objects.equals(a.environment(), b.environment())
                && java.util.Objects.equals(a.key(), b.key()) && java.util.Objects.equals(a.service(), b.service());
    }

    /** The integration if the ConfigSource made it, else null (not configured). */
    public static QuarkusIntegration current() {
        QuarkusIntegration made = current;
        return made == null || made.config == null ? null : made;
    }

    public StartupConfig config() {
        return config;
    }

    public TimeoutPolicyIntegration integration() {
        return integration;
    }

    /** What was applied to the datasource, once {@code own} says which properties the application set itself. */
    Served served(Predicate<String> own) {
        List<Knob> applied = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        properties.forEach((name, knob) -> {
            if (own.test(name)) {
                kept.add(name + " set by the application (served " + QuarkusKnobs.text(name, knob) + ")");
            } else {
                applied.add(new Knob(name, knob.servedKey(), knob.served(), knob.applied(), knob.unit(), knob.change()));
            }
        });
        return new Served(config.environment(), config.source(), config.policyVersion(), config.cacheAgeSeconds(),
                config, List.copyOf(applied), List.copyOf(kept));
    }

    /**
     * The reports of the JDBC datasource, with the connect timeout in force (seconds) and the acquisition and
     * validation timeouts the application's configuration resolved to (served or its own).
     */
    PoolReports jdbc(Double connectTimeout) {
        if (jdbcReports == null) {
            synchronized (this) {
                if (jdbcReports == null) {
                    jdbcReports = integration.pool(config, connectTimeout,
                            seconds(QuarkusKnobs.JDBC + "acquisition-timeout", config.timeouts().poolTimeout()),
                            seconds(QuarkusKnobs.JDBC + "validation-query-timeout",
                                    config.timeouts().healthCheckTimeout()));
                }
            }
        }
        return jdbcReports;
    }

    private static Double seconds(String property, double otherwise) {
        try {
            return org.eclipse.microprofile.config.ConfigProvider.getConfig()
                    .getOptionalValue(property, java.time.Duration.class).map(d -> d.toMillis() / 1000.0)
                    .orElse(otherwise);
        } catch (RuntimeException noConfig) {
            return otherwise;
        }
    }

    /** True once the reactive pool of the default datasource was made with the served values. */
    boolean reactiveMade() {
        return reactiveReports != null;
    }

    /** The reports of the reactive pool, with the connect timeout in force (seconds). */
    PoolReports reactive(Double connectTimeout, Double poolTimeout) {
        if (reactiveReports == null) {
            synchronized (this) {
                if (reactiveReports == null) {
                    reactiveReports = integration.pool(config, connectTimeout, poolTimeout, null);
                }
            }
        }
        return reactiveReports;
    }
}
