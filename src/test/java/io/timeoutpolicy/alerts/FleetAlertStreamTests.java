package io.timeoutpolicy.alerts;

import static io.restassured.RestAssured.given;
import static io.timeoutpolicy.TestEnvironments.attempt;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.timeoutpolicy.TestApi;
import io.timeoutpolicy.TestEnvironments;
import io.timeoutpolicy.TestStreams;
import io.timeoutpolicy.platform.database.DatabaseNotifications;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The alert stream carries the fleet's alerts: what another replica announces through PostgreSQL
 * ({@code NOTIFY timeout_policy_alerts}) arrives within a second, and an alert raised here arrives once,
 * not again as the echo of its own announcement.
 */
@QuarkusTest
class FleetAlertStreamTests {

    @TestHTTPResource("/api/v1/alerts/stream")
    URI stream;

    @Inject
    DatabaseNotifications notifications;

    @BeforeAll
    static void configure() {
        TestApi.configure();
    }

    @BeforeEach
    void listening() throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(10);
        while (!notifications.isListening()) {
            assertThat(Instant.now()).as("listening for notifications").isBefore(deadline);
            Thread.sleep(50);
        }
    }

    @Test
    void an_alert_another_replica_announces_arrives_on_the_stream_within_a_second() throws Exception {
        String environment = "fleet-" + UUID.randomUUID().toString().substring(0, 8);
        try (TestStreams events = TestStreams.open(URI.create(stream + "?environment=" + environment))) {
            long sent = System.nanoTime();
            TestStreams.announceAsAnotherReplica(environment);

            String alert = events.next("alert", Duration.ofSeconds(1));
            assertThat(Duration.ofNanos(System.nanoTime() - sent)).isLessThan(Duration.ofSeconds(1));
            assertThat(alert).contains("\"environment\":\"" + environment + "\"").contains("\"occurrences\":3");
        }
    }

    @Test
    void an_alert_raised_here_arrives_once_not_again_as_its_own_echo() throws Exception {
        String environment = TestEnvironments.developmentLike();
        try (TestStreams events = TestStreams.open(URI.create(stream + "?environment=" + environment))) {
            given().header("X-API-Key", TestApi.REPORTER_KEY).contentType(ContentType.JSON)
                    .body(attempt(environment, 19.9, false)).post("/api/v1/attempts").then().statusCode(201);

            assertThat(events.next("alert", Duration.ofSeconds(1))).contains("\"level\":\"critical\"");
            assertThat(events.poll("alert", Duration.ofMillis(1500))).as("a second copy of the alert").isNull();
        }
    }
}
