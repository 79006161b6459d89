package io.timeoutpolicy.rollout;

import static io.restassured.RestAssured.given;
import static io.timeoutpolicy.TestEnvironments.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.timeoutpolicy.TestApi;
import io.timeoutpolicy.TestEnvironments;
import io.timeoutpolicy.policy.Canary;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** SPEC 10.2: the shadow score of every recorded attempt, canary serving by instance, and the guard's rollback. */
@QuarkusTest
class ShadowAndCanaryTests {

    @BeforeAll
    static void configure() {
        TestApi.configure();
    }

    private static String attempt(String environment, double duration, boolean success, double timeout,
            Integer policyVersion) {
        return String.format(Locale.ROOT, "{\"environment\": \"%s\", \"operation\": \"connection\","
                + " \"duration_seconds\": %s, \"success\": %s, \"timeout_seconds\": %s%s}", environment, duration,
                success, timeout, policyVersion == null ? "" : ", \"policy_version\": " + policyVersion);
    }

    /** An instance name whose slot is below (in) or at or above (out) {@code percent}. */
    private static String instance(String environment, int percent, boolean in) {
        for (int i = 0; ; i++) {
            String name = "host-" + i;
            if (Canary.inCohort(environment, name, percent) == in) {
                return name;
            }
        }
    }

    @Test
    void a_shadow_candidate_far_too_short_shows_every_attempt_as_a_violation_while_answers_stay_current() {
        String environment = TestEnvironments.developmentLike();
        Candidates.put(environment, "\"1\"", Candidates.document(environment, "connection_timeout", 1.0,
                Candidates.shadow())).then().statusCode(201);
        List<String> attempts = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            attempts.add(attempt(environment, 3.0, true, 20.0, null));
        }
        attempts.add(TestEnvironments.attempt(environment, "table_setup", 2.0, true, null));
        record(attempts);

        given().get("/api/v1/environments/" + environment + "/timeouts?instance=" + instance(environment, 100, true))
                .then().body("policy_version", equalTo(1)).body("timeouts.connection_timeout", equalTo(20.0));
        JsonPath candidate = given().get("/api/v1/environments/" + environment + "/policy/candidate").then()
                .statusCode(200).extract().jsonPath();

