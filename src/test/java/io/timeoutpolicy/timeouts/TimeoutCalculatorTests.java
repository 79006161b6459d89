package io.timeoutpolicy.timeouts;

import static io.timeoutpolicy.policy.TestPolicies.builtIn;
import static io.timeoutpolicy.policy.TestPolicies.with;
import static io.timeoutpolicy.policy.TestPolicies.withSamples;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import io.timeoutpolicy.history.ConnectionHistory;
import io.timeoutpolicy.platform.Decimals;
import io.timeoutpolicy.policy.EnvironmentPolicy;
import io.timeoutpolicy.policy.Operation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** SPEC 4.2: every threshold just below, at and just above, the buffers, the pressure and the explanations. */
class TimeoutCalculatorTests {

    private static final EnvironmentPolicy STAGING = builtIn("staging");
    private static final EnvironmentPolicy DEVELOPMENT = builtIn("development");
    private static final String VPC = "vpc_connector_scaling";
    private static final String CAPACITY = "cloud_sql_capacity_pressure";

    @Test
    void staging_without_history_gets_connection_base_times_1_2() {
        assertThat(connection(compute(STAGING, ConnectionHistory.EMPTY))).isCloseTo(90.0, offset(1e-9));
    }

    @Test
    void staging_with_vpc_connector_scaling_gets_half_again_on_connection() {
        assertThat(connection(compute(STAGING, ConnectionHistory.EMPTY, VPC))).isCloseTo(135.0, offset(1e-9));
    }

    @Test
    void development_without_history_keeps_its_static_base() {
        TimeoutResult result = compute(DEVELOPMENT, ConnectionHistory.EMPTY);
        assertThat(connection(result)).isEqualTo(20.0);
        assertThat(result.explanations().get(Operation.CONNECTION).branch()).isEqualTo(Branch.STATIC);
        assertThat(result.adaptive()).isFalse();
    }

    @ParameterizedTest(name = "recent {0}s against average 10s: connection {1}s")
    @CsvSource({"12.99, 20.0, 1.0", "13.0, 20.0, 1.0", "13.01, 26.0, 1.3"})
    void recent_average_strictly_above_1_3_times_average_adds_0_3(double recent, double expected, double m) {
        assertHeuristicConnection(compute(DEVELOPMENT, history(20, 10.0, recent, 95.0, 0.0)), expected, m);
    }

    @ParameterizedTest(name = "recent {0}s against average 10s: connection {1}s")
    @CsvSource({"7.01, 20.0, 1.0", "7.0, 20.0, 1.0", "6.99, 18.0, 0.9"})
    void recent_average_strictly_below_0_7_times_average_takes_0_1_off(double recent, double expected, double m) {
        assertHeuristicConnection(compute(DEVELOPMENT, history(20, 10.0, recent, 95.0, 0.0)), expected, m);
    }

    @ParameterizedTest(name = "success rate {0}: connection {1}s")
    @CsvSource({"89.99, 28.0, 1.4", "90.0, 20.0, 1.0", "90.01, 20.0, 1.0"})
    void success_rate_strictly_below_90_adds_0_4(double successRate, double expected, double m) {
        assertHeuristicConnection(compute(DEVELOPMENT, history(20, 10.0, 10.0, successRate, 0.0)), expected, m);
    }

    @ParameterizedTest(name = "success rate {0}: connection {1}s")
    @CsvSource({"97.99, 20.0, 1.0", "98.0, 20.0, 1.0", "98.01, 19.0, 0.95"})
    void success_rate_strictly_above_98_takes_0_05_off(double successRate, double expected, double m) {
        assertHeuristicConnection(compute(DEVELOPMENT, history(20, 10.0, 10.0, successRate, 0.0)), expected, m);
    }

    @ParameterizedTest(name = "violation rate {0}: connection {1}s")
    @CsvSource({"14.99, 20.0, 1.0", "15.0, 20.0, 1.0", "15.01, 30.0, 1.5"})
    void violation_rate_strictly_above_15_adds_0_5(double violationRate, double expected, double m) {
        assertHeuristicConnection(compute(DEVELOPMENT, history(20, 10.0, 10.0, 95.0, violationRate)), expected, m);
    }

