package io.timeoutpolicy.client.integration;

import io.timeoutpolicy.client.Source;
import io.timeoutpolicy.client.StartupConfig;
import io.timeoutpolicy.client.TimeoutPolicyClient;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What the integrations share in one process (SPEC 9.1): the settings, ONE client (one reporting thread, one
 * queue and one rate cap for every pool), and the start-up configuration asked within the client's budget. Never
 * throws because of the service: when it is down, slow or wrong the answer comes from the cache or SPEC 3's
 * defaults, and when nothing knows the environment the pool keeps its own settings.
 */
public final class TimeoutPolicyIntegration implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger("io.timeoutpolicy.client");
    private static volatile TimeoutPolicyIntegration process;

    private final IntegrationSettings settings;
    private final TimeoutPolicyClient client;

    private TimeoutPolicyIntegration(IntegrationSettings settings) {
        this.settings = settings;
        this.client = !settings.active() ? null : TimeoutPolicyClient.builder().baseUrl(settings.url())
                .apiKey(settings.key()).service(settings.service()).instance(settings.instance())
                .budget(settings.budget()).maxReportsPerSecond(settings.maxReportsPerSecond())
                .cacheDir(settings.cacheDir()).build();
    }

    /** The process's integration, from the environment variables (made once). */
    public static TimeoutPolicyIntegration fromEnvironment() {
        TimeoutPolicyIntegration current = process;
        if (current == null) {
            synchronized (TimeoutPolicyIntegration.class) {
                if (process == null) {
                    process = new TimeoutPolicyIntegration(IntegrationSettings.fromEnvironment());
                    if (!process.settings.active()) {
                        LOG.info("timeout-policy: TIMEOUT_POLICY_ENVIRONMENT is not set: pools keep their own"
                                + " settings and nothing is reported");
                    }
                }
                current = process;
            }
        }
        return current;
    }

    /** An integration of its own (tests, or an application that configures it in code); close it when done. */
    public static TimeoutPolicyIntegration of(IntegrationSettings settings) {
        return new TimeoutPolicyIntegration(settings);
    }

    public IntegrationSettings settings() {
        return settings;
    }

    /** The client behind the integration, null when no environment is named. */
    public TimeoutPolicyClient client() {
        return client;
    }

    /** The start-up configuration within the budget (service, cache or defaults), or null; never throws. */
    public StartupConfig startupConfig() {
        if (client == null) {
            return null;
        }
        try {
            return client.startupConfig(settings.environment());
        } catch (RuntimeException e) { // an unknown or malformed environment: a configuration error, not fatal
            LOG.warning(() -> "timeout-policy: no start-up configuration for '" + settings.environment() + "' ("
                    + e.getMessage() + "): the pool keeps its own settings and nothing is reported");
            return null;
        }
    }

    /**
     * Calls {@code listener} (on the client's watch thread) with every new policy version served to this instance
     * for the integration's environment (SPEC 9.3, 10.4); nothing without an environment or a URL. Never throws.
     */
    public AutoCloseable onChange(java.util.function.Consumer<StartupConfig> listener) {
        if (client == null) {
            return () -> { };
        }
        try {
            return client.watch(settings.environment(), listener);
        } catch (RuntimeException e) {
            LOG.warning(() -> "timeout-policy: " + settings.environment() + " is not watched (" + e.getMessage() + ")");
            return () -> { };
        }
    }

    /** The reports of one new pool whose settings in force are these (seconds; null when unknown). */
    public PoolReports pool(StartupConfig config, Double connectTimeoutSeconds, Double poolTimeoutSeconds,
            Double healthCheckTimeoutSeconds) {
        return new PoolReports(client, settings.environment(), config.policyVersion(), connectTimeoutSeconds,
                poolTimeoutSeconds, healthCheckTimeoutSeconds, config.timeouts().initializationTimeout(),
                settings.poolWaitReportMillis() * 1_000_000L);
    }

    /** Logs once, at INFO, where a pool's values came from and every rounding, floor or kept setting. */
    public static void logApplied(String manager, String pool, Served served) {
        if (served.isNone() || !LOG.isLoggable(Level.INFO)) {
            return;
        }
        StringBuilder line = new StringBuilder("timeout-policy: ").append(manager)
                .append(pool == null ? "" : " pool " + pool).append(" configured for ").append(served.environment())
                .append(" from ").append(served.source().name().toLowerCase());
        if (served.source() == Source.CACHE && served.cacheAgeSeconds() != null) {
            line.append(" (age ").append(Math.round(served.cacheAgeSeconds())).append(" s)");
        }
        line.append(", policy_version ").append(served.policyVersion());
        List<Knob> knobs = served.applied();
        for (Knob knob : knobs) {
            line.append("; ").append(knob.describe());
        }
        for (String kept : served.keptFromApplication()) {
            line.append("; ").append(kept);
        }
        LOG.info(line.toString());
    }

    /** Sends what is queued within the budget and stops reporting (the process's integration flushes at exit). */
    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
    }
}
