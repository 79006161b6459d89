package io.timeoutpolicy.client.integration;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * What every integration reads (SPEC 9.1), from the environment variables TIMEOUT_POLICY_URL,
 * TIMEOUT_POLICY_ENVIRONMENT, TIMEOUT_POLICY_KEY, TIMEOUT_POLICY_SERVICE, TIMEOUT_POLICY_INSTANCE (default
 * {@code <host name>:<process id>}), TIMEOUT_POLICY_POOL_WAIT_REPORT_MS (default 10) and
 * TIMEOUT_POLICY_MAX_REPORTS_PER_SECOND (default 200), TIMEOUT_POLICY_CACHE_DIR (default: the client's).
 * Without an environment the integrations change nothing
 * and report nothing.
 */
public record IntegrationSettings(String url, String environment, String key, String service, String instance,
        long poolWaitReportMillis, int maxReportsPerSecond, Duration budget, java.nio.file.Path cacheDir) {

    public static final long DEFAULT_POOL_WAIT_REPORT_MS = 10;
    public static final int DEFAULT_MAX_REPORTS_PER_SECOND = 200;
    private static final Logger LOG = Logger.getLogger("io.timeoutpolicy.client");

    /** From the process's environment variables. */
    public static IntegrationSettings fromEnvironment() {
        return from(System::getenv);
    }

    /** From {@code variables} (by environment variable name), e.g. a Quarkus configuration. */
    public static IntegrationSettings from(Function<String, String> variables) {
        Function<String, String> read = name -> {
            String value = variables.apply(name);
            return value == null || value.isBlank() ? null : value.trim();
        };
        return new IntegrationSettings(read.apply("TIMEOUT_POLICY_URL"), read.apply("TIMEOUT_POLICY_ENVIRONMENT"),
                read.apply("TIMEOUT_POLICY_KEY"), read.apply("TIMEOUT_POLICY_SERVICE"),
                read.apply("TIMEOUT_POLICY_INSTANCE"),
                number(read, "TIMEOUT_POLICY_POOL_WAIT_REPORT_MS", DEFAULT_POOL_WAIT_REPORT_MS, 0),
                (int) number(read, "TIMEOUT_POLICY_MAX_REPORTS_PER_SECOND", DEFAULT_MAX_REPORTS_PER_SECOND, 1),
                Duration.ofSeconds(2),
                Optional.ofNullable(read.apply("TIMEOUT_POLICY_CACHE_DIR")).map(Path::of).orElse(null));
    }

    /** True when an environment is named: only then do the integrations act. */
    public boolean active() {
        return environment != null;
    }

    public IntegrationSettings withUrl(String value) {
        return new IntegrationSettings(value, environment, key, service, instance, poolWaitReportMillis,
                maxReportsPerSecond, budget, cacheDir);
    }

    public IntegrationSettings withEnvironment(String value) {
        return new IntegrationSettings(url, value, key, service, instance, poolWaitReportMillis, maxReportsPerSecond,
                budget, cacheDir);
    }

    public IntegrationSettings withKey(String value) {
        return new IntegrationSettings(url, environment, value, service, instance, poolWaitReportMillis,
                maxReportsPerSecond, budget, cacheDir);
    }

    public IntegrationSettings withService(String value) {
        return new IntegrationSettings(url, environment, key, value, instance, poolWaitReportMillis,
                maxReportsPerSecond, budget, cacheDir);
    }

    public IntegrationSettings withInstance(String value) {
        return new IntegrationSettings(url, environment, key, service, value, poolWaitReportMillis,
                maxReportsPerSecond, budget, cacheDir);
    }

    public IntegrationSettings withPoolWaitReportMillis(long value) {
        return new IntegrationSettings(url, environment, key, service, instance, value, maxReportsPerSecond, budget, cacheDir);
    }

    public IntegrationSettings withBudget(Duration value) {
        return new IntegrationSettings(url, environment, key, service, instance, poolWaitReportMillis,
                maxReportsPerSecond, value, cacheDir);
    }

    /** The cache folder (default: TIMEOUT_POLICY_CACHE_DIR, else the client's). */
    public IntegrationSettings withCacheDir(java.nio.file.Path value) {
        return new IntegrationSettings(url, environment, key, service, instance, poolWaitReportMillis,
                maxReportsPerSecond, budget, value);
    }

    private static long number(Function<String, String> read, String name, long otherwise, long min) {
        String value = read.apply(name);
        if (value == null) {
            return otherwise;
        }
        try {
            long parsed = Long.parseLong(value);
            if (parsed >= min) {
                return parsed;
            }
        } catch (NumberFormatException ignored) {
            // logged below
        }
        LOG.warning(() -> "timeout-policy: " + name + "=" + value + " is not an integer ≥ " + min + "; " + otherwise
                + " is used");
        return otherwise;
    }
}
