package io.timeoutpolicy.alerts;

import static io.restassured.RestAssured.given;
import static io.timeoutpolicy.TestEnvironments.attempt;
import static io.timeoutpolicy.TestEnvironments.record;
import static io.timeoutpolicy.TestEnvironments.repeated;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.timeoutpolicy.TestApi;
import io.timeoutpolicy.TestEnvironments;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Alerts raised by recorded attempts: answered, stored, de-duplicated within the cooldown, streamed. */
@QuarkusTest
class AlertsTests {

    @TestHTTPResource("/api/v1/alerts/stream")
    URI stream;

    @Inject
    AlertRepository repository;

    @BeforeAll
    static void configure() {
        TestApi.configure();
    }

    private static String post(String body) {
        return given().header("X-API-Key", TestApi.REPORTER_KEY).contentType(ContentType.JSON).body(body)
                .post("/api/v1/attempts").then().statusCode(201).extract().asString();
    }

    @Test
    void a_slow_attempt_raises_a_critical_alert_that_a_repeat_counts() {
        String environment = TestEnvironments.developmentLike();
        // development-like: connection base timeout 20 s; 19.5 > 0.95 × 20
        given().header("X-API-Key", TestApi.REPORTER_KEY).contentType(ContentType.JSON)
                .body(attempt(environment, 19.5, true)).post("/api/v1/attempts").then()
                .statusCode(201)
                .body("alerts", hasSize(1))
                .body("alerts[0].level", equalTo("critical"))
                .body("alerts[0].type", equalTo("connection_time"))
                .body("alerts[0].operation", equalTo("connection"))
                .body("alerts[0].value", equalTo(19.5))
                .body("alerts[0].threshold", equalTo(19.0))
                .body("alerts[0].occurrences", equalTo(1));
        given().header("X-API-Key", TestApi.REPORTER_KEY).contentType(ContentType.JSON)
                .body("[" + attempt(environment, 19.8, true) + "," + attempt(environment, 17.0, true) + "]")
                .post("/api/v1/attempts").then()
                .statusCode(201)
                .body("alerts.type", everyItem(equalTo("connection_time")))
                .body("alerts.find { it.level == 'critical' }.occurrences", equalTo(2))
                .body("alerts.find { it.level == 'warning' }.occurrences", equalTo(1));
        given().queryParam("environment", environment).get("/api/v1/alerts").then()
                .statusCode(200)
                .body("items", hasSize(2))
                .body("items.level", hasItem("critical"));
        given().queryParam("environment", environment).queryParam("level", "warning").get("/api/v1/alerts").then()
                .body("items", hasSize(1));
    }

    @Test
    void rates_raise_success_rate_and_violation_alerts_from_their_minimums() {
        String environment = TestEnvironments.developmentLike();
        post("[" + String.join(",", repeated(environment, 4, 25.0, false)) + "]");
        String fifth = post(attempt(environment, 25.0, false));
        assertThat(fifth).contains("\"type\":\"timeout_violations\"").doesNotContain("\"type\":\"success_rate\"");
        record(repeated(environment, 4, 1.0, false));
        String tenth = post(attempt(environment, 1.0, false));
        assertThat(tenth).contains("\"type\":\"success_rate\"");
    }

    @Test
    void a_repeat_within_the_cooldown_counts_and_after_it_is_new() {
        AlertSignal signal = new AlertSignal("cooldown-" + System.nanoTime(), "connection", "warning",
                "connection_time", "slow", 17.0, 16.0);
        Instant t0 = Instant.parse("2026-11-22T10:00:00Z");
        Duration cooldown = Duration.ofMinutes(5);
        Alert first = raise(signal, t0, cooldown);
        Alert repeat = raise(signal, t0.plus(Duration.ofMinutes(4)).plusSeconds(59), cooldown);
        Alert later = raise(signal, t0.plus(Duration.ofMinutes(10)).plusSeconds(59), cooldown);

        assertThat(repeat.id()).isEqualTo(first.id());
        assertThat(repeat.occurrences()).isEqualTo(2);
        assertThat(repeat.firstSeen()).isEqualTo(t0);
        assertThat(repeat.lastSeen()).isEqualTo(t0.plus(Duration.ofMinutes(4)).plusSeconds(59));
        assertThat(later.id()).isNotEqualTo(first.id());
        assertThat(later.occurrences()).isEqualTo(1);
    }

    private Alert raise(AlertSignal signal, Instant now, Duration cooldown) {
        return repository.raise(signal, 1, now, now.minus(cooldown)).await().atMost(Duration.ofSeconds(10));
    }

    @Test
    void the_stream_pushes_a_new_alert_within_a_second() throws Exception {
        String environment = TestEnvironments.developmentLike();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        HttpClient client = HttpClient.newHttpClient();
        CompletableFuture<HttpResponse<Stream<String>>> response = client.sendAsync(
                HttpRequest.newBuilder(URI.create(stream + "?environment=" + environment))
                        .header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofLines());
        HttpResponse<Stream<String>> open = response.get(10, TimeUnit.SECONDS);
        assertThat(open.statusCode()).isEqualTo(200);
        assertThat(open.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        Thread reader = new Thread(() -> open.body().forEach(lines::add));
        reader.setDaemon(true);
        reader.start();

        long sent = System.nanoTime();
        post(attempt(environment, 19.9, false));
        String event = null;
        String data = null;
        while (data == null) {
            String line = lines.poll(1, TimeUnit.SECONDS);
            assertThat(line).as("an SSE line within a second").isNotNull();
            if (line.startsWith("event:")) {
                event = line.substring(6).trim();
            } else if (line.startsWith("data:") && "alert".equals(event)) {
                data = line.substring(5).trim();
            }
        }
        assertThat(Duration.ofNanos(System.nanoTime() - sent)).isLessThan(Duration.ofSeconds(1));
        assertThat(data).contains("\"environment\":\"" + environment + "\"").contains("\"level\":\"critical\"")
                .contains("\"first_seen\"");
        open.body().close();
    }

    @Test
    void bad_filters_are_400s() {
        given().queryParam("level", "panic").get("/api/v1/alerts").then().statusCode(400);
        given().queryParam("since", "yesterday").get("/api/v1/alerts").then().statusCode(400);
        given().queryParam("environment", "not valid!").get("/api/v1/alerts").then().statusCode(400);
    }

}
