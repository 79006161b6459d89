package io.timeoutpolicy.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.timeoutpolicy.history.Attempt;
import io.timeoutpolicy.platform.problem.FieldError;
import io.timeoutpolicy.platform.problem.ProblemException;
import io.timeoutpolicy.policy.EnvironmentPolicy;
import io.timeoutpolicy.policy.Operation;
import io.timeoutpolicy.policy.PolicyDefaults;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** SPEC 2 and 5: the timeout in force, violations, duplicates, every field check, and the message of 4.8. */
class AttemptIntakeTests {

    private static final Instant NOW = Instant.parse("2026-11-22T10:15:30Z");
    private static final Duration RETENTION = Duration.ofDays(30);
    private static final String ID = "5b3f2c9e-8a51-4c1e-9a55-1f0a3f6f8d21";

    @Test
    void without_timeout_seconds_the_environments_base_timeout_is_in_force() {
        Attempt attempt = one(request("staging", "connection", 75.0, null));

        assertThat(attempt.timeoutSeconds()).isEqualTo(75.0);
        assertThat(attempt.violation()).isFalse();
        assertThat(one(request("staging", "table_setup", 35.5, null)).timeoutSeconds()).isEqualTo(35.0);
        assertThat(one(request("production", "pool", 1.0, null)).timeoutSeconds()).isEqualTo(70.0);
    }

    @ParameterizedTest(name = "{0}s against {1}s in force: violation {2}")
    @CsvSource({
            "29.999, 30.0, false",
            "30.0,   30.0, false",
            "30.001, 30.0, true",
            "75.0,     ,   false",
            "75.001,   ,   true"})
    void a_violation_is_strictly_longer_than_the_timeout_in_force(double duration, Double timeout,
            boolean violation) {
        Attempt attempt = one(request("staging", "connection", duration, timeout));

        assertThat(attempt.violation()).isEqualTo(violation);
        assertThat(attempt.timeoutSeconds()).isEqualTo(timeout == null ? 75.0 : timeout);
    }

    @Test
    void the_clients_timeout_wins_over_the_base_timeout() {
        assertThat(one(request("staging", "connection", 40.0, 30.0)).violation()).isTrue();
        assertThat(one(request("development", "connection", 25.0, 60.0)).violation()).isFalse();
    }

    @Test
    void environment_names_are_matched_case_insensitively_and_stored_lower_case() {
        assertThat(one(request("StAgInG", "connection", 1.0, null)).environment()).isEqualTo("staging");
    }

    @Test
    void a_repeated_id_in_one_request_is_counted_and_the_first_one_wins() {
        AttemptIntake.Accepted accepted = check(
                withId(request("staging", "connection", 1.0, null), ID),
                request("staging", "connection", 2.0, null),
                withId(request("staging", "connection", 3.0, null), ID.toUpperCase(Locale.ROOT)),
                withId(request("staging", "connection", 4.0, null), ID));

        assertThat(accepted.duplicates()).isEqualTo(2);
        assertThat(accepted.attempts()).extracting(Attempt::durationSeconds).containsExactly(1.0, 2.0);
        assertThat(accepted.attempts().get(0).id()).isEqualTo(UUID.fromString(ID));
    }

    @Test
    void attempts_without_an_id_get_distinct_ones() {
        AttemptIntake.Accepted accepted = check(request("staging", "connection", 1.0, null),
                request("staging", "connection", 1.0, null));

        assertThat(accepted.duplicates()).isZero();
        assertThat(accepted.attempts()).extracting(Attempt::id).doesNotHaveDuplicates().doesNotContainNull();
    }

    @Test
    void missing_fields_are_a_400_listing_every_path() {
        AttemptRequest empty = new AttemptRequest(null, null, null, null, null, null, null, null, null, null, null);

        ProblemException problem = rejected(request("staging", "connection", 1.0, null), empty);

        assertThat(problem.status()).isEqualTo(400);
        assertThat(fields(problem)).containsExactlyInAnyOrder("[1].environment", "[1].operation",
                "[1].duration_seconds", "[1].success");
    }

