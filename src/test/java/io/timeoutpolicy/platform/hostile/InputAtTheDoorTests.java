package io.timeoutpolicy.platform.hostile;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.timeoutpolicy.TestApi;
import io.timeoutpolicy.TestDatabase;
import io.timeoutpolicy.TestEnvironments;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The findings of issue 25, item 1, exactly as reported: each is now a 400 problem at the door, nothing reaches the
 * database, no breaker opens, and the next valid request is answered as if nothing had happened.
 */
@QuarkusTest
class InputAtTheDoorTests {

    @io.quarkus.test.common.http.TestHTTPResource("/")
    java.net.URI root;

    @BeforeAll
    static void configure() {
        TestApi.configure();
    }

    @Test
    void a_nul_in_a_reported_service_is_a_400_and_the_next_attempts_are_stored_at_once() throws Exception {
        String environment = TestEnvironments.developmentLike();
        Response refused = given().header("X-API-Key", TestApi.REPORTER_KEY).contentType(ContentType.JSON)
                .body("{\"environment\": \"" + environment + "\", \"operation\": \"pool\", \"duration_seconds\": 1,"
                        + " \"success\": true, \"service\": \"nul\\u0000here\"}").post("/api/v1/attempts");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.jsonPath().getString("errors[0].field")).isEqualTo("service");
        assertThat(refused.jsonPath().getString("errors[0].message")).isEqualTo("must not contain NUL (U+0000)");