    // The rules reach m from 0.85 to 2.2, so only the Cloud SQL floor and the local ceiling can bind;
    // the other two bounds are checked by values that must pass them unclamped.
    @ParameterizedTest(name = "{0}: recent {1}, success {2}, violations {3} -> m {4}, connection {5}s")
    @CsvSource({
            "staging,     6.0, 99.0,  0.0, 1.1,  119.0",
            "staging,    10.0, 95.0,  0.0, 1.1,  119.0",
            "staging,    10.0, 99.0, 20.0, 1.45, 150.5",
            "staging,    20.0, 50.0, 50.0, 2.2,  218.0",
            "development, 6.0, 99.0,  0.0, 0.85,  17.0",
            "development,10.0, 50.0, 50.0, 1.9,   38.0",
            "development,20.0, 50.0, 50.0, 2.0,   40.0"})
    void multiplier_is_clamped_to_1_1_to_2_5_for_cloud_sql_and_0_8_to_2_0_otherwise(String environment,
            double recent, double successRate, double violationRate, double m, double expected) {
        TimeoutResult result = compute(builtIn(environment), history(20, 10.0, recent, successRate, violationRate));
        assertHeuristicConnection(result, expected, m);
    }

    @Test
    void staging_with_degrading_history_gets_more_than_half_again() {
        TimeoutResult result = compute(STAGING, history(20, 10.0, 13.01, 95.0, 0.0));
        // t = 75 × 1.3 = 97.5; + 20 scaling buffer + 0.2 × 97.5 capacity buffer
        assertExplained(result, Operation.CONNECTION, Branch.HEURISTIC, 75.0, 1.3, 20.0, 19.5, 1.0, 137.0);
    }

    @Test
    void cloud_sql_without_capacity_aware_timeouts_gets_no_buffers() {
        EnvironmentPolicy policy = with(STAGING, new EnvironmentPolicy.VpcConnector(false, 20.0, 0.2));
        TimeoutResult result = compute(policy, history(20, 10.0, 13.01, 95.0, 0.0));
        assertExplained(result, Operation.CONNECTION, Branch.HEURISTIC, 75.0, 1.3, 0.0, 0.0, 1.0, 97.5);
    }

    @Test
    void local_environment_with_capacity_aware_timeouts_gets_the_buffers() {
        EnvironmentPolicy policy = with(DEVELOPMENT, new EnvironmentPolicy.VpcConnector(true, 20.0, 0.2));
        TimeoutResult result = compute(policy, history(20, 10.0, 10.0, 95.0, 0.0));
        assertExplained(result, Operation.CONNECTION, Branch.HEURISTIC, 20.0, 1.0, 20.0, 4.0, 1.0, 44.0);
    }

    @ParameterizedTest(name = "{0} samples: {1}, connection {2}s")
    @CsvSource({"4, INSUFFICIENT_DATA, 90.0", "5, HEURISTIC, 119.0", "6, HEURISTIC, 119.0"})
    void cloud_sql_below_min_samples_gets_base_times_insufficient_data_factor(long n, Branch branch,
            double expected) {
        TimeoutResult result = compute(STAGING, history(n, 10.0, 10.0, 95.0, 0.0));
        assertThat(result.adaptive()).isTrue();
        assertThat(result.explanations().get(Operation.CONNECTION).branch()).isEqualTo(branch);
        assertThat(connection(result)).isCloseTo(expected, offset(1e-9));
    }

    @Test
    void insufficient_data_ignores_the_history_and_adds_no_buffers() {
        TimeoutResult result = compute(STAGING, history(4, 10.0, 30.0, 10.0, 90.0));
        assertExplained(result, Operation.CONNECTION, Branch.INSUFFICIENT_DATA, 75.0, 1.2, 0.0, 0.0, 1.0, 90.0);
    }

    @Test
    void local_environment_adapting_below_min_samples_uses_factor_1_1() {
        EnvironmentPolicy policy = withSamples(DEVELOPMENT, 5, 0);
        TimeoutResult result = compute(policy, history(4, 10.0, 10.0, 95.0, 0.0));
        assertExplained(result, Operation.CONNECTION, Branch.INSUFFICIENT_DATA, 20.0, 1.1, 0.0, 0.0, 1.0, 22.0);
    }

    @ParameterizedTest(name = "{0} samples: {1}, connection {2}s")
    @CsvSource({"9, STATIC, 20.0, false", "10, HEURISTIC, 40.0, true", "11, HEURISTIC, 40.0, true"})
    void local_environment_adapts_only_from_min_samples_local(long n, Branch branch, double expected,
            boolean adaptive) {
        TimeoutResult result = compute(DEVELOPMENT, history(n, 10.0, 20.0, 50.0, 50.0));
        assertThat(result.adaptive()).isEqualTo(adaptive);
        assertThat(result.samples()).isEqualTo(n);
        assertThat(result.explanations().get(Operation.CONNECTION).branch()).isEqualTo(branch);
        assertThat(connection(result)).isCloseTo(expected, offset(1e-9));
    }

    @Test
    void cloud_sql_adapts_whatever_min_samples_local_says() {
        TimeoutResult result = compute(withSamples(STAGING, 5, 1000), history(20, 10.0, 10.0, 95.0, 0.0));
        assertThat(result.adaptive()).isTrue();
        assertThat(result.explanations().get(Operation.CONNECTION).branch()).isEqualTo(Branch.HEURISTIC);
    }