    @Test
    void a_single_object_has_paths_without_an_index() {
        AttemptRequest r = new AttemptRequest("not-a-uuid", "no such name!", "connect", 1.0, true, null, null,
                null, null, "yesterday", null);

        ProblemException problem = catchThrowableOfType(ProblemException.class, () -> AttemptIntake.check(List.of(r),
                List.of(""), NOW, RETENTION, AttemptIntakeTests::policy, List.of()));
        assertThat(problem).as("a rejection").isNotNull();

        assertThat(problem.status()).isEqualTo(400);
        assertThat(fields(problem)).containsExactlyInAnyOrder("id", "environment", "operation", "occurred_at");
    }

    @Test
    void errors_found_while_parsing_are_reported_with_the_others() {
        FieldError earlier = new FieldError("[0].success", "must be a boolean");

        ProblemException problem = catchThrowableOfType(ProblemException.class, () -> AttemptIntake.check(
                List.of(request("staging", "bogus", 1.0, null)), List.of("[1]."), NOW, RETENTION,
                AttemptIntakeTests::policy, List.of(earlier)));

        assertThat(fields(problem)).containsExactly("[0].success", "[1].operation");
    }

    @Test
    void an_environment_without_a_policy_is_a_422() {
        ProblemException problem = rejected(request("staging", "connection", 1.0, null),
                request("qa", "connection", 1.0, null));

        assertThat(problem.status()).isEqualTo(422);
        assertThat(fields(problem)).containsExactly("[1].environment");
    }

    @Test
    void invalid_fields_win_over_an_unknown_environment() {
        ProblemException problem = rejected(request("qa", "connection", 1.0, null),
                request("staging", "connection", -1.0, null));

        assertThat(problem.status()).isEqualTo(400);
    }

