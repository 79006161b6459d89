package io.timeoutpolicy.policy;

import static io.timeoutpolicy.policy.InputLimits.MAX_COUNT;
import static io.timeoutpolicy.policy.InputLimits.MAX_FAILURE_TYPES;
import static io.timeoutpolicy.policy.InputLimits.MAX_SECONDS;
import static io.timeoutpolicy.policy.InputLimits.MIN_WINDOW;

import io.timeoutpolicy.platform.problem.FieldError;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The ranges of SPEC 3.1: every timeout, delay, buffer and multiplier positive and finite; thresholds
 * and sample counts non-negative; ratios in [0, 1); floor ≤ ceiling; windows between PT1M and P30D.
 * Upper bounds keep a typo (a timeout of a year) from reaching a fleet.
 */
public final class PolicyValidator {

    static final double MAX_MULTIPLIER = 100;
    static final Duration MAX_WINDOW = Duration.ofDays(30);
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");

    private final List<FieldError> errors = new ArrayList<>();

    private PolicyValidator() {
    }

    public static List<FieldError> validate(EnvironmentPolicy policy) {
        PolicyValidator v = new PolicyValidator();
        v.baseTimeouts(policy.baseTimeouts());
        v.retry(policy.retry());
        v.pool(policy.pool());
        v.vpcConnector(policy.vpcConnector());
        v.pressureMultipliers(policy.pressureMultipliers());
        v.adaptive(policy.adaptive());
        v.bypass(policy.bypass());
        v.circuit(policy.circuit());
        v.window("alerts.cooldown", policy.alerts().cooldown());
        if (policy.assessment() != null) {
            v.assessment(policy.assessment());
        }
        return List.copyOf(v.errors);
    }

    private void baseTimeouts(EnvironmentPolicy.BaseTimeouts base) {
        for (Operation operation : Operation.values()) {
            seconds("base_timeouts." + operation.timeoutKey(), base.of(operation));
        }
    }

    private void retry(EnvironmentPolicy.Retry retry) {
        count("retry.max_retries", retry.maxRetries(), 0, 100);
        seconds("retry.base_delay", retry.baseDelay());
        seconds("retry.max_delay", retry.maxDelay());
        multiplier("retry.exponential_base", retry.exponentialBase());
        if (retry.baseDelay() > retry.maxDelay()) {
            errors.add(new FieldError("retry.base_delay", "must not be greater than retry.max_delay"));
        }
    }

    private void pool(EnvironmentPolicy.Pool pool) {
        count("pool.pool_size", pool.poolSize(), 1, 10_000);
        count("pool.max_overflow", pool.maxOverflow(), 0, 10_000);
        seconds("pool.pool_timeout", pool.poolTimeout());
        count("pool.pool_recycle", pool.poolRecycle(), 1, (int) MAX_SECONDS);
    }

    private void vpcConnector(EnvironmentPolicy.VpcConnector vpc) {
        seconds("vpc_connector.scaling_buffer_timeout", vpc.scalingBufferTimeout());
        ratio("vpc_connector.capacity_buffer_ratio", vpc.capacityBufferRatio());
    }

    private void pressureMultipliers(Map<String, Map<String, Double>> multipliers) {
        if (multipliers.size() > MAX_FAILURE_TYPES) {
            errors.add(new FieldError("pressure_multipliers", "must have at most " + MAX_FAILURE_TYPES + " indicators"));
        }
        multipliers.forEach((name, perKey) -> {
            String field = "pressure_multipliers." + name;
            if (!NAME.matcher(name).matches()) {
                errors.add(new FieldError(field, "indicator names must match " + NAME.pattern()));
            }
            if (perKey == null) {
                errors.add(new FieldError(field, "must be an object of timeout key to multiplier"));
                return;
            }
            perKey.forEach((key, factor) -> {
                if (Operation.fromTimeoutKey(key).isEmpty()) {
                    errors.add(new FieldError(field + "." + key, "must be one of " + Operation.timeoutKeys()));
                } else {
                    multiplier(field + "." + key, factor);
                }
            });
        });
    }

    private void adaptive(EnvironmentPolicy.Adaptive adaptive) {
        count("adaptive.min_samples", adaptive.minSamples(), 1, MAX_COUNT);
        count("adaptive.min_samples_local", adaptive.minSamplesLocal(), 0, MAX_COUNT);
        multiplier("adaptive.insufficient_data_factor", adaptive.insufficientDataFactor());
        window("adaptive.history_window", adaptive.historyWindow());
        EnvironmentPolicy.Percentile p = adaptive.percentile();
        ratio("adaptive.percentile.target_false_timeout_rate", p.targetFalseTimeoutRate());
        ratio("adaptive.percentile.headroom", p.headroom());
        multiplier("adaptive.percentile.floor", p.floor());
        multiplier("adaptive.percentile.ceiling", p.ceiling());
        count("adaptive.percentile.min_samples", p.minSamples(), 1, MAX_COUNT);
        if (p.floor() > p.ceiling()) {
            errors.add(new FieldError("adaptive.percentile.floor", "must not be greater than adaptive.percentile.ceiling"));
        }
    }

    private void bypass(EnvironmentPolicy.Bypass bypass) {
        count("bypass.permissive_max_failures", bypass.permissiveMaxFailures(), 0, MAX_COUNT);
        count("bypass.conditional_max_failures", bypass.conditionalMaxFailures(), 0, MAX_COUNT);
        count("bypass.basic_max_failures", bypass.basicMaxFailures(), 0, MAX_COUNT);
        count("bypass.infrastructure_max_failures", bypass.infrastructureMaxFailures(), 0, MAX_COUNT);
        InputLimits.failureTypes(bypass.infrastructureFailureTypes(), "bypass.infrastructure_failure_types", errors);
    }

    private void circuit(EnvironmentPolicy.Circuit circuit) {
        // A threshold of 0 would open the circuit without a single failure, so at least 1.
        count("circuit.failure_threshold", circuit.failureThreshold(), 1, MAX_COUNT);
        seconds("circuit.reset_timeout", circuit.resetTimeout());
    }

    private void assessment(EnvironmentPolicy.Assessment assessment) {
        seconds("assessment.expected_avg", assessment.expectedAvg());
        seconds("assessment.warning", assessment.warning());
        seconds("assessment.critical", assessment.critical());
        if (assessment.warning() > assessment.critical()) {
            errors.add(new FieldError("assessment.warning", "must not be greater than assessment.critical"));
        }
    }

    private void seconds(String field, double value) {
        positive(field, value, MAX_SECONDS);
    }

    private void multiplier(String field, Double value) {
        if (value == null) {
            errors.add(new FieldError(field, "is required"));
            return;
        }
        positive(field, value, MAX_MULTIPLIER);
    }

    private void positive(String field, double value, double max) {
        if (!Double.isFinite(value) || value <= 0 || value > max) {
            errors.add(new FieldError(field, "must be a finite number greater than 0 and at most " + (long) max));
        }
    }

    private void ratio(String field, double value) {
        if (!(value >= 0 && value < 1)) {
            errors.add(new FieldError(field, "must be at least 0 and less than 1"));
        }
    }

    private void count(String field, int value, int min, int max) {
        if (value < min || value > max) {
            errors.add(new FieldError(field, "must be between " + min + " and " + max));
        }
    }

    private void window(String field, Duration window) {
        if (window.compareTo(MIN_WINDOW) < 0 || window.compareTo(MAX_WINDOW) > 0) {
            errors.add(new FieldError(field, "must be between PT1M and P30D"));
        }
    }
}
