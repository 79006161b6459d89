package io.timeoutpolicy.platform;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.equalTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.matchesPattern;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.timeoutpolicy.TestApi;
import io.timeoutpolicy.TestEnvironments;
import io.timeoutpolicy.TestLogs;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The service's own metrics in one naming scheme, request ids, and traces while they are off (the default). */
@QuarkusTest
class ObservabilityTests {

    @Inject
    InMemorySpanExporter spans;

    @BeforeAll
    static void configure() {
        TestApi.configure();
    }

    @Test
    void prometheus_shows_every_metric_of_the_service() {
        String environment = TestEnvironments.developmentLike();
        given().header("X-API-Key", TestApi.REPORTER_KEY).contentType(ContentType.JSON)
                .body(TestEnvironments.attempt(environment, 19.9, false)).post("/api/v1/attempts")
                .then().statusCode(201);
        given().header("X-API-Key", TestApi.REPORTER_KEY).contentType(ContentType.JSON)
                .body("{\"environment\": \"" + environment + "\", \"operation\": \"pool\", \"duration_seconds\": 500,"
                        + " \"success\": false}")
                .post("/api/v1/attempts").then().statusCode(201);
        given().header("X-API-Key", TestApi.REPORTER_KEY).contentType(ContentType.JSON)
                .body("{\"environment\": \"nowhere-at-all\"}").post("/api/v1/attempts").then().statusCode(400);
        given().header("X-API-Key", TestApi.DEPLOYER_KEY).contentType(ContentType.JSON)
                .body("{\"environment\": \"" + environment + "\", \"critical_failures\": 0}")
                .post("/api/v1/bypass-decisions").then().statusCode(201);
        given().get("/api/v1/environments/" + environment + "/timeouts").then().statusCode(200);

        given().get("/q/metrics").then()
                .statusCode(200)
                .body(containsString("timeout_policy_attempts_recorded_total"))
                .body(containsString("timeout_policy_attempts_rejected_total"))
                .body(containsString("timeout_policy_attempt_batches_total"))
                .body(containsString("timeout_policy_degraded"))
                .body(containsString("timeout_policy_timeouts_served_total{branch=\"static\",environment=\""
                        + environment + "\"}"))
                .body(containsString("timeout_policy_bypass_decisions_total"))
                .body(containsString("timeout_policy_alerts_total{environment=\"" + environment
                        + "\",level=\"critical\",operation=\"connection\",type=\"connection_time\"} 1.0"))
                .body(containsString("timeout_policy_attempts_violations_total{environment=\"" + environment
                        + "\",operation=\"pool\"} 1.0"))
                .body(not(containsString("timeout_policy_attempts_violations_total{environment=\"" + environment
                        + "\",operation=\"connection\"}")))
                .body(containsString("timeout_policy_history_refresh_lag_seconds"))
                .body(containsString("ft_"));
    }

    @Test
    void the_gauges_an_on_call_needs_and_latency_buckets_for_the_api_only() throws InterruptedException {
        String environment = TestEnvironments.stagingLike();
        TestEnvironments.record(TestEnvironments.repeated(environment, 5, 2.0, false));
        given().get("/api/v1/environments/" + environment + "/timeouts").then().statusCode(200);
        given().get("/q/health/live").then().statusCode(200);

        String circuit = "timeout_policy_circuit_state{environment=\"" + environment + "\"} ";
        String metrics = "";
        for (int tries = 0; tries < 50 && !metrics.contains(circuit); tries++) {
            Thread.sleep(100); // new environments get their gauge within the refresh interval (1 s in tests)
            metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        }
        assertThat(metrics).contains(circuit + "2.0") // five failures in a row: open
                .contains("timeout_policy_circuit_state{environment=\"staging\"} 0.0")
                .contains("timeout_policy_pending_decisions 0.0")
                .contains("timeout_policy_write_buffer_capacity{buffer=\"attempts\"} 100000.0")
                .contains("timeout_policy_write_buffer_depth{buffer=\"decisions\"} 0.0")
                .contains("http_server_requests_seconds_bucket{method=\"GET\",outcome=\"SUCCESS\",status=\"200\","
                        + "uri=\"/api/v1/environments/{environment}/timeouts\",le=\"0.05\"}")
                .doesNotContain("uri=\"/q/health/live\",le=");
    }

    @Test
    void every_answer_carries_a_request_id_and_keeps_a_sane_given_one() {
        given().get("/api/v1/environments").then()
                .header("X-Request-Id", matchesPattern("[0-9a-f-]{36}"));
        given().header("X-Request-Id", "deploy-42.attempt-1").get("/api/v1/environments").then()
                .header("X-Request-Id", equalTo("deploy-42.attempt-1"));
        given().header("X-Request-Id", "bad id with spaces").get("/api/v1/environments/nope/timeouts").then()
                .statusCode(404)
                .header("X-Request-Id", matchesPattern("[0-9a-f-]{36}"));
    }

    @Test
    void a_traceparent_is_harmless_while_traces_are_off() throws InterruptedException {
        String environment = TestEnvironments.developmentLike();
        try (TestLogs logs = TestLogs.open()) {
            given().header("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
                    .get("/api/v1/environments/staging/timeouts").then()
                    .statusCode(200)
                    .header("X-Request-Id", matchesPattern("[0-9a-f-]{36}"));
            given().header("X-API-Key", TestApi.DEPLOYER_KEY).header("X-Request-Id", "deploy-8.untraced")
                    .header("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
                    .contentType(ContentType.JSON)
                    .body("{\"environment\": \"" + environment + "\", \"critical_failures\": 0}")
                    .post("/api/v1/bypass-decisions").then().statusCode(201);
            Thread.sleep(200);

            assertThat(logs.records()).as("nothing logged about exporting or OpenTelemetry")
                    .noneMatch(record -> record.getLoggerName().contains("opentelemetry")
                            || String.valueOf(record.getMessage()).toLowerCase().contains("export"));
            assertThat(logs.records()).filteredOn(record -> String.valueOf(record.getMessage()).startsWith("Bypass"))
                    .singleElement().satisfies(record -> {
                        assertThat(record.getMdc("request_id")).isEqualTo("deploy-8.untraced");
                        assertThat(record.getMdc("traceId")).as("no trace id while traces are off").isNull();
                    });
        }
        assertThat(spans.getFinishedSpanItems()).as("the SDK is off: no span is made").isEmpty();
    }
}
