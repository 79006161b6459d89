package io.timeoutpolicy.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.timeoutpolicy.history.WindowStats;
import io.timeoutpolicy.policy.EnvironmentPolicy;
import io.timeoutpolicy.policy.TestPolicies;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SPEC 4.7 assessment as pure code, against the built-in baselines of SPEC 3: staging expected 5, warning
 * 12, critical 20; production expected 8, warning 48, critical 57. Recent is the mean of the newest 20.
 */
class AssessmentTests {

    private static final Instant NOW = Instant.parse("2026-11-22T10:15:30Z");
    private static final EnvironmentPolicy STAGING = TestPolicies.builtIn("staging");
    private static final EnvironmentPolicy PRODUCTION = TestPolicies.builtIn("production");

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"development", "test"})
    void environments_without_cloud_sql_are_not_applicable_with_only_environment_and_status(String environment) {
        Assessment assessment = Assessment.of(TestPolicies.builtIn(environment), steady(40, 30.0, 40));

        assertThat(assessment.environment()).isEqualTo(environment);
        assertThat(assessment.status()).isEqualTo("not_applicable");
        assertOnlyEnvironmentAndStatus(assessment);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"staging", "production"})
    void cloud_sql_environments_without_attempts_have_no_data_with_only_environment_and_status(String environment) {
        Assessment assessment = Assessment.of(TestPolicies.builtIn(environment), WindowStats.EMPTY);

        assertThat(assessment.environment()).isEqualTo(environment);
        assertThat(assessment.status()).isEqualTo("no_data");
        assertOnlyEnvironmentAndStatus(assessment);
    }

    @Test
    void staging_at_its_expected_average_is_healthy_with_every_field_filled() {
        Assessment assessment = Assessment.of(STAGING, window(40, 2, 5.0, 5.0));

        assertThat(assessment.environment()).isEqualTo("staging");
        assertThat(assessment.status()).isEqualTo("healthy");
        assertThat(assessment.connectionAttempts()).isEqualTo(40);
        assertThat(assessment.averageConnectionTime()).isEqualTo(5.0);
        assertThat(assessment.recentAverageConnectionTime()).isEqualTo(5.0);
        assertThat(assessment.expectedAvg()).isEqualTo(5.0);
        assertThat(assessment.warning()).isEqualTo(12.0);
        assertThat(assessment.critical()).isEqualTo(20.0);
        assertThat(assessment.timeoutViolationRate()).isEqualTo(5.0);
        assertThat(assessment.issues()).isEmpty();
        assertThat(assessment.recommendations()).isEmpty();
    }

    @Test
    void production_reports_its_own_baselines() {
        Assessment assessment = Assessment.of(PRODUCTION, steady(40, 8.0, 0));

        assertThat(assessment.status()).isEqualTo("healthy");
        assertThat(assessment.expectedAvg()).isEqualTo(8.0);
        assertThat(assessment.warning()).isEqualTo(48.0);
        assertThat(assessment.critical()).isEqualTo(57.0);
    }

    @Test
    void an_average_at_the_warning_baseline_is_healthy_and_just_above_it_is_a_warning() {
        // A single attempt keeps the average exactly one ulp above the baseline.
        assertThat(Assessment.of(STAGING, steady(40, 12.0, 0)).status()).isEqualTo("healthy");
        assertThat(Assessment.of(PRODUCTION, steady(40, 48.0, 0)).status()).isEqualTo("healthy");

        assertWarning(Assessment.of(STAGING, steady(1, Math.nextUp(12.0), 0)));
        assertWarning(Assessment.of(STAGING, steady(40, 12.1, 0)));
        assertWarning(Assessment.of(PRODUCTION, steady(1, Math.nextUp(48.0), 0)));
        assertWarning(Assessment.of(PRODUCTION, steady(40, 48.1, 0)));
    }

    @Test
    void an_average_at_the_critical_baseline_is_a_warning_and_just_above_it_is_critical() {
        assertWarning(Assessment.of(STAGING, steady(40, 20.0, 0)));
        assertWarning(Assessment.of(PRODUCTION, steady(40, 57.0, 0)));

        assertCritical(Assessment.of(STAGING, steady(1, Math.nextUp(20.0), 0)));
        assertCritical(Assessment.of(PRODUCTION, steady(1, Math.nextUp(57.0), 0)));
        assertCritical(Assessment.of(PRODUCTION, steady(40, 57.1, 0)));
    }

    @Test
    void a_production_average_above_stagings_critical_baseline_is_still_healthy_there() {
        assertThat(Assessment.of(STAGING, steady(40, 21.0, 0)).status()).isEqualTo("critical");
        assertThat(Assessment.of(PRODUCTION, steady(40, 21.0, 0)).status()).isEqualTo("healthy");
    }

    @Test
    void a_recent_average_of_exactly_1_5_times_the_average_is_still_healthy() {
        // 20 attempts at 2.0 then the newest 20 at 6.0: average 4.0, recent 6.0.
        Assessment assessment = Assessment.of(STAGING, window(40, 0, 2.0, 6.0));

        assertThat(assessment.averageConnectionTime()).isEqualTo(4.0);
        assertThat(assessment.recentAverageConnectionTime()).isEqualTo(6.0);
        assertThat(assessment.status()).isEqualTo("healthy");
    }

    @Test
    void a_recent_average_above_1_5_times_the_average_is_degrading_while_otherwise_healthy() {
        // 20 attempts at 1.9 then the newest 20 at 6.0: average 3.95, 1.5 × 3.95 = 5.925 < 6.0.
        Assessment staging = Assessment.of(STAGING, window(40, 0, 1.9, 6.0));
        // Production: 20 at 10.0 then 20 at 31.0: average 20.5, 1.5 × 20.5 = 30.75 < 31.0, below warning 48.
        Assessment production = Assessment.of(PRODUCTION, window(40, 0, 10.0, 31.0));

        for (Assessment assessment : new Assessment[] {staging, production}) {
            assertThat(assessment.status()).isEqualTo("degrading");
            assertThat(assessment.issues()).hasSize(1).allSatisfy(issue -> assertThat(issue).isNotBlank());
            assertThat(assessment.recommendations()).hasSize(1).allSatisfy(r -> assertThat(r).isNotBlank());
        }
        assertThat(staging.recentAverageConnectionTime()).isEqualTo(6.0);
        assertThat(production.averageConnectionTime()).isEqualTo(20.5);
    }

    @Test
    void recent_means_the_newest_20_attempts_only() {
        // 30 attempts at 1.0, then 20 at 4.0: the newest 20 average 4.0, which is above 1.5 × 2.2.
        double[] all = new double[50];
        Arrays.fill(all, 0, 30, 1.0);
        Arrays.fill(all, 30, 50, 4.0);

        Assessment assessment = Assessment.of(STAGING, of(all, 0));

        assertThat(assessment.recentAverageConnectionTime()).isEqualTo(4.0);
        assertThat(assessment.averageConnectionTime()).isEqualTo(2.2);
        assertThat(assessment.status()).isEqualTo("degrading");
    }

    @Test
    void a_rising_recent_average_does_not_turn_a_warning_or_critical_into_degrading() {
        // Staging: 20 at 6.0 then 20 at 20.0, average 13 (warning), recent 20 > 1.5 × 13.
        Assessment warning = Assessment.of(STAGING, window(40, 0, 6.0, 20.0));
        // Staging: 20 at 10.0 then 20 at 40.0, average 25 (critical), recent 40 > 1.5 × 25.
        Assessment critical = Assessment.of(STAGING, window(40, 0, 10.0, 40.0));

        assertWarning(warning);
        assertCritical(critical);
    }

    @Test
    void a_violation_rate_of_exactly_10_percent_is_not_critical_and_just_above_it_is() {
        assertThat(Assessment.of(STAGING, steady(40, 5.0, 4)).status()).isEqualTo("healthy");
        assertThat(Assessment.of(STAGING, steady(1000, 5.0, 100)).status()).isEqualTo("healthy");

        Assessment critical = Assessment.of(STAGING, steady(1000, 5.0, 101));
        assertCritical(critical);
        assertThat(critical.timeoutViolationRate()).isEqualTo(10.1);
        assertCritical(Assessment.of(PRODUCTION, steady(40, 8.0, 5)));
    }

    @Test
    void a_violation_rate_above_10_percent_overrides_a_warning_and_lists_both_issues() {
        Assessment assessment = Assessment.of(STAGING, steady(40, 13.0, 5));

        assertCritical(assessment);
        assertThat(assessment.issues()).hasSize(2);
        assertThat(assessment.recommendations()).hasSize(2);
    }

    @Test
    void a_violation_rate_above_10_percent_overrides_degrading() {
        Assessment assessment = Assessment.of(STAGING, window(40, 5, 1.9, 6.0));

        assertCritical(assessment);
        assertThat(assessment.timeoutViolationRate()).isEqualTo(12.5);
        assertThat(assessment.issues()).hasSize(2);
        assertThat(assessment.recommendations()).hasSize(2);
    }

    @Test
    void an_average_above_critical_with_many_violations_stays_critical() {
        Assessment assessment = Assessment.of(PRODUCTION, steady(40, 58.0, 40));

        assertCritical(assessment);
        assertThat(assessment.timeoutViolationRate()).isEqualTo(100.0);
    }

    private static void assertWarning(Assessment assessment) {
        assertThat(assessment.status()).isEqualTo("warning");
        assertExplained(assessment);
    }

    private static void assertCritical(Assessment assessment) {
        assertThat(assessment.status()).isEqualTo("critical");
        assertExplained(assessment);
    }

    /** Every status other than healthy says what is wrong and what to do. */
    private static void assertExplained(Assessment assessment) {
        assertThat(assessment.issues()).isNotEmpty().allSatisfy(issue -> assertThat(issue).isNotBlank());
        assertThat(assessment.recommendations()).isNotEmpty().allSatisfy(r -> assertThat(r).isNotBlank());
    }

    private static void assertOnlyEnvironmentAndStatus(Assessment assessment) {
        assertThat(assessment.connectionAttempts()).isNull();
        assertThat(assessment.averageConnectionTime()).isNull();
        assertThat(assessment.recentAverageConnectionTime()).isNull();
        assertThat(assessment.expectedAvg()).isNull();
        assertThat(assessment.warning()).isNull();
        assertThat(assessment.critical()).isNull();
        assertThat(assessment.timeoutViolationRate()).isNull();
        assertThat(assessment.issues()).isNull();
        assertThat(assessment.recommendations()).isNull();
    }

    /** {@code count} attempts all lasting {@code duration}, {@code violations} of them violating. */
    private static WindowStats steady(int count, double duration, long violations) {
        double[] all = new double[count];
        Arrays.fill(all, duration);
        return of(all, violations);
    }

    /** The older half of the attempts at {@code older}, the newer half at {@code newer}. */
    private static WindowStats window(int count, long violations, double older, double newer) {
        double[] all = new double[count];
        Arrays.fill(all, 0, count / 2, older);
        Arrays.fill(all, count / 2, count, newer);
        return of(all, violations);
    }

    /** A window holding exactly these durations, oldest first. */
    private static WindowStats of(double[] durations, long violations) {
        double sum = 0;
        for (double d : durations) {
            sum += d;
        }
        int n = durations.length;
        double[] recent = Arrays.copyOfRange(durations, Math.max(0, n - WindowStats.RECENT), n);
        return new WindowStats(n, n - violations, violations, sum, Arrays.stream(durations).min().orElse(0),
                Arrays.stream(durations).max().orElse(0), durations[n - 1], NOW.minusSeconds(n), NOW, recent,
                q -> 0.0);
    }
}
