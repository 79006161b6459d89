package io.timeoutpolicy.analysis;

import static io.restassured.RestAssured.given;
import static io.timeoutpolicy.TestEnvironments.attempt;
import static io.timeoutpolicy.TestEnvironments.record;
import static io.timeoutpolicy.TestEnvironments.repeated;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.timeoutpolicy.TestApi;
import io.timeoutpolicy.TestEnvironments;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Metrics, analysis, adaptive timeouts and simulation fed by a history posted over HTTP. */
@QuarkusTest
class HistoryEndpointsTests {

    @BeforeAll
    static void configure() {
        TestApi.configure();
    }

    @Test
    void metrics_of_a_posted_history_are_exact() {
        String environment = TestEnvironments.developmentLike();
        Instant now = Instant.now();
        record(List.of(
                attempt(environment, "connection", 1.0, true, now.minus(2, ChronoUnit.HOURS)),
                attempt(environment, "connection", 2.0, true, now.minus(90, ChronoUnit.MINUTES)),
                attempt(environment, "connection", 4.0, true, now.minus(1, ChronoUnit.HOURS)),
                attempt(environment, "connection", 25.0, false, now.minus(30, ChronoUnit.MINUTES)),
                attempt(environment, "table_setup", 9.0, true, now.minus(30, ChronoUnit.MINUTES))));

        given().get("/api/v1/environments/" + environment + "/metrics").then()
                .statusCode(200)
                .body("environment", equalTo(environment))
                .body("connection_attempts", equalTo(4))
                .body("successful_connections", equalTo(3))
                .body("failed_connections", equalTo(1))
                .body("timeout_violations", equalTo(1))
                .body("success_rate", equalTo(75.0))
                .body("timeout_violation_rate", equalTo(25.0))
                .body("average_connection_time", equalTo(8.0))
                .body("recent_average_connection_time", equalTo(8.0))
                .body("max_connection_time", equalTo(25.0))
                .body("min_connection_time", equalTo(1.0))
                .body("last_connection_time", equalTo(25.0))
                .body("monitoring_duration_hours", closeTo(1.5, 1e-6))
                .body("p50", equalTo(2.0))
                .body("p90", equalTo(25.0))
                .body("p99", equalTo(25.0))
                .body("p999", equalTo(25.0))
                .body("status", equalTo("degraded"));
        given().queryParam("operation", "table_setup").get("/api/v1/environments/" + environment + "/metrics").then()
                .body("connection_attempts", equalTo(1))
                .body("status", equalTo("healthy"));
        given().queryParam("window", "PT45M").get("/api/v1/environments/" + environment + "/metrics").then()
                .body("connection_attempts", equalTo(1))
                .body("average_connection_time", equalTo(25.0));
        given().queryParam("service", "nobody").get("/api/v1/environments/" + environment + "/metrics").then()
                .body("status", equalTo("no_data"));
    }

    @Test
    void metrics_without_attempts_are_exactly_no_data() {
        String environment = TestEnvironments.developmentLike();
        String body = given().get("/api/v1/environments/" + environment + "/metrics").then()
                .statusCode(200).extract().asString();
        org.assertj.core.api.Assertions.assertThat(body)
                .isEqualTo("{\"environment\":\"" + environment + "\",\"status\":\"no_data\"}");
    }

    @Test
    void metrics_reject_unknown_operations_and_bad_windows() {
        given().queryParam("operation", "vacuum").get("/api/v1/environments/staging/metrics").then().statusCode(400);
        given().queryParam("window", "an hour").get("/api/v1/environments/staging/metrics").then().statusCode(400);
        given().queryParam("window", "P400D").get("/api/v1/environments/staging/metrics").then().statusCode(400);
        given().get("/api/v1/environments/nope/metrics").then().statusCode(404);
    }

    @Test
    void a_degrading_staging_history_gets_more_than_half_again() {
        String environment = TestEnvironments.stagingLike();
        List<String> attempts = new ArrayList<>(repeated(environment, 20, 5.0, true));
        attempts.addAll(repeated(environment, 10, 80.0, false));
        record(attempts);

        given().get("/api/v1/environments/" + environment + "/timeouts").then()
                .statusCode(200)
                .body("samples", equalTo(30))
                .body("explanations.connection_timeout.branch", equalTo("heuristic"))
                .body("explanations.connection_timeout.multiplier", closeTo(2.2, 1e-9))
                .body("timeouts.connection_timeout", greaterThan(1.5 * 75.0))
                // 75 × 2.2 = 165, + 20 scaling buffer + 0.2 × 165 capacity buffer
                .body("timeouts.connection_timeout", closeTo(218.0, 1e-9));
        given().get("/api/v1/environments/" + environment + "/analysis").then()
                .statusCode(200)
                .body("has_data", equalTo(true))
                .body("connection_attempts", equalTo(30))
                .body("success_rate", closeTo(66.66666666666667, 1e-9))
                .body("recent_performance_trend", equalTo("degrading"))
                .body("confidence", equalTo("medium"))
                .body("failure_type", equalTo("connection_failure"))
                .body("severity", equalTo("critical"))
                .body("bypass_recommendation", equalTo("conditional"));
    }

