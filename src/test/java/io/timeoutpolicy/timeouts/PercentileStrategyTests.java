package io.timeoutpolicy.timeouts;

import static io.timeoutpolicy.policy.TestPolicies.builtIn;
import static io.timeoutpolicy.policy.TestPolicies.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import io.timeoutpolicy.history.ConnectionHistory;
import io.timeoutpolicy.policy.EnvironmentPolicy;
import io.timeoutpolicy.policy.Operation;
import io.timeoutpolicy.policy.Strategy;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * SPEC 4.3: timeout = clamp(q × (1 + headroom), floor × base, ceiling × base) from the operation's successful
 * attempts, else the connection ones, else the heuristic; pressure on top. Staging defaults: headroom 0.2,
 * floor 0.5, ceiling 3.0, min_samples 50; connection base 75 s, pool base 60 s.
 */
class PercentileStrategyTests {

    private static final EnvironmentPolicy STAGING = percentile(builtIn("staging"));
    private static final EnvironmentPolicy DEVELOPMENT = percentile(builtIn("development"));
    private static final ConnectionHistory STEADY = new ConnectionHistory(200, 10.0, 10.0, 95.0, 0.0);
    private static final String HEURISTIC_NOTE =
            "the percentile strategy had fewer than 50 successful attempts, so the heuristic answered";

    @ParameterizedTest(name = "q {0}s: connection {1}s")
    @CsvSource({
            "50.0,   60.0",
            "31.25,  37.5",
            "31.24,  37.5",
            "10.0,   37.5",
            "187.5,  225.0",
            "187.51, 225.0",
            "400.0,  225.0",
            "31.26,  37.512"})
    void the_quantile_with_headroom_is_kept_within_floor_and_ceiling_times_base(double q, double expected) {
        TimeoutResult result = compute(STAGING, samples(Operation.CONNECTION, 80, q));

        assertThat(result.timeouts().get(Operation.CONNECTION)).isCloseTo(expected, offset(1e-9));
        Explanation e = result.explanations().get(Operation.CONNECTION);
        assertThat(e.branch()).isEqualTo(Branch.PERCENTILE);
        assertThat(e.base()).isEqualTo(75.0);
        assertThat(e.multiplier()).isCloseTo(expected / 75.0, offset(1e-12));
        assertThat(e.scalingBuffer()).isZero();
        assertThat(e.capacityBuffer()).isZero();
        assertThat(e.pressureFactor()).isEqualTo(1.0);
        assertThat(e.samples()).isEqualTo(80);
    }

    @Test
    void every_key_uses_its_own_operations_samples_and_base() {
        Map<Operation, SuccessfulSamples.Sample> byOperation = new EnumMap<>(Operation.class);
        byOperation.put(Operation.CONNECTION, new SuccessfulSamples.Sample(100, 50.0));
        byOperation.put(Operation.POOL, new SuccessfulSamples.Sample(60, 40.0));
        byOperation.put(Operation.HEALTH_CHECK, new SuccessfulSamples.Sample(50, 1.0));

        TimeoutResult result = compute(STAGING, new SuccessfulSamples(byOperation));

        assertThat(result.timeouts().get(Operation.POOL)).isCloseTo(48.0, offset(1e-9));
        assertThat(result.explanations().get(Operation.POOL).samples()).isEqualTo(60);
        assertThat(result.timeouts().get(Operation.HEALTH_CHECK)).isCloseTo(15.0, offset(1e-9));
        assertThat(result.explanations().get(Operation.HEALTH_CHECK).samples()).isEqualTo(50);
        assertThat(result.strategy()).isEqualTo(Strategy.PERCENTILE);
    }