    @Test
    void vpc_connector_scaling_multiplies_only_the_connection_timeout() {
        TimeoutResult result = compute(STAGING, ConnectionHistory.EMPTY, VPC);
        assertThat(result.pressure()).containsExactly(VPC);
        assertExplained(result, Operation.CONNECTION, Branch.INSUFFICIENT_DATA, 75.0, 1.2, 0.0, 0.0, 1.5, 135.0);
        assertExplained(result, Operation.INITIALIZATION, Branch.INSUFFICIENT_DATA, 95.0, 1.2, 0.0, 0.0, 1.0, 114.0);
        assertExplained(result, Operation.TABLE_SETUP, Branch.INSUFFICIENT_DATA, 35.0, 1.2, 0.0, 0.0, 1.0, 42.0);
        assertExplained(result, Operation.POOL, Branch.INSUFFICIENT_DATA, 60.0, 1.2, 0.0, 0.0, 1.0, 72.0);
        assertExplained(result, Operation.HEALTH_CHECK, Branch.INSUFFICIENT_DATA, 30.0, 1.2, 0.0, 0.0, 1.0, 36.0);
    }

    @Test
    void cloud_sql_capacity_pressure_multiplies_only_the_initialization_timeout() {
        TimeoutResult result = compute(STAGING, ConnectionHistory.EMPTY, CAPACITY);
        assertExplained(result, Operation.INITIALIZATION, Branch.INSUFFICIENT_DATA, 95.0, 1.2, 0.0, 0.0, 1.2, 136.8);
        assertExplained(result, Operation.CONNECTION, Branch.INSUFFICIENT_DATA, 75.0, 1.2, 0.0, 0.0, 1.0, 90.0);
        assertExplained(result, Operation.TABLE_SETUP, Branch.INSUFFICIENT_DATA, 35.0, 1.2, 0.0, 0.0, 1.0, 42.0);
        assertExplained(result, Operation.POOL, Branch.INSUFFICIENT_DATA, 60.0, 1.2, 0.0, 0.0, 1.0, 72.0);
        assertExplained(result, Operation.HEALTH_CHECK, Branch.INSUFFICIENT_DATA, 30.0, 1.2, 0.0, 0.0, 1.0, 36.0);
    }

    @Test
    void every_timeout_is_explained_in_the_static_branch_with_both_pressures() {
        TimeoutResult result = compute(DEVELOPMENT, history(9, 10.0, 20.0, 50.0, 50.0), VPC, CAPACITY);
        assertThat(result.pressure()).containsExactly(VPC, CAPACITY);
        assertExplained(result, Operation.INITIALIZATION, Branch.STATIC, 30.0, 1.0, 0.0, 0.0, 1.2, 36.0);
        assertExplained(result, Operation.TABLE_SETUP, Branch.STATIC, 15.0, 1.0, 0.0, 0.0, 1.0, 15.0);
        assertExplained(result, Operation.CONNECTION, Branch.STATIC, 20.0, 1.0, 0.0, 0.0, 1.5, 30.0);
        assertExplained(result, Operation.POOL, Branch.STATIC, 30.0, 1.0, 0.0, 0.0, 1.0, 30.0);
        assertExplained(result, Operation.HEALTH_CHECK, Branch.STATIC, 10.0, 1.0, 0.0, 0.0, 1.0, 10.0);
    }

    @Test
    void every_timeout_is_explained_in_the_insufficient_data_branch_with_both_pressures() {
        TimeoutResult result = compute(STAGING, history(3, 10.0, 10.0, 95.0, 0.0), VPC, CAPACITY);
        Branch b = Branch.INSUFFICIENT_DATA;
        assertExplained(result, Operation.INITIALIZATION, b, 95.0, 1.2, 0.0, 0.0, 1.2, 136.8);
        assertExplained(result, Operation.TABLE_SETUP, b, 35.0, 1.2, 0.0, 0.0, 1.0, 42.0);
        assertExplained(result, Operation.CONNECTION, b, 75.0, 1.2, 0.0, 0.0, 1.5, 135.0);
        assertExplained(result, Operation.POOL, b, 60.0, 1.2, 0.0, 0.0, 1.0, 72.0);
        assertExplained(result, Operation.HEALTH_CHECK, b, 30.0, 1.2, 0.0, 0.0, 1.0, 36.0);
    }

