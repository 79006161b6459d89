package io.timeoutpolicy.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.timeoutpolicy.policy.Canary;
import io.timeoutpolicy.policy.Rollout;
import org.junit.jupiter.api.Test;

/** SPEC 10.2's cohort rule and guard, at their edges. */
class GuardAndCanaryRulesTests {

    private static final Rollout.Guard GUARD = new Rollout.Guard(50, 5.0, 5.0);

    private static Score.Cohort cohort(long attempts, double violationRate, double failureRate) {
        return new Score.Cohort(attempts, violationRate, failureRate);
    }

    @Test
    void the_cohort_is_crc32_of_the_utf8_environment_and_instance_mod_100_as_pythons_zlib_computes_it() {
        // zlib.crc32(b"staging:orders-api-7d9f-1234") % 100 == 55, and so on (checked with Python 3.11)
        assertThat(Canary.slot("staging", "orders-api-7d9f-1234")).isEqualTo(55);
        assertThat(Canary.slot("production", "host-1")).isEqualTo(52);
        assertThat(Canary.slot("dev", "ñandú-☃")).isEqualTo(27);
        assertThat(Canary.inCohort("staging", "orders-api-7d9f-1234", 55)).isFalse();
        assertThat(Canary.inCohort("staging", "orders-api-7d9f-1234", 56)).isTrue();
        assertThat(Canary.inCohort("staging", null, 100)).isFalse();
        assertThat(Canary.inCohort("staging", "x", 0)).isFalse();
    }

    @Test
    void fewer_than_min_attempts_never_roll_back() {
        assertThat(Guard.breach(GUARD, cohort(49, 100, 100), cohort(1000, 0, 0))).isEmpty();
        assertThat(Guard.breach(GUARD, cohort(50, 100, 100), cohort(1000, 0, 0))).isPresent();
    }

    @Test
    void the_violation_rate_may_exceed_the_controls_by_the_allowed_points_but_not_more() {
        assertThat(Guard.breach(GUARD, cohort(100, 7.0, 0), cohort(100, 2.0, 0))).isEmpty();
        Guard.Breach breach = Guard.breach(GUARD, cohort(100, 7.01, 0), cohort(100, 2.0, 0)).orElseThrow();
        assertThat(breach.rate()).isEqualTo("violation_rate");
        assertThat(breach.canary()).isEqualTo(7.01);
        assertThat(breach.threshold()).isEqualTo(7.0);
        assertThat(breach.reason()).isEqualTo("the canary's violation rate 7.0% over 100 connection attempts"
                + " exceeds the control's 2.0% by more than 5 points");
    }

    @Test
    void the_failure_rate_has_its_own_allowance() {
        Rollout.Guard strictOnFailures = new Rollout.Guard(10, 50.0, 1.0);
        assertThat(Guard.breach(strictOnFailures, cohort(10, 40, 11.0), cohort(10, 0, 10.0))).isEmpty();
        assertThat(Guard.breach(strictOnFailures, cohort(10, 40, 11.5), cohort(10, 0, 10.0)).orElseThrow().rate())
                .isEqualTo("failure_rate");
    }

    @Test
    void a_canary_better_than_its_control_stays() {
        assertThat(Guard.breach(GUARD, cohort(500, 0, 0), cohort(500, 30, 30))).isEmpty();
    }
}
