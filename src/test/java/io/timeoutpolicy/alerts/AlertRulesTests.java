package io.timeoutpolicy.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import io.timeoutpolicy.history.Attempt;
import io.timeoutpolicy.history.WindowStats;
import io.timeoutpolicy.policy.Operation;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * SPEC 4.7 as pure code, at every threshold (just below, at, just above). With a 20 s timeout in force
 * the warning line is 16 s and the critical line 19 s, both exact in binary floating point.
 */
class AlertRulesTests {

    private static final Instant NOW = Instant.parse("2026-11-22T10:15:30Z");

    // --- connection_time: duration against the attempt's own timeout in force ---

    @Test
    void a_duration_at_80_percent_of_the_timeout_raises_nothing() {
        assertThat(AlertRules.connectionTime(attempt(16.0, 20.0))).isEmpty();
        assertThat(AlertRules.connectionTime(attempt(Math.nextDown(16.0), 20.0))).isEmpty();
        assertThat(AlertRules.connectionTime(attempt(0.0, 20.0))).isEmpty();
    }

    @Test
    void a_duration_just_above_80_percent_of_the_timeout_is_a_warning_with_the_value_and_threshold() {
        AlertSignal signal = AlertRules.connectionTime(attempt(Math.nextUp(16.0), 20.0)).orElseThrow();

        assertThat(signal.environment()).isEqualTo("staging");
        assertThat(signal.operation()).isEqualTo("connection");
        assertThat(signal.level()).isEqualTo(AlertRules.WARNING);
        assertThat(signal.type()).isEqualTo(AlertRules.CONNECTION_TIME);
        assertThat(signal.value()).isEqualTo(Math.nextUp(16.0));
        assertThat(signal.threshold()).isEqualTo(16.0);
        assertThat(signal.message()).isNotBlank();
    }

    @Test
    void a_duration_at_95_percent_of_the_timeout_is_still_only_a_warning() {
        AlertSignal signal = AlertRules.connectionTime(attempt(19.0, 20.0)).orElseThrow();

        assertThat(signal.level()).isEqualTo(AlertRules.WARNING);
        assertThat(signal.value()).isEqualTo(19.0);
        assertThat(signal.threshold()).isEqualTo(16.0);
    }

    @Test
    void a_duration_just_above_95_percent_of_the_timeout_is_critical_and_critical_wins_over_warning() {
        AlertSignal signal = AlertRules.connectionTime(attempt(Math.nextUp(19.0), 20.0)).orElseThrow();

        assertThat(signal.level()).isEqualTo(AlertRules.CRITICAL);
        assertThat(signal.type()).isEqualTo(AlertRules.CONNECTION_TIME);
        assertThat(signal.value()).isEqualTo(Math.nextUp(19.0));
        assertThat(signal.threshold()).isEqualTo(19.0);
        assertThat(signal.message()).isNotBlank();
    }

    @Test
    void a_violation_of_the_timeout_is_critical() {
        AlertSignal signal = AlertRules.connectionTime(attempt(35.0, 20.0)).orElseThrow();

        assertThat(signal.level()).isEqualTo(AlertRules.CRITICAL);
        assertThat(signal.value()).isEqualTo(35.0);
    }

    @ParameterizedTest(name = "timeout {0}s: {1}s nothing, {2}s warning, {3}s critical")
    @CsvSource({"60.0, 48.0, 48.1, 57.1", "30.0, 24.0, 24.1, 28.6", "75.0, 60.0, 60.1, 71.3"})
    void the_lines_follow_the_timeout_in_force_of_the_attempt(double timeout, double none, double warning,
            double critical) {
        assertThat(AlertRules.connectionTime(attempt(none, timeout))).isEmpty();
        assertThat(AlertRules.connectionTime(attempt(warning, timeout)).orElseThrow().level())
                .isEqualTo(AlertRules.WARNING);
        AlertSignal signal = AlertRules.connectionTime(attempt(critical, timeout)).orElseThrow();
        assertThat(signal.level()).isEqualTo(AlertRules.CRITICAL);
        assertThat(signal.threshold()).isCloseTo(0.95 * timeout, offset(1e-9));
    }

    @Test
    void the_signal_names_the_operation_of_the_attempt() {
        Optional<AlertSignal> signal = AlertRules.connectionTime(attempt(Operation.TABLE_SETUP, 9.0, 10.0));

        assertThat(signal).get().extracting(AlertSignal::operation).isEqualTo("table_setup");
    }

    // --- success_rate: only with at least 10 attempts ---

    @Test
    void nine_failed_attempts_are_too_few_for_a_success_rate_alert() {
        assertThat(types(AlertRules.rates("staging", "connection", stats(9, 0, 0)))).isEmpty();
    }

    @Test
    void ten_attempts_at_80_percent_are_a_success_rate_warning_below_90() {
        AlertSignal signal = only(AlertRules.rates("staging", "connection", stats(10, 8, 0)));

        assertThat(signal.environment()).isEqualTo("staging");
        assertThat(signal.operation()).isEqualTo("connection");
        assertThat(signal.type()).isEqualTo(AlertRules.SUCCESS_RATE);
        assertThat(signal.level()).isEqualTo(AlertRules.WARNING);
        assertThat(signal.value()).isEqualTo(80.0);
        assertThat(signal.threshold()).isEqualTo(90.0);
        assertThat(signal.message()).isNotBlank();
    }

