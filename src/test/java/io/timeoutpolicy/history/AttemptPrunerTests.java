package io.timeoutpolicy.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.timeoutpolicy.TestApi;
import io.timeoutpolicy.TestDatabase;
import io.timeoutpolicy.TestEnvironments;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Pruning against PostgreSQL: every attempt past the retention period goes, batch after batch; none younger. */
@QuarkusTest
class AttemptPrunerTests {

    @Inject
    AttemptPruner pruner;

    @BeforeAll
    static void configure() {
        TestApi.configure();
    }

    @Test
    void attempts_older_than_the_retention_go_in_batches_and_younger_ones_stay() throws Exception {
        String environment = TestEnvironments.developmentLike();
        insert(environment, "connection", 12_001, "31 days");   // more than two batches of 5 000
        insert(environment, "pool", 7, "31 days");
        insert(environment, "connection", 5, "29 days");

        pruner.prune().await().atMost(Duration.ofSeconds(60));

        assertThat(count(environment, "30 days", "<")).isZero();
        assertThat(count(environment, "30 days", ">")).isEqualTo(5);
    }

    private static void insert(String environment, String operation, int rows, String age) throws Exception {
        try (Connection connection = TestDatabase.connect();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO attempts (id, environment,"
                        + " operation, duration_seconds, success, timeout_seconds, violation, occurred_at)"
                        + " SELECT gen_random_uuid(), ?, ?, 1.0, true, 20.0, false, now() - interval '" + age + "'"
                        + " - i * interval '1 second' FROM generate_series(1, ?) i")) {
            insert.setString(1, environment);
            insert.setString(2, operation);
            insert.setInt(3, rows);
            insert.executeUpdate();
        }
    }

    private static long count(String environment, String age, String comparison) throws Exception {
        try (Connection connection = TestDatabase.connect();
                PreparedStatement query = connection.prepareStatement("SELECT count(*) FROM attempts WHERE"
                        + " environment = ? AND occurred_at " + comparison + " now() - interval '" + age + "'")) {
            query.setString(1, environment);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