    @Test
    void an_operation_with_49_successes_falls_back_to_the_connection_samples() {
        Map<Operation, SuccessfulSamples.Sample> byOperation = new EnumMap<>(Operation.class);
        byOperation.put(Operation.CONNECTION, new SuccessfulSamples.Sample(120, 50.0));
        byOperation.put(Operation.POOL, new SuccessfulSamples.Sample(49, 2.0));

        TimeoutResult result = compute(STAGING, new SuccessfulSamples(byOperation));

        // 50 × 1.2 = 60 s, within [30, 180] of the pool's base 60 s.
        Explanation pool = result.explanations().get(Operation.POOL);
        assertThat(result.timeouts().get(Operation.POOL)).isCloseTo(60.0, offset(1e-9));
        assertThat(pool.branch()).isEqualTo(Branch.PERCENTILE);
        assertThat(pool.base()).isEqualTo(60.0);
        assertThat(pool.samples()).isEqualTo(120);
        assertThat(pool.text()).contains("120 successful connection attempts");
    }

    @Test
    void the_fallback_is_clamped_by_the_keys_own_base() {
        TimeoutResult result = compute(STAGING, samples(Operation.CONNECTION, 120, 200.0));

        // health_check base 30 s: ceiling 90 s; table_setup base 35 s: ceiling 105 s.
        assertThat(result.timeouts().get(Operation.HEALTH_CHECK)).isCloseTo(90.0, offset(1e-9));
        assertThat(result.timeouts().get(Operation.TABLE_SETUP)).isCloseTo(105.0, offset(1e-9));
        assertThat(result.timeouts().get(Operation.CONNECTION)).isCloseTo(225.0, offset(1e-9));
    }

    @ParameterizedTest(name = "{0} successful connection attempts: {1}")
    @CsvSource({"49, INSUFFICIENT_DATA", "50, PERCENTILE", "51, PERCENTILE"})
    void min_samples_successes_are_enough(long count, Branch branch) {
        TimeoutResult result = compute(STAGING, ConnectionHistory.EMPTY, samples(Operation.CONNECTION, count, 50.0));

        assertThat(result.explanations().get(Operation.CONNECTION).branch()).isEqualTo(branch);
    }

    @Test
    void with_too_few_successes_in_both_the_heuristic_answers_and_says_why() {
        Map<Operation, SuccessfulSamples.Sample> byOperation = new EnumMap<>(Operation.class);
        byOperation.put(Operation.CONNECTION, new SuccessfulSamples.Sample(49, 50.0));
        byOperation.put(Operation.POOL, new SuccessfulSamples.Sample(49, 50.0));

        TimeoutResult result = compute(STAGING, ConnectionHistory.EMPTY, new SuccessfulSamples(byOperation));

        // Staging without connection history: insufficient data, base 60 s × 1.2.
        Explanation pool = result.explanations().get(Operation.POOL);
        assertThat(pool.branch()).isEqualTo(Branch.INSUFFICIENT_DATA);
        assertThat(result.timeouts().get(Operation.POOL)).isCloseTo(72.0, offset(1e-9));
        assertThat(pool.text()).contains(HEURISTIC_NOTE);
    }

    @Test
    void the_heuristic_fallback_keeps_its_own_rules_and_buffers() {
        TimeoutResult result = compute(STAGING, STEADY, SuccessfulSamples.NONE);

        // m = 1.1 (the Cloud SQL floor), 75 × 1.1 = 82.5, + 20 scaling + 0.2 × 82.5 capacity = 119.0.
        Explanation connection = result.explanations().get(Operation.CONNECTION);
        assertThat(connection.branch()).isEqualTo(Branch.HEURISTIC);
        assertThat(result.timeouts().get(Operation.CONNECTION)).isCloseTo(119.0, offset(1e-9));
        assertThat(connection.samples()).isEqualTo(200);
        assertThat(connection.text()).contains(HEURISTIC_NOTE);
    }

    @Test
    void a_local_environment_without_enough_history_falls_back_to_static() {
        TimeoutResult result = compute(DEVELOPMENT, ConnectionHistory.EMPTY, SuccessfulSamples.NONE);

        Explanation connection = result.explanations().get(Operation.CONNECTION);
        assertThat(connection.branch()).isEqualTo(Branch.STATIC);
        assertThat(result.timeouts().get(Operation.CONNECTION)).isEqualTo(20.0);
        assertThat(connection.text()).contains(HEURISTIC_NOTE);
    }

