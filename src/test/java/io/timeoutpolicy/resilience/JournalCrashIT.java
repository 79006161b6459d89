package io.timeoutpolicy.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.logging.Log;
import io.timeoutpolicy.PackagedJar;
import io.timeoutpolicy.TestDatabase;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Nothing acknowledged is lost by a crash (SPEC 7): the packaged jar, its database cut by the fault proxy,
 * answers 200 attempts 202 and 5 bypass decisions 201, and is killed with SIGKILL. Restarted on the same journal
 * with the database back, it writes all 205 to PostgreSQL. Then a graceful shutdown that meets a breaker still open
 * from an outage writes what it holds once the breaker lets it, within the shutdown wait.
 */
class JournalCrashIT {

    private static final String DATABASE = "timeout_policy_journal_crash_it";
    private static final String KEY = "journal-crash-it-key";

    private final String service = "crash-" + UUID.randomUUID();

    @Test
    void kill_9_during_an_outage_loses_no_attempt_answered_202_and_no_decision_answered_201() throws Exception {
        TestDatabase.recreate(DATABASE);
        Path journal = Files.createTempDirectory("journal-crash");
        try (FaultProxy proxy = new FaultProxy("127.0.0.1", Integer.parseInt(System.getenv().getOrDefault("DB_PORT",
                "5432")))) {
            List<String> properties = properties(proxy.start(), journal);
            List<String> attemptIds = new ArrayList<>();
            List<String> decisionIds = new ArrayList<>();
            try (PackagedJar jar = PackagedJar.start("journal-crash", properties)) {
                jar.await("/q/health/ready", r -> r.statusCode() == 200, Duration.ofSeconds(60));
                proxy.cut();
                for (int i = 0; i < 10; i++) {
                    HttpResponse<String> held = jar.post("/api/v1/attempts", KEY, Outages.batch(service, 20, attemptIds));
                    assertThat(held.statusCode()).as(held.body()).isEqualTo(202);
                }
                for (int i = 0; i < 5; i++) {
                    HttpResponse<String> decision = jar.post("/api/v1/bypass-decisions", KEY, "{\"environment\":"
                            + " \"staging\", \"critical_failures\": 1, \"deployment\": \"" + service + "\"}");
                    assertThat(decision.statusCode()).as(decision.body()).isEqualTo(201);
                    decisionIds.add(new com.fasterxml.jackson.databind.ObjectMapper().readTree(decision.body()).get("id").asText());
                }
                jar.kill().get(30, TimeUnit.SECONDS);
            }
            assertThat(stored("attempts", "service", service)).as("in PostgreSQL before the restart").isZero();

            proxy.pass();
            long restarted = System.nanoTime();
            try (PackagedJar again = PackagedJar.start("journal-crash-restart", properties)) {
                again.await("/q/health/group/database", r -> r.statusCode() == 200, Duration.ofSeconds(60));
                awaitStored("attempts", "service", 200, Duration.ofSeconds(30));
                awaitStored("bypass_decisions", "deployment", 5, Duration.ofSeconds(30));
                Log.infof("After the restart all 200 attempts and 5 decisions were in PostgreSQL in %d ms",
                        Duration.ofNanos(System.nanoTime() - restarted).toMillis());
                assertThat(again.log()).contains("Replayed 200 attempts", "Replayed 5 decisions");
                for (String id : decisionIds) {
                    assertThat(again.get("/api/v1/bypass-decisions/" + id).statusCode()).isEqualTo(200);
                }
                again.await("/api/v1/environments/test/metrics?operation=pool&service=" + service,
                        r -> r.body().contains("\"connection_attempts\":200"), Duration.ofSeconds(10));
            }
            assertThat(Files.size(journal.resolve("attempts.journal"))).as("emptied once written").isZero();
        }
    }

    @Test
    void sigterm_a_second_before_the_database_returns_writes_every_decision_despite_the_open_breaker()
            throws Exception {
        TestDatabase.recreate(DATABASE);
        Path journal = Files.createTempDirectory("journal-shutdown");
        try (FaultProxy proxy = new FaultProxy("127.0.0.1", Integer.parseInt(System.getenv().getOrDefault("DB_PORT",
                "5432")))) {
            try (PackagedJar jar = PackagedJar.start("journal-shutdown", properties(proxy.start(), journal))) {
                jar.await("/q/health/ready", r -> r.statusCode() == 200, Duration.ofSeconds(60));
                proxy.cut();
                for (int i = 0; i < 10; i++) {
                    HttpResponse<String> decision = jar.post("/api/v1/bypass-decisions", KEY, "{\"environment\":"
                            + " \"staging\", \"critical_failures\": 3, \"deployment\": \"" + service + "\"}");
                    assertThat(decision.statusCode()).as(decision.body()).isEqualTo(201);
                }
                jar.post("/api/v1/attempts", KEY, Outages.batch(service, 40, new ArrayList<>()));
                var exit = jar.terminate();
                Thread.sleep(1_000);
                proxy.pass();
                exit.get(60, TimeUnit.SECONDS);
                assertThat(stored("bypass_decisions", "deployment", service)).isEqualTo(10);
                assertThat(stored("attempts", "service", service)).isEqualTo(40);
                assertThat(jar.log()).contains("Shutting down: wrote the 10 decisions held")
                        .contains("Shutting down: wrote the 40 attempts held").doesNotContain("not written");
            }
        }
    }

    private List<String> properties(int proxyPort, Path journal) {
        List<String> properties = new ArrayList<>(PackagedJar.database("127.0.0.1", proxyPort, DATABASE));
        properties.addAll(List.of(PackagedJar.journal(journal),
                "-Dtimeout-policy.security.keys.crash.sha256=" + PackagedJar.sha256(KEY),
                "-Dtimeout-policy.security.keys.crash.roles=reporter,deployer",
                "-Dquarkus.shutdown.delay=0s"));
        return properties;
    }

    private void awaitStored(String table, String column, int expected, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (stored(table, column, service) < expected && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(stored(table, column, service)).as(table).isEqualTo(expected);
    }

    private static int stored(String table, String column, String value) throws Exception {
        try (Connection connection = TestDatabase.connectTo(DATABASE);
                PreparedStatement count = connection.prepareStatement(
                        "SELECT count(*) FROM " + table + " WHERE " + column + " = ?")) {
            count.setString(1, value);
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }
}
