package io.timeoutpolicy.circuit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import io.timeoutpolicy.history.FailureStreak;
import io.timeoutpolicy.policy.EnvironmentPolicy;
import io.timeoutpolicy.policy.TestPolicies;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * SPEC 4.6 as pure code: the state follows from the failure streak and an explicit {@code now}, so the
 * clock is moved by hand and nothing sleeps. Defaults (SPEC 3): failure_threshold 5, reset_timeout 60 s.
 */
class CircuitStateTests {

    private static final String ENV = "staging";
    private static final Instant LAST_FAILURE = Instant.parse("2026-11-22T10:15:30Z");
    private static final EnvironmentPolicy.Circuit DEFAULTS = TestPolicies.builtIn(ENV).circuit();

    @Test
    void the_built_in_circuit_opens_after_5_failures_for_60_seconds() {
        assertThat(DEFAULTS.failureThreshold()).isEqualTo(5);
        assertThat(DEFAULTS.resetTimeout()).isEqualTo(60.0);
    }

    @Test
    void one_failure_short_of_the_threshold_is_closed_and_reports_the_last_failure() {
        CircuitState state = CircuitState.of(ENV, new FailureStreak(4, LAST_FAILURE), DEFAULTS, LAST_FAILURE);

        assertThat(state.environment()).isEqualTo(ENV);
        assertThat(state.state()).isEqualTo(CircuitState.CLOSED);
        assertThat(state.consecutiveFailures()).isEqualTo(4);
        assertThat(state.lastFailureAt()).isEqualTo(LAST_FAILURE);
        assertThat(state.retryAfterSeconds()).isNull();
    }

    @Test
    void without_any_failure_it_is_closed_with_nothing_to_report() {
        CircuitState state = CircuitState.of(ENV, FailureStreak.NONE, DEFAULTS, LAST_FAILURE);

        assertThat(state.state()).isEqualTo(CircuitState.CLOSED);
        assertThat(state.consecutiveFailures()).isZero();
        assertThat(state.lastFailureAt()).isNull();
        assertThat(state.retryAfterSeconds()).isNull();
    }

    @Test
    void at_the_threshold_it_opens_with_the_whole_reset_timeout_left_at_the_moment_of_the_failure() {
        CircuitState state = CircuitState.of(ENV, new FailureStreak(5, LAST_FAILURE), DEFAULTS, LAST_FAILURE);

        assertThat(state.state()).isEqualTo(CircuitState.OPEN);
        assertThat(state.consecutiveFailures()).isEqualTo(5);
        assertThat(state.lastFailureAt()).isEqualTo(LAST_FAILURE);
        assertThat(state.retryAfterSeconds()).isEqualTo(60.0);
    }

    @Test
    void retry_after_is_the_reset_timeout_minus_the_time_elapsed_since_the_last_failure() {
        FailureStreak streak = new FailureStreak(5, LAST_FAILURE);

        assertThat(at(streak, Duration.ofMillis(17_250)).retryAfterSeconds()).isEqualTo(42.75);
        assertThat(at(streak, Duration.ofSeconds(1)).retryAfterSeconds()).isEqualTo(59.0);
        assertThat(at(streak, Duration.ofSeconds(30)).retryAfterSeconds()).isEqualTo(30.0);
    }

    @Test
    void the_clock_moving_on_takes_the_circuit_from_open_to_half_open_at_exactly_the_reset_timeout() {
        FailureStreak streak = new FailureStreak(7, LAST_FAILURE);

        CircuitState justBefore = at(streak, Duration.ofSeconds(60).minusNanos(1_000));
        CircuitState exactly = at(streak, Duration.ofSeconds(60));
        CircuitState after = at(streak, Duration.ofSeconds(61));
        CircuitState muchLater = at(streak, Duration.ofHours(3));

        assertThat(justBefore.state()).isEqualTo(CircuitState.OPEN);
        assertThat(justBefore.retryAfterSeconds()).isCloseTo(0.000001, offset(1e-9)).isPositive();
        assertThat(exactly.state()).isEqualTo(CircuitState.HALF_OPEN);
        assertThat(after.state()).isEqualTo(CircuitState.HALF_OPEN);
        assertThat(muchLater.state()).isEqualTo(CircuitState.HALF_OPEN);
        for (CircuitState state : new CircuitState[] {exactly, after, muchLater}) {
            assertThat(state.retryAfterSeconds()).isNull();
            assertThat(state.consecutiveFailures()).isEqualTo(7);
            assertThat(state.lastFailureAt()).isEqualTo(LAST_FAILURE);
        }
    }

