package io.timeoutpolicy.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.assertj.core.api.Assertions.withinPercentage;

import io.timeoutpolicy.policy.EnvironmentPolicy;
import io.timeoutpolicy.rollout.Action;
import io.timeoutpolicy.rollout.RecommendationRule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SPEC 10.1 on generated histories whose quantile is known: 200 000 attempts over five hours (minute buckets and
 * sketches, as a large window is answered), log-normal or bimodal. The proposal starts from a quantile within 1 %
 * of the exact nearest-rank one, so the proposed base is within 1 % (and one rounding step) of the base the exact
 * quantile gives; the longest success and the backtest are exact.
 */
class RecommendationEvidenceTests {

    private static final int N = 200_000;
    private static final long SPACING = 90_000L;
    private static final long START = Micros.of(Instant.parse("2026-11-22T07:00:00.123456Z"));
    private static final EnvironmentPolicy.Percentile DEFAULTS = new EnvironmentPolicy.Percentile(0.001, 0.2, 0.5,
            3.0, 50);
    /** Successes last at most this long: longer attempts timed out (they are the failures). */
    private static final double TIMEOUT = 10.5;

    private final double[] duration = new double[N];
    private final boolean[] success = new boolean[N];
    private final AttemptSeries series = new AttemptSeries();

    private void generate(DoubleSupplier durations) {
        for (int i = 0; i < N; i++) {
            duration[i] = durations.getAsDouble();
            success[i] = duration[i] <= TIMEOUT;
            series.add(AttemptSeriesTests.stored(START + i * SPACING, i + 1, duration[i], success[i], TIMEOUT), 1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"log-normal", "bimodal"})
    void the_proposal_is_within_1_percent_of_the_one_the_exact_quantile_gives(String shape) {
        Random random = new Random(20261206L);
        generate(shape.equals("log-normal")
                ? () -> Math.exp(Math.log(2.0) + 0.5 * random.nextGaussian())
                : () -> random.nextDouble() < 0.9 ? 0.5 + random.nextDouble() : 6.0 + 4.0 * random.nextDouble());
        double[] successes = Arrays.stream(indices()).filter(i -> success[i]).mapToDouble(i -> duration[i]).sorted()
                .toArray();
        double exactQuantile = successes[(int) Math.ceil(0.999 * successes.length - 1e-9) - 1];
        double exactLongest = successes[successes.length - 1];
        assertThat(exactLongest).as("the quantile, not the longest success, decides here")
                .isLessThan(0.99 * exactQuantile * 1.2);

        SuccessfulDurations evidence = series.successfulDurations(START - 1, 0.999);
        RecommendationRule.Proposal p = RecommendationRule.propose(30.0, DEFAULTS,
                new RecommendationRule.Evidence(evidence.count(), evidence.quantile(), evidence.longest()));

        assertThat(evidence.count()).isEqualTo(successes.length);
        assertThat(evidence.longest()).isEqualTo(exactLongest);
        assertThat(p.quantile()).isCloseTo(exactQuantile, withinPercentage(1));
        assertThat(p.action()).isEqualTo(Action.LOWER);
        assertThat(p.recommendedBase()).isBetween(RecommendationRule.roundUp(0.99 * exactQuantile * 1.2),
                RecommendationRule.roundUp(1.01 * exactQuantile * 1.2));
        assertThat(p.recommendedBase() % 0.5).isZero();
    }

    @ParameterizedTest(name = "window after {0} µs from the first attempt")
    @ValueSource(longs = {-1L, 3_333_333_333L})
    void the_backtest_counts_and_sums_exactly(long fromStart) {
        Random random = new Random(7L);
        generate(() -> Math.exp(Math.log(2.0) + 0.8 * random.nextGaussian()));
        long after = START + fromStart;
        double[] limits = {3.0, 12.5};

        Backtest backtest = series.backtest(after, limits);

        int[] inside = Arrays.stream(indices()).filter(i -> START + i * SPACING > after).toArray();
        assertThat(backtest.attempts()).isEqualTo(inside.length);
        assertThat(backtest.successes()).isEqualTo(Arrays.stream(inside).filter(i -> success[i]).count());
        for (int k = 0; k < limits.length; k++) {
            double limit = limits[k];
            long cut = Arrays.stream(inside).filter(i -> success[i] && duration[i] > limit).count();
            double wait = Arrays.stream(inside).mapToDouble(i -> Math.min(duration[i], limit)).sum();
            assertThat(backtest.wouldTimeOut(k)).as("cut off by %s", limit).isEqualTo(cut);
            assertThat(backtest.falseTimeoutRate(k)).isEqualTo((double) cut / backtest.successes());
            assertThat(backtest.totalWaitSeconds(k)).isCloseTo(wait, offset(1e-9 * wait));
        }
    }

    @Test
    void a_repeated_backtest_follows_every_change_of_the_history() {
        Random random = new Random(11L);
        generate(() -> Math.exp(Math.log(2.0) + 0.8 * random.nextGaussian()));
        double[] limits = {3.0, 12.5};
        List<double[]> held = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            held.add(new double[] {START + i * SPACING, duration[i], success[i] ? 1 : 0});
        }
        assertBacktest(series.backtest(START - 1, limits), held, START - 1, limits);
        assertBacktest(series.backtest(START - 1, limits), held, START - 1, limits);

        // Back-dated attempts land in the middle of whole chunks (shifting every later one): long successes
        // that the memo of the first passes does not know.
        for (int j = 0; j < 3; j++) {
            long at = START + (40_000L + j * 50_000L) * SPACING + 1;
            series.add(AttemptSeriesTests.stored(at, N + 1 + j, 9.0, true, TIMEOUT), 1);
            held.add(new double[] {at, 9.0, 1});
        }
        assertBacktest(series.backtest(START - 1, limits), held, START - 1, limits);

        // Expiry frees the first chunks: the ones left keep their figures under their new index.
        long cut = START + 70_000L * SPACING;
        series.expireBefore(cut);
        assertBacktest(series.backtest(START - 1, limits), held, cut - 1, limits);
        assertBacktest(series.backtest(START - 1, new double[] {1e-6, 1.5, 1000.0}), held, cut - 1,
                new double[] {1e-6, 1.5, 1000.0});
    }

    private static void assertBacktest(Backtest backtest, List<double[]> held, long after, double[] limits) {
        List<double[]> inside = held.stream().filter(a -> a[0] > after).toList();
        assertThat(backtest.attempts()).isEqualTo(inside.size());
        assertThat(backtest.successes()).isEqualTo(inside.stream().filter(a -> a[2] == 1).count());
        for (int k = 0; k < limits.length; k++) {
            double limit = limits[k];
            long cut = inside.stream().filter(a -> a[2] == 1 && a[1] > limit).count();
            double wait = inside.stream().mapToDouble(a -> Math.min(a[1], limit)).sum();
            assertThat(backtest.wouldTimeOut(k)).as("cut off by %s", limit).isEqualTo(cut);
            assertThat(backtest.totalWaitSeconds(k)).isCloseTo(wait, offset(1e-9 * wait));
        }
    }

    private static int[] indices() {
        return java.util.stream.IntStream.range(0, N).toArray();
    }
}
