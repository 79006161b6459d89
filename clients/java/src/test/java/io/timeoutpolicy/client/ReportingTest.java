package io.timeoutpolicy.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Attempts reported in the background: batched, with ids, never throwing, never blocking, flushed at close. */
class ReportingTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void timed_blocks_reach_the_history_with_their_outcome() throws Exception {
        String environment = ServiceJar.get().newEnvironment();
        Timed first;
        try (TimeoutPolicyClient client = TimeoutPolicyClient.builder().baseUrl(ServiceJar.get().url)
                .apiKey(ServiceJar.KEY).cacheDir(Files.createTempDirectory("c-")).service("orders-api")
                .flushAtShutdown(false).build()) {
            client.startupConfig(environment);
            try (Timed t = client.timed("connection")) {
                Thread.sleep(10);
                first = t;
            }
            try (Timed t = client.timed("connection")) {
                t.failed(new java.net.SocketTimeoutException("slow"));
            }
            try (Timed t = client.timed("connection")) {
                t.fail("vpc_connector");
            }
            assertThat(first.id()).hasSize(36);
            assertThat(first.duration()).isGreaterThanOrEqualTo(Duration.ofMillis(10));
            assertThat(client.flush(Duration.ofSeconds(5))).isTrue();
            assertThat(client.reportingStats().sent()).isEqualTo(3);
        }
        JsonNode metrics = metrics(environment, "?service=orders-api");
        assertThat(metrics.get("connection_attempts").asInt()).isEqualTo(3);
        assertThat(metrics.get("successful_connections").asInt()).isEqualTo(1);
        assertThat(metrics.get("failed_connections").asInt()).isEqualTo(2);
    }

    @Test
    void many_reports_go_in_few_requests_and_an_id_counts_once() throws Exception {
        String environment = ServiceJar.get().newEnvironment();
        try (TimeoutPolicyClient client = FallbackTest.client(ServiceJar.get().url, Files.createTempDirectory("c-"))) {
            for (int i = 0; i < 500; i++) {
                client.report(Attempt.of("connection", Duration.ofMillis(100 + i), true).inEnvironment(environment));
            }
            String same = java.util.UUID.randomUUID().toString();
            client.report(Attempt.of("connection", Duration.ofSeconds(1), true).inEnvironment(environment).withId(same));
            assertThat(client.flush(Duration.ofSeconds(10))).isTrue();
            client.report(Attempt.of("connection", Duration.ofSeconds(1), true).inEnvironment(environment).withId(same));
            assertThat(client.flush(Duration.ofSeconds(10))).isTrue();
            ReportingStats stats = client.reportingStats();
            assertThat(stats.sent()).isEqualTo(502);
            assertThat(stats.duplicates()).isEqualTo(1);
            assertThat(stats.pending()).isZero();
            assertThat(stats.requests()).as("batched, not one request per attempt").isLessThanOrEqualTo(4);
        }
        assertThat(metrics(environment, "").get("connection_attempts").asInt()).isEqualTo(501);
    }

    @Test
    void a_full_queue_drops_its_oldest_and_counts_without_blocking_while_the_service_hangs() throws Exception {
        try (StandIns.Hanging hanging = new StandIns.Hanging();
                TimeoutPolicyClient client = TimeoutPolicyClient.builder().baseUrl(hanging.url).apiKey("k")
                        .cacheDir(Files.createTempDirectory("c-")).queueSize(100).budget(Duration.ofMillis(300))
                        .flushAtShutdown(false).build()) {
            long started = System.nanoTime();
            for (int i = 0; i < 10_000; i++) {
                client.report(Attempt.of("connection", Duration.ofMillis(5), true).inEnvironment("staging"));
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
            System.out.println("10 000 report() calls while the service hangs: " + elapsed.toMillis() + " ms");
            assertThat(elapsed).isLessThan(Duration.ofSeconds(2));
            ReportingStats stats = client.reportingStats();
            // SPEC 9.1: a full queue drops its oldest; every report() was taken, the excess counted as dropped.
            assertThat(stats.queued()).isEqualTo(10_000);
            assertThat(stats.dropped()).isGreaterThanOrEqualTo(10_000 - 100 - Reporter.MAX_BATCH);
            assertThat(stats.pending()).isEqualTo(stats.queued() - stats.dropped()).isLessThanOrEqualTo(100 + Reporter.MAX_BATCH);
            long closing = System.nanoTime();
            client.close();
            assertThat(Duration.ofNanos(System.nanoTime() - closing)).isLessThan(Duration.ofMillis(300 + 500));
        }
    }

    @Test
    void a_bad_attempt_is_counted_not_thrown() throws Exception {
        try (TimeoutPolicyClient client = FallbackTest.client(StandIns.closedPort(), Files.createTempDirectory("c-"))) {
            assertThat(client.report(Attempt.of("coffee", Duration.ofSeconds(1), true).inEnvironment("staging"))).isNull();
            assertThat(client.report("connection", Duration.ofSeconds(1), true)).as("no environment yet").isNull();
            assertThat(client.reportingStats().invalid()).isEqualTo(2);
        }
    }

    static JsonNode metrics(String environment, String query) throws Exception {
        var answer = ServiceJar.get().get("/api/v1/environments/" + environment + "/metrics" + query);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body());
    }
}
