package io.timeoutpolicy.deployment;

import static io.timeoutpolicy.TestEnvironments.attempt;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.logging.Log;
import io.timeoutpolicy.PackagedJar;
import io.timeoutpolicy.TestDatabase;
import io.timeoutpolicy.TestStreams;
import java.net.URI;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two packaged replicas on different ports, started at the same moment on one fresh PostgreSQL: what is
 * written through one is served by the other within its refresh interval (history 2 s, policies 5 s), the
 * audit log is one, optimistic locking holds across replicas, and alerts cross over through LISTEN/NOTIFY.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoReplicasIT {

    private static final String DATABASE = "timeout_policy_fleet_it";
    private static final String KEY = "fleet-it-key";
    private static final String SERVICE = "fleet-it";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration HISTORY_REFRESH = Duration.ofSeconds(2);
    private static final Duration POLICY_REFRESH = Duration.ofSeconds(5);
    /** Polling step, request time and scheduling on a 2-core machine running both replicas. */
    private static final Duration SLACK = Duration.ofSeconds(1);

    private static PackagedJar a;
    private static PackagedJar b;

    @BeforeAll
    static void startBothAtOnce() throws Exception {
        TestDatabase.recreate(DATABASE);
        CompletableFuture<PackagedJar> first = CompletableFuture.supplyAsync(() -> start("replica-a"));
        CompletableFuture<PackagedJar> second = CompletableFuture.supplyAsync(() -> start("replica-b"));
        a = first.join();
        b = second.join();
        for (PackagedJar replica : List.of(a, b)) {
            replica.await("/q/health/ready", r -> r.statusCode() == 200, Duration.ofSeconds(60));
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
    void two_replicas_migrating_at_once_leave_one_schema_and_one_seed() throws Exception {
        try (Connection connection = TestDatabase.connectTo(DATABASE); Statement statement = connection.createStatement()) {
            assertThat(single(statement, "SELECT count(*) FROM flyway_schema_history WHERE success AND version IS NOT NULL"))
                    .isEqualTo(single(statement, "SELECT count(DISTINCT version) FROM flyway_schema_history"))
                    .isEqualTo(migrations());
            assertThat(single(statement, "SELECT count(*) FROM flyway_schema_history WHERE NOT success")).isZero();
            assertThat(single(statement, "SELECT count(*) FROM policy_versions WHERE environment = 'staging' AND version = 1")).isEqualTo(1);
        }
        assertThat(a.log() + b.log()).doesNotContain("ERROR");
    }

    @Test
    @Order(2)
    void attempts_recorded_on_one_reach_the_others_metrics_timeouts_and_circuit() throws Exception {
        String attempts = IntStream.range(0, 12).mapToObj(i -> attempt("staging", 2.0, true)
                .replace("}", ", \"service\": \"" + SERVICE + "\"}")).collect(Collectors.joining(",", "[", "]"));
        assertThat(a.post("/api/v1/attempts", KEY, attempts).statusCode()).isEqualTo(201);
        Duration lag = awaitOn(b, "/api/v1/environments/staging/metrics?service=" + SERVICE,
                json -> json.path("connection_attempts").asInt() == 12, HISTORY_REFRESH.plus(SLACK));
        assertThat(json(b.get("/api/v1/environments/staging/timeouts")).path("samples").asInt()).isEqualTo(12);

        String failures = IntStream.range(0, 5).mapToObj(i -> attempt("production", 1.0, false))
                .collect(Collectors.joining(",", "[", "]"));
        assertThat(a.post("/api/v1/attempts", KEY, failures).statusCode()).isEqualTo(201);
        Duration circuitLag = awaitOn(b, "/api/v1/environments/production/circuit",
                json -> "open".equals(json.path("state").asText()) && json.path("consecutive_failures").asInt() == 5,
                HISTORY_REFRESH.plus(SLACK));
        Log.infof("Replica B saw A's attempts in its metrics after %d ms, its circuit open after %d ms",
                lag.toMillis(), circuitLag.toMillis());
    }

    @Test
    @Order(3)
    void an_alert_raised_on_one_arrives_on_the_others_stream_within_a_second() throws Exception {
        try (TestStreams stream = TestStreams.open(URI.create(b.url("/api/v1/alerts/stream?environment=development")))) {
            long sent = System.nanoTime();
            HttpResponse<String> raised = a.post("/api/v1/attempts", KEY, attempt("development", 19.9, false));
            assertThat(raised.body()).contains("\"level\":\"critical\"");

            String alert = stream.next("alert", Duration.ofSeconds(1));
            Duration took = Duration.ofNanos(System.nanoTime() - sent);
            assertThat(alert).contains("\"environment\":\"development\"").contains("\"level\":\"critical\"");
            assertThat(took).isLessThan(Duration.ofSeconds(1));
            Log.infof("An alert raised on A reached B's stream %d ms after the request was sent", took.toMillis());
        }
    }

    @Test
    @Order(4)
    void decisions_made_on_both_are_one_audit_log_in_order() throws Exception {
        List<String> deployments = List.of("fleet-1", "fleet-2", "fleet-3");
        PackagedJar[] through = {a, b, a};
        for (int i = 0; i < deployments.size(); i++) {
            HttpResponse<String> decided = through[i].post("/api/v1/bypass-decisions", KEY, "{\"environment\": \"staging\","
                    + " \"critical_failures\": 0, \"failure_types\": [], \"service\": \"" + SERVICE + "\","
                    + " \"deployment\": \"" + deployments.get(i) + "\", \"requested_by\": \"fleet-it\"}");
            assertThat(decided.statusCode()).isEqualTo(201);
        }
        for (PackagedJar replica : List.of(a, b)) {
            List<String> listed = new ArrayList<>();
            json(replica.get("/api/v1/bypass-decisions?service=" + SERVICE)).path("items")
                    .forEach(item -> listed.add(item.path("deployment").asText()));
            assertThat(listed).as("newest first, on either replica").containsExactly("fleet-3", "fleet-2", "fleet-1");
        }
    }

    @Test
    @Order(5)
    void a_policy_changed_through_one_is_served_by_the_other_within_its_refresh_interval() throws Exception {
        ObjectNode policy = (ObjectNode) json(a.get("/api/v1/environments/staging/policy"));
        ((ObjectNode) policy.path("base_timeouts")).put("connection_timeout", 80.0);
        HttpResponse<String> changed = a.put("/api/v1/environments/staging/policy", KEY, "\"1\"", policy.toString());
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(changed.headers().firstValue("ETag")).contains("\"2\"");

        Duration lag = awaitOn(b, "/api/v1/environments/staging/timeouts",
                json -> json.path("policy_version").asInt() == 2
                        && json.path("base_timeouts").path("connection_timeout").asDouble() == 80.0,
                POLICY_REFRESH.plus(SLACK));
        Log.infof("Replica B served A's policy change after %d ms", lag.toMillis());
    }

    @Test
    @Order(6)
    void two_concurrent_replacements_through_different_replicas_give_one_200_and_one_412() throws Exception {
        ObjectNode policy = (ObjectNode) json(a.get("/api/v1/environments/staging/policy"));
        String version = "\"" + policy.path("version").asInt() + "\"";
        CyclicBarrier together = new CyclicBarrier(2);
        List<CompletableFuture<Integer>> replacements = new ArrayList<>();
        double timeout = 81.0;
        for (PackagedJar replica : List.of(a, b)) {
            ((ObjectNode) policy.path("base_timeouts")).put("connection_timeout", timeout++);
            String body = policy.toString();
            replacements.add(CompletableFuture.supplyAsync(() -> {
                try {
                    together.await();
                    return replica.put("/api/v1/environments/staging/policy", KEY, version, body).statusCode();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        List<Integer> statuses = replacements.stream().map(CompletableFuture::join).sorted().toList();
        assertThat(statuses).containsExactly(200, 412);
    }

    private static PackagedJar start(String name) {
        try {
            List<String> properties = new ArrayList<>(PackagedJar.localDatabase(DATABASE));
            properties.add("-Dtimeout-policy.security.keys.fleet.sha256=" + PackagedJar.sha256(KEY));
            properties.add("-Dtimeout-policy.security.keys.fleet.roles=reporter,deployer,operator");
            return PackagedJar.start(name, properties);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Polls {@code path} on {@code replica} until {@code done}; answers how long it took. */
    private static Duration awaitOn(PackagedJar replica, String path, Predicate<JsonNode> done, Duration within)
            throws Exception {
        long start = System.nanoTime();
        replica.await(path, response -> response.statusCode() == 200 && done.test(json(response)), within);
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (Exception e) {
            throw new IllegalStateException(response.statusCode() + " " + response.body(), e);
        }
    }

    private static long single(Statement statement, String sql) throws Exception {
        try (ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }


    /** How many versioned migrations the service ships: each is applied once, by one of the replicas. */
    private static long migrations() throws java.io.IOException {
        try (var files = java.nio.file.Files.list(java.nio.file.Path.of("src/main/resources/db/migration"))) {
            return files.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql")).count();
        }
    }
}
