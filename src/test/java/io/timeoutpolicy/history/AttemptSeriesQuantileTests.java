package io.timeoutpolicy.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.assertj.core.api.Assertions.withinPercentage;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SPEC 4.1: percentiles may come from a sketch but stay within 1 % of the exact nearest-rank value (the value
 * of rank ⌈q·n⌉); small windows are exact. 200 000 log-normal attempts over five hours of minute buckets.
 */
class AttemptSeriesQuantileTests {

    private static final int N = 200_000;
    /** Five hours: 200 000 attempts 90 ms apart, each jittered by less than a millisecond. */
    private static final long SPACING = 90_000L;
    private static final long START = Micros.of(Instant.parse("2026-11-22T07:00:00.123456Z"));
    private static final double[] PERCENTILES = {0.5, 0.9, 0.99, 0.999};
    private static final double[] MORE_QUANTILES = {0.0, 0.001, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999, 1.0};

    private static final AttemptSeries SERIES = new AttemptSeries();
    private static final long[] AT = new long[N];
    private static final double[] DURATION = new double[N];
    private static final boolean[] SUCCESS = new boolean[N];
    private static final int[] SERVICE = new int[N];

    @BeforeAll
    static void record_200_000_log_normal_attempts() {
        Random random = new Random(20261122L);
        for (int i = 0; i < N; i++) {
            AT[i] = START + i * SPACING + random.nextInt(1000);
            DURATION[i] = Math.exp(Math.log(2.0) + 0.8 * random.nextGaussian());
            SUCCESS[i] = random.nextDouble() < 0.9;
            SERVICE[i] = i % 3 == 0 ? 1 : 2;
            SERIES.add(AttemptSeriesTests.stored(AT[i], i + 1, DURATION[i], SUCCESS[i], 10.0), SERVICE[i]);
        }
    }

    @ParameterizedTest(name = "window after {0} µs from the first attempt")
    @ValueSource(longs = {-1L, 1_234_567_891L, 7_199_876_544L, 14_400_000_000L})
    void large_window_percentiles_are_within_1_percent_of_nearest_rank(long fromStart) {
        long after = START + fromStart;
        WindowStats stats = SERIES.window(after, null, true);

        double[] exact = sorted(after, i -> true);
        assertThat(stats.count()).isEqualTo(exact.length).isGreaterThan(AttemptSeries.EXACT_QUANTILES_LIMIT);
        for (double q : PERCENTILES) {
            assertThat(stats.quantiles().at(q)).as("p%s", q).isCloseTo(nearestRank(exact, q), withinPercentage(1));
        }
    }

    @Test
    void large_window_aggregates_stay_exact() {
        long after = START + 3_333_333_333L;
        WindowStats stats = SERIES.window(after, null, false);

        double[] exact = sorted(after, i -> true);
        long successes = IntStream.range(0, N).filter(i -> AT[i] > after && SUCCESS[i]).count();
        long violations = IntStream.range(0, N).filter(i -> AT[i] > after && DURATION[i] > 10.0).count();
        assertThat(stats.count()).isEqualTo(exact.length);
        assertThat(stats.successes()).isEqualTo(successes);
        assertThat(stats.violations()).isEqualTo(violations);
        assertThat(stats.sum()).isCloseTo(Arrays.stream(exact).sum(), offset(1e-9 * exact.length));
        assertThat(stats.min()).isEqualTo(exact[0]);
        assertThat(stats.max()).isEqualTo(exact[exact.length - 1]);
        assertThat(stats.last()).isEqualTo(DURATION[N - 1]);
        assertThat(stats.recent()).containsExactly(Arrays.copyOfRange(DURATION, N - WindowStats.RECENT, N));
    }

    @Test
    void a_large_window_of_one_service_is_within_1_percent_too() {
        long after = START + 600_000_000L;
        WindowStats stats = SERIES.window(after, s -> s == 1, true);

        double[] exact = sorted(after, i -> SERVICE[i] == 1);
        assertThat(stats.count()).isEqualTo(exact.length);
        for (double q : PERCENTILES) {
            assertThat(stats.quantiles().at(q)).as("p%s", q).isCloseTo(nearestRank(exact, q), withinPercentage(1));
        }
    }

