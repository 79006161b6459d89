package io.timeoutpolicy.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.timeoutpolicy.PackagedJar;
import io.timeoutpolicy.TestDatabase;
import io.timeoutpolicy.TestEnvironments;
import io.timeoutpolicy.resilience.FaultProxy;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue "history at fleet scale", shrunk: a history that no single statement can read within the
 * statement_timeout (shrunk for the test instead of growing the data), read by the packaged jar after a
 * restart in keyset pages, slowed by a TCP proxy so that the catch-up can be watched. While it runs the
 * replica is not ready, timeouts are degraded and history answers are 503; a connection cut in the middle is
 * tried again until it succeeds; attempts recorded locally and by another replica meanwhile count once.
 */
class HistoryCatchUpIT {

    private static final String DATABASE = "timeout_policy_catch_up_it";
    private static final int SEEDED = 400_000;
    private static final String STATEMENT_TIMEOUT_MS = "40";
    private static final String REPORTER_KEY = "test-reporter-key";
    private static final String REPORTER_SHA256 = "ef7c942d2b0465b80ddd221cf69c2a99f3ba5f92a01b757e8671356d5917680d";

    @Test
    void a_restarted_replica_catches_up_in_pages_through_a_cut_and_counts_every_attempt_once() throws Exception {
        TestDatabase.recreate(DATABASE);
        String host = env("DB_HOST", "127.0.0.1");
        int port = Integer.parseInt(env("DB_PORT", "5432"));
        try (PackagedJar first = PackagedJar.start("catch-up-migrate", PackagedJar.database(host, port, DATABASE))) {
            first.await("/q/health/ready", r -> r.statusCode() == 200, Duration.ofSeconds(30));
        }
        seed();
        assertThatThrownBy(this::readInOneStatement).as("one statement cannot read the whole history")
                .isInstanceOf(SQLException.class).hasFieldOrPropertyWithValue("SQLState", "57014");

        try (FaultProxy proxy = new FaultProxy(host, port)) {
            int proxied = proxy.start();
            proxy.slow(15);
            List<String> properties = new ArrayList<>(PackagedJar.database("127.0.0.1", proxied, DATABASE));
            properties.addAll(List.of(
                    "-Dquarkus.datasource.reactive.additional-properties.statement_timeout=" + STATEMENT_TIMEOUT_MS,
                    "-Dtimeout-policy.history.catch-up.page-size=1000",
                    "-Dtimeout-policy.history.catch-up.retry-initial-delay=200ms",
                    "-Dtimeout-policy.history.catch-up.retry-max-delay=1s",
                    "-Dtimeout-policy.history.refresh-interval=300ms",
                    "-Dtimeout-policy.database.catch-up-limit=120s",
                    "-Dtimeout-policy.security.keys.reporter.sha256=" + REPORTER_SHA256,
                    "-Dtimeout-policy.security.keys.reporter.roles=reporter"));
            try (PackagedJar service = PackagedJar.start("catch-up", properties)) {
                service.await("/q/metrics", r -> gauge(r.body(), "timeout_policy_history_loaded_attempts") > 0,
                        Duration.ofSeconds(30));

                assertThat(service.get("/q/health/ready").statusCode()).as("not ready while catching up").isEqualTo(503);
                assertThat(service.get("/api/v1/environments/staging/timeouts").body()).contains("\"degraded\":true");
                HttpResponse<String> metrics = service.get("/api/v1/environments/staging/metrics");
                assertThat(metrics.statusCode()).isEqualTo(503);
                assertThat(metrics.headers().firstValue("Retry-After")).hasValue("5");
                assertThat(metrics.body()).contains("history-incomplete").doesNotContain("no_data");
                assertThat(service.get("/api/v1/environments/staging/analysis").statusCode()).isEqualTo(503);
                assertThat(gauge(service.get("/q/metrics").body(), "timeout_policy_history_catching_up")).isEqualTo(1);

                // Meanwhile: five attempts recorded through this replica, five written by another one.
                List<String> local = TestEnvironments.repeated("staging", 5, 2.0, true);
                assertThat(service.post("/api/v1/attempts", REPORTER_KEY, "[" + String.join(",", local) + "]")
                        .statusCode()).isEqualTo(201);
                writeAsAnotherReplica(5);

                service.await("/q/metrics", r -> gauge(r.body(), "timeout_policy_history_loaded_attempts") > SEEDED / 4,
                        Duration.ofSeconds(60));
                proxy.cut();
                service.await("/q/health/ready", r -> r.statusCode() == 200 && r.body().contains("database unavailable"),
                        Duration.ofSeconds(10));
                Thread.sleep(1_500);
                proxy.pass();

                HttpResponse<String> complete = service.await("/api/v1/environments/staging/timeouts",
                        r -> r.body().contains("\"degraded\":false"), Duration.ofSeconds(90));
                assertThat(complete.body()).contains("\"samples\":" + (SEEDED + 10));
                assertThat(service.get("/api/v1/environments/staging/metrics").body())
                        .contains("\"connection_attempts\":" + (SEEDED + 10));
                assertThat(service.get("/q/health/ready").statusCode()).isEqualTo(200);
                assertThat(gauge(service.get("/q/metrics").body(), "timeout_policy_history_catching_up")).isEqualTo(0);
                assertThat(service.log()).contains("History catch-up could not read a page of staging/connection")
                        .contains("History caught up");
            }
        }
    }

    private void seed() throws SQLException {
        try (Connection connection = TestDatabase.connectTo(DATABASE); Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO attempts (id, environment, operation, duration_seconds, success,"
                    + " timeout_seconds, violation, occurred_at, received_at, writer)"
                    + " SELECT gen_random_uuid(), 'staging', 'connection', 1 + random() * 4, random() < 0.97, 75, false,"
                    + " now() - interval '20 hours' + i * (interval '20 hours' / " + SEEDED + "),"
                    + " now() - interval '20 hours', 'seed' FROM generate_series(1, " + SEEDED + ") i");
            statement.execute("VACUUM ANALYZE attempts");
        }
    }

    /** What the service did before this issue: every attempt of the window in one ordered statement. */
    private void readInOneStatement() throws SQLException {
        try (Connection connection = TestDatabase.connectTo(DATABASE); Statement statement = connection.createStatement()) {
            statement.execute("SET statement_timeout = " + STATEMENT_TIMEOUT_MS);
            statement.executeQuery("SELECT * FROM attempts WHERE occurred_at > now() - interval '24 hours'"
                    + " ORDER BY occurred_at, seq").close();
        }
    }

    private void writeAsAnotherReplica(int count) throws SQLException {
        try (Connection connection = TestDatabase.connectTo(DATABASE); Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO attempts (id, environment, operation, duration_seconds, success,"
                    + " timeout_seconds, violation, occurred_at, writer) SELECT gen_random_uuid(), 'staging',"
                    + " 'connection', 3.0, true, 75, false, now(), 'another-replica' FROM generate_series(1, " + count + ")");
        }
    }

    private static double gauge(String metrics, String name) {
        Matcher matcher = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*})? (\\S+)$").matcher(metrics);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : -1;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
