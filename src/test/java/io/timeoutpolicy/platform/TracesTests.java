package io.timeoutpolicy.platform;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.timeoutpolicy.TestApi;
import io.timeoutpolicy.TestEnvironments;
import io.timeoutpolicy.TestLogs;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** With the OpenTelemetry SDK on: a server span per API request, joined to the caller's W3C traceparent. */
@QuarkusTest
@TestProfile(TracesTests.TracesOn.class)
class TracesTests {

    /** The SDK on, spans to {@code TestSpans} (in memory) within 50 ms rather than the default 5 s. */
    public static class TracesOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.otel.sdk.disabled", "false",
                    "quarkus.otel.bsp.schedule.delay", "50ms");
        }
    }

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String PARENT_SPAN_ID = "00f067aa0ba902b7";
    private static final String TRACEPARENT = "00-" + TRACE_ID + "-" + PARENT_SPAN_ID + "-01";
    private static final String TIMEOUTS_ROUTE = "/api/v1/environments/{environment}/timeouts";

    @Inject
    InMemorySpanExporter spans;

    @BeforeAll
    static void configure() {
        TestApi.configure();
    }

    @BeforeEach
    void forgetEarlierSpans() {
        spans.reset();
    }

    @Test
    void a_request_with_a_traceparent_gets_a_server_span_in_the_callers_trace() {
        given().header("traceparent", TRACEPARENT).get("/api/v1/environments/staging/timeouts").then().statusCode(200);

        SpanData server = serverSpan(TIMEOUTS_ROUTE);
        assertThat(server.getTraceId()).isEqualTo(TRACE_ID);
        assertThat(server.getParentSpanId()).isEqualTo(PARENT_SPAN_ID);
        assertThat(server.getParentSpanContext().isRemote()).isTrue();
        assertThat(server.getSpanId()).isNotEqualTo(PARENT_SPAN_ID);
        assertThat(server.getName()).isEqualTo("GET " + TIMEOUTS_ROUTE);
    }

    @Test
    void a_request_without_a_traceparent_starts_a_fresh_trace() {
        given().get("/api/v1/environments/staging/timeouts").then().statusCode(200);

        SpanData server = serverSpan(TIMEOUTS_ROUTE);
        assertThat(server.getParentSpanContext().isValid()).as("a root span").isFalse();
        assertThat(server.getTraceId()).matches("[0-9a-f]{32}").isNotEqualTo(TRACE_ID).isNotEqualTo("0".repeat(32));
    }

    @Test
    void a_caller_that_did_not_sample_its_trace_gets_no_span() {
        String unsampled = "00-" + TRACE_ID + "-" + PARENT_SPAN_ID + "-00";
        given().header("traceparent", unsampled).get("/api/v1/environments/staging/timeouts").then().statusCode(200);
        given().get("/api/v1/environments").then().statusCode(200);

        serverSpan("/api/v1/environments");
        assertThat(spans.getFinishedSpanItems()).extracting(SpanData::getTraceId).doesNotContain(TRACE_ID);
    }

    @Test
    void health_and_metrics_get_no_spans() {
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
        given().get("/api/v1/environments").then().statusCode(200);

        serverSpan("/api/v1/environments");
        assertThat(spans.getFinishedSpanItems()).extracting(SpanData::getName)
                .noneMatch(name -> name.contains("/q/"));
    }

    @Test
    void a_log_line_of_a_traced_request_carries_the_trace_id_beside_the_request_id() {
        String environment = TestEnvironments.developmentLike();
        try (TestLogs logs = TestLogs.open()) {
            given().header("X-API-Key", TestApi.DEPLOYER_KEY).header("X-Request-Id", "deploy-7.traced")
                    .header("traceparent", TRACEPARENT).contentType(ContentType.JSON)
                    .body("{\"environment\": \"" + environment + "\", \"critical_failures\": 0}")
                    .post("/api/v1/bypass-decisions").then().statusCode(201);

            assertThat(logs.consoleLines()).filteredOn(line -> line.contains("Bypass "))
                    .singleElement().asString().contains(" deploy-7.traced " + TRACE_ID + " Bypass ");
        }
    }

    @Test
    void database_calls_and_background_queries_get_no_spans() throws InterruptedException {
        String environment = TestEnvironments.developmentLike();
        spans.reset();
        given().header("X-API-Key", TestApi.DEPLOYER_KEY).contentType(ContentType.JSON)
                .body("{\"environment\": \"" + environment + "\", \"critical_failures\": 0}")
                .post("/api/v1/bypass-decisions").then().statusCode(201);

        serverSpan("/api/v1/bypass-decisions");
        // Long enough for a history refresh (every 2 s) and its export: background queries get no root spans.
        Thread.sleep(2_500);
        assertThat(spans.getFinishedSpanItems()).extracting(SpanData::getKind).containsOnly(SpanKind.SERVER);
    }

    /** The one server span of {@code route}, once the batch processor has exported it. */
    private SpanData serverSpan(String route) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            List<SpanData> servers = spans.getFinishedSpanItems().stream()
                    .filter(span -> span.getKind() == SpanKind.SERVER)
                    .filter(span -> span.getName().endsWith(" " + route))
                    .toList();
            if (!servers.isEmpty()) {
                assertThat(servers).hasSize(1);
                return servers.get(0);
            }
            sleep();
        }
        throw new AssertionError("no server span of " + route + " within 5 s; spans: "
                + spans.getFinishedSpanItems().stream().map(SpanData::getName).toList());
    }

    private static void sleep() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
