package io.timeoutpolicy.policy;

import io.timeoutpolicy.platform.problem.FieldError;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/**
 * Turns a PUT body into a complete policy (SPEC 3.1): a new environment takes the defaults for every
 * group it leaves out; a replacement must name every field. Range checks are {@link PolicyValidator}'s.
 * Pure: no I/O.
 */
public final class PolicyAssembler {

    /** The assembled policy (meaningful only without errors) and what is wrong with the body. */
    public record Result(EnvironmentPolicy policy, List<FieldError> errors) {
        public boolean isValid() {
            return errors.isEmpty();
        }
    }

    private final List<FieldError> errors = new ArrayList<>();
    private final boolean replacing;
    private EnvironmentPolicy fallback;

    private PolicyAssembler(boolean replacing) {
        this.replacing = replacing;
    }

    /** Assembles a policy for a new environment. */
    public static Result create(String environment, PolicyRequest request) {
        return new PolicyAssembler(false).assemble(environment, request, null);
    }

    /** Assembles the replacement of {@code current}. */
    public static Result replace(PolicyRequest request, EnvironmentPolicy current) {
        return new PolicyAssembler(true).assemble(current.environment(), request, current);
    }

    private Result assemble(String environment, PolicyRequest request, EnvironmentPolicy current) {
        checkEnvironmentField(environment, request.environment());
        boolean cloudSql = required(request.cloudSql(), "cloud_sql", false);
        EnvironmentPolicy.BaseTimeouts base = baseTimeouts(request.baseTimeouts());
        fallback = replacing ? current : PolicyDefaults.forNewEnvironment(environment, cloudSql, base);
        EnvironmentPolicy policy = new EnvironmentPolicy(environment, 0, cloudSql, base,
                retry(request.retry()), pool(request.pool()), vpcConnector(request.vpcConnector()),
                pick(request.pressureMultipliers(), "pressure_multipliers", fallback.pressureMultipliers()),
                adaptive(request.adaptive()), bypass(request.bypass()), circuit(request.circuit()),
                alerts(request.alerts()), assessment(request.assessment(), cloudSql), null, null);
        // Absent fields took valid placeholders, so range errors are about what the caller sent.
        List<FieldError> all = new ArrayList<>(errors);
        PolicyValidator.validate(policy).stream()
                .filter(error -> errors.stream().noneMatch(e -> e.field().equals(error.field())))
                .forEach(all::add);
        return new Result(policy, List.copyOf(all));
    }

    private void checkEnvironmentField(String environment, String given) {
        if (given != null && !environment.equals(given.toLowerCase(Locale.ROOT))) {
            errors.add(new FieldError("environment", "must match the environment in the path ('" + environment + "')"));
        }
    }

    private EnvironmentPolicy.BaseTimeouts baseTimeouts(PolicyRequest.BaseTimeouts given) {
        if (given == null) {
            errors.add(new FieldError("base_timeouts", "is required"));
            return new EnvironmentPolicy.BaseTimeouts(1, 1, 1, 1, 1);
        }
        return new EnvironmentPolicy.BaseTimeouts(
                required(given.initializationTimeout(), "base_timeouts.initialization_timeout", 1.0),
                required(given.tableSetupTimeout(), "base_timeouts.table_setup_timeout", 1.0),
                required(given.connectionTimeout(), "base_timeouts.connection_timeout", 1.0),
                required(given.poolTimeout(), "base_timeouts.pool_timeout", 1.0),
                required(given.healthCheckTimeout(), "base_timeouts.health_check_timeout", 1.0));
    }

