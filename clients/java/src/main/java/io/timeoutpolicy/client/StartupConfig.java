package io.timeoutpolicy.client;

import java.util.List;
import java.util.Map;

/**
 * Everything a backend needs at start-up (SPEC 5 {@code startup-config}), and where it came from.
 * {@code degraded} is true for {@link Source#CACHE} and {@link Source#DEFAULTS}, and whenever the service says so;
 * {@code cacheAgeSeconds} is set for the cache only; {@code error} says why the service's answer was not used.
 * {@code policyVersion} and {@code computedAt} are null for the defaults. {@code explanations} says, per timeout
 * key ({@code connection_timeout}), how each timeout was computed.
 */
public record StartupConfig(String environment, Integer policyVersion, boolean degraded, Source source,
        Timeouts timeouts, Timeouts baseTimeouts, Map<String, Explanation> explanations, String strategy,
        boolean adaptive, int samples, List<String> pressure, String computedAt, Retry retry, Pool pool,
        Circuit circuit, Double cacheAgeSeconds, String error) {

    /** True while the fleet sees this environment's database as down (SPEC 4.6): fail fast then. */
    public boolean circuitOpen() {
        return circuit.isOpen();
    }

    /** SPEC 9.1 {@code age_seconds}: how old a cached answer is ({@link Source#CACHE} only), else null. */
    public Double ageSeconds() {
        return source == Source.CACHE ? cacheAgeSeconds : null;
    }

    /** The effective timeout of {@code operation}, e.g. {@code config.timeout("connection")}. */
    public double timeout(String operation) {
        return timeouts.forOperation(operation);
    }

    StartupConfig from(Source where, Double age, String why) {
        return new StartupConfig(environment, policyVersion, degraded || where != Source.SERVICE, where, timeouts,
                baseTimeouts, explanations, strategy, adaptive, samples, pressure, computedAt, retry, pool,
                age == null ? circuit : circuit.aged(age), age, why);
    }
}
