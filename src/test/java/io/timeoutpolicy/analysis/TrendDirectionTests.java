package io.timeoutpolicy.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The direction of a trend: the later half of the non-empty buckets against the earlier half, weighted by
 * attempts. Degrading above 1.2 × the earlier average or when the success rate drops by more than 10
 * points; improving below 0.8 ×; stable otherwise and with fewer than 2 non-empty buckets.
 */
class TrendDirectionTests {

    private static final Instant START = Instant.parse("2026-11-22T00:00:00Z");

    @Test
    void no_buckets_are_stable() {
        assertThat(TrendDirection.of(List.of())).isEqualTo(Trend.STABLE);
    }

    @Test
    void a_single_non_empty_bucket_is_stable_however_many_empty_ones_surround_it() {
        assertThat(TrendDirection.of(buckets(filled(10, 100.0, 50.0)))).isEqualTo(Trend.STABLE);
        assertThat(TrendDirection.of(buckets(empty(), empty(), filled(10, 0.0, 50.0), empty()))).isEqualTo(Trend.STABLE);
        assertThat(TrendDirection.of(buckets(empty(), empty()))).isEqualTo(Trend.STABLE);
    }

    @Test
    void the_same_average_and_success_rate_is_stable() {
        assertThat(TrendDirection.of(buckets(filled(10, 95.0, 5.0), filled(10, 95.0, 5.0)))).isEqualTo(Trend.STABLE);
    }

    @Test
    void exactly_1_2_times_the_earlier_average_is_still_stable_and_just_above_is_degrading() {
        assertThat(TrendDirection.of(buckets(filled(10, 100.0, 5.0), filled(10, 100.0, 6.0)))).isEqualTo(Trend.STABLE);
        assertThat(TrendDirection.of(buckets(filled(10, 100.0, 10.0), filled(10, 100.0, 12.0))))
                .isEqualTo(Trend.STABLE);

        assertThat(TrendDirection.of(buckets(filled(10, 100.0, 5.0), filled(10, 100.0, 6.01))))
                .isEqualTo(Trend.DEGRADING);
        assertThat(TrendDirection.of(buckets(filled(10, 100.0, 10.0), filled(10, 100.0, 12.01))))
                .isEqualTo(Trend.DEGRADING);
    }

    @Test
    void exactly_0_8_times_the_earlier_average_is_still_stable_and_just_below_is_improving() {
        assertThat(TrendDirection.of(buckets(filled(10, 100.0, 10.0), filled(10, 100.0, 8.0)))).isEqualTo(Trend.STABLE);

        assertThat(TrendDirection.of(buckets(filled(10, 100.0, 10.0), filled(10, 100.0, 7.99))))
                .isEqualTo(Trend.IMPROVING);
        assertThat(TrendDirection.of(buckets(filled(10, 100.0, 10.0), filled(10, 100.0, 1.0))))
                .isEqualTo(Trend.IMPROVING);
    }

    @Test
    void a_success_rate_drop_of_exactly_10_points_is_stable_and_of_more_is_degrading() {
        assertThat(TrendDirection.of(buckets(filled(100, 95.0, 5.0), filled(100, 85.0, 5.0))))
                .isEqualTo(Trend.STABLE);

        assertThat(TrendDirection.of(buckets(filled(100, 95.0, 5.0), filled(100, 84.0, 5.0))))
                .isEqualTo(Trend.DEGRADING);
        assertThat(TrendDirection.of(buckets(filled(100, 100.0, 5.0), filled(100, 0.0, 5.0))))
                .isEqualTo(Trend.DEGRADING);
    }

    @Test
    void a_rising_success_rate_alone_is_stable() {
        assertThat(TrendDirection.of(buckets(filled(100, 50.0, 5.0), filled(100, 100.0, 5.0))))
                .isEqualTo(Trend.STABLE);
    }

    @Test
    void faster_attempts_with_a_success_rate_drop_of_more_than_10_points_are_degrading_not_improving() {
        assertThat(TrendDirection.of(buckets(filled(100, 100.0, 10.0), filled(100, 80.0, 2.0))))
                .isEqualTo(Trend.DEGRADING);
    }