    @Test
    void ten_attempts_at_70_percent_are_a_critical_success_rate_below_80() {
        AlertSignal signal = only(AlertRules.rates("production", "pool", stats(10, 7, 0)));

        assertThat(signal.environment()).isEqualTo("production");
        assertThat(signal.operation()).isEqualTo("pool");
        assertThat(signal.level()).isEqualTo(AlertRules.CRITICAL);
        assertThat(signal.value()).isEqualTo(70.0);
        assertThat(signal.threshold()).isEqualTo(80.0);
        assertThat(signal.message()).isNotBlank();
    }

    @ParameterizedTest(name = "{1} of {0} successful: {2}")
    @CsvSource({"10, 10, none", "10, 9, none", "1000, 901, none", "1000, 900, none", "1000, 899, warning",
            "1000, 800, warning", "1000, 799, critical", "10, 0, critical"})
    void success_rate_warns_strictly_below_90_and_is_critical_strictly_below_80(long count, long successes,
            String level) {
        List<AlertSignal> signals = AlertRules.rates("staging", "connection", stats(count, successes, 0));

        if (level.equals("none")) {
            assertThat(signals).isEmpty();
            return;
        }
        AlertSignal signal = only(signals);
        assertThat(signal.type()).isEqualTo(AlertRules.SUCCESS_RATE);
        assertThat(signal.level()).isEqualTo(level);
        assertThat(signal.value()).isCloseTo(successes * 100.0 / count, offset(1e-12));
    }

    // --- timeout_violations: only with at least 5 attempts ---

    @Test
    void four_attempts_all_violating_are_too_few_for_a_violation_alert() {
        assertThat(AlertRules.rates("staging", "connection", stats(4, 4, 4))).isEmpty();
    }

    @Test
    void five_attempts_with_two_violations_are_a_violation_warning_above_20() {
        AlertSignal signal = only(AlertRules.rates("staging", "connection", stats(5, 5, 2)));

        assertThat(signal.type()).isEqualTo(AlertRules.TIMEOUT_VIOLATIONS);
        assertThat(signal.level()).isEqualTo(AlertRules.WARNING);
        assertThat(signal.value()).isEqualTo(40.0);
        assertThat(signal.threshold()).isEqualTo(20.0);
        assertThat(signal.message()).isNotBlank();
    }

    @Test
    void five_attempts_with_three_violations_are_critical_above_40() {
        AlertSignal signal = only(AlertRules.rates("staging", "connection", stats(5, 5, 3)));

        assertThat(signal.type()).isEqualTo(AlertRules.TIMEOUT_VIOLATIONS);
        assertThat(signal.level()).isEqualTo(AlertRules.CRITICAL);
        assertThat(signal.value()).isEqualTo(60.0);
        assertThat(signal.threshold()).isEqualTo(40.0);
        assertThat(signal.message()).isNotBlank();
    }

    @ParameterizedTest(name = "{1} of {0} violating: {2}")
    @CsvSource({"5, 0, none", "5, 1, none", "1000, 199, none", "1000, 200, none", "1000, 201, warning",
            "1000, 400, warning", "1000, 401, critical", "5, 5, critical"})
    void violation_rate_warns_strictly_above_20_and_is_critical_strictly_above_40(long count, long violations,
            String level) {
        List<AlertSignal> signals = AlertRules.rates("staging", "connection", stats(count, count, violations));

        if (level.equals("none")) {
            assertThat(signals).isEmpty();
            return;
        }
        AlertSignal signal = only(signals);
        assertThat(signal.type()).isEqualTo(AlertRules.TIMEOUT_VIOLATIONS);
        assertThat(signal.level()).isEqualTo(level);
        assertThat(signal.value()).isCloseTo(violations * 100.0 / count, offset(1e-12));
    }

    // --- both rates ---

    @Test
    void between_5_and_9_attempts_only_the_violation_rule_applies() {
        List<AlertSignal> signals = AlertRules.rates("staging", "connection", stats(9, 0, 9));

        assertThat(types(signals)).containsExactly(AlertRules.TIMEOUT_VIOLATIONS);
    }

    @Test
    void with_10_attempts_both_rate_rules_can_fire_together() {
        List<AlertSignal> signals = AlertRules.rates("staging", "connection", stats(10, 0, 10));

        assertThat(types(signals)).containsExactlyInAnyOrder(AlertRules.SUCCESS_RATE, AlertRules.TIMEOUT_VIOLATIONS);
        assertThat(signals).allSatisfy(signal -> {
            assertThat(signal.level()).isEqualTo(AlertRules.CRITICAL);
            assertThat(signal.message()).isNotBlank();
        });
    }

    @Test
    void an_empty_window_raises_nothing() {
        assertThat(AlertRules.rates("staging", "connection", WindowStats.EMPTY)).isEmpty();
    }

    private static Attempt attempt(double duration, double timeout) {
        return attempt(Operation.CONNECTION, duration, timeout);
    }

    private static Attempt attempt(Operation operation, double duration, double timeout) {
        return new Attempt(UUID.randomUUID(), "staging", operation, duration, duration <= timeout, timeout,
                Attempt.violates(duration, timeout), null, null, null, NOW, null);
    }

    /** A window with only the counts set; the rate rules read nothing else. */
    private static WindowStats stats(long count, long successes, long violations) {
        double[] recent = new double[(int) Math.min(count, WindowStats.RECENT)];
        Arrays.fill(recent, 1.0);
        return new WindowStats(count, successes, violations, count * 1.0, 1.0, 1.0, 1.0, NOW.minusSeconds(60), NOW,
                recent, q -> 1.0);
    }

    private static AlertSignal only(List<AlertSignal> signals) {
        assertThat(signals).hasSize(1);
        return signals.get(0);
    }

    private static List<String> types(List<AlertSignal> signals) {
        return signals.stream().map(AlertSignal::type).toList();
    }
}
