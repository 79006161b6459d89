package io.timeoutpolicy.resilience;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.timeoutpolicy.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** What fault tests wait for and read: health answers, rows straight in PostgreSQL, meters, stream events. */
final class Outages {

    private Outages() {
    }

    /** The proxy passing, every breaker closed, and the service seeing its database again. */
    static void healthy() {
        FaultProxyResource.proxy.pass();
        CircuitBreakerMaintenance.get().resetAll();
        awaitStatus("/q/health/group/database", 200, Duration.ofSeconds(20));
    }

    static void awaitStatus(String path, int status, Duration within) {
        Instant deadline = Instant.now().plus(within);
        while (given().get(path).statusCode() != status) {
            assertThat(Instant.now()).as(path + " to answer " + status).isBefore(deadline);
            pause();
        }
    }

    static void awaitCount(String sql, String value, int expected, Duration within) throws Exception {
        Instant deadline = Instant.now().plus(within);
        while (count(sql, value) < expected) {
            assertThat(Instant.now()).as(sql + " to reach " + expected).isBefore(deadline);
            pause();
        }
        assertThat(count(sql, value)).isEqualTo(expected);
    }

    /** Counts rows straight in PostgreSQL, around the proxy. */
    static int count(String sql, String value) throws Exception {
        try (Connection connection = TestDatabase.connect();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, value);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    /** A meter's value on /q/metrics, by its exposition name with labels; 0 when it is not there yet. */
    static double counter(String series) {
        for (String line : given().get("/q/metrics").asString().split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        return 0;
    }

    static void awaitMetric(String series, double expected, Duration within) {
        Instant deadline = Instant.now().plus(within);
        while (counter(series) != expected) {
            assertThat(Instant.now()).as(series + " to become " + expected).isBefore(deadline);
            pause();
        }
    }

    /** A body of {@code size} successful pool attempts of {@code service}, each with a new id added to {@code ids}. */
    static String batch(String service, int size, List<String> ids) {
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < size; i++) {
            String id = UUID.randomUUID().toString();
            ids.add(id);
            body.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "{\"id\": \"%s\", \"environment\":"
                    + " \"test\", \"operation\": \"pool\", \"duration_seconds\": 0.2, \"success\": true,"
                    + " \"service\": \"%s\"}", id, service));
        }
        return body.append(']').toString();
    }

    static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
