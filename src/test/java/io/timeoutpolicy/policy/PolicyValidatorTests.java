package io.timeoutpolicy.policy;

import static io.timeoutpolicy.policy.TestPolicies.builtIn;
import static io.timeoutpolicy.policy.TestPolicies.with;
import static io.timeoutpolicy.policy.TestPolicies.withSamples;
import static org.assertj.core.api.Assertions.assertThat;

import io.timeoutpolicy.platform.problem.FieldError;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** SPEC 3.1 validation, at the limits of every range. */
class PolicyValidatorTests {

    private static final EnvironmentPolicy STAGING = builtIn("staging");

    @Test
    void built_in_policies_are_valid() {
        assertThat(PolicyDefaults.builtIn(Instant.EPOCH)).allSatisfy(policy ->
                assertThat(PolicyValidator.validate(policy)).as(policy.environment()).isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(doubles = {Double.MIN_VALUE, 0.001, 1.0, 95.0})
    void positive_finite_timeout_is_accepted(double seconds) {
        assertThat(fields(with(STAGING, baseWithConnection(seconds)))).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(doubles = {0.0, -0.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
    void zero_negative_or_non_finite_timeout_is_rejected(double seconds) {
        assertThat(fields(with(STAGING, baseWithConnection(seconds))))
                .containsExactly("base_timeouts.connection_timeout");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(doubles = {0.0, Double.NaN, Double.POSITIVE_INFINITY})
    void delays_and_buffers_must_be_positive_and_finite(double seconds) {
        assertThat(fields(with(STAGING, new EnvironmentPolicy.Retry(5, seconds, 30.0, 2.0, true))))
                .contains("retry.base_delay");
        assertThat(fields(with(STAGING, new EnvironmentPolicy.VpcConnector(true, seconds, 0.2))))
                .containsExactly("vpc_connector.scaling_buffer_timeout");
        assertThat(fields(with(STAGING, new EnvironmentPolicy.Circuit(5, seconds))))
                .containsExactly("circuit.reset_timeout");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(doubles = {0.0, 0.2, 0.999})
    void ratio_from_0_to_just_below_1_is_accepted(double ratio) {
        assertThat(fields(with(STAGING, new EnvironmentPolicy.VpcConnector(true, 20.0, ratio)))).isEmpty();
        assertThat(fields(withPercentile(ratio, ratio, 0.5, 3.0))).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(doubles = {1.0, 1.5, -0.001, Double.NaN})
    void ratio_of_1_or_more_or_negative_is_rejected(double ratio) {
        assertThat(fields(with(STAGING, new EnvironmentPolicy.VpcConnector(true, 20.0, ratio))))
                .containsExactly("vpc_connector.capacity_buffer_ratio");
        assertThat(fields(withPercentile(ratio, 0.2, 0.5, 3.0)))
                .containsExactly("adaptive.percentile.target_false_timeout_rate");
        assertThat(fields(withPercentile(0.001, ratio, 0.5, 3.0)))
                .containsExactly("adaptive.percentile.headroom");
    }

    @Test
    void floor_equal_to_ceiling_is_accepted() {
        assertThat(fields(withPercentile(0.001, 0.2, 2.0, 2.0))).isEmpty();
    }

    @Test
    void floor_above_ceiling_is_rejected() {
        assertThat(fields(withPercentile(0.001, 0.2, 2.01, 2.0))).containsExactly("adaptive.percentile.floor");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({"PT1M, true", "PT59S, false", "PT59.999S, false", "P30D, true", "PT720H, true", "P30DT1S, false",
            "P31D, false", "PT0S, false", "-PT1H, false"})
    void windows_must_be_between_one_minute_and_thirty_days(String window, boolean valid) {
        Duration d = Duration.parse(window);
        EnvironmentPolicy.Adaptive a = STAGING.adaptive();
        EnvironmentPolicy withWindow = with(STAGING, new EnvironmentPolicy.Adaptive(a.strategy(), a.minSamples(),
                a.minSamplesLocal(), a.insufficientDataFactor(), d, a.percentile()));
        EnvironmentPolicy withCooldown = with(STAGING, new EnvironmentPolicy.Alerts(d));

        assertThat(fields(withWindow)).isEqualTo(valid ? List.of() : List.of("adaptive.history_window"));
        assertThat(fields(withCooldown)).isEqualTo(valid ? List.of() : List.of("alerts.cooldown"));
    }

    @Test
    void min_samples_of_1_is_accepted() {
        assertThat(fields(withSamples(STAGING, 1, 10))).isEmpty();
    }

    @Test
    void min_samples_of_0_is_rejected() {
        assertThat(fields(withSamples(STAGING, 0, 10))).containsExactly("adaptive.min_samples");
    }

    @Test
    void min_samples_local_of_0_is_accepted_and_negative_is_rejected() {
        assertThat(fields(withSamples(STAGING, 5, 0))).isEmpty();
        assertThat(fields(withSamples(STAGING, 5, -1))).containsExactly("adaptive.min_samples_local");
    }

    @Test
    void bypass_thresholds_of_0_are_accepted_and_negative_are_rejected() {
        List<String> types = STAGING.bypass().infrastructureFailureTypes();
        assertThat(fields(with(STAGING, new EnvironmentPolicy.Bypass(0, 0, 0, 0, types)))).isEmpty();
        assertThat(fields(with(STAGING, new EnvironmentPolicy.Bypass(-1, -1, -1, -1, types)))).containsExactly(
                "bypass.permissive_max_failures", "bypass.conditional_max_failures", "bypass.basic_max_failures",
                "bypass.infrastructure_max_failures");
    }

    @Test
    void retry_count_of_0_is_accepted_and_negative_is_rejected() {
        assertThat(fields(with(STAGING, new EnvironmentPolicy.Retry(0, 2.0, 30.0, 2.0, true)))).isEmpty();
        assertThat(fields(with(STAGING, new EnvironmentPolicy.Retry(-1, 2.0, 30.0, 2.0, true))))
                .containsExactly("retry.max_retries");
    }

    @Test
    void pressure_multiplier_for_an_unknown_timeout_key_is_rejected() {
        EnvironmentPolicy policy = with(STAGING, Map.of("vpc_connector_scaling", Map.of("query_timeout", 1.5)));
        assertThat(fields(policy)).containsExactly("pressure_multipliers.vpc_connector_scaling.query_timeout");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(doubles = {0.0, -1.5, Double.NaN, Double.POSITIVE_INFINITY})
    void pressure_multiplier_must_be_positive_and_finite(double factor) {
        EnvironmentPolicy policy = with(STAGING, Map.of("vpc_connector_scaling", Map.of("connection_timeout", factor)));
        assertThat(fields(policy)).containsExactly("pressure_multipliers.vpc_connector_scaling.connection_timeout");
    }

    @Test
    void pressure_multiplier_below_1_is_accepted() {
        EnvironmentPolicy policy = with(STAGING, Map.of("quiet_night", Map.of("pool_timeout", 0.5)));
        assertThat(fields(policy)).isEmpty();
    }

    @Test
    void insufficient_data_factor_must_be_positive() {
        EnvironmentPolicy.Adaptive a = STAGING.adaptive();
        EnvironmentPolicy policy = with(STAGING, new EnvironmentPolicy.Adaptive(a.strategy(), a.minSamples(),
                a.minSamplesLocal(), 0.0, a.historyWindow(), a.percentile()));
        assertThat(fields(policy)).containsExactly("adaptive.insufficient_data_factor");
    }

    @Test
    void every_invalid_field_is_reported() {
        EnvironmentPolicy policy = with(with(STAGING, baseWithConnection(0.0)),
                new EnvironmentPolicy.VpcConnector(true, 20.0, 1.0));
        assertThat(fields(policy)).containsExactlyInAnyOrder("base_timeouts.connection_timeout",
                "vpc_connector.capacity_buffer_ratio");
    }

    private static EnvironmentPolicy.BaseTimeouts baseWithConnection(double seconds) {
        return new EnvironmentPolicy.BaseTimeouts(95, 35, seconds, 60, 30);
    }

    private static EnvironmentPolicy withPercentile(double targetFalseTimeoutRate, double headroom, double floor,
            double ceiling) {
        EnvironmentPolicy.Adaptive a = STAGING.adaptive();
        return with(STAGING, new EnvironmentPolicy.Adaptive(a.strategy(), a.minSamples(), a.minSamplesLocal(),
                a.insufficientDataFactor(), a.historyWindow(),
                new EnvironmentPolicy.Percentile(targetFalseTimeoutRate, headroom, floor, ceiling, 50)));
    }

    private static List<String> fields(EnvironmentPolicy policy) {
        return PolicyValidator.validate(policy).stream().map(FieldError::field).toList();
    }
}