    @ParameterizedTest(name = "the newest {0} attempts")
    @ValueSource(ints = {1, 7, 1000, 4096})
    void small_window_percentiles_are_exactly_nearest_rank(int newest) {
        long after = AT[N - newest - 1];
        WindowStats stats = SERIES.window(after, null, true);

        double[] exact = sorted(after, i -> true);
        assertThat(stats.count()).isEqualTo(newest);
        for (double q : MORE_QUANTILES) {
            assertThat(stats.quantiles().at(q)).as("q %s", q).isEqualTo(nearestRank(exact, q));
        }
    }

    @Test
    void small_window_of_one_service_is_exact() {
        long after = AT[N - 3001];
        WindowStats stats = SERIES.window(after, s -> s == 2, true);

        double[] exact = sorted(after, i -> SERVICE[i] == 2);
        for (double q : MORE_QUANTILES) {
            assertThat(stats.quantiles().at(q)).as("q %s", q).isEqualTo(nearestRank(exact, q));
        }
    }

    @Test
    void just_over_the_exact_limit_the_sketch_is_within_1_percent() {
        long after = AT[N - AttemptSeries.EXACT_QUANTILES_LIMIT - 2];
        WindowStats stats = SERIES.window(after, null, true);

        double[] exact = sorted(after, i -> true);
        assertThat(exact).hasSize(AttemptSeries.EXACT_QUANTILES_LIMIT + 1);
        for (double q : MORE_QUANTILES) {
            assertThat(stats.quantiles().at(q)).as("q %s", q).isCloseTo(nearestRank(exact, q), withinPercentage(1));
        }
    }

    @ParameterizedTest(name = "quantile {0} of successful durations")
    @ValueSource(doubles = {0.5, 0.9, 0.99, 0.999})
    void successful_durations_count_exactly_and_their_quantile_is_within_1_percent(double q) {
        for (long after : new long[] {START - 1, START + 5_432_109_876L, AT[N - 2000]}) {
            SuccessfulDurations successful = SERIES.successfulDurations(after, q);

            double[] exact = sorted(after, i -> SUCCESS[i]);
            assertThat(successful.count()).isEqualTo(exact.length);
            assertThat(successful.quantile()).as("after %s", after)
                    .isCloseTo(nearestRank(exact, q), withinPercentage(1));
        }
    }

    @Test
    void simulation_covers_every_attempt_of_a_large_window() {
        long after = START + 9_000_000_000L;
        double candidate = 5.0;
        SimulationTotals totals = SERIES.simulate(after, candidate);

        int[] inWindow = IntStream.range(0, N).filter(i -> AT[i] > after).toArray();
        long successes = Arrays.stream(inWindow).filter(i -> SUCCESS[i]).count();
        long falseTimeouts = Arrays.stream(inWindow).filter(i -> SUCCESS[i] && DURATION[i] > candidate).count();
        assertThat(totals.attempts()).isEqualTo(inWindow.length);
        assertThat(totals.wouldTimeOut()).isEqualTo(Arrays.stream(inWindow).filter(i -> DURATION[i] > candidate).count());
        assertThat(totals.falseTimeoutRate()).isCloseTo((double) falseTimeouts / successes, offset(1e-12));
        assertThat(totals.totalWaitSeconds()).isCloseTo(
                Arrays.stream(inWindow).mapToDouble(i -> Math.min(DURATION[i], candidate)).sum(), offset(1e-6));
        assertThat(totals.currentTotalWaitSeconds()).isCloseTo(
                Arrays.stream(inWindow).mapToDouble(i -> Math.min(DURATION[i], 10.0)).sum(), offset(1e-6));
    }

    /** The durations of the attempts after {@code after} that {@code which} keeps, sorted. */
    private static double[] sorted(long after, IntPredicate which) {
        return IntStream.range(0, N).filter(i -> AT[i] > after && which.test(i)).mapToDouble(i -> DURATION[i])
                .sorted().toArray();
    }

    /** The value of rank ⌈q·n⌉ (at least 1), with q taken as the decimal it is written as. */
    private static double nearestRank(double[] sorted, double q) {
        int rank = new BigDecimal(Double.toString(q)).multiply(BigDecimal.valueOf(sorted.length))
                .setScale(0, RoundingMode.CEILING).intValueExact();
        return sorted[Math.max(rank, 1) - 1];
    }
}
