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
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two packaged replicas behind a real PgBouncer (SPEC 7, "Behind a connection pooler"), started together on a
 * fresh database that they migrate through it: every endpoint answers, every attempt answered 201 is in
 * PostgreSQL, and the database is never reported unavailable while PostgreSQL is up. Subclasses choose the
 * pool mode and how the replicas listen for notifications.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class PgBouncerSuite {

    private static final String KEY = "pgbouncer-it-key";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String database = TestDatabase.name() + "_pgbouncer_" + poolMode();
    private PgBouncer bouncer;
    private PackagedJar a;
    private PackagedJar b;

    /** PgBouncer's {@code pool_mode}, and the service's {@code timeout-policy.database.pooler}. */
    abstract String poolMode();

    /** The settings each replica gets beyond its reactive URL (pooler mode, notifications URL). */
    abstract List<String> poolerSettings(String database);

    @BeforeAll
    void startBehindPgBouncer() throws Exception {
        bouncer = PgBouncer.start(poolMode());
        TestDatabase.recreate(database);
        // The server-side guard a transaction-mode pooler leaves to the database (docs/pgbouncer.md).
        try (Connection connection = TestDatabase.connectTo(database); var statement = connection.createStatement()) {
            statement.execute("ALTER DATABASE \"" + database + "\" SET statement_timeout = '6s'");
        }
        CompletableFuture<PackagedJar> first = CompletableFuture.supplyAsync(() -> start("pooled-a"));
        CompletableFuture<PackagedJar> second = CompletableFuture.supplyAsync(() -> start("pooled-b"));
        try {
            a = first.join();
        } finally {
            b = second.join(); // so that @AfterAll stops whichever started
        }
        for (PackagedJar replica : List.of(a, b)) {
            replica.await("/q/health/ready", r -> r.statusCode() == 200, Duration.ofSeconds(60));
        }
    }

    @AfterAll
    void stop() throws Exception {
        for (AutoCloseable process : new AutoCloseable[] {a, b, bouncer}) {
            if (process != null) {
                process.close();
            }
        }
    }

    @Test
    @Order(1)
    void a_fresh_database_is_migrated_through_the_pooler_once() throws Exception {
        long shipped;
        try (var files = Files.list(Path.of("src/main/resources/db/migration"))) {
            shipped = files.filter(file -> file.getFileName().toString().matches("V\\d+__.*\\.sql")).count();
        }
        try (Connection connection = TestDatabase.connectTo(database)) {
            assertThat(single(connection, "SELECT count(*) FROM flyway_schema_history WHERE success AND version IS NOT NULL"))
                    .isEqualTo(shipped);
            assertThat(single(connection, "SELECT count(*) FROM flyway_schema_history WHERE NOT success")).isZero();
        }
        String logs = a.log() + b.log();
        assertThat(logs).as("Flyway connected through PgBouncer without server-side prepared statements")
                .contains(":" + bouncer.port() + "/" + database + "?connectTimeout=3&socketTimeout=60&prepareThreshold=0");
        // Flyway's lock is per migration (transaction-scoped), so the two replicas may share the work out.
        java.util.regex.Matcher applied = java.util.regex.Pattern.compile("Successfully applied (\\d+) migration")
                .matcher(logs);
        long total = 0;
        while (applied.find()) {
            total += Long.parseLong(applied.group(1));
        }
        assertThat(total).as("migrations applied by the two replicas together").isEqualTo(shipped);
    }

    @Test
    @Order(2)
    void a_thousand_attempts_are_all_answered_201_and_all_in_postgresql() throws Exception {
        List<UUID> ids = new ArrayList<>();
        List<String> bodies = new ArrayList<>();
        for (int request = 0; request < 10; request++) {
            List<String> attempts = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                UUID id = UUID.randomUUID();
                ids.add(id);
                attempts.add(attempt("staging", 1.0 + (i % 7) / 10.0, i % 10 != 0)
                        .replace("{", "{\"id\": \"" + id + "\", \"service\": \"pooled-" + poolMode() + "\", "));
            }
            bodies.add("[" + String.join(",", attempts) + "]");
        }
        ExecutorService clients = Executors.newFixedThreadPool(5);
        try {
            List<CompletableFuture<HttpResponse<String>>> answers = IntStream.range(0, bodies.size())
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> post(i % 2 == 0 ? a : b, "/api/v1/attempts",
                            bodies.get(i)), clients)).toList();
            for (CompletableFuture<HttpResponse<String>> answer : answers) {
                HttpResponse<String> response = answer.join();
                assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
                assertThat(json(response).path("recorded").asInt()).isEqualTo(100);
            }
        } finally {
            clients.shutdown();
        }
        try (Connection connection = TestDatabase.connectTo(database);
                PreparedStatement stored = connection.prepareStatement("SELECT count(*) FROM attempts WHERE id = ANY(?)")) {
            stored.setArray(1, connection.createArrayOf("uuid", ids.toArray()));
            try (ResultSet rows = stored.executeQuery()) {
                rows.next();
                assertThat(rows.getLong(1)).as("attempts answered 201 and stored").isEqualTo(1000);
            }
        }
    }

    @Test
    @Order(3)
    void decisions_made_on_both_replicas_are_listed_newest_first() throws Exception {
        String service = "pooled-decisions-" + poolMode();
        PackagedJar[] through = {a, b, a};
        for (int i = 0; i < through.length; i++) {
            HttpResponse<String> decided = post(through[i], "/api/v1/bypass-decisions", "{\"environment\": \"staging\","
                    + " \"critical_failures\": 0, \"failure_types\": [], \"service\": \"" + service + "\","
                    + " \"deployment\": \"d-" + i + "\", \"requested_by\": \"pgbouncer-it\"}");
            assertThat(decided.statusCode()).as(decided.body()).isEqualTo(201);
            String id = json(decided).path("id").asText();
            assertThat(json(through[i].get("/api/v1/bypass-decisions/" + id)).path("deployment").asText())
                    .isEqualTo("d-" + i);
        }
        for (PackagedJar replica : List.of(a, b)) {
            List<String> listed = new ArrayList<>();
            json(replica.get("/api/v1/bypass-decisions?service=" + service)).path("items")
                    .forEach(item -> listed.add(item.path("deployment").asText()));
            assertThat(listed).containsExactly("d-2", "d-1", "d-0");
        }
    }

    @Test
    @Order(4)
    void a_policy_is_replaced_with_if_match_and_a_stale_version_is_refused() throws Exception {
        ObjectNode policy = (ObjectNode) json(a.get("/api/v1/environments/staging/policy"));
        int version = policy.path("version").asInt();
        ((ObjectNode) policy.path("base_timeouts")).put("connection_timeout", 70.0);
        HttpResponse<String> replaced = a.put("/api/v1/environments/staging/policy", KEY, "\"" + version + "\"",
                policy.toString());
        assertThat(replaced.statusCode()).as(replaced.body()).isEqualTo(200);
        assertThat(replaced.headers().firstValue("ETag")).contains("\"" + (version + 1) + "\"");

        HttpResponse<String> stale = b.put("/api/v1/environments/staging/policy", KEY, "\"" + version + "\"",
                policy.toString());
        assertThat(stale.statusCode()).as(stale.body()).isEqualTo(412);
        JsonNode versions = json(b.get("/api/v1/environments/staging/policy/versions")).path("items");
        assertThat(versions.get(0).path("version").asInt()).isEqualTo(version + 1);
        assertThat(versions.get(0).path("base_timeouts").path("connection_timeout").asDouble()).isEqualTo(70.0);
    }

    @Test
    @Order(5)
    void an_alert_reaches_its_own_and_the_other_replicas_stream() throws Exception {
        try (TestStreams own = TestStreams.open(URI.create(a.url("/api/v1/alerts/stream?environment=development")));
                TestStreams other = TestStreams.open(URI.create(b.url("/api/v1/alerts/stream?environment=development")))) {
            long sent = System.nanoTime();
            HttpResponse<String> raised = post(a, "/api/v1/attempts", attempt("development", 19.9, false));
            assertThat(raised.body()).contains("\"level\":\"critical\"");
            assertThat(own.next("alert", Duration.ofSeconds(2))).contains("\"environment\":\"development\"");
            assertThat(other.next("alert", Duration.ofSeconds(2))).contains("\"environment\":\"development\"")
                    .contains("\"level\":\"critical\"");
            Log.infof("Behind PgBouncer (%s): an alert raised on A reached B's stream %d ms after the request",
                    poolMode(), Duration.ofNanos(System.nanoTime() - sent).toMillis());
        }
        assertThat(json(a.get("/api/v1/alerts?environment=development")).toString()).contains("critical");
    }

    @Test
    @Order(6)
    void every_endpoint_answers_and_the_database_was_never_reported_unavailable() throws Exception {
        for (PackagedJar replica : List.of(a, b)) {
            // Each replica serves the other's attempts after its next history refresh (every 2 s).
            replica.await("/api/v1/environments/staging/metrics?service=pooled-" + poolMode(), r -> r.statusCode() == 200
                    && json(r).path("connection_attempts").asInt() == 1000, Duration.ofSeconds(10));
            for (String path : List.of("/api/v1/environments", "/api/v1/environments/staging/timeouts",
                    "/api/v1/environments/staging/startup-config", "/api/v1/environments/staging/metrics",
                    "/api/v1/environments/staging/analysis", "/api/v1/environments/staging/assessment",
                    "/api/v1/environments/staging/trend", "/api/v1/environments/staging/circuit",
                    "/api/v1/environments/staging/policy", "/api/v1/alerts", "/api/v1/bypass-decisions")) {
                HttpResponse<String> answer = replica.get(path);
                assertThat(answer.statusCode()).as(path + " " + answer.body()).isEqualTo(200);
                assertThat(answer.body()).as(path).doesNotContain("\"degraded\":true");
            }
            HttpResponse<String> simulated = post(replica, "/api/v1/environments/staging/simulate",
                    "{\"timeouts\": {\"connection_timeout\": 1.5}}");
            assertThat(simulated.statusCode()).as(simulated.body()).isEqualTo(200);
            assertThat(json(simulated).path("results").path("connection_timeout").path("attempts").asLong())
                    .isGreaterThanOrEqualTo(1000);
            HttpResponse<String> health = replica.get("/q/health/group/database");
            assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
            String metrics = replica.get("/q/metrics").body();
            assertThat(metrics).as("no meters without a name prefix").doesNotContain("\nm__");
            assertThat(metrics).contains("postgresql_completed_total{clientName=\"notifications\"");
        }
        String logs = a.log() + b.log();
        assertThat(logs).doesNotContain("Database unavailable").doesNotContain("Database not ready")
                .doesNotContain("ERROR").doesNotContain("has been already registered")
                .doesNotContain("Session settings not applied");
        if ("transaction".equals(poolMode())) {
            assertThat(logs).contains("Behind a transaction-mode pooler the server-side statement_timeout is 6s");
        }
        assertThat(bouncer.log()).doesNotContainIgnoringCase("unsupported startup parameter")
                .doesNotContain("prepared statement");
        long transactions = bouncer.transactions(database);
        assertThat(transactions).as("transactions through PgBouncer").isGreaterThan(10);
        Log.infof("Behind PgBouncer (%s): %d transactions passed through it", poolMode(), transactions);
    }

    private PackagedJar start(String name) {
        try {
            List<String> properties = new ArrayList<>(List.of(
                    "-Dquarkus.datasource.reactive.url=" + bouncer.reactiveUrl(database),
                    "-Dtimeout-policy.security.keys.it.sha256=" + PackagedJar.sha256(KEY),
                    "-Dtimeout-policy.security.keys.it.roles=reporter,deployer,operator"));
            properties.addAll(poolerSettings(database));
            // Two JVMs starting and migrating at once on 2 shared cores: 26-31 s measured on a busy machine.
            return PackagedJar.start(name + "-" + poolMode(), properties, Duration.ofSeconds(90));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> post(PackagedJar replica, String path, String json) {
        try {
            return replica.post(path, KEY, json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String directUrl(String database) {
        return "postgresql://" + env("DB_HOST", "127.0.0.1") + ":" + env("DB_PORT", "5432") + "/" + database;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (Exception e) {
            throw new IllegalStateException(response.statusCode() + " " + response.body(), e);
        }
    }

    private static long single(Connection connection, String sql) throws Exception {
        try (var statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
