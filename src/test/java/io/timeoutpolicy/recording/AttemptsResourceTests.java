package io.timeoutpolicy.recording;

import static io.restassured.RestAssured.given;
import static io.timeoutpolicy.TestEnvironments.attempt;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.timeoutpolicy.TestApi;
import io.timeoutpolicy.TestEnvironments;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** POST /api/v1/attempts against the real database: recording, idempotency, and every rejection. */
@QuarkusTest
class AttemptsResourceTests {

    @BeforeAll
    static void configure() {
        TestApi.configure();
    }

    private static RequestSpecification asReporter() {
        return given().header("X-API-Key", TestApi.REPORTER_KEY).contentType(ContentType.JSON);
    }

    private static void assertNothingRecorded(String environment) {
        given().get("/api/v1/environments/" + environment + "/metrics").then()
                .statusCode(200)
                .body("status", equalTo("no_data"));
    }

    @Test
    void records_one_attempt_and_reports_its_violation() {
        String environment = TestEnvironments.developmentLike();
        asReporter().body("{\"environment\": \"" + environment.toUpperCase() + "\", \"operation\": \"connection\","
                        + " \"duration_seconds\": 35.0, \"success\": false, \"timeout_seconds\": 30.0}")
                .post("/api/v1/attempts").then()
                .statusCode(201)
                .body("recorded", equalTo(1))
                .body("duplicates", equalTo(0))
                .body("violations", contains("Database connection timeout: 35.0s exceeded limit 30.0s"))
                .body("alerts.type", contains("connection_time"))
                .body("alerts[0].level", equalTo("critical"));
        given().get("/api/v1/environments/" + environment + "/metrics").then()
                .body("connection_attempts", equalTo(1))
                .body("timeout_violations", equalTo(1))
                .body("last_connection_time", equalTo(35.0));
    }

    @Test
    void without_timeout_seconds_the_base_timeout_is_in_force() {
        String environment = TestEnvironments.developmentLike();
        asReporter().body("[" + attempt(environment, 20.0, true) + "," + attempt(environment, 20.05, true) + ","
                        + attempt(environment, "table_setup", 15.5, true, null) + "]")
                .post("/api/v1/attempts").then()
                .statusCode(201)
                .body("recorded", equalTo(3))
                .body("violations", contains("Database connection timeout: 20.1s exceeded limit 20.0s",
                        "Database table_setup timeout: 15.5s exceeded limit 15.0s"));
    }

    @Test
    void a_retried_attempt_is_counted_once() {
        String environment = TestEnvironments.developmentLike();
        String id = UUID.randomUUID().toString();
        String body = "[{\"id\": \"" + id + "\", \"environment\": \"" + environment + "\", \"operation\":"
                + " \"connection\", \"duration_seconds\": 1.5, \"success\": true}, {\"id\": \"" + id + "\","
                + " \"environment\": \"" + environment + "\", \"operation\": \"connection\", \"duration_seconds\":"
                + " 9.0, \"success\": false}]";
        asReporter().body(body).post("/api/v1/attempts").then()
                .statusCode(201).body("recorded", equalTo(1)).body("duplicates", equalTo(1));
        asReporter().body(body).post("/api/v1/attempts").then()
                .statusCode(201).body("recorded", equalTo(0)).body("duplicates", equalTo(2));
        given().get("/api/v1/environments/" + environment + "/metrics").then()
                .body("connection_attempts", equalTo(1))
                .body("average_connection_time", equalTo(1.5));
    }

