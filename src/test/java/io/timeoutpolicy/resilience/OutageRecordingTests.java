package io.timeoutpolicy.resilience;

import static io.restassured.RestAssured.given;
import static io.timeoutpolicy.TestEnvironments.attempt;
import static io.timeoutpolicy.TestEnvironments.repeated;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.timeoutpolicy.TestApi;
import io.timeoutpolicy.TestEnvironments;
import io.timeoutpolicy.TestStreams;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Accepted attempts count at once (SPEC 7, 4.7), also while the database is cut: the 202 answer lists the
 * alerts they raised, the circuit and metrics see them, the stream carries their alerts, and after recovery
 * each attempt is stored and counted once.
 */
@QuarkusTest
@TestProfile(FaultProfile.class)
class OutageRecordingTests {

    @TestHTTPResource("/api/v1/alerts/stream")
    URI stream;

    @BeforeAll
    static void configure() {
        TestApi.configure();
    }

    @BeforeEach
    void healthyDatabase() {
        Outages.healthy();
    }

    @AfterEach
    void restore() {
        FaultProxyResource.proxy.pass();
    }

    @Test
    void during_an_outage_failed_attempts_open_the_circuit_and_a_slow_one_raises_an_alert_on_the_stream()
            throws Exception {
        String environment = TestEnvironments.developmentLike();
        double recordedBefore = Outages.counter("timeout_policy_attempts_recorded_total");
        TestStreams events = TestStreams.open(URI.create(stream + "?environment=" + environment));
        FaultProxyResource.proxy.cut();

        post(repeated(environment, 5, 2.0, false)).then().statusCode(202)
                .body("recorded", equalTo(5))
                .body("duplicates", equalTo(0));
        given().get("/api/v1/environments/" + environment + "/circuit").then().statusCode(200)
                .body("state", equalTo("open"))
                .body("consecutive_failures", equalTo(5));

        long sent = System.nanoTime();
        post(List.of(attempt(environment, 19.9, false))).then().statusCode(202)
                .body("recorded", equalTo(1))
                .body("alerts", hasSize(1))
                .body("alerts[0].level", equalTo("critical"))
                .body("alerts[0].type", equalTo("connection_time"));
        String alert = events.next("alert", Duration.ofSeconds(1));
        assertThat(Duration.ofNanos(System.nanoTime() - sent)).isLessThan(Duration.ofSeconds(1));
        assertThat(alert).contains("\"environment\":\"" + environment + "\"").contains("\"level\":\"critical\"");
        given().get("/api/v1/environments/" + environment + "/metrics").then().statusCode(200)
                .body("connection_attempts", equalTo(6))
                .body("failed_connections", equalTo(6));
        assertThat(Outages.counter("timeout_policy_attempts_recorded_total") - recordedBefore).isEqualTo(6.0);

        FaultProxyResource.proxy.pass();
        Outages.awaitCount("SELECT count(*) FROM attempts WHERE environment = ?", environment, 6,
                Duration.ofSeconds(20));
        Outages.awaitCount("SELECT count(*) FROM alerts WHERE environment = ? AND type = 'connection_time'",
                environment, 1, Duration.ofSeconds(20));
        given().get("/api/v1/environments/" + environment + "/metrics").then().statusCode(200)
                .body("connection_attempts", equalTo(6));
        given().get("/api/v1/environments/" + environment + "/circuit").then()
                .body("consecutive_failures", equalTo(6));
        assertThat(Outages.counter("timeout_policy_attempts_recorded_total") - recordedBefore)
                .as("written after the outage, counted when accepted only").isEqualTo(6.0);
        given().queryParam("environment", environment).get("/api/v1/alerts").then().statusCode(200)
                .body("items", hasSize(1))
                .body("items[0].occurrences", equalTo(1));
        events.close();
    }

    @Test
    void a_retry_during_the_outage_of_an_attempt_stored_before_it_counts_once_after_it() throws Exception {
        String environment = TestEnvironments.developmentLike();
        String id = UUID.randomUUID().toString();
        String withId = "{\"id\": \"" + id + "\"," + attempt(environment, 3.0, true).substring(1);
        post(List.of(withId)).then().statusCode(201).body("recorded", equalTo(1));
        FaultProxyResource.proxy.cut();

        post(List.of(withId)).then().statusCode(202);
        post(List.of(withId)).then().statusCode(202).body("recorded", equalTo(0)).body("duplicates", equalTo(1));

        FaultProxyResource.proxy.pass();
        Outages.awaitStatus("/q/health/group/database", 200, Duration.ofSeconds(20));
        Outages.awaitMetric("timeout_policy_write_buffer_depth{buffer=\"attempts\"}", 0.0, Duration.ofSeconds(20));
        given().get("/api/v1/environments/" + environment + "/metrics").then().statusCode(200)
                .body("connection_attempts", equalTo(1));
        assertThat(Outages.count("SELECT count(*) FROM attempts WHERE environment = ?", environment)).isEqualTo(1);
    }

    @Test
    void after_an_outage_the_stream_carries_other_replicas_alerts_again() throws Exception {
        String environment = "relisten-" + UUID.randomUUID().toString().substring(0, 8);
        FaultProxyResource.proxy.cut();
        Outages.awaitStatus("/q/health/group/database", 503, Duration.ofSeconds(10));
        FaultProxyResource.proxy.pass();
        try (TestStreams events = TestStreams.open(URI.create(stream + "?environment=" + environment))) {
            String alert = null;
            Instant deadline = Instant.now().plusSeconds(15);
            while (alert == null) {
                assertThat(Instant.now()).as("an alert announced after the outage").isBefore(deadline);
                TestStreams.announceAsAnotherReplica(environment);
                alert = events.poll("alert", Duration.ofMillis(500));
            }
            assertThat(alert).contains("\"environment\":\"" + environment + "\"");
        }
    }

    private static Response post(List<String> attempts) {
        return given().header("X-API-Key", TestApi.REPORTER_KEY).contentType(ContentType.JSON)
                .body("[" + String.join(",", attempts) + "]").post("/api/v1/attempts");
    }
}