    @Test
    void averages_are_weighted_by_attempts_not_by_bucket() {
        // Earlier half: 1 attempt at 10 s and 9 at 2 s, weighted 2.8 (unweighted 6).
        // Later half: 1 attempt at 2 s and 9 at 4 s, weighted 3.8 (unweighted 3): 3.8 > 1.2 × 2.8.
        List<Trend.Bucket> buckets = buckets(filled(1, 100.0, 10.0), filled(9, 100.0, 2.0), filled(1, 100.0, 2.0),
                filled(9, 100.0, 4.0));

        assertThat(TrendDirection.of(buckets)).isEqualTo(Trend.DEGRADING);
    }

    @Test
    void success_rates_are_weighted_by_attempts_not_by_bucket() {
        // Earlier: 100 % of 10 and 80 % of 90 = 82 %; later 75 %: a drop of 7 points, stable.
        // Unweighted, the earlier half would be 90 %, a drop of 15 points.
        assertThat(TrendDirection.of(buckets(filled(10, 100.0, 5.0), filled(90, 80.0, 5.0), filled(100, 75.0, 5.0),
                filled(100, 75.0, 5.0)))).isEqualTo(Trend.STABLE);
        // Earlier: 100 % of 90 and 0 % of 10 = 90 %; later: 100 % of 10 and 76 % of 90 = 78.4 %: degrading.
        // Unweighted, it would be 50 % against 88 %, a rise.
        assertThat(TrendDirection.of(buckets(filled(90, 100.0, 5.0), filled(10, 0.0, 5.0), filled(10, 100.0, 5.0),
                filled(90, 76.0, 5.0)))).isEqualTo(Trend.DEGRADING);
    }

    @Test
    void empty_buckets_are_ignored_when_the_halves_are_cut() {
        // Non-empty: 10, 14, 14 → earlier [10], later [14, 14]: 14 > 12, degrading.
        // Were the empty buckets counted, the halves would be [10, 14, –] and [–, –, 14]: 12 against 14, stable.
        List<Trend.Bucket> buckets = buckets(filled(10, 100.0, 10.0), filled(10, 100.0, 14.0), empty(), empty(),
                empty(), filled(10, 100.0, 14.0));

        assertThat(TrendDirection.of(buckets)).isEqualTo(Trend.DEGRADING);
    }

    @Test
    void empty_buckets_between_two_equal_ones_leave_it_stable() {
        assertThat(TrendDirection.of(buckets(empty(), filled(5, 100.0, 3.0), empty(), empty(), filled(5, 100.0, 3.0),
                empty()))).isEqualTo(Trend.STABLE);
    }

    @Test
    void a_long_quiet_history_with_a_slow_end_is_degrading() {
        List<Trend.Bucket> buckets = new ArrayList<>();
        for (int hour = 0; hour < 23; hour++) {
            buckets.add(bucket(hour, 20, 100.0, 4.0));
        }
        buckets.add(bucket(23, 200, 100.0, 20.0));

        // Earlier half: 12 hours at 4 s. Later half: 11 hours at 4 s (220 attempts) and 200 at 20 s.
        assertThat(TrendDirection.of(buckets)).isEqualTo(Trend.DEGRADING);
    }

    private static Trend.Bucket filled(long attempts, double successRate, double average) {
        return new Trend.Bucket(null, attempts, successRate, average, average, 0.0);
    }

    private static Trend.Bucket empty() {
        return new Trend.Bucket(null, 0, null, null, null, null);
    }

    /** The given buckets, one hour apart. */
    private static List<Trend.Bucket> buckets(Trend.Bucket... given) {
        List<Trend.Bucket> buckets = new ArrayList<>();
        for (int i = 0; i < given.length; i++) {
            Trend.Bucket b = given[i];
            buckets.add(new Trend.Bucket(START.plus(Duration.ofHours(i)), b.attempts(), b.successRate(), b.average(),
                    b.p99(), b.timeoutViolationRate()));
        }
        return buckets;
    }

    private static Trend.Bucket bucket(int hour, long attempts, double successRate, double average) {
        return new Trend.Bucket(START.plus(Duration.ofHours(hour)), attempts, successRate, average, average, 0.0);
    }
}