    private EnvironmentPolicy.Retry retry(PolicyRequest.Retry given) {
        EnvironmentPolicy.Retry d = fallback.retry();
        if (group(given, "retry")) {
            return d;
        }
        return new EnvironmentPolicy.Retry(
                pick(given.maxRetries(), "retry.max_retries", d.maxRetries()),
                pick(given.baseDelay(), "retry.base_delay", d.baseDelay()),
                pick(given.maxDelay(), "retry.max_delay", d.maxDelay()),
                pick(given.exponentialBase(), "retry.exponential_base", d.exponentialBase()),
                pick(given.jitter(), "retry.jitter", d.jitter()));
    }

    private EnvironmentPolicy.Pool pool(PolicyRequest.Pool given) {
        EnvironmentPolicy.Pool d = fallback.pool();
        if (group(given, "pool")) {
            return d;
        }
        return new EnvironmentPolicy.Pool(
                pick(given.poolSize(), "pool.pool_size", d.poolSize()),
                pick(given.maxOverflow(), "pool.max_overflow", d.maxOverflow()),
                pick(given.poolTimeout(), "pool.pool_timeout", d.poolTimeout()),
                pick(given.poolRecycle(), "pool.pool_recycle", d.poolRecycle()),
                pick(given.poolPrePing(), "pool.pool_pre_ping", d.poolPrePing()));
    }

    private EnvironmentPolicy.VpcConnector vpcConnector(PolicyRequest.VpcConnector given) {
        EnvironmentPolicy.VpcConnector d = fallback.vpcConnector();
        if (group(given, "vpc_connector")) {
            return d;
        }
        return new EnvironmentPolicy.VpcConnector(
                pick(given.capacityAwareTimeouts(), "vpc_connector.capacity_aware_timeouts", d.capacityAwareTimeouts()),
                pick(given.scalingBufferTimeout(), "vpc_connector.scaling_buffer_timeout", d.scalingBufferTimeout()),
                pick(given.capacityBufferRatio(), "vpc_connector.capacity_buffer_ratio", d.capacityBufferRatio()));
    }

    private EnvironmentPolicy.Adaptive adaptive(PolicyRequest.Adaptive given) {
        EnvironmentPolicy.Adaptive d = fallback.adaptive();
        if (group(given, "adaptive")) {
            return d;
        }
        return new EnvironmentPolicy.Adaptive(
                strategy(given.strategy(), d.strategy()),
                pick(given.minSamples(), "adaptive.min_samples", d.minSamples()),
                pick(given.minSamplesLocal(), "adaptive.min_samples_local", d.minSamplesLocal()),
                pick(given.insufficientDataFactor(), "adaptive.insufficient_data_factor", d.insufficientDataFactor()),
                window(given.historyWindow(), "adaptive.history_window", d.historyWindow()),
                percentile(given.percentile(), d.percentile()));
    }

    private Strategy strategy(String given, Strategy fallbackStrategy) {
        String name = pick(given, "adaptive.strategy", fallbackStrategy.wireName());
        return Strategy.fromWireName(name).orElseGet(() -> {
            errors.add(new FieldError("adaptive.strategy", "must be one of " + Strategy.wireNames()));
            return fallbackStrategy;
        });
    }

    private EnvironmentPolicy.Percentile percentile(PolicyRequest.Percentile given, EnvironmentPolicy.Percentile d) {
        if (group(given, "adaptive.percentile")) {
            return d;
        }
        return new EnvironmentPolicy.Percentile(
                pick(given.targetFalseTimeoutRate(), "adaptive.percentile.target_false_timeout_rate",
                        d.targetFalseTimeoutRate()),
                pick(given.headroom(), "adaptive.percentile.headroom", d.headroom()),
                pick(given.floor(), "adaptive.percentile.floor", d.floor()),
                pick(given.ceiling(), "adaptive.percentile.ceiling", d.ceiling()),
                pick(given.minSamples(), "adaptive.percentile.min_samples", d.minSamples()));
    }