    @Test
    void a_healthy_development_history_of_50_gets_at_most_1_1_times_base() {
        String environment = TestEnvironments.developmentLike();
        record(repeated(environment, 50, 0.5, true));
        given().get("/api/v1/environments/" + environment + "/timeouts").then()
                .body("adaptive", equalTo(true))
                .body("explanations.connection_timeout.branch", equalTo("heuristic"))
                .body("timeouts.connection_timeout", lessThanOrEqualTo(1.1 * 20.0))
                .body("timeouts.connection_timeout", closeTo(19.0, 1e-9));
        given().get("/api/v1/environments/" + environment + "/analysis").then()
                .body("failure_type", equalTo("none"))
                .body("bypass_recommendation", equalTo("strict"))
                .body("recent_performance_trend", equalTo("stable"));
    }

    @Test
    void development_adapts_only_from_min_samples_local() {
        String environment = TestEnvironments.developmentLike();
        record(repeated(environment, 5, 30.0, false));
        given().get("/api/v1/environments/" + environment + "/timeouts").then()
                .body("adaptive", equalTo(false))
                .body("samples", equalTo(5))
                .body("timeouts.connection_timeout", equalTo(20.0));
        record(repeated(environment, 10, 30.0, false));
        given().get("/api/v1/environments/" + environment + "/timeouts").then()
                .body("adaptive", equalTo(true))
                .body("samples", equalTo(15))
                // sr 0 → +0.4, vr 100 → +0.5: 1.9 × 20
                .body("timeouts.connection_timeout", closeTo(38.0, 1e-9));
    }

    @Test
    void the_percentile_strategy_follows_the_successful_durations() {
        String environment = TestEnvironments.create(true, TestEnvironments.STAGING_BASES,
                ", \"adaptive\": {\"strategy\": \"percentile\", \"min_samples\": 5, \"min_samples_local\": 10,"
                        + " \"insufficient_data_factor\": 1.2, \"history_window\": \"PT24H\", \"percentile\":"
                        + " {\"target_false_timeout_rate\": 0.01, \"headroom\": 0.5, \"floor\": 0.1, \"ceiling\": 3.0,"
                        + " \"min_samples\": 50}}");
        List<String> attempts = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            attempts.add(attempt(environment, i / 10.0, true));
        }
        record(attempts);
        given().get("/api/v1/environments/" + environment + "/timeouts").then()
                .body("strategy", equalTo("percentile"))
                .body("explanations.connection_timeout.branch", equalTo("percentile"))
                .body("explanations.connection_timeout.samples", equalTo(100))
                // p99 of 0.1..10.0 is 9.9 (within the sketch's 0.5 %), × 1.5 headroom
                .body("timeouts.connection_timeout", closeTo(14.85, 14.85 * 0.01))
                // other operations have no attempts of their own: the connection ones stand in
                .body("explanations.pool_timeout.branch", equalTo("percentile"))
                .body("explanations.pool_timeout.text", containsString("connection attempts"));
    }

    @Test
    void simulation_replays_candidate_timeouts_over_the_history() {
        String environment = TestEnvironments.developmentLike();
        record(List.of(attempt(environment, 1.0, true), attempt(environment, 12.0, true),
                attempt(environment, 25.0, false), attempt(environment, 3.0, true)));
        given().contentType(ContentType.JSON)
                .body("{\"timeouts\": {\"connection_timeout\": 10.0, \"pool_timeout\": 5.0}}")
                .post("/api/v1/environments/" + environment + "/simulate").then()
                .statusCode(200)
                .body("environment", equalTo(environment))
                .body("window", equalTo("PT24H"))
                .body("results.connection_timeout.attempts", equalTo(4))
                .body("results.connection_timeout.would_time_out", equalTo(2))
                .body("results.connection_timeout.false_timeout_rate", closeTo(1.0 / 3, 1e-12))
                .body("results.connection_timeout.total_wait_seconds", equalTo(24.0))
                // in force: the development base of 20 s
                .body("results.connection_timeout.current_total_wait_seconds", equalTo(36.0))
                .body("results.pool_timeout.attempts", equalTo(0));
        given().contentType(ContentType.JSON).body("{\"timeouts\": {\"vacuum_timeout\": 10.0}}")
                .post("/api/v1/environments/" + environment + "/simulate").then()
                .statusCode(400).body("errors[0].field", equalTo("timeouts.vacuum_timeout"));
        given().contentType(ContentType.JSON).body("{\"timeouts\": {}}")
                .post("/api/v1/environments/" + environment + "/simulate").then().statusCode(400);
    }
}
