package io.timeoutpolicy.recording;

import static io.timeoutpolicy.TestEnvironments.attempt;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.timeoutpolicy.TestApi;
import io.timeoutpolicy.TestDatabase;
import io.timeoutpolicy.TestEnvironments;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Concurrent requests share group-commit statements, and every acknowledged attempt is stored once. */
@QuarkusTest
class GroupCommitTests {

    private static final int REQUESTS = 64;
    private static final int PER_REQUEST = 50;

    @Inject
    MeterRegistry registry;

    @BeforeAll
    static void configure() {
        TestApi.configure();
    }

    @Test
    void concurrent_requests_are_coalesced_into_fewer_statements() throws Exception {
        String environment = TestEnvironments.developmentLike();
        String body = "[" + String.join(",", java.util.Collections.nCopies(PER_REQUEST,
                attempt(environment, 1.0, true))) + "]";
        double batchesBefore = statementsWritten();

        ExecutorService clients = Executors.newFixedThreadPool(16);
        List<Future<Integer>> answers = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            answers.add(clients.submit(() -> RestAssured.given().header("X-API-Key", TestApi.REPORTER_KEY)
                    .contentType(ContentType.JSON).body(body).post("/api/v1/attempts").then().statusCode(201)
                    .extract().<Integer>path("recorded")));
        }
        int recorded = 0;
        for (Future<Integer> answer : answers) {
            recorded += answer.get();
        }
        clients.shutdown();

        double statements = statementsWritten() - batchesBefore;
        assertThat(recorded).isEqualTo(REQUESTS * PER_REQUEST);
        assertThat(storedRows(environment)).isEqualTo(REQUESTS * PER_REQUEST);
        assertThat(statements).isGreaterThanOrEqualTo(1).isLessThan(REQUESTS);
        RestAssured.given().get("/api/v1/environments/" + environment + "/metrics").then()
                .body("connection_attempts", org.hamcrest.Matchers.equalTo(REQUESTS * PER_REQUEST));
    }

    private double statementsWritten() {
        var counter = registry.find("timeout_policy.attempt.batches").counter();
        return counter == null ? 0 : counter.count();
    }

    private int storedRows(String environment) throws Exception {
        try (Connection connection = TestDatabase.connect();
                PreparedStatement count = connection.prepareStatement(
                        "SELECT count(*) FROM attempts WHERE environment = ?")) {
            count.setString(1, environment);
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }
}
