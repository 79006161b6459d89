package io.timeoutpolicy.policy;

import java.time.Instant;
import java.util.Map;

/** The built-in policies of SPEC 3, and copies of them with one group replaced, for the pure-rule tests. */
public final class TestPolicies {

    private TestPolicies() {
    }

    public static EnvironmentPolicy builtIn(String environment) {
        return PolicyDefaults.builtIn(Instant.EPOCH).stream()
                .filter(policy -> policy.environment().equals(environment))
                .findFirst()
                .orElseThrow();
    }

    public static EnvironmentPolicy with(EnvironmentPolicy p, EnvironmentPolicy.BaseTimeouts baseTimeouts) {
        return new EnvironmentPolicy(p.environment(), p.version(), p.cloudSql(), baseTimeouts, p.retry(), p.pool(),
                p.vpcConnector(), p.pressureMultipliers(), p.adaptive(), p.bypass(), p.circuit(), p.alerts(),
                p.assessment(), p.updatedAt(), p.updatedBy());
    }

    public static EnvironmentPolicy with(EnvironmentPolicy p, EnvironmentPolicy.Retry retry) {
        return new EnvironmentPolicy(p.environment(), p.version(), p.cloudSql(), p.baseTimeouts(), retry, p.pool(),
                p.vpcConnector(), p.pressureMultipliers(), p.adaptive(), p.bypass(), p.circuit(), p.alerts(),
                p.assessment(), p.updatedAt(), p.updatedBy());
    }

    public static EnvironmentPolicy with(EnvironmentPolicy p, EnvironmentPolicy.VpcConnector vpcConnector) {
        return new EnvironmentPolicy(p.environment(), p.version(), p.cloudSql(), p.baseTimeouts(), p.retry(), p.pool(),
                vpcConnector, p.pressureMultipliers(), p.adaptive(), p.bypass(), p.circuit(), p.alerts(),
                p.assessment(), p.updatedAt(), p.updatedBy());
    }

    public static EnvironmentPolicy with(EnvironmentPolicy p, Map<String, Map<String, Double>> pressureMultipliers) {
        return new EnvironmentPolicy(p.environment(), p.version(), p.cloudSql(), p.baseTimeouts(), p.retry(), p.pool(),
                p.vpcConnector(), pressureMultipliers, p.adaptive(), p.bypass(), p.circuit(), p.alerts(),
                p.assessment(), p.updatedAt(), p.updatedBy());
    }

    public static EnvironmentPolicy with(EnvironmentPolicy p, EnvironmentPolicy.Adaptive adaptive) {
        return new EnvironmentPolicy(p.environment(), p.version(), p.cloudSql(), p.baseTimeouts(), p.retry(), p.pool(),
                p.vpcConnector(), p.pressureMultipliers(), adaptive, p.bypass(), p.circuit(), p.alerts(),
                p.assessment(), p.updatedAt(), p.updatedBy());
    }

    public static EnvironmentPolicy with(EnvironmentPolicy p, EnvironmentPolicy.Bypass bypass) {
        return new EnvironmentPolicy(p.environment(), p.version(), p.cloudSql(), p.baseTimeouts(), p.retry(), p.pool(),
                p.vpcConnector(), p.pressureMultipliers(), p.adaptive(), bypass, p.circuit(), p.alerts(),
                p.assessment(), p.updatedAt(), p.updatedBy());
    }

    public static EnvironmentPolicy with(EnvironmentPolicy p, EnvironmentPolicy.Circuit circuit) {
        return new EnvironmentPolicy(p.environment(), p.version(), p.cloudSql(), p.baseTimeouts(), p.retry(), p.pool(),
                p.vpcConnector(), p.pressureMultipliers(), p.adaptive(), p.bypass(), circuit, p.alerts(),
                p.assessment(), p.updatedAt(), p.updatedBy());
    }

    public static EnvironmentPolicy with(EnvironmentPolicy p, EnvironmentPolicy.Alerts alerts) {
        return new EnvironmentPolicy(p.environment(), p.version(), p.cloudSql(), p.baseTimeouts(), p.retry(), p.pool(),
                p.vpcConnector(), p.pressureMultipliers(), p.adaptive(), p.bypass(), p.circuit(), alerts,
                p.assessment(), p.updatedAt(), p.updatedBy());
    }

    /** The adaptive settings of {@code p} with other sample thresholds. */
    public static EnvironmentPolicy withSamples(EnvironmentPolicy p, int minSamples, int minSamplesLocal) {
        EnvironmentPolicy.Adaptive a = p.adaptive();
        return with(p, new EnvironmentPolicy.Adaptive(a.strategy(), minSamples, minSamplesLocal,
                a.insufficientDataFactor(), a.historyWindow(), a.percentile()));
    }
}