    @ParameterizedTest(name = "duration {0}")
    @ValueSource(doubles = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.001, 86_400.001})
    void durations_outside_0_to_86400_are_rejected(double duration) {
        ProblemException problem = rejected(request("staging", "connection", duration, null));

        assertThat(fields(problem)).containsExactly("[0].duration_seconds");
    }

    @ParameterizedTest(name = "duration {0}")
    @ValueSource(doubles = {0.0, 0.000001, 86_400.0})
    void durations_from_0_to_86400_are_accepted(double duration) {
        assertThat(one(request("staging", "connection", duration, null)).durationSeconds()).isEqualTo(duration);
    }

    @ParameterizedTest(name = "timeout {0}")
    @ValueSource(doubles = {0.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY})
    void timeouts_must_be_positive_and_finite(double timeout) {
        assertThat(fields(rejected(request("staging", "connection", 1.0, timeout))))
                .containsExactly("[0].timeout_seconds");
    }

    @ParameterizedTest(name = "occurred {0} after now")
    @ValueSource(strings = {"PT4M59S", "PT5M", "PT0S", "-PT1H", "-P30D"})
    void occurred_at_up_to_5_minutes_ahead_and_back_to_the_retention_is_accepted(String fromNow) {
        Instant at = NOW.plus(Duration.parse(fromNow));

        assertThat(one(at(request("staging", "connection", 1.0, null), at.toString())).occurredAt()).isEqualTo(at);
    }

    @ParameterizedTest(name = "occurred {0} after now")
    @ValueSource(strings = {"PT5M0.000001S", "PT5M1S", "PT1H", "-P30DT0.000001S", "-P31D"})
    void occurred_at_further_ahead_or_older_than_the_retention_is_a_400(String fromNow) {
        Instant at = NOW.plus(Duration.parse(fromNow));

        ProblemException problem = rejected(at(request("staging", "connection", 1.0, null), at.toString()));

        assertThat(problem.status()).isEqualTo(400);
        assertThat(fields(problem)).containsExactly("[0].occurred_at");
    }

    @Test
    void occurred_at_defaults_to_now_and_keeps_an_offset() {
        assertThat(one(request("staging", "connection", 1.0, null)).occurredAt()).isEqualTo(NOW);
        assertThat(one(at(request("staging", "connection", 1.0, null), "2026-11-22T12:15:30+02:00")).occurredAt())
                .isEqualTo(NOW);
    }

    @ParameterizedTest(name = "{0}s over {1}s: {2}")
    @CsvSource(delimiter = '|', value = {
            "35.0  | 30.0 | connection  | Database connection timeout: 35.0s exceeded limit 30.0s",
            "35.05 | 30.0 | connection  | Database connection timeout: 35.1s exceeded limit 30.0s",
            "35.04 | 30.0 | connection  | Database connection timeout: 35.0s exceeded limit 30.0s",
            "35.15 | 35.1 | table_setup | Database table_setup timeout: 35.2s exceeded limit 35.1s",
            "0.25  | 0.2  | pool        | Database pool timeout: 0.3s exceeded limit 0.2s",
            "100   | 95   | initialization | Database initialization timeout: 100.0s exceeded limit 95.0s"})
    void violation_messages_have_one_decimal_rounded_half_up(double duration, double limit, String operation,
            String message) {
        Attempt attempt = one(request("staging", operation, duration, limit));

        assertThat(AttemptsAnswer.violationMessage(attempt)).isEqualTo(message);
    }

    @Test
    void violation_messages_do_not_depend_on_the_locale() {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            Attempt attempt = one(request("staging", "connection", 1234.55, 30.0));

            assertThat(AttemptsAnswer.violationMessage(attempt))
                    .isEqualTo("Database connection timeout: 1234.6s exceeded limit 30.0s");
        } finally {
            Locale.setDefault(before);
        }
    }

    private static Optional<EnvironmentPolicy> policy(String environment) {
        return PolicyDefaults.builtIn(Instant.EPOCH).stream().filter(p -> p.environment().equals(environment))
                .findFirst();
    }

    private static AttemptRequest request(String environment, String operation, double duration, Double timeout) {
        return new AttemptRequest(null, environment, operation, duration, true, timeout, null, "orders-api",
                "orders-api-1", null, null);
    }

    private static AttemptRequest withId(AttemptRequest r, String id) {
        return new AttemptRequest(id, r.environment(), r.operation(), r.durationSeconds(), r.success(),
                r.timeoutSeconds(), r.failureType(), r.service(), r.instance(), r.occurredAt(), r.policyVersion());
    }

    private static AttemptRequest at(AttemptRequest r, String occurredAt) {
        return new AttemptRequest(r.id(), r.environment(), r.operation(), r.durationSeconds(), r.success(),
                r.timeoutSeconds(), r.failureType(), r.service(), r.instance(), occurredAt, r.policyVersion());
    }

    private static AttemptIntake.Accepted check(AttemptRequest... requests) {
        List<String> prefixes = IntStream.range(0, requests.length).mapToObj(i -> "[" + i + "].").toList();
        return AttemptIntake.check(Arrays.asList(requests), prefixes, NOW, RETENTION, AttemptIntakeTests::policy,
                List.of());
    }

    private static Attempt one(AttemptRequest request) {
        AttemptIntake.Accepted accepted = check(request);
        assertThat(accepted.attempts()).hasSize(1);
        Attempt attempt = accepted.attempts().get(0);
        assertThat(attempt.operation()).isEqualTo(Operation.fromWireName(request.operation()).orElseThrow());
        return attempt;
    }

    private static ProblemException rejected(AttemptRequest... requests) {
        ProblemException problem = catchThrowableOfType(ProblemException.class, () -> check(requests));
        assertThat(problem).as("a rejection").isNotNull();
        return problem;
    }

    private static List<String> fields(ProblemException problem) {
        assertThat(problem).as("a rejection").isNotNull();
        return problem.toProblem(null).errors().stream().map(FieldError::field).toList();
    }
}