        for (int i = 0; i < 20; i++) {
            given().header("X-API-Key", TestApi.REPORTER_KEY).contentType(ContentType.JSON)
                    .body("[" + TestEnvironments.attempt(environment, 1.0, true) + "]").post("/api/v1/attempts")
                    .then().statusCode(201);
        }
        assertThat(storedAttempts(environment)).isEqualTo(20);
        given().get("/api/v1/environments/" + environment + "/timeouts").then().body("degraded", equalTo(false));
    }

    @Test
    void a_nul_in_a_decision_is_a_400_and_the_next_decisions_are_consistent_and_stored() throws Exception {
        String environment = TestEnvironments.developmentLike();
        given().header("X-API-Key", TestApi.DEPLOYER_KEY).contentType(ContentType.JSON)
                .body("{\"environment\": \"" + environment + "\", \"critical_failures\": 3, \"deployment\": \"\\u0000\"}")
                .post("/api/v1/bypass-decisions").then().statusCode(400)
                .body("errors[0].field", equalTo("deployment"));
        for (int i = 0; i < 8; i++) {
            given().header("X-API-Key", TestApi.DEPLOYER_KEY).contentType(ContentType.JSON)
                    .body("{\"environment\": \"" + environment + "\", \"critical_failures\": 3}")
                    .post("/api/v1/bypass-decisions").then().statusCode(201)
                    .body("degraded", equalTo(false)).body("bypass", equalTo(false));
        }
        try (Connection connection = TestDatabase.connect();
                ResultSet rows = connection.createStatement().executeQuery(
                        "SELECT count(*) FROM bypass_decisions WHERE environment = '" + environment + "'")) {
            rows.next();
            assertThat(rows.getLong(1)).isEqualTo(8);
        }
    }

    @Test
    void a_dozen_anonymous_nul_filters_leave_the_audit_list_answering() {
        for (int i = 0; i < 12; i++) {
            given().urlEncodingEnabled(false).get("/api/v1/bypass-decisions?service=a%00b").then().statusCode(400)
                    .contentType("application/problem+json").body("errors[0].field", equalTo("service"));
        }
        given().get("/api/v1/bypass-decisions?service=orders").then().statusCode(200);
    }

    @Test
    void a_nul_in_a_policy_put_is_a_400_and_opens_no_write_breaker() {
        String environment = TestEnvironments.developmentLike();
        for (int i = 0; i < 12; i++) {
            given().header("X-API-Key", TestApi.OPERATOR_KEY).header("If-Match", "\"1\"").contentType(ContentType.JSON)
                    .body("{\"cloud_sql\": false, \"base_timeouts\": " + TestEnvironments.DEVELOPMENT_BASES
                            + ", \"pressure_multipliers\": {\"load\\u0000\": {\"connection_timeout\": 2.0}}}")
                    .put("/api/v1/environments/" + environment + "/policy").then().statusCode(400);
        }
        String current = given().get("/api/v1/environments/" + environment + "/policy").then().statusCode(200)
                .extract().asString();
        given().header("X-API-Key", TestApi.OPERATOR_KEY).header("If-Match", "\"1\"").contentType(ContentType.JSON)
                .body(current).put("/api/v1/environments/" + environment + "/policy").then().statusCode(200)
                .header("ETag", "\"2\"");
        String fresh = "door-" + UUID.randomUUID().toString().substring(0, 8);
        given().header("X-API-Key", TestApi.OPERATOR_KEY).contentType(ContentType.JSON)
                .body("{\"cloud_sql\": false, \"base_timeouts\": " + TestEnvironments.DEVELOPMENT_BASES + "}")
                .put("/api/v1/environments/" + fresh + "/policy").then().statusCode(201);
    }

    @Test
    void a_null_item_is_a_400_naming_its_index() {
        String environment = TestEnvironments.developmentLike();
        given().header("X-API-Key", TestApi.REPORTER_KEY).contentType(ContentType.JSON).body("[null]")
                .post("/api/v1/attempts").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("[0]")).body("errors[0].message", equalTo("must not be null"));
        given().header("X-API-Key", TestApi.REPORTER_KEY).contentType(ContentType.JSON)
                .body("[" + TestEnvironments.attempt(environment, 1.0, true) + ", null]")
                .post("/api/v1/attempts").then().statusCode(400).body("errors[0].field", equalTo("[1]"));
    }

    /** Over a plain socket: HTTP clients tend to add a Content-Type of their own. */
    @Test
    void a_write_without_content_type_is_a_415_problem_and_records_nothing() throws Exception {
        String environment = TestEnvironments.developmentLike();
        HostileClient.Answer answer = new HostileClient(root).send("POST", "/api/v1/attempts", TestApi.REPORTER_KEY,
                null, TestEnvironments.attempt(environment, 1.0, true));
        assertThat(answer.status()).isEqualTo(415);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.body()).contains("\"type\":\"urn:timeout-policy:problem:unsupported-media-type\"");
        assertThat(storedAttempts(environment)).isZero();
    }

    @Test
    void a_lone_surrogate_is_a_400_rather_than_a_question_mark_stored() {
        String environment = TestEnvironments.developmentLike();
        given().header("X-API-Key", TestApi.REPORTER_KEY).contentType(ContentType.JSON)
                .body("{\"environment\": \"" + environment + "\", \"operation\": \"pool\", \"duration_seconds\": 1,"
                        + " \"success\": true, \"instance\": \"a\\ud800\"}").post("/api/v1/attempts")
                .then().statusCode(400).body("errors[0].field", equalTo("instance"))
                .body("errors[0].message", equalTo("must be valid Unicode text (a lone surrogate U+D800)"));
        given().header("X-API-Key", TestApi.REPORTER_KEY).contentType(ContentType.JSON)
                .body("{\"environment\": \"" + environment + "\", \"operation\": \"pool\", \"duration_seconds\": 1,"
                        + " \"success\": true, \"instance\": \"pod-\\ud83d\\ude00\"}").post("/api/v1/attempts")
                .then().statusCode(201);
    }

    @Test
    void a_timeout_is_at_least_a_millisecond() {
        String environment = TestEnvironments.developmentLike();
        for (String tiny : new String[] {"5e-324", "0.000999"}) {
            given().header("X-API-Key", TestApi.REPORTER_KEY).contentType(ContentType.JSON)
                    .body("{\"environment\": \"" + environment + "\", \"operation\": \"pool\", \"duration_seconds\": 1,"
                            + " \"success\": true, \"timeout_seconds\": " + tiny + "}").post("/api/v1/attempts")
                    .then().statusCode(400).body("errors[0].field", equalTo("timeout_seconds"))
                    .body("errors[0].message", equalTo("must be at least 0.001 and at most 86400"));
        }
        given().header("X-API-Key", TestApi.REPORTER_KEY).contentType(ContentType.JSON)
                .body("{\"environment\": \"" + environment + "\", \"operation\": \"pool\", \"duration_seconds\": 0.0005,"
                        + " \"success\": true, \"timeout_seconds\": 0.001}").post("/api/v1/attempts")
                .then().statusCode(201);
    }

    private static long storedAttempts(String environment) throws Exception {
        try (Connection connection = TestDatabase.connect();
                ResultSet rows = connection.createStatement().executeQuery(
                        "SELECT count(*) FROM attempts WHERE environment = '" + environment + "'")) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
