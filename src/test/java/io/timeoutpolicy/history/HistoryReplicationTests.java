package io.timeoutpolicy.history;

import static io.restassured.RestAssured.given;
import static io.timeoutpolicy.TestEnvironments.attempt;
import static io.timeoutpolicy.TestEnvironments.record;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.timeoutpolicy.TestApi;
import io.timeoutpolicy.TestDatabase;
import io.timeoutpolicy.TestEnvironments;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The in-memory view against PostgreSQL: attempts another replica writes arrive with the refresh, and a
 * reload (what a restart does) rebuilds exactly the same numbers, nothing lost and nothing counted twice.
 */
@QuarkusTest
class HistoryReplicationTests {

    @Inject
    HistoryView view;

    @Inject
    HistoryReplication replication;

    @BeforeAll
    static void configure() {
        TestApi.configure();
    }

    @Test
    void attempts_written_by_another_replica_arrive_with_the_refresh() throws Exception {
        String environment = TestEnvironments.developmentLike();
        record(List.of(attempt(environment, 1.0, true)));
        try (Connection connection = TestDatabase.connect();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO attempts (id, environment,"
                        + " operation, duration_seconds, success, timeout_seconds, violation, occurred_at)"
                        + " VALUES (?, ?, 'connection', 3.0, true, 20.0, false, now())")) {
            for (int i = 0; i < 3; i++) {
                insert.setObject(1, UUID.randomUUID());
                insert.setString(2, environment);
                insert.executeUpdate();
            }
        }
        Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
        int attempts = 0;
        while (Instant.now().isBefore(deadline) && attempts != 4) {
            Thread.sleep(200);
            attempts = connectionAttempts(environment);
        }
        assertThat(attempts).isEqualTo(4);
    }

    @Test
    void a_gap_longer_than_a_refresh_page_is_read_page_after_page_and_counted_once() throws Exception {
        String environment = TestEnvironments.developmentLike();
        int rows = 25_000; // two and a half refresh pages, all with one received_at (one transaction)
        try (Connection connection = TestDatabase.connect();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO attempts (id, environment,"
                        + " operation, duration_seconds, success, timeout_seconds, violation, occurred_at, writer)"
                        + " SELECT gen_random_uuid(), ?, 'connection', 1.0, true, 20.0, false,"
                        + " now() - i * interval '1 millisecond', 'another-replica' FROM generate_series(1, ?) i")) {
            insert.setString(1, environment);
            insert.setInt(2, rows);
            insert.executeUpdate();
        }
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(deadline) && connectionAttempts(environment) < rows) {
            Thread.sleep(200);
        }
        Thread.sleep(1_000); // a few more refreshes re-read the lookback: nothing may count twice
        assertThat(connectionAttempts(environment)).isEqualTo(rows);
    }

    @Test
    void a_reload_rebuilds_the_same_history() {
        String environment = TestEnvironments.developmentLike();
        record(List.of(attempt(environment, 1.0, true), attempt(environment, 2.5, false),
                attempt(environment, "pool", 4.0, true, null)));
        String before = given().get("/api/v1/environments/" + environment + "/metrics").asString();

        replication.catchUp().await().atMost(Duration.ofSeconds(30));

        assertThat(view.isLoaded()).isTrue();
        String after = given().get("/api/v1/environments/" + environment + "/metrics").asString();
        assertThat(after).isEqualTo(before).contains("\"connection_attempts\":2");
    }

    private static int connectionAttempts(String environment) {
        Integer count = given().get("/api/v1/environments/" + environment + "/metrics").then()
                .extract().path("connection_attempts");
        return count == null ? 0 : count;
    }
}