    private EnvironmentPolicy.Bypass bypass(PolicyRequest.Bypass given) {
        EnvironmentPolicy.Bypass d = fallback.bypass();
        if (group(given, "bypass")) {
            return d;
        }
        return new EnvironmentPolicy.Bypass(
                pick(given.permissiveMaxFailures(), "bypass.permissive_max_failures", d.permissiveMaxFailures()),
                pick(given.conditionalMaxFailures(), "bypass.conditional_max_failures", d.conditionalMaxFailures()),
                pick(given.basicMaxFailures(), "bypass.basic_max_failures", d.basicMaxFailures()),
                pick(given.infrastructureMaxFailures(), "bypass.infrastructure_max_failures",
                        d.infrastructureMaxFailures()),
                failureTypes(pick(given.infrastructureFailureTypes(), "bypass.infrastructure_failure_types",
                        d.infrastructureFailureTypes())));
    }

    /** Failure types are matched case-insensitively, so they are kept lower-case and once each. */
    private List<String> failureTypes(List<String> given) {
        if (given.size() > InputLimits.MAX_FAILURE_TYPES) {
            errors.add(new FieldError("bypass.infrastructure_failure_types",
                    "must have at most " + InputLimits.MAX_FAILURE_TYPES + " entries"));
        }
        LinkedHashSet<String> types = new LinkedHashSet<>();
        for (String type : given) {
            types.add(type == null ? null : type.toLowerCase(Locale.ROOT));
        }
        return new ArrayList<>(types);
    }

    private EnvironmentPolicy.Circuit circuit(PolicyRequest.Circuit given) {
        EnvironmentPolicy.Circuit d = fallback.circuit();
        if (group(given, "circuit")) {
            return d;
        }
        return new EnvironmentPolicy.Circuit(
                pick(given.failureThreshold(), "circuit.failure_threshold", d.failureThreshold()),
                pick(given.resetTimeout(), "circuit.reset_timeout", d.resetTimeout()));
    }

    private EnvironmentPolicy.Alerts alerts(PolicyRequest.Alerts given) {
        EnvironmentPolicy.Alerts d = fallback.alerts();
        if (group(given, "alerts")) {
            return d;
        }
        return new EnvironmentPolicy.Alerts(window(given.cooldown(), "alerts.cooldown", d.cooldown()));
    }

    /** Assessment baselines exist for Cloud SQL environments; others may leave them out (null). */
    private EnvironmentPolicy.Assessment assessment(PolicyRequest.Assessment given, boolean cloudSql) {
        EnvironmentPolicy.Assessment d = fallback.assessment();
        if (given == null) {
            if (replacing && cloudSql) {
                errors.add(new FieldError("assessment", "is required for a Cloud SQL environment"));
            }
            return replacing ? null : d;
        }
        EnvironmentPolicy.Assessment base = d != null ? d : new EnvironmentPolicy.Assessment(1, 1, 1);
        return new EnvironmentPolicy.Assessment(
                pick(given.expectedAvg(), "assessment.expected_avg", base.expectedAvg()),
                pick(given.warning(), "assessment.warning", base.warning()),
                pick(given.critical(), "assessment.critical", base.critical()));
    }

    private Duration window(String given, String field, Duration fallbackWindow) {
        String text = pick(given, field, null);
        if (text == null) {
            return fallbackWindow;
        }
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(field, "must be an ISO-8601 duration such as PT24H"));
            return fallbackWindow;
        }
    }

    /** True when a group is absent: the caller then takes the fallback group whole. */
    private boolean group(Object given, String field) {
        if (given == null && replacing) {
            errors.add(new FieldError(field, "is required when replacing a policy"));
        }
        return given == null;
    }

    private <T> T pick(T given, String field, T fallbackValue) {
        if (given == null && replacing) {
            errors.add(new FieldError(field, "is required when replacing a policy"));
        }
        return given != null ? given : fallbackValue;
    }

    private <T> T required(T given, String field, T placeholder) {
        if (given == null) {
            errors.add(new FieldError(field, "is required"));
            return placeholder;
        }
        return given;
    }
}