    @Test
    void every_timeout_is_explained_in_the_heuristic_branch_with_pressure_applied_after_the_buffers() {
        TimeoutResult result = compute(STAGING, history(20, 10.0, 10.0, 95.0, 0.0), VPC, CAPACITY);
        Branch b = Branch.HEURISTIC;
        // t = base × 1.1 (the Cloud SQL floor); t + 20 + 0.2 × t; then × pressure
        assertExplained(result, Operation.INITIALIZATION, b, 95.0, 1.1, 20.0, 20.9, 1.2, 174.48);
        assertExplained(result, Operation.TABLE_SETUP, b, 35.0, 1.1, 20.0, 7.7, 1.0, 66.2);
        assertExplained(result, Operation.CONNECTION, b, 75.0, 1.1, 20.0, 16.5, 1.5, 178.5);
        assertExplained(result, Operation.POOL, b, 60.0, 1.1, 20.0, 13.2, 1.0, 99.2);
        assertExplained(result, Operation.HEALTH_CHECK, b, 30.0, 1.1, 20.0, 6.6, 1.0, 59.6);
    }

    @Test
    void two_indicators_on_the_same_timeout_multiply() {
        EnvironmentPolicy policy = with(STAGING, Map.of(
                VPC, Map.of("connection_timeout", 1.5),
                CAPACITY, Map.of("connection_timeout", 1.2)));
        TimeoutResult result = compute(policy, ConnectionHistory.EMPTY, VPC, CAPACITY);
        assertExplained(result, Operation.CONNECTION, Branch.INSUFFICIENT_DATA, 75.0, 1.2, 0.0, 0.0, 1.8, 162.0);
        assertExplained(result, Operation.INITIALIZATION, Branch.INSUFFICIENT_DATA, 95.0, 1.2, 0.0, 0.0, 1.0, 114.0);
    }

    @Test
    void answer_has_all_five_timeouts_and_explanations_and_the_samples() {
        TimeoutResult result = compute(STAGING, history(7, 10.0, 10.0, 95.0, 0.0));
        assertThat(result.timeouts()).containsOnlyKeys(Operation.values());
        assertThat(result.explanations()).containsOnlyKeys(Operation.values());
        assertThat(result.samples()).isEqualTo(7);
        assertThat(result.strategy()).isEqualTo(STAGING.adaptive().strategy());
        assertThat(result.pressure()).isEmpty();
    }

    private static ConnectionHistory history(long n, double avg, double recent, double successRate,
            double violationRate) {
        return new ConnectionHistory(n, avg, recent, successRate, violationRate);
    }

    private static TimeoutResult compute(EnvironmentPolicy policy, ConnectionHistory history, String... pressure) {
        return TimeoutCalculator.compute(policy, history, List.of(pressure));
    }

    private static double connection(TimeoutResult result) {
        return result.timeouts().get(Operation.CONNECTION);
    }

    private static void assertHeuristicConnection(TimeoutResult result, double expected, double multiplier) {
        Explanation e = result.explanations().get(Operation.CONNECTION);
        assertThat(e.branch()).isEqualTo(Branch.HEURISTIC);
        assertThat(e.multiplier()).isCloseTo(multiplier, offset(1e-9));
        assertThat(connection(result)).isCloseTo(expected, offset(1e-9));
    }

    /** The explanation of {@code operation} has these fields and they add up to the returned timeout. */
    private static void assertExplained(TimeoutResult result, Operation operation, Branch branch, double base,
            double multiplier, double scalingBuffer, double capacityBuffer, double pressureFactor, double expected) {
        Explanation e = result.explanations().get(operation);
        double value = result.timeouts().get(operation);
        assertThat(value).as(operation.timeoutKey()).isCloseTo(expected, offset(1e-9));
        assertThat(e.branch()).as("branch").isEqualTo(branch);
        assertThat(e.base()).as("base").isEqualTo(base);
        assertThat(e.multiplier()).as("multiplier").isCloseTo(multiplier, offset(1e-9));
        assertThat(e.scalingBuffer()).as("scaling_buffer").isCloseTo(scalingBuffer, offset(1e-9));
        assertThat(e.capacityBuffer()).as("capacity_buffer").isCloseTo(capacityBuffer, offset(1e-9));
        assertThat(e.pressureFactor()).as("pressure_factor").isCloseTo(pressureFactor, offset(1e-9));
        assertThat(e.samples()).as("samples").isEqualTo(result.samples());
        assertThat((e.base() * e.multiplier() + e.scalingBuffer() + e.capacityBuffer()) * e.pressureFactor())
                .as("fields add up to the value").isCloseTo(value, offset(1e-9));
        assertThat(e.text()).as("text").isNotBlank()
                .contains(operation.timeoutKey())
                .contains(Decimals.oneDecimal(expected) + "s")
                .contains(branch == Branch.INSUFFICIENT_DATA ? "insufficient data" : branch.wireName());
    }
}