    @Test
    void malformed_attempts_are_400s_naming_each_field_and_nothing_is_written() {
        String environment = TestEnvironments.developmentLike();
        asReporter().body("[" + attempt(environment, 1.0, true) + ", {\"environment\": \"" + environment + "\","
                        + " \"operation\": \"vacuum\", \"duration_seconds\": -1, \"success\": true,"
                        + " \"timeout_seconds\": 0, \"id\": \"not-a-uuid\", \"occurred_at\": \"yesterday\"},"
                        + " {\"environment\": \"" + environment + "\"}]")
                .post("/api/v1/attempts").then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItems("[1].operation", "[1].duration_seconds", "[1].timeout_seconds",
                        "[1].id", "[1].occurred_at", "[2].operation", "[2].duration_seconds", "[2].success"));
        assertNothingRecorded(environment);
    }

    @Test
    void wrong_types_unknown_fields_and_bad_numbers_are_400s() {
        String environment = TestEnvironments.developmentLike();
        String[] bodies = {
            "{\"environment\": \"" + environment + "\", \"operation\": \"connection\", \"duration_seconds\": \"1\","
                    + " \"success\": true}",
            "{\"environment\": \"" + environment + "\", \"operation\": \"connection\", \"duration_seconds\": 1,"
                    + " \"success\": \"true\"}",
            "{\"environment\": \"" + environment + "\", \"operation\": \"connection\", \"duration_seconds\": 1,"
                    + " \"success\": true, \"color\": \"red\"}",
            "{\"environment\": \"" + environment + "\", \"operation\": \"connection\", \"duration_seconds\": 1e400,"
                    + " \"success\": true}",
            "{\"environment\": \"" + environment + "\", \"operation\": \"connection\", \"duration_seconds\": NaN,"
                    + " \"success\": true}",
            "{\"environment\": \"" + environment + "\", \"operation\": \"connection\"",
            "[]", "null", "42", "\"text\""
        };
        for (String body : bodies) {
            asReporter().body(body).post("/api/v1/attempts").then()
                    .statusCode(400)
                    .contentType("application/problem+json");
        }
        assertNothingRecorded(environment);
    }

    @Test
    void the_policy_version_a_client_applied_is_stored_with_its_attempt() throws Exception {
        String environment = TestEnvironments.developmentLike();
        String id = UUID.randomUUID().toString();
        asReporter().body("{\"id\": \"" + id + "\", \"environment\": \"" + environment + "\", \"operation\":"
                        + " \"connection\", \"duration_seconds\": 1.0, \"success\": true, \"policy_version\": 3}")
                .post("/api/v1/attempts").then()
                .statusCode(201).body("recorded", equalTo(1));
        try (var connection = io.timeoutpolicy.TestDatabase.connect();
                var query = connection.prepareStatement("SELECT policy_version FROM attempts WHERE id = ?::uuid")) {
            query.setString(1, id);
            var row = query.executeQuery();
            org.assertj.core.api.Assertions.assertThat(row.next()).isTrue();
            org.assertj.core.api.Assertions.assertThat(row.getInt(1)).isEqualTo(3);
        }
        for (String bad : new String[] {"0", "-1", "1.5", "\"2\"", "2147483648"}) {
            asReporter().body("{\"environment\": \"" + environment + "\", \"operation\": \"connection\","
                            + " \"duration_seconds\": 1.0, \"success\": true, \"policy_version\": " + bad + "}")
                    .post("/api/v1/attempts").then()
                    .statusCode(400)
                    .body("errors.field", hasItem("policy_version"));
        }
    }

    @Test
    void a_batch_over_1000_is_refused_whole() {
        String environment = TestEnvironments.developmentLike();
        String one = attempt(environment, 1.0, true);
        asReporter().body("[" + String.join(",", java.util.Collections.nCopies(1001, one)) + "]")
                .post("/api/v1/attempts").then()
                .statusCode(400)
                .body("errors[0].field", equalTo("body"));
        assertNothingRecorded(environment);
    }

    @Test
    void an_unknown_environment_in_the_body_is_a_422_and_nothing_is_written() {
        String environment = TestEnvironments.developmentLike();
        asReporter().body("[" + attempt(environment, 1.0, true) + "," + attempt("atlantis", 1.0, true) + "]")
                .post("/api/v1/attempts").then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("[1].environment"));
        assertNothingRecorded(environment);
    }

    @Test
    void occurred_at_is_bounded_by_the_future_and_the_retention() {
        String environment = TestEnvironments.developmentLike();
        Instant now = Instant.now();
        asReporter().body(attempt(environment, "connection", 1.0, true, now.plus(6, ChronoUnit.MINUTES)))
                .post("/api/v1/attempts").then().statusCode(400).body("errors[0].field", equalTo("occurred_at"));
        asReporter().body(attempt(environment, "connection", 1.0, true, now.minus(31, ChronoUnit.DAYS)))
                .post("/api/v1/attempts").then().statusCode(400).body("errors[0].field", equalTo("occurred_at"));
        assertNothingRecorded(environment);
        asReporter().body(attempt(environment, "connection", 1.0, true, now.plus(4, ChronoUnit.MINUTES)))
                .post("/api/v1/attempts").then().statusCode(201);
    }

    @Test
    void attempts_older_than_the_window_are_stored_but_ignored() {
        String environment = TestEnvironments.developmentLike();
        Instant now = Instant.now();
        asReporter().body("[" + attempt(environment, "connection", 50.0, false, now.minus(25, ChronoUnit.HOURS))
                        + "," + attempt(environment, "connection", 2.0, true, now.minus(1, ChronoUnit.HOURS)) + "]")
                .post("/api/v1/attempts").then().statusCode(201).body("recorded", equalTo(2));
        given().get("/api/v1/environments/" + environment + "/metrics").then()
                .body("connection_attempts", equalTo(1))
                .body("max_connection_time", equalTo(2.0));
    }

    @Test
    void only_reporters_may_record() {
        String environment = TestEnvironments.developmentLike();
        given().contentType(ContentType.JSON).body(attempt(environment, 1.0, true))
                .post("/api/v1/attempts").then().statusCode(401);
        given().header("X-API-Key", TestApi.DEPLOYER_KEY).contentType(ContentType.JSON)
                .body(attempt(environment, 1.0, true))
                .post("/api/v1/attempts").then().statusCode(403);
        assertNothingRecorded(environment);
    }
}