    @Test
    void a_local_environment_too_new_to_adapt_still_uses_an_operation_with_enough_successes() {
        TimeoutResult result = compute(DEVELOPMENT, ConnectionHistory.EMPTY, samples(Operation.POOL, 60, 20.0));

        // Development pool base 30 s: 20 × 1.2 = 24 s, within [15, 90]; connection has nothing, so static.
        assertThat(result.explanations().get(Operation.POOL).branch()).isEqualTo(Branch.PERCENTILE);
        assertThat(result.timeouts().get(Operation.POOL)).isCloseTo(24.0, offset(1e-9));
        assertThat(result.explanations().get(Operation.CONNECTION).branch()).isEqualTo(Branch.STATIC);
        assertThat(result.adaptive()).isFalse();
    }

    @Test
    void pressure_multiplies_the_percentile_timeout() {
        TimeoutResult result = compute(STAGING, STEADY, samples(Operation.CONNECTION, 80, 50.0),
                "vpc_connector_scaling", "cloud_sql_capacity_pressure");

        Explanation connection = result.explanations().get(Operation.CONNECTION);
        assertThat(result.timeouts().get(Operation.CONNECTION)).isCloseTo(90.0, offset(1e-9));
        assertThat(connection.branch()).isEqualTo(Branch.PERCENTILE);
        assertThat(connection.pressureFactor()).isEqualTo(1.5);
        assertThat(connection.text()).contains("vpc_connector_scaling");
        // initialization base 95 s: the fallback to connection q gives 60 s, × 1.2 = 72 s.
        assertThat(result.timeouts().get(Operation.INITIALIZATION)).isCloseTo(72.0, offset(1e-9));
        assertThat(result.explanations().get(Operation.INITIALIZATION).pressureFactor()).isEqualTo(1.2);
        assertThat(result.pressure()).containsExactly("vpc_connector_scaling", "cloud_sql_capacity_pressure");
    }

    @Test
    void pressure_applies_on_top_of_a_clamped_value() {
        TimeoutResult result = compute(STAGING, STEADY, samples(Operation.CONNECTION, 80, 400.0),
                "vpc_connector_scaling");

        assertThat(result.timeouts().get(Operation.CONNECTION)).isCloseTo(225.0 * 1.5, offset(1e-9));
    }

    @Test
    void the_explanation_text_names_the_quantile_the_samples_and_the_clamp() {
        TimeoutResult result = compute(STAGING, samples(Operation.CONNECTION, 80, 50.0));

        assertThat(result.explanations().get(Operation.CONNECTION).text()).isEqualTo("connection_timeout: quantile"
                + " 0.999 of 80 successful connection attempts = 50.0s, + 0.2 headroom = 60.0s, kept within"
                + " [0.5, 3] × base 75.0s = 60.0s");
    }

    @Test
    void the_answer_reports_the_connection_history_as_its_samples() {
        TimeoutResult result = compute(STAGING, STEADY, samples(Operation.CONNECTION, 80, 50.0));

        assertThat(result.samples()).isEqualTo(200);
        assertThat(result.adaptive()).isTrue();
    }

    private static TimeoutResult compute(EnvironmentPolicy policy, SuccessfulSamples successful) {
        return compute(policy, STEADY, successful);
    }

    private static TimeoutResult compute(EnvironmentPolicy policy, ConnectionHistory history,
            SuccessfulSamples successful, String... pressure) {
        return TimeoutCalculator.compute(policy, history, successful, List.of(pressure));
    }

    private static SuccessfulSamples samples(Operation operation, long count, double quantile) {
        return new SuccessfulSamples(Map.of(operation, new SuccessfulSamples.Sample(count, quantile)));
    }

    private static EnvironmentPolicy percentile(EnvironmentPolicy p) {
        EnvironmentPolicy.Adaptive a = p.adaptive();
        return with(p, new EnvironmentPolicy.Adaptive(Strategy.PERCENTILE, a.minSamples(), a.minSamplesLocal(),
                a.insufficientDataFactor(), a.historyWindow(), a.percentile()));
    }
}