        // Development with fewer than 10 samples is static: the effective timeouts are the bases.
        String connection = "score.keys.connection_timeout.";
        assertThat(candidate.getLong(connection + "attempts")).isEqualTo(8);
        assertThat(candidate.getLong(connection + "violations_current")).isZero();
        assertThat(candidate.getLong(connection + "violations_candidate")).isEqualTo(8);
        assertThat(candidate.getDouble(connection + "violation_rate_current")).isZero();
        assertThat(candidate.getDouble(connection + "violation_rate_candidate")).isEqualTo(100.0);
        assertThat(candidate.getDouble(connection + "mean_timeout_current")).isEqualTo(20.0);
        assertThat(candidate.getDouble(connection + "mean_timeout_candidate")).isEqualTo(1.0);
        assertThat(candidate.getLong("score.keys.table_setup_timeout.attempts")).isEqualTo(1);
        assertThat(candidate.getLong("score.keys.table_setup_timeout.violations_candidate")).isZero();
        assertThat(candidate.getDouble("score.keys.table_setup_timeout.mean_timeout_candidate")).isEqualTo(15.0);
        assertThat(candidate.getLong("score.keys.pool_timeout.attempts")).isZero();
        assertThat(candidate.get("score.keys.pool_timeout.mean_timeout_current") == null).isTrue();
        // Attempts without a policy_version belong to no cohort.
        assertThat(candidate.getLong("score.cohorts.canary.attempts")).isZero();
        assertThat(candidate.getLong("score.cohorts.control.attempts")).isZero();
    }

    @Test
    void a_canary_serves_its_cohort_by_crc32_of_environment_and_instance_and_every_answer_names_its_version() {
        String environment = TestEnvironments.developmentLike();
        Candidates.put(environment, "\"1\"", Candidates.document(environment, "connection_timeout", 7.5,
                Candidates.canary(50, 50))).then().statusCode(201);
        String in = instance(environment, 50, true);
        String out = instance(environment, 50, false);
        String timeouts = "/api/v1/environments/" + environment + "/timeouts";
        String startup = "/api/v1/environments/" + environment + "/startup-config";

        given().get(timeouts + "?instance=" + in).then().body("policy_version", equalTo(2))
                .body("timeouts.connection_timeout", equalTo(7.5));
        given().header("X-Timeout-Policy-Instance", in).get(timeouts).then().body("policy_version", equalTo(2));
        given().get(timeouts + "?instance=" + out).then().body("policy_version", equalTo(1))
                .body("timeouts.connection_timeout", equalTo(20.0));
        given().get(timeouts).then().body("policy_version", equalTo(1));
        given().get(startup + "?instance=" + in).then().statusCode(200).header("ETag", "W/\"2\"")
                .body("policy_version", equalTo(2)).body("timeouts.timeouts.connection_timeout", equalTo(7.5));
        given().get(startup + "?instance=" + out).then().header("ETag", "W/\"1\"").body("policy_version", equalTo(1));
        given().get(timeouts + "?instance=" + "x".repeat(129)).then().statusCode(400);
    }

    @Test
    void a_canary_cohort_that_times_out_is_rolled_back_once_with_a_critical_alert() throws InterruptedException {
        String environment = TestEnvironments.developmentLike();
        Candidates.put(environment, "\"1\"", Candidates.document(environment, "connection_timeout", 1.0,
                Candidates.canary(50, 10))).then().statusCode(201);
        String in = instance(environment, 50, true);
        List<String> attempts = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            attempts.add(attempt(environment, 3.0, false, 1.0, 2)); // the canary's 1 s timeout cuts them off
            attempts.add(attempt(environment, 3.0, true, 20.0, 1));
        }
        record(attempts);

        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (given().get("/api/v1/environments/" + environment + "/policy/candidate").statusCode() != 404) {
            assertThat(System.nanoTime()).as("rolled back within 10 s").isLessThan(deadline);
            Thread.sleep(100);
        }

        JsonPath versions = given().get("/api/v1/environments/" + environment + "/policy/versions").then()
                .extract().jsonPath();
        assertThat(versions.getList("items.status", String.class)).containsExactly("rolled_back", "current");
        assertThat(versions.getString("items[0].status_changed_by")).isEqualTo("guard");
        assertThat(versions.getString("items[0].status_reason.reason"))
                .contains("violation rate 100.0% over 10 connection attempts exceeds the control's 0.0%");
        assertThat(versions.getLong("items[0].status_reason.canary.attempts")).isEqualTo(10);
        assertThat(versions.getDouble("items[0].status_reason.canary.violation_rate")).isEqualTo(100.0);
        assertThat(versions.getDouble("items[0].status_reason.canary.failure_rate")).isEqualTo(100.0);
        assertThat(versions.getLong("items[0].status_reason.control.attempts")).isEqualTo(10);
        assertThat(versions.getDouble("items[0].status_reason.control.violation_rate")).isZero();

        JsonPath alerts = given().get("/api/v1/alerts?environment=" + environment).then().statusCode(200)
                .extract().jsonPath();
        List<String> types = alerts.getList("items.type", String.class);
        assertThat(types.stream().filter("policy_rollback"::equals).count()).isEqualTo(1);
        int rollback = types.indexOf("policy_rollback");
        assertThat(alerts.getString("items[" + rollback + "].level")).isEqualTo("critical");
        assertThat(alerts.getString("items[" + rollback + "].message"))
                .startsWith("Candidate version 2 of " + environment + " rolled back");
        assertThat(alerts.getDouble("items[" + rollback + "].value")).isEqualTo(100.0);
        assertThat(alerts.getDouble("items[" + rollback + "].threshold")).isEqualTo(5.0);

        given().get("/api/v1/environments/" + environment + "/timeouts?instance=" + in).then()
                .body("policy_version", equalTo(1));
    }

    @Test
    void a_canary_within_its_guard_stays() throws InterruptedException {
        String environment = TestEnvironments.developmentLike();
        Candidates.put(environment, "\"1\"", Candidates.document(environment, "connection_timeout", 15.0,
                Candidates.canary(50, 10))).then().statusCode(201);
        List<String> attempts = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            attempts.add(attempt(environment, 3.0, true, 15.0, 2));
            attempts.add(attempt(environment, 3.0, i != 0, 20.0, 1));
        }
        // one canary violation in 20 (5 %) is exactly the allowed increase over the control's 0 %: no breach
        attempts.set(0, attempt(environment, 16.0, true, 15.0, 2));
        record(attempts);
        Thread.sleep(2500);

        JsonPath candidate = given().get("/api/v1/environments/" + environment + "/policy/candidate").then()
                .statusCode(200).extract().jsonPath();
        assertThat(candidate.getLong("score.cohorts.canary.attempts")).isEqualTo(20);
        assertThat(candidate.getDouble("score.cohorts.canary.violation_rate")).isEqualTo(5.0);
        assertThat(candidate.getDouble("score.cohorts.control.failure_rate")).isEqualTo(5.0);
        assertThat(candidate.getString("status")).isEqualTo("candidate");
    }
}
