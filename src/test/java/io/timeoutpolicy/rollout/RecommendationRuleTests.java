package io.timeoutpolicy.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.timeoutpolicy.policy.EnvironmentPolicy;
import io.timeoutpolicy.rollout.RecommendationRule.Evidence;
import io.timeoutpolicy.rollout.RecommendationRule.Proposal;
import org.junit.jupiter.api.Test;

/** SPEC 10.1 for one key, at each of its edges: just below, at and just above every threshold. */
class RecommendationRuleTests {

    /** target 0.001, headroom 0.2, min_samples 50: the defaults of SPEC 3.1. */
    private static final EnvironmentPolicy.Percentile SETTINGS = new EnvironmentPolicy.Percentile(0.001, 0.2, 0.5,
            3.0, 50);

    private static Proposal propose(double currentBase, long successes, double quantile, double longest) {
        return RecommendationRule.propose(currentBase, SETTINGS, new Evidence(successes, quantile, longest));
    }

    @Test
    void no_data_is_insufficient_data_naming_the_count_and_the_requirement() {
        Proposal p = propose(20.0, 0, 0.0, 0.0);

        assertThat(p.action()).isEqualTo(Action.INSUFFICIENT_DATA);
        assertThat(p.recommendedBase()).isNull();
        assertThat(p.quantile()).isNull();
        assertThat(p.samples()).isZero();
        assertThat(p.requiredSamples()).isEqualTo(50);
    }

    @Test
    void one_success_short_of_min_samples_gets_no_proposal_and_min_samples_gets_one() {
        assertThat(propose(20.0, 49, 3.0, 3.5).action()).isEqualTo(Action.INSUFFICIENT_DATA);
        assertThat(propose(20.0, 50, 3.0, 3.5).action()).isEqualTo(Action.LOWER);
    }

    @Test
    void the_base_is_the_quantile_with_headroom_rounded_up_to_half_a_second() {
        // 10.1 × 1.2 = 12.12 → 12.5
        assertThat(propose(20.0, 1000, 10.1, 11.0).recommendedBase()).isEqualTo(12.5);
        // 10.0 × 1.2 = 12.0 exactly: already a multiple, stays
        assertThat(propose(20.0, 1000, 10.0, 11.0).recommendedBase()).isEqualTo(12.0);
        // 10.0001 × 1.2 = 12.00012 → 12.5
        assertThat(propose(20.0, 1000, 10.0001, 11.0).recommendedBase()).isEqualTo(12.5);
    }

    @Test
    void the_base_is_never_below_the_longest_success() {
        // quantile × 1.2 = 6.0, but one success took 13.2 s
        Proposal p = propose(30.0, 1000, 5.0, 13.2);

        assertThat(p.recommendedBase()).isEqualTo(13.5);
        assertThat(p.action()).isEqualTo(Action.LOWER);
        // the longest success exactly on a multiple stays there
        assertThat(propose(30.0, 1000, 5.0, 13.0).recommendedBase()).isEqualTo(13.0);
    }

    @Test
    void within_10_percent_of_the_current_base_is_keep() {
        // current 20: wanted 22.0 is +10 % (keep), 22.5 is +12.5 % (raise); 18.0 is −10 % (keep), 17.5 lower
        assertThat(propose(20.0, 1000, 22.0 / 1.2, 1.0).action()).isEqualTo(Action.KEEP);
        assertThat(propose(20.0, 1000, 22.0 / 1.2, 1.0).recommendedBase()).isEqualTo(20.0);
        assertThat(propose(20.0, 1000, 22.4 / 1.2, 1.0).action()).isEqualTo(Action.RAISE);
        assertThat(propose(20.0, 1000, 22.4 / 1.2, 1.0).recommendedBase()).isEqualTo(22.5);
        assertThat(propose(20.0, 1000, 18.0 / 1.2, 1.0).action()).isEqualTo(Action.KEEP);
        assertThat(propose(20.0, 1000, 17.5 / 1.2, 1.0).action()).isEqualTo(Action.LOWER);
        assertThat(propose(20.0, 1000, 17.5 / 1.2, 1.0).recommendedBase()).isEqualTo(17.5);
    }

    @Test
    void a_raise_beyond_four_times_stops_at_the_step_and_says_so() {
        // current 10: wanted 100 is beyond 40
        Proposal beyond = propose(10.0, 1000, 100.0 / 1.2, 1.0);
        assertThat(beyond.action()).isEqualTo(Action.RAISE);
        assertThat(beyond.recommendedBase()).isEqualTo(40.0);
        assertThat(beyond.stepLimited()).isTrue();
        assertThat(beyond.wantedBase()).isEqualTo(100.0);
        // exactly four times is one step
        Proposal at = propose(10.0, 1000, 40.0 / 1.2, 1.0);
        assertThat(at.recommendedBase()).isEqualTo(40.0);
        assertThat(at.stepLimited()).isFalse();
        // the longest success beyond the step is held back by the step too
        assertThat(propose(10.0, 1000, 1.0, 55.0).recommendedBase()).isEqualTo(40.0);
    }

    @Test
    void a_lowering_below_a_quarter_stops_at_the_step_rounded_up_to_half_a_second() {
        // current 75: a quarter is 18.75 → 19.0; wanted 3.0
        Proposal below = propose(75.0, 1000, 2.5, 2.9);
        assertThat(below.action()).isEqualTo(Action.LOWER);
        assertThat(below.recommendedBase()).isEqualTo(19.0);
        assertThat(below.stepLimited()).isTrue();
        // current 20: a quarter is exactly 5.0
        Proposal at = propose(20.0, 1000, 5.0 / 1.2, 1.0);
        assertThat(at.recommendedBase()).isEqualTo(5.0);
        assertThat(at.stepLimited()).isFalse();
        Proposal justBelow = propose(20.0, 1000, 4.5 / 1.2, 1.0);
        assertThat(justBelow.recommendedBase()).isEqualTo(5.0);
        assertThat(justBelow.stepLimited()).isTrue();
    }

    @Test
    void a_tiny_base_whose_step_holds_no_multiple_of_half_a_second_stops_at_the_step_itself() {
        // current 0.1: the step is [0.025, 0.4]; no multiple of 0.5 inside
        assertThat(RecommendationRule.withinOneStep(3.0, 0.1)).isEqualTo(0.4);
        assertThat(RecommendationRule.withinOneStep(0.0, 0.1)).isEqualTo(0.025);
    }

    @Test
    void rounding_is_to_multiples_of_half_a_second() {
        assertThat(RecommendationRule.roundUp(0.0)).isZero();
        assertThat(RecommendationRule.roundUp(0.01)).isEqualTo(0.5);
        assertThat(RecommendationRule.roundUp(0.5)).isEqualTo(0.5);
        assertThat(RecommendationRule.roundUp(0.51)).isEqualTo(1.0);
        assertThat(RecommendationRule.roundUp(0.1 + 0.2 + 0.2)).isEqualTo(0.5);
        assertThat(RecommendationRule.roundDown(40.0)).isEqualTo(40.0);
        assertThat(RecommendationRule.roundDown(39.99)).isEqualTo(39.5);
    }
}