    @Test
    void many_more_failures_than_the_threshold_keep_it_open_with_the_same_countdown() {
        CircuitState state = at(new FailureStreak(500, LAST_FAILURE), Duration.ofSeconds(10));

        assertThat(state.state()).isEqualTo(CircuitState.OPEN);
        assertThat(state.consecutiveFailures()).isEqualTo(500);
        assertThat(state.retryAfterSeconds()).isEqualTo(50.0);
    }

    @Test
    void a_success_after_the_streak_closes_it_while_last_failure_at_still_reports_the_newest_failure() {
        Instant now = LAST_FAILURE.plusSeconds(5);
        CircuitState open = CircuitState.of(ENV, new FailureStreak(5, LAST_FAILURE), DEFAULTS, now);
        CircuitState afterSuccess = CircuitState.of(ENV, new FailureStreak(0, LAST_FAILURE), DEFAULTS, now);

        assertThat(open.state()).isEqualTo(CircuitState.OPEN);
        assertThat(afterSuccess.state()).isEqualTo(CircuitState.CLOSED);
        assertThat(afterSuccess.consecutiveFailures()).isZero();
        assertThat(afterSuccess.lastFailureAt()).isEqualTo(LAST_FAILURE);
        assertThat(afterSuccess.retryAfterSeconds()).isNull();
    }

    @Test
    void a_custom_threshold_and_reset_timeout_from_a_modified_policy_are_honoured() {
        EnvironmentPolicy policy = TestPolicies.with(TestPolicies.builtIn("development"),
                new EnvironmentPolicy.Circuit(2, 7.5));
        EnvironmentPolicy.Circuit custom = policy.circuit();

        assertThat(CircuitState.of("development", new FailureStreak(1, LAST_FAILURE), custom, LAST_FAILURE).state())
                .isEqualTo(CircuitState.CLOSED);
        CircuitState open = CircuitState.of("development", new FailureStreak(2, LAST_FAILURE), custom,
                LAST_FAILURE.plusMillis(2_500));
        assertThat(open.state()).isEqualTo(CircuitState.OPEN);
        assertThat(open.retryAfterSeconds()).isEqualTo(5.0);
        assertThat(CircuitState.of("development", new FailureStreak(2, LAST_FAILURE), custom,
                LAST_FAILURE.plusMillis(7_499)).state()).isEqualTo(CircuitState.OPEN);
        assertThat(CircuitState.of("development", new FailureStreak(2, LAST_FAILURE), custom,
                LAST_FAILURE.plusMillis(7_500)).state()).isEqualTo(CircuitState.HALF_OPEN);
        // Five failures would open the default circuit but are still one failure short with threshold 6.
        EnvironmentPolicy.Circuit six = new EnvironmentPolicy.Circuit(6, 60.0);
        assertThat(CircuitState.of(ENV, new FailureStreak(5, LAST_FAILURE), six, LAST_FAILURE).state())
                .isEqualTo(CircuitState.CLOSED);
        assertThat(CircuitState.of(ENV, new FailureStreak(6, LAST_FAILURE), six, LAST_FAILURE).state())
                .isEqualTo(CircuitState.OPEN);
    }

    @Test
    void a_threshold_of_one_opens_on_a_single_failure() {
        EnvironmentPolicy.Circuit one = new EnvironmentPolicy.Circuit(1, 60.0);

        CircuitState state = CircuitState.of(ENV, new FailureStreak(1, LAST_FAILURE), one, LAST_FAILURE.plusSeconds(59));

        assertThat(state.state()).isEqualTo(CircuitState.OPEN);
        assertThat(state.retryAfterSeconds()).isEqualTo(1.0);
    }

    private static CircuitState at(FailureStreak streak, Duration sinceLastFailure) {
        return CircuitState.of(ENV, streak, DEFAULTS, LAST_FAILURE.plus(sinceLastFailure));
    }
}
