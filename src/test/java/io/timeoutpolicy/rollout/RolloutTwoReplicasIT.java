package io.timeoutpolicy.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.logging.Log;
import io.timeoutpolicy.PackagedJar;
import io.timeoutpolicy.TestDatabase;
import io.timeoutpolicy.TestStreams;
import io.timeoutpolicy.policy.Canary;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * SPEC 10.2 and 10.4 across two packaged replicas on one PostgreSQL: a canary created through A is served by B
 * to the same cohort; a breach reported through both rolls the candidate back exactly once, with one alert that
 * reaches both streams; a watcher held on B wakes within a second of a promotion through A.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RolloutTwoReplicasIT {

    private static final String DATABASE = System.getenv().getOrDefault("TEST_DB_NAME", "timeout_policy_test")
            + "_rollout_fleet";
    private static final String KEY = "rollout-it-key";
    private static final String ENVIRONMENT = "development";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static PackagedJar a;
    private static PackagedJar b;
    private static String in;
    private static String out;

    @BeforeAll
    static void startBoth() throws Exception {
        TestDatabase.recreate(DATABASE);
        a = start("rollout-a");
        b = start("rollout-b");
        for (PackagedJar replica : List.of(a, b)) {
            replica.await("/q/health/ready", r -> r.statusCode() == 200, Duration.ofSeconds(60));
        }
        for (int i = 0; in == null || out == null; i++) {
            String name = "pod-" + i;
            if (Canary.inCohort(ENVIRONMENT, name, 50)) {
                in = in == null ? name : in;
            } else {
                out = out == null ? name : out;
            }
        }
    }

    @AfterAll
    static void stop() throws Exception {
        for (PackagedJar replica : new PackagedJar[] {a, b}) {
            if (replica != null) {
                replica.close();
            }
        }
    }

    @Test
    @Order(1)
    void a_canary_created_on_a_is_served_by_b_to_the_same_cohort() throws Exception {
        HttpResponse<String> created = a.put("/api/v1/environments/" + ENVIRONMENT + "/policy/candidate", KEY,
                "\"1\"", candidate(1.0, "{\"mode\": \"canary\", \"percent\": 50, \"guard\": {\"min_attempts\": 10}}"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        long sent = System.nanoTime();

        b.await(timeouts(in), r -> version(r) == 2, Duration.ofSeconds(6));
        Log.infof("B served the canary %d ms after A created it", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent));
        assertThat(version(b.get(timeouts(out)))).isEqualTo(1);
        assertThat(version(a.get(timeouts(in)))).isEqualTo(2);
        assertThat(version(b.get("/api/v1/environments/" + ENVIRONMENT + "/timeouts"))).isEqualTo(1);
    }

    @Test
    @Order(2)
    void a_breach_reported_through_both_rolls_back_exactly_once_and_the_alert_reaches_both_streams()
            throws Exception {
        try (TestStreams onA = TestStreams.open(URI.create(a.url("/api/v1/alerts/stream?environment=" + ENVIRONMENT)));
                TestStreams onB = TestStreams.open(URI.create(b.url("/api/v1/alerts/stream?environment="
                        + ENVIRONMENT)))) {
            for (PackagedJar replica : List.of(b, a)) {
                List<String> attempts = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    attempts.add(attempt(in, 3.0, false, 1.0, 2));
                    attempts.add(attempt(out, 0.5, true, 20.0, 1));
                }
                HttpResponse<String> posted = replica.post("/api/v1/attempts", KEY, "[" + String.join(",", attempts)
                        + "]");
                assertThat(posted.statusCode()).as(posted.body()).isEqualTo(201);
            }

            assertThat(nextRollback(onA)).contains("\"level\":\"critical\"", "Candidate version 2 of development");
            assertThat(nextRollback(onB)).contains("\"level\":\"critical\"", "Candidate version 2 of development");
        }
        a.await("/api/v1/environments/" + ENVIRONMENT + "/policy/candidate", r -> r.statusCode() == 404,
                Duration.ofSeconds(5));
        b.await(timeouts(in), r -> version(r) == 1, Duration.ofSeconds(6));

        JsonNode versions = JSON.readTree(b.get("/api/v1/environments/" + ENVIRONMENT + "/policy/versions").body());
        assertThat(versions.at("/items/0/status").asText()).isEqualTo("rolled_back");
        assertThat(versions.at("/items/0/status_changed_by").asText()).isEqualTo("guard");
        assertThat(versions.at("/items/0/status_reason/canary/violation_rate").asDouble()).isEqualTo(100.0);
        assertThat(versions.at("/items/1/status").asText()).isEqualTo("current");
        JsonNode alerts = JSON.readTree(a.get("/api/v1/alerts?environment=" + ENVIRONMENT).body()).get("items");
        long rollbacks = 0;
        for (JsonNode alert : alerts) {
            rollbacks += "policy_rollback".equals(alert.get("type").asText()) ? alert.get("occurrences").asLong() : 0;
        }
        assertThat(rollbacks).as("one rollback, one alert, whichever replica saw the breach first").isEqualTo(1);
    }

    @Test
    @Order(3)
    void a_watcher_on_b_wakes_within_a_second_of_a_promotion_through_a() throws Exception {
        HttpResponse<String> created = a.put("/api/v1/environments/" + ENVIRONMENT + "/policy/candidate", KEY,
                "\"1\"", candidate(12.0, "{\"mode\": \"shadow\"}"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        CompletableFuture<HttpResponse<String>> watcher = HTTP.sendAsync(HttpRequest.newBuilder(URI.create(
                        b.url("/api/v1/environments/" + ENVIRONMENT + "/startup-config?instance=" + out)))
                .header("If-None-Match", "W/\"1\"").header("Prefer", "wait=30").build(),
                HttpResponse.BodyHandlers.ofString());
        Thread.sleep(1000);
        assertThat(watcher).isNotDone();

        long promoted = System.nanoTime();
        HttpResponse<String> promotion = HTTP.send(HttpRequest.newBuilder(URI.create(a.url("/api/v1/environments/"
                        + ENVIRONMENT + "/policy/candidate/promote"))).header("X-API-Key", KEY)
                .header("If-Match", "\"3\"").POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(promotion.statusCode()).as(promotion.body()).isEqualTo(200);
        HttpResponse<String> woken = watcher.get(5, TimeUnit.SECONDS);
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - promoted);

        Log.infof("A watcher on B woke %d ms after the promotion through A was sent", took);
        assertThat(woken.statusCode()).isEqualTo(200);
        assertThat(woken.headers().firstValue("ETag")).contains("W/\"3\"");
        assertThat(woken.body()).contains("\"policy_version\":3");
        assertThat(took).isLessThan(1000);
    }

    private static String nextRollback(TestStreams stream) throws InterruptedException {
        for (int i = 0; i < 20; i++) {
            String alert = stream.next("alert", Duration.ofSeconds(10));
            if (alert.contains("policy_rollback")) {
                return alert;
            }
        }
        throw new AssertionError("no policy_rollback alert");
    }

    private static String candidate(double connectionBase, String rollout) throws Exception {
        ObjectNode document = (ObjectNode) JSON.readTree(a.get("/api/v1/environments/" + ENVIRONMENT + "/policy")
                .body());
        ((ObjectNode) document.get("base_timeouts")).put("connection_timeout", connectionBase);
        document.set("rollout", JSON.readTree(rollout));
        return document.toString();
    }

    private static String timeouts(String instance) {
        return "/api/v1/environments/" + ENVIRONMENT + "/timeouts?instance=" + instance;
    }

    private static int version(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body()).get("policy_version").asInt();
        } catch (Exception e) {
            throw new IllegalStateException(response.statusCode() + " " + response.body(), e);
        }
    }

    private static String attempt(String instance, double duration, boolean success, double timeout, int version) {
        return String.format(Locale.ROOT, "{\"environment\": \"%s\", \"operation\": \"connection\","
                + " \"duration_seconds\": %s, \"success\": %s, \"timeout_seconds\": %s, \"instance\": \"%s\","
                + " \"policy_version\": %d}", ENVIRONMENT, duration, success, timeout, instance, version);
    }

    private static PackagedJar start(String name) {
        try {
            List<String> properties = new ArrayList<>(PackagedJar.localDatabase(DATABASE));
            properties.add("-Dtimeout-policy.security.keys.rollout.sha256=" + PackagedJar.sha256(KEY));
            properties.add("-Dtimeout-policy.security.keys.rollout.roles=reporter,deployer,operator");
            return PackagedJar.start(name, properties);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
